// The phone's SIP transaction layer (RFC 3261 §17.2 server side, §17.1.2 non-INVITE client side):
// answers are built per §8.2.6 and sent per §18.2.2 with RFC 3581 rport; retransmitted requests get
// the stored answer again; a 2xx to INVITE is resent until its ACK (§13.3.1.4).
import { randomBytes } from 'node:crypto';
import {
  CRLF,
  REASONS,
  SipParseError,
  canonicalName,
  header,
  headers,
  parseCSeq,
  parseMessage,
  parseNameAddr,
  parseVia,
  writeMessage,
  type NameAddr,
  type SipRequest,
  type SipResponse,
  type Via,
} from './message';
import { SipTransport, type Peer } from './transport';
import type { SipReceived } from './types';

export const MAGIC = 'z9hG4bK';
const MAX_TRANSACTIONS = 4096;
const MAX_TEXT = 16 * 1024;

export const newTag = (): string => randomBytes(6).toString('hex');
export const newBranch = (): string => MAGIC + randomBytes(8).toString('hex');

/** A request that passed the basic checks of RFC 3261 §8.2, with its parsed key headers. */
export interface Incoming {
  req: SipRequest;
  peer: Peer;
  via: Via;
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: { seq: number; method: string };
  record: SipReceived;
}

export interface Reply {
  status: number;
  reason?: string;
  headers?: Array<[string, string]>;
  body?: string;
  /** the To tag of the answer (dialogs fix it); default one random tag per transaction */
  toTag?: string;
  /** a dialog-creating 2xx to INVITE: Contact and Record-Route are added, and it is resent until the ACK */
  dialog?: { onAck: () => void; onNoAck: () => void };
  /** why, for the received-messages record */
  note?: string;
}

export interface CoreHandler {
  /** the answer to a new request; null drops it unanswered */
  request(inc: Incoming): Reply | null;
  /** an ACK that matched no INVITE transaction: an ACK for a 2xx, within a dialog */
  ack(inc: Incoming): void;
  /** keeps the record of every message that arrived */
  record(r: SipReceived): void;
}

export interface CoreOptions {
  t1: number;
  t2: number;
  userAgent: string;
  /** the user part of the phone's Contact */
  contactUser: () => string;
}

/** SIP faults (POST /sim/sip/faults): requests lost on the way in, answered late, or never. */
export interface SipFaults {
  /** the next n requests (ACK aside) are lost: never seen, never answered */
  drop: number;
  /** every new request is answered this long after it came (retransmissions meanwhile are absorbed) */
  latencyMs: number;
  /** no request is answered until the faults are cleared */
  silent: boolean;
}

interface ServerTx {
  response?: Buffer;
  /** a CANCEL came while the INVITE was still being worked on */
  cancelled?: boolean;
  status: number;
  dest: Peer;
  invite: boolean;
  toTag: string;
  /** set when an ACK stops the retransmission of the answer */
  acked: boolean;
  cancel: Array<() => void>;
}

interface ClientTx {
  method: string;
  done: (r: number | 'timeout') => void;
  provisional: boolean;
  cancel: Array<() => void>;
}

const REQUIRED = ['via', 'from', 'to', 'call-id', 'cseq'];

export class SipCore {
  readonly transport: SipTransport;
  private readonly serverTx = new Map<string, ServerTx>();
  private readonly clientTx = new Map<string, ClientTx>();
  private stopped = false;
  readonly faults: SipFaults = { drop: 0, latencyMs: 0, silent: false };

  constructor(
    private readonly handler: CoreHandler,
    private readonly opts: CoreOptions,
  ) {
    this.transport = new SipTransport(
      (buf, peer) => this.onMessage(buf, peer),
      (peer, why) => {
        this.handler.record({
          at: Date.now(),
          transport: peer.transport,
          from: `${peer.address}:${peer.port}`,
          startLine: '',
          note: `stream closed: ${why}`,
          text: '',
        });
      },
    );
  }

