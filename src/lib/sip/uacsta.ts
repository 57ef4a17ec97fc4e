/**
 * uaCSTA (ECMA TR/87) association with a phone: an INVITE dialog whose bodies
 * are CSTA XML (docs/protocol.md §10.7, §10.8). Requests go out in INFO; the
 * CSTA response comes in the 200 OK to that INFO or in a separate INFO from
 * the phone; CSTA events come as INFO (or NOTIFY) inside the dialog.
 * The XML itself is the caller's (src/lib/csta builds and parses it).
 */
import { EventEmitter } from 'node:events';
import { SnomError } from '../errors';
import { CSTA_ED3, XSI_NS } from '../csta/build';
import { wellFormedError } from '../csta/xml';
import type { SipClient, SendOptions } from './client';
import type { DialogEnd, SipDialog } from './dialog';
import type { SipIncomingRequest, SipReply, SipResponse } from './types';

export const CONTENT_TYPE_CSTA = 'application/csta+xml';
export const CSTA_DISPOSITION = 'signal;handling=required';

/** The association INVITE's body: RequestSystemStatus in the form Snom documents (§10.7). */
export const UACSTA_INVITE_BODY = `<?xml version="1.0" encoding="UTF-8"?>\n<RequestSystemStatus xmlns="${CSTA_ED3}" xmlns:xsi="${XSI_NS}"/>`;

export interface UaCstaOptions extends SendOptions {
  client: SipClient;
  /** INVITE body; default UACSTA_INVITE_BODY; null sends the INVITE without a body. */
  inviteBody?: string | null;
  /** How long to wait for a CSTA response in a separate INFO after an empty 200 OK; default timer F. */
  responseTimeoutMs?: number;
  /** Sends keepAliveBody this often to notice a lost association (reboot); 0 (default) = off. */
  keepAliveMs?: number;
  keepAliveBody?: string;
}

export interface UaCstaReply {
  /** The CSTA response XML. */
  body: string;
  /** Where it came from: the 200 OK to our INFO, or a separate INFO from the phone. */
  via: 'response' | 'info';
  /** The SIP response to our INFO. */
  response: SipResponse;
}

/**
 * Local name of the CSTA element a body carries: the root, or the first child
 * of a SOAP Body. Undefined when the body holds no element.
 */
export function cstaRootName(xml: string): string | undefined {
  const s = xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/gi, '');
  const first = /<\s*(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(s);
  if (!first) return undefined;
  if (first[1] !== 'Envelope') return first[1];
  const body = /<\s*(?:[A-Za-z_][\w.-]*:)?Body\b[^>]*>/.exec(s);
  if (!body) return first[1];
  const inner = /<\s*(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(s.slice(body.index + body[0].length));
  return inner?.[1] ?? first[1];
}

/** A positive or negative CSTA response (not an event). */
export function isCstaResponseName(name: string | undefined): boolean {
  return name !== undefined && (/Response$/.test(name) || name === 'CSTAErrorCode' || name === 'Fault');
}

function checkCstaXml(xml: unknown): string {
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw new SnomError('E_INPUT', 'The CSTA request is empty: give its XML.', { field: 'xml' }).withText(
      'sip.cstaEmpty',
    );
  }
  if (xml.includes('\0'))
    throw new SnomError('E_INPUT', 'The CSTA request contains a NUL character.', { field: 'xml' }).withText(
      'sip.cstaNul',
    );
  const problem = wellFormedError(xml);
  if (problem)
    throw new SnomError('E_INPUT', `The CSTA request is not well-formed XML: ${problem}.`, { field: 'xml' }).withText(
      'sip.cstaXml',
      { problem },
    );
  return xml;
}

interface Pending {
  resolve(body: string): void;
  reject(e: unknown): void;
  promise: Promise<string>;
  body?: string;
}

export class UaCstaSession extends EventEmitter<{ event: [string, SipIncomingRequest]; end: [DialogEnd] }> {
  private queue: Promise<unknown> = Promise.resolve();
  private pending?: Pending;
  private keepAlive?: NodeJS.Timeout;
  private busy = 0;
  /** Response bodies that arrived in an INFO while no request waited. */
  strayResponses = 0;

