/**
 * Our UAS side: the phone's requests inside our dialogs (CSTA events, BYE,
 * re-INVITE) and the few out of dialog. RFC 3261 §17.2 server transactions
 * are kept just enough to answer a retransmitted request from memory, so a
 * listener never sees one request twice.
 */
import type * as net from 'node:net';
import type { SipDialog } from './dialog';
import { parseCSeq, REASONS, serializeResponse, tagOf, topVia, viaValues, type SipRequestMessage } from './message';
import { newTag } from './syntax';
import type { SipTimers } from './transaction';
import type { InboundMessage, Remote, SipTransport } from './transport';
import type { SipReply } from './types';

const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, NOTIFY, MESSAGE, UPDATE';

interface ServerRecord {
  response?: Buffer;
  remote: Remote;
  connection?: net.Socket;
  timer?: NodeJS.Timeout;
}

export interface UasEnv {
  transport: SipTransport;
  timers: SipTimers;
  userAgent: string;
  stats: { requestsReceived: number; requestRetransmissionsAbsorbed: number };
  /** Our dialog with this Call-ID|local tag|remote tag, if any. */
  dialog(key: string): SipDialog | undefined;
  /** Our Contact header value for `host`. */
  contact(host: string): string;
}

export class UasSide {
  private readonly serverTxs = new Map<string, ServerRecord>();
  private readonly pending2xx = new Map<string, () => void>();

  constructor(private readonly env: UasEnv) {}

  /** Stops every timer (client shutdown). */
  close(): void {
    for (const stop of [...this.pending2xx.values()]) stop();
    for (const rec of this.serverTxs.values()) if (rec.timer) clearTimeout(rec.timer);
    this.serverTxs.clear();
  }

  handle(req: SipRequestMessage, m: InboundMessage): void {
    const via = topVia(req.headers);
    const cseq = parseCSeq(req.headers.get('cseq'));
    const callId = req.headers.get('call-id');
    const from = req.headers.get('from');
    const to = req.headers.get('to');
    if (!via) return; // nowhere to answer
    this.env.stats.requestsReceived++;
    if (!cseq || !callId || !from || !to || (cseq.method !== req.method && req.method !== 'ACK')) {
      this.respond(req, m, { status: 400 });
      return;
    }
    const fromTag = tagOf(from) ?? '';
    const toTag = tagOf(to);
    if (req.method === 'ACK') {
      this.pending2xx.get(`${callId}|${toTag ?? ''}|${fromTag}|${cseq.seq}`)?.();
      return;
    }
    // §17.2.3: a request seen before is answered from memory, not handed up again.
    const branch = via.params.get('branch');
    const sKey =
      branch && branch.startsWith('z9hG4bK')
        ? `${branch}|${req.method}|${via.host}`
        : `${callId}|${fromTag}|${cseq.seq}|${req.method}`;
    const seen = this.serverTxs.get(sKey);
    if (seen) {
      this.env.stats.requestRetransmissionsAbsorbed++;
      if (seen.response) this.env.transport.send(seen.remote, seen.response, seen.connection).catch(() => undefined);
      return;
    }
    const record: ServerRecord = { remote: this.responseTarget(req, m), connection: m.connection };
    this.serverTxs.set(sKey, record);
    record.timer = setTimeout(() => this.serverTxs.delete(sKey), 64 * this.env.timers.t1);
    record.timer.unref();

    if (toTag !== undefined) {
      const dialog = this.env.dialog(`${callId}|${toTag}|${fromTag}`);
      if (!dialog) {
        this.respond(req, m, { status: 481 }, record);
        return;
      }
      let reply: SipReply;
      try {
        reply = dialog.handleRequest(
          { method: req.method, uri: req.uri, headers: req.headers, body: req.body, remote: m.remote },
          cseq.seq,
        );
      } catch {
        reply = { status: 500 };
      }
      const sent = this.respond(req, m, reply, record, dialog);
      if (req.method === 'INVITE' && reply.status >= 200 && reply.status < 300 && !this.env.transport.reliable) {
        this.retransmit2xx(`${callId}|${toTag}|${fromTag}|${cseq.seq}`, record, sent);
      }
      return;
    }
    if (req.method === 'OPTIONS') this.respond(req, m, { status: 200, headers: [['Allow', ALLOW]] }, record);
    else if (req.method === 'CANCEL') this.respond(req, m, { status: 481 }, record);
    else this.respond(req, m, { status: 405, headers: [['Allow', ALLOW]] }, record);
  }

  /** §13.3.1.4: a UAS re-sends its 2xx to an INVITE until the ACK comes. */
  private retransmit2xx(key: string, rec: ServerRecord, data: Buffer): void {
    let interval = this.env.timers.t1;
    let timer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => stop(), 64 * this.env.timers.t1);
    const stop = () => {
      clearTimeout(deadline);
      if (timer) clearTimeout(timer);
      this.pending2xx.delete(key);
    };
    const tick = () => {
      timer = setTimeout(() => {
        this.env.transport.send(rec.remote, data, rec.connection).catch(() => undefined);
        interval = Math.min(2 * interval, this.env.timers.t2);
        tick();
      }, interval);
    };
    this.pending2xx.set(key, stop);
    tick();
  }

  /** RFC 3261 §18.2.2 with RFC 3581: source address; port from rport, else the Via port. */
  private responseTarget(req: SipRequestMessage, m: InboundMessage): Remote {
    const via = topVia(req.headers);
    if (m.connection || !via) return m.remote;
    return { host: m.remote.host, port: via.params.has('rport') ? m.remote.port : (via.port ?? 5060) };
  }

  private respond(
    req: SipRequestMessage,
    m: InboundMessage,
    reply: SipReply,
    record?: ServerRecord,
    dialog?: SipDialog,
  ): Buffer {
    const h: Array<[string, string]> = viaValues(req.headers).map((v) => ['Via', v]);
    h.push(['From', req.headers.get('from') ?? '']);
    let to = req.headers.get('to') ?? '';
    if (tagOf(to) === undefined && reply.status > 100) to = `${to};tag=${newTag()}`;
    h.push(['To', to], ['Call-ID', req.headers.get('call-id') ?? ''], ['CSeq', req.headers.get('cseq') ?? '']);
    if (dialog && req.method === 'INVITE' && reply.status < 300) {
      h.push(['Contact', this.env.contact(dialog.contactHost)]);
    }
    h.push(['Server', this.env.userAgent]);
    for (const [n, v] of reply.headers ?? []) h.push([n, v]);
    const body = reply.body ?? '';
    if (body !== '' && reply.contentType) h.push(['Content-Type', reply.contentType]);
    h.push(['Content-Length', String(Buffer.byteLength(body, 'utf8'))]);
    const data = serializeResponse(reply.status, reply.reason ?? REASONS.get(reply.status) ?? 'Unknown', h, body);
    const target = record?.remote ?? this.responseTarget(req, m);
    if (record) record.response = data;
    this.env.transport.send(target, data, m.connection).catch(() => undefined);
    return data;
  }
}