  async start(udpPort: number, tcpPort: number): Promise<void> {
    this.stopped = false;
    await this.transport.start(udpPort, tcpPort);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    Object.assign(this.faults, { drop: 0, latencyMs: 0, silent: false });
    for (const tx of this.serverTx.values()) for (const c of tx.cancel) c();
    this.serverTx.clear();
    for (const tx of [...this.clientTx.values()]) {
      for (const c of tx.cancel) c();
      tx.done('timeout');
    }
    this.clientTx.clear();
    await this.transport.stop();
  }

  /** The phone's Contact for the transport a peer uses. */
  contact(transport: 'udp' | 'tcp'): string {
    const port = transport === 'udp' ? this.transport.udpPort : this.transport.tcpPort;
    return `<sip:${this.opts.contactUser()}@127.0.0.1:${port};transport=${transport}>`;
  }

  /** The phone's Via sent-by for requests it sends. */
  viaFor(transport: 'udp' | 'tcp', branch: string): string {
    const port = transport === 'udp' ? this.transport.udpPort : this.transport.tcpPort;
    return `SIP/2.0/${transport.toUpperCase()} 127.0.0.1:${port};branch=${branch};rport`;
  }

  get userAgent(): string {
    return this.opts.userAgent;
  }

  private timer(ms: number, fn: () => void): () => void {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  }

  private onMessage(buf: Buffer, peer: Peer): void {
    if (this.stopped) return;
    try {
      this.handleMessage(buf, peer);
    } catch (err) {
      // Nothing a peer sends may take the phone down: keep why, answer nothing.
      this.handler.record({
        at: Date.now(),
        transport: peer.transport,
        from: `${peer.address}:${peer.port}`,
        startLine: '',
        note: `internal error: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`,
        text: '',
      });
    }
  }

