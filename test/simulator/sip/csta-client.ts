// A uaCSTA client written in the test, on a raw peer: INVITE/ACK/INFO/BYE as literal SIP, and the
// phone's event INFOs answered (200 unless told otherwise) and kept in order, retransmissions once.
import { answerTo, branch, one, rand, sipRequest, type Msg, type Peer } from './peer';

export const ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
export const ED5 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed5';
export const RSS_ED3 = `<?xml version="1.0" encoding="UTF-8"?>\n<RequestSystemStatus xmlns="${ED3}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`;
export const MONITOR_START = (device: string): string =>
  `<MonitorStart xmlns='${ED5}' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><monitorObject><deviceObject>${device}</deviceObject></monitorObject></MonitorStart>`;

/** The text of the first element `name` in a body ('' when absent). */
export function el(body: string, name: string): string {
  return new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(body)?.[1] ?? '';
}

/** The root element name of an XML body. */
export function root(body: string): string {
  return /<([A-Za-z][\w.-]*)[\s/>]/.exec(body.replace(/<\?xml[^>]*\?>/, ''))?.[1] ?? '';
}

export class CstaClient {
  readonly callId = `csta-${rand()}`;
  readonly tag = rand();
  cseq = 1;
  /** the To header with the phone's tag, after the 200 */
  to = '';
  inviteCSeq = 0;
  /** the phone's event INFOs, each once, in arrival order */
  readonly events: Msg[] = [];
  /** what the client answers the phone's INFO with; null = no answer */
  answerWith: number | null = 200;
  private readonly seen = new Set<string>();

  constructor(
    readonly peer: Peer,
    readonly uri = 'sip:455455@127.0.0.1',
  ) {
    peer.intercept = (m) => {
      if (m.method !== 'INFO' || one(m, 'call-id') !== this.callId) return false;
      if (this.answerWith !== null) peer.send(answerTo(m, this.answerWith));
      const b = /branch=([^;]+)/.exec(one(m, 'via'))?.[1] ?? '';
      if (!this.seen.has(b)) {
        this.seen.add(b);
        this.events.push(m);
      }
      return true;
    };
  }

  get from(): string {
    return `From: "CTI" <sip:cti@127.0.0.1>;tag=${this.tag}`;
  }

  contact(): string {
    return `Contact: <sip:cti@127.0.0.1:${this.peer.port};transport=${this.peer.transport.toLowerCase()}>`;
  }

  inviteText(body: string, extra: string[] = [], b = branch()): string {
    this.inviteCSeq = this.cseq++;
    return sipRequest(
      `INVITE ${this.uri} SIP/2.0`,
      [
        this.peer.via(b),
        'Max-Forwards: 70',
        this.from,
        `To: ${this.to || `<${this.uri}>`}`,
        `Call-ID: ${this.callId}`,
        `CSeq: ${this.inviteCSeq} INVITE`,
        this.contact(),
        ...(body ? ['Content-Type: application/csta+xml', 'Content-Disposition: signal;handling=required'] : []),
        ...extra,
      ],
      body,
    );
  }

  /** INVITE → final answer; a 2xx is ACKed and its To (with the phone's tag) kept. */
  async open(body = RSS_ED3, extra: string[] = []): Promise<Msg> {
    const r = await this.peer.ask(this.inviteText(body, extra));
    if (r.status >= 200 && r.status < 300) {
      this.to = one(r, 'to');
      this.ack();
    }
    return r;
  }

  ack(): void {
    this.peer.send(
      sipRequest(`ACK ${this.uri} SIP/2.0`, [
        this.peer.via(),
        'Max-Forwards: 70',
        this.from,
        `To: ${this.to}`,
        `Call-ID: ${this.callId}`,
        `CSeq: ${this.inviteCSeq} ACK`,
      ]),
    );
  }

  infoText(body: string, b = branch(), seq = this.cseq++, type = 'application/csta+xml'): string {
    return sipRequest(
      `INFO ${this.uri} SIP/2.0`,
      [
        this.peer.via(b),
        'Max-Forwards: 70',
        this.from,
        `To: ${this.to}`,
        `Call-ID: ${this.callId}`,
        `CSeq: ${seq} INFO`,
        `Content-Type: ${type}`,
        'Content-Disposition: signal;handling=required',
      ],
      body,
    );
  }

  info(body: string): Promise<Msg> {
    return this.peer.ask(this.infoText(body));
  }

  bye(): Promise<Msg> {
    return this.peer.ask(
      sipRequest(`BYE ${this.uri} SIP/2.0`, [
        this.peer.via(),
        'Max-Forwards: 70',
        this.from,
        `To: ${this.to}`,
        `Call-ID: ${this.callId}`,
        `CSeq: ${this.cseq++} BYE`,
      ]),
    );
  }

  /** Waits until at least n events have come (a guard of 8 s, not a timing check). */
  async waitEvents(n: number): Promise<Msg[]> {
    for (let i = 0; i < 400 && this.events.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    if (this.events.length < n)
      throw new Error(`expected ${n} events, got ${this.events.map((e) => root(e.body)).join(', ') || 'none'}`);
    return this.events;
  }

  names(): string[] {
    return this.events.map((e) => root(e.body));
  }
}
