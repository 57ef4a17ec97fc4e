// The tests' own raw SIP peer on 127.0.0.1 (UDP or TCP), with its own tiny reader: tests write SIP
// text literally, send it to a simulated phone and look at what comes back, byte for byte if need be.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { randomBytes } from 'node:crypto';

export interface Msg {
  raw: string;
  startLine: string;
  /** request method, or '' for a response */
  method: string;
  status: number;
  /** lower-case header name → values in order */
  h: Map<string, string[]>;
  body: string;
}

export function parse(raw: string): Msg {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end + 4);
  const [startLine, ...lines] = head.split('\r\n');
  const h = new Map<string, string[]>();
  for (const l of lines) {
    const c = l.indexOf(':');
    const name = l.slice(0, c).trim().toLowerCase();
    h.set(name, [...(h.get(name) ?? []), l.slice(c + 1).trim()]);
  }
  const resp = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  return { raw, startLine, method: resp ? '' : startLine.split(' ')[0], status: resp ? Number(resp[1]) : 0, h, body };
}

export const one = (m: Msg, name: string): string => (m.h.get(name) ?? [])[0] ?? '';
export const rand = (): string => randomBytes(6).toString('hex');
export const branch = (): string => `z9hG4bK${rand()}`;

/** Builds a request from header lines; Content-Length is computed unless given. */
export function sipRequest(start: string, hdrs: string[], body = '', contentLength?: number): string {
  const len = contentLength ?? Buffer.byteLength(body);
  return [start, ...hdrs, `Content-Length: ${len}`].join('\r\n') + '\r\n\r\n' + body;
}

/** The answer a client gives to a request of the phone (copies Via, From, To, Call-ID, CSeq). */
export function answerTo(req: Msg, status: number, reason = 'OK'): string {
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const v of req.h.get('via') ?? []) lines.push(`Via: ${v}`);
  for (const n of ['from', 'to', 'call-id', 'cseq'])
    lines.push(
      `${n === 'call-id' ? 'Call-ID' : n === 'cseq' ? 'CSeq' : n[0].toUpperCase() + n.slice(1)}: ${one(req, n)}`,
    );
  lines.push('Content-Length: 0');
  return lines.join('\r\n') + '\r\n\r\n';
}

export abstract class Peer {
  readonly inbox: Msg[] = [];
  private waiters: Array<{ match: (m: Msg) => boolean; resolve: (m: Msg) => void }> = [];
  abstract readonly transport: 'UDP' | 'TCP';
  abstract get port(): number;
  abstract send(text: string): void;
  abstract close(): Promise<void>;
  /** takes a message before the inbox does (return true when consumed), e.g. to answer the phone's INFO */
  intercept: ((m: Msg) => boolean) | null = null;

  protected deliver(m: Msg): void {
    if (this.intercept?.(m)) return;
    const w = this.waiters.find((x) => x.match(m));
    if (w) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(m);
    } else this.inbox.push(m);
  }

  /** The next message that matches (from the inbox first); fails after `ms` (a guard, not a timing check). */
  next(match: (m: Msg) => boolean = () => true, ms = 8000): Promise<Msg> {
    const i = this.inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = {
        match,
        resolve: (m: Msg) => {
          clearTimeout(t);
          resolve(m);
        },
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(
          new Error(
            `no matching SIP message within ${ms} ms; inbox: ${this.inbox.map((m) => m.startLine).join(' | ') || 'empty'}`,
          ),
        );
      }, ms);
      this.waiters.push(w);
    });
  }

  response(callId?: string): Promise<Msg> {
    return this.next((m) => m.status > 0 && (callId === undefined || one(m, 'call-id') === callId));
  }

  request(method: string): Promise<Msg> {
    return this.next((m) => m.method === method);
  }

  /** Sends and waits for the final response with that Call-ID. */
  async ask(text: string): Promise<Msg> {
    const callId = parse(text).h.get('call-id')?.[0];
    this.send(text);
    for (;;) {
      const r = await this.response(callId);
      if (r.status >= 200) return r;
    }
  }

  /** The Via line this peer would write. */
  via(b = branch(), rport = true): string {
    return `Via: SIP/2.0/${this.transport} 127.0.0.1:${this.port};branch=${b}${rport ? ';rport' : ''}`;
  }
}

export class UdpPeer extends Peer {
  readonly transport = 'UDP' as const;
  private constructor(
    private readonly sock: dgram.Socket,
    readonly phonePort: number,
  ) {
    super();
    sock.on('message', (buf) => this.deliver(parse(buf.toString('utf8'))));
  }

  static async open(phonePort: number): Promise<UdpPeer> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    return new UdpPeer(s, phonePort);
  }

  get port(): number {
    return this.sock.address().port;
  }

  send(text: string | Buffer): void {
    this.sock.send(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, this.phonePort, '127.0.0.1');
  }

  close(): Promise<void> {
    return new Promise((r) => this.sock.close(() => r()));
  }
}

export class TcpPeer extends Peer {
  readonly transport = 'TCP' as const;
  private buf = '';
  private constructor(readonly sock: net.Socket) {
    super();
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      this.buf += d;
      for (;;) {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const len = Number(/\r\nContent-Length: *(\d+)/i.exec(this.buf.slice(0, end + 2))?.[1] ?? 0);
        if (Buffer.byteLength(this.buf.slice(end + 4)) < len) return;
        const bodyBytes = Buffer.from(this.buf.slice(end + 4))
          .subarray(0, len)
          .toString('utf8');
        const total = end + 4 + bodyBytes.length;
        this.deliver(parse(this.buf.slice(0, total)));
        this.buf = this.buf.slice(total);
      }
    });
  }

  static async open(phonePort: number): Promise<TcpPeer> {
    const s = net.connect({ host: '127.0.0.1', port: phonePort });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    return new TcpPeer(s);
  }

  get port(): number {
    return this.sock.localPort ?? 0;
  }

  send(text: string): void {
    this.sock.write(text);
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.sock.once('close', () => r());
      this.sock.destroy();
    });
  }
}