  private handleMessage(buf: Buffer, peer: Peer): void {
    const text = buf.subarray(0, MAX_TEXT).toString('utf8');
    const record: SipReceived = {
      at: Date.now(),
      transport: peer.transport,
      from: `${peer.address}:${peer.port}`,
      startLine: text.split(CRLF)[0].slice(0, 300),
      text,
    };
    this.handler.record(record);
    let msg;
    try {
      msg = parseMessage(buf);
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
      return this.refuseUnreadable(buf, peer, err, record);
    }
    if (msg.kind === 'response') return this.onResponse(msg, record);
    const req = msg;
    record.method = req.method;
    record.callId = header(req, 'call-id');
    record.cseq = header(req, 'cseq');
    if (req.method !== 'ACK' && (this.faults.silent || this.faults.drop > 0)) {
      if (!this.faults.silent) this.faults.drop -= 1;
      record.note = 'lost (SIP fault)';
      return;
    }
    const missing = REQUIRED.filter((n) => header(req, n) === undefined);
    const via = parseVia(header(req, 'via') ?? '');
    if (!via) {
      record.note = 'no readable Via: nowhere to answer';
      return;
    }
    const from = parseNameAddr(header(req, 'from') ?? '');
    const to = parseNameAddr(header(req, 'to') ?? '');
    const cseq = parseCSeq(header(req, 'cseq'));
    const maxForwards = header(req, 'max-forwards');
    const problem = missing.length
      ? `missing ${missing.join(', ')}`
      : !from
        ? 'malformed From'
        : !to
          ? 'malformed To'
          : !cseq
            ? 'malformed CSeq'
            : cseq.method !== req.method
              ? `CSeq method ${cseq.method} is not the request method ${req.method}`
              : maxForwards !== undefined && !/^\d{1,3}$/.test(maxForwards)
                ? 'malformed Max-Forwards'
                : '';
    if (problem) {
      if (req.method === 'ACK') {
        record.note = `ACK dropped: ${problem}`;
        return;
      }
      return this.sendFresh(
        req,
        peer,
        via,
        { status: 400, headers: [['Warning', `399 snom-sim "${problem}"`]], note: problem },
        record,
      );
    }
    const inc: Incoming = {
      req,
      peer,
      via,
      from: from!,
      to: to!,
      callId: header(req, 'call-id')!,
      cseq: cseq!,
      record,
    };
    const key = this.txKey(inc);
    const tx = this.serverTx.get(key);
    if (req.method === 'ACK') {
      if (tx && tx.invite && (tx.status < 200 || tx.status >= 300)) {
        // ACK for a non-2xx final answer: it ends the INVITE server transaction (§17.2.1).
        tx.acked = true;
        record.note = 'ACK of the answer to INVITE';
        return;
      }
      return this.handler.ack(inc);
    }
    if (tx) {
      record.retransmission = true;
      if (tx.response) {
        this.transport.send(tx.dest, tx.response);
        record.answer = tx.status;
      } else record.note = 'the phone is still working on it';
      return;
    }
    if (req.method === 'CANCEL') {
      // CANCEL matches the INVITE of the same branch (§9.2): one still being worked on ends with 487;
      // one already answered has nothing left to cancel, and the CANCEL only gets its own 200.
      const invite = this.serverTx.get(key.replace(/\|CANCEL$/, '|INVITE'));
      if (invite && !invite.response) invite.cancelled = true;
      return this.sendFresh(req, peer, via, invite ? { status: 200 } : { status: 481 }, record, key);
    }
    const pending = this.reserve(key, req.method === 'INVITE', this.responseDest(peer, via));
    const run = (): void => {
      if (this.stopped) return;
      let reply: Reply | null;
      try {
        reply = pending.cancelled ? { status: 487, note: 'cancelled' } : this.handler.request(inc);
      } catch (err) {
        reply = {
          status: 500,
          headers: [['Warning', `399 snom-sim "${err instanceof Error ? err.message.slice(0, 150) : 'error'}"`]],
        };
      }
      if (!reply) {
        record.note ??= 'dropped';
        if (this.serverTx.get(key) === pending) this.serverTx.delete(key);
        return;
      }
      this.sendFresh(req, peer, via, reply, record, key);
    };
    if (this.faults.latencyMs > 0) pending.cancel.push(this.timer(this.faults.latencyMs, run));
    else run();
  }

  /** A server transaction for a new request, before its answer exists (retransmissions then wait for it). */
  private reserve(key: string, invite: boolean, dest: Peer): ServerTx {
    if (this.serverTx.size >= MAX_TRANSACTIONS) {
      const oldest = this.serverTx.keys().next().value as string;
      for (const c of this.serverTx.get(oldest)?.cancel ?? []) c();
      this.serverTx.delete(oldest);
    }
    const tx: ServerTx = { status: 0, dest, invite, toTag: newTag(), acked: false, cancel: [] };
    this.serverTx.set(key, tx);
    return tx;
  }

  /** RFC 3261 §17.2.3: branch + sent-by + method, or the RFC 2543 fields when the branch lacks the cookie. */
  private txKey(inc: Incoming): string {
    const method = inc.req.method === 'ACK' ? 'INVITE' : inc.req.method;
    const branch = inc.via.params.get('branch') ?? '';
    if (branch.startsWith(MAGIC)) return `${branch}|${inc.via.host}:${inc.via.port ?? ''}|${method}`;
    return ['2543', inc.req.uri, inc.callId, inc.from.params.get('tag') ?? '', inc.cseq.seq, inc.via.raw, method].join(
      '|',
    );
  }