  /** Sets up the association: INVITE with a CSTA body, 200 OK, ACK. */
  static async open(o: UaCstaOptions): Promise<UaCstaSession> {
    const body = o.inviteBody === undefined ? UACSTA_INVITE_BODY : o.inviteBody;
    const spec =
      body === null
        ? { headers: [['Accept', CONTENT_TYPE_CSTA]] as Array<[string, string]>, body: '', command: 'csta association' }
        : {
            headers: [['Content-Disposition', CSTA_DISPOSITION]] as Array<[string, string]>,
            body: checkCstaXml(body),
            contentType: CONTENT_TYPE_CSTA,
            command: 'csta association',
          };
    const dialog = await o.client.invite(spec, o);
    return new UaCstaSession(dialog, o);
  }

  private constructor(
    readonly dialog: SipDialog,
    private readonly o: UaCstaOptions,
  ) {
    super();
    dialog.setRequestHandler((req) => this.incoming(req));
    dialog.once('end', (end) => this.ended(end));
    const every = o.keepAliveMs ?? 0;
    if (every > 0) {
      const body = o.keepAliveBody ?? UACSTA_INVITE_BODY;
      this.keepAlive = setInterval(() => {
        if (this.busy === 0) this.request(body, 'csta keep-alive').catch(() => undefined);
      }, every);
      this.keepAlive.unref();
    }
  }

  /** The 200 OK to the INVITE (its body: the answer to the INVITE's CSTA request, if any). */
  get inviteResponse(): SipResponse {
    return this.dialog.response;
  }

  get active(): boolean {
    return this.dialog.active;
  }

  /**
   * Sends one CSTA request in INFO and resolves with its CSTA response.
   * Requests go one at a time, so a response in a separate INFO belongs to
   * the one request waiting.
   */
  request(xml: string, command = 'csta'): Promise<UaCstaReply> {
    let body: string;
    try {
      body = checkCstaXml(xml);
    } catch (e) {
      return Promise.reject(e);
    }
    this.busy++;
    const run = this.queue.then(() => this.exchange(body, command));
    this.queue = run.catch(() => undefined);
    return run.finally(() => this.busy--);
  }

  private async exchange(body: string, command: string): Promise<UaCstaReply> {
    let resolve!: (b: string) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined);
    const pending: Pending = { resolve, reject, promise };
    // Set before sending: the phone's INFO may overtake its 200 OK.
    this.pending = pending;
    try {
      const res = await this.dialog.request({
        method: 'INFO',
        headers: [['Content-Disposition', CSTA_DISPOSITION]],
        body,
        contentType: CONTENT_TYPE_CSTA,
        command,
      });
      if (res.body.trim() !== '') return { body: res.body, via: 'response', response: res };
      const wait = this.o.responseTimeoutMs ?? this.o.client.timerValues.timeout;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, rej) => {
        timer = setTimeout(
          () =>
            rej(
              new SnomError(
                'E_TIMEOUT',
                `No CSTA response from ${this.dialog.phone} within ${wait} ms (the 200 OK to the INFO was empty).`,
                {
                  phone: this.dialog.phone,
                  command,
                },
              ).withText('sip.cstaNoResponse', { phone: this.dialog.phone, ms: wait }),
            ),
          wait,
        );
      });
      try {
        return { body: await Promise.race([promise, timeout]), via: 'info', response: res };
      } finally {
        clearTimeout(timer);
      }
    } finally {
      if (this.pending === pending) this.pending = undefined;
    }
  }

  private incoming(req: SipIncomingRequest): SipReply | void {
    if (req.method !== 'INFO' && req.method !== 'NOTIFY') return undefined;
    if (req.body.trim() === '') return undefined;
    const name = cstaRootName(req.body);
    if (isCstaResponseName(name)) {
      if (this.pending) this.pending.resolve(req.body);
      else this.strayResponses++;
      return undefined;
    }
    // After the 200 OK is on its way, and a listener's exception stays its own.
    setImmediate(() => {
      try {
        this.emit('event', req.body, req);
      } catch {
        /* listener error: not the phone's concern */
      }
    });
    return undefined;
  }

  private ended(end: DialogEnd): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.pending?.reject(
      end.error ??
        new SnomError('E_SIP', `The uaCSTA association with ${this.dialog.phone} ended (${end.reason}).`, {
          phone: this.dialog.phone,
          dialogEnded: end.reason,
        }).withText('sip.associationEnded', { phone: this.dialog.phone, reason: end.reason }),
    );
    this.emit('end', end);
  }

  /** Ends the association with BYE. */
  async close(): Promise<void> {
    if (this.keepAlive) clearInterval(this.keepAlive);
    await this.dialog.bye();
  }
}