  /** Builds and sends the answer to a new request, and stores it in its transaction (if it has one). */
  private sendFresh(req: SipRequest, peer: Peer, via: Via, reply: Reply, record: SipReceived, key?: string): void {
    const dest = this.responseDest(peer, via);
    const tx = key ? (this.serverTx.get(key) ?? this.reserve(key, req.method === 'INVITE', dest)) : undefined;
    const toTag = reply.toTag ?? tx?.toTag ?? newTag();
    const buf = this.buildResponse(req, peer, via, reply, toTag);
    record.answer = reply.status;
    if (reply.note) record.note = reply.note;
    this.transport.send(dest, buf);
    if (!tx || !key) return;
    tx.response = buf;
    tx.status = reply.status;
    const { t1, t2 } = this.opts;
    tx.cancel.push(
      this.timer(64 * t1 + (tx.invite ? t2 : 0), () => {
        for (const c of tx.cancel) c();
        if (this.serverTx.get(key) === tx) this.serverTx.delete(key);
      }),
    );
    if (tx.invite && reply.status >= 200) {
      const dialog = reply.status < 300 ? reply.dialog : undefined;
      // Non-2xx: Timer G over UDP only (§17.2.1). 2xx: the UAS core resends on any transport (§13.3.1.4).
      if (dialog || dest.transport === 'udp') this.retransmitUntilAck(tx, buf, dialog);
    }
  }

  private retransmitUntilAck(tx: ServerTx, buf: Buffer, dialog?: Reply['dialog']): void {
    const { t1, t2 } = this.opts;
    let interval = t1;
    const step = (): void => {
      if (tx.acked || this.stopped) return;
      this.transport.send(tx.dest, buf);
      interval = Math.min(interval * 2, t2);
      tx.cancel.push(this.timer(interval, step));
    };
    tx.cancel.push(this.timer(interval, step));
    // Timer H / the §13.3.1.4 limit: 64*T1 without an ACK (the transaction itself lives a little longer).
    tx.cancel.push(
      this.timer(64 * t1, () => {
        if (tx.acked || this.stopped) return;
        tx.acked = true;
        dialog?.onNoAck();
      }),
    );
    if (dialog) {
      const onAck = dialog.onAck;
      dialog.onAck = () => {
        tx.acked = true;
        onAck();
      };
    }
  }

  /** §18.2.2 with RFC 3581: TCP answers go back on the connection; UDP to the source (rport) or the sent-by port. */
  private responseDest(peer: Peer, via: Via): Peer {
    if (peer.transport === 'tcp') return peer;
    const port = via.params.has('rport') ? peer.port : (via.port ?? 5060);
    return { transport: 'udp', address: peer.address, port };
  }

  private buildResponse(req: SipRequest, peer: Peer, via: Via, reply: Reply, toTag: string): Buffer {
    const hdrs: Array<[string, string]> = [];
    const vias = headers(req, 'via');
    const params = new Map(via.params);
    // §18.2.1: received when sent-by is not the source address; RFC 3581: rport filled in (and received then always).
    if (via.host !== peer.address || params.has('rport')) params.set('received', peer.address);
    if (params.has('rport')) params.set('rport', String(peer.port));
    const top =
      `SIP/2.0/${via.transport} ${via.host}${via.port !== undefined ? `:${via.port}` : ''}` +
      [...params].map(([k, v]) => (v === '' ? `;${k}` : `;${k}=${v}`)).join('');
    hdrs.push(['Via', top]);
    for (const v of vias.slice(1)) hdrs.push(['Via', v]);
    if (reply.dialog) for (const rr of headers(req, 'record-route')) hdrs.push(['Record-Route', rr]);
    hdrs.push(['From', header(req, 'from') ?? '']);
    const to = header(req, 'to') ?? '';
    const hasTag = parseNameAddr(to)?.params.has('tag') ?? false;
    hdrs.push(['To', hasTag || reply.status === 100 ? to : `${to};tag=${toTag}`]);
    hdrs.push(['Call-ID', header(req, 'call-id') ?? '']);
    hdrs.push(['CSeq', header(req, 'cseq') ?? '']);
    if (reply.dialog) hdrs.push(['Contact', this.contact(peer.transport)]);
    hdrs.push(['Server', this.opts.userAgent]);
    for (const h of reply.headers ?? []) hdrs.push(h);
    const reason = reply.reason ?? REASONS[reply.status] ?? 'Unknown';
    return writeMessage(`SIP/2.0 ${reply.status} ${reason}`, hdrs, reply.body ?? '');
  }

  /** A request that could not be parsed still gets a 400 (or 505) when its Via and key headers can be read. */
  private refuseUnreadable(buf: Buffer, peer: Peer, err: SipParseError, record: SipReceived): void {
    const text = buf.toString('utf8');
    const end = text.indexOf('\r\n\r\n');
    const lines = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/);
    const start = lines.shift() ?? '';
    if (/^SIP\//i.test(start)) {
      record.note = `unreadable response dropped: ${err.message}`;
      return;
    }
    const found: Array<{ name: string; value: string }> = [];
    for (const l of lines) {
      const c = l.indexOf(':');
      if (c > 0) found.push({ name: canonicalName(l.slice(0, c)), value: l.slice(c + 1).trim() });
    }
    const fake = { headers: found };
    const via = parseVia((header(fake, 'via') ?? '').split(',')[0]);
    if (!via || REQUIRED.some((n) => header(fake, n) === undefined)) {
      record.note = `unreadable request dropped (${err.message}): no Via, From, To, Call-ID and CSeq to answer with`;
      return;
    }
    const req: SipRequest = {
      kind: 'request',
      method: (/^(\S+)/.exec(start)?.[1] ?? '').slice(0, 40),
      uri: '',
      version: 'SIP/2.0',
      headers: found,
      body: Buffer.alloc(0),
    };
    record.method = req.method;
    this.sendFresh(
      req,
      peer,
      via,
      {
        status: err.status,
        headers: [['Warning', `399 snom-sim "${err.message.replace(/"/g, "'").slice(0, 150)}"`]],
        note: err.message,
      },
      record,
    );
  }

  // ---- requests the phone sends (events, BYE): non-INVITE client transactions ----

  /** Sends a request built around a fresh branch; resolves with the final status or 'timeout' (Timer F). */
  sendRequest(dest: Peer, method: string, build: (branch: string) => Buffer): Promise<number | 'timeout'> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve('timeout');
      const branch = newBranch();
      const buf = build(branch);
      const { t1, t2 } = this.opts;
      const tx: ClientTx = {
        method,
        provisional: false,
        cancel: [],
        done: (r) => {
          for (const c of tx.cancel) c();
          this.clientTx.delete(branch);
          resolve(r);
        },
      };
      this.clientTx.set(branch, tx);
      if (!this.transport.send(dest, buf)) return tx.done('timeout');
      tx.cancel.push(this.timer(64 * t1, () => tx.done('timeout')));
      if (dest.transport === 'udp') {
        // Timer E: T1, doubling up to T2; after a provisional answer every T2 (§17.1.2.2).
        let interval = t1;
        const step = (): void => {
          if (!this.clientTx.has(branch)) return;
          this.transport.send(dest, buf);
          interval = tx.provisional ? t2 : Math.min(interval * 2, t2);
          tx.cancel.push(this.timer(interval, step));
        };
        tx.cancel.push(this.timer(interval, step));
      }
    });
  }

  private onResponse(res: SipResponse, record: SipReceived): void {
    const via = parseVia(header(res, 'via') ?? '');
    const branch = via?.params.get('branch') ?? '';
    const tx = this.clientTx.get(branch);
    const cseq = parseCSeq(header(res, 'cseq'));
    record.callId = header(res, 'call-id');
    record.cseq = header(res, 'cseq');
    if (!tx || !cseq || cseq.method !== tx.method) {
      record.note = 'response that matches no request the phone sent';
      return;
    }
    if (res.status < 200) {
      tx.provisional = true;
      return;
    }
    tx.done(res.status);
  }
}
