/**
 * SIP user agent for talking to a phone: out-of-dialog requests (NOTIFY,
 * MESSAGE), INVITE dialogs (uaCSTA) and the phone's requests inside those
 * dialogs. Written on plain dgram/net: see docs/sip.md for why no library.
 */
import * as dgram from 'node:dgram';
import { isIP } from 'node:net';
import { briefText, SnomError } from '../errors';
import { answerChallenge, type AuthAnswer, type SipCredentials } from './auth';
import { checkForeignDialog, SipDialog, type DialogHost, type DialogState } from './dialog';
import {
  canonicalHeaderName,
  parseCSeq,
  parseNameAddr,
  splitHeaderList,
  tagOf,
  topVia,
  type SipResponseMessage,
} from './message';
import {
  checkCredential,
  checkHeaderValue,
  checkHost,
  checkPort,
  checkSipUri,
  checkSipUser,
  checkToken,
  formatHostPort,
  newBranch,
  newCallId,
  newTag,
  quoteDisplayName,
  showControls,
} from './syntax';
import {
  InviteClientTransaction,
  NonInviteClientTransaction,
  resolveTimers,
  type ClientTxEnv,
  type SipTimers,
} from './transaction';
import { renderRequest } from './request';
import { SipTransport, type InboundMessage, type Remote, type SipTransportName } from './transport';
import type { SipRequestSpec, SipResponse, SipTarget } from './types';
import { UasSide } from './uas';

export const DEFAULT_USER_AGENT = 'node-red-contrib-snom';

export interface SipClientOptions {
  transport?: SipTransportName;
  /** Address to bind; default 0.0.0.0 (all). */
  localAddress?: string;
  /** Port to bind; default 0 (ephemeral). */
  localPort?: number;
  /** Host written in Via and Contact; default the bound address, or the one the OS uses toward the phone. */
  advertisedAddress?: string;
  userAgent?: string;
  /** User part of our From and Contact; default "node-red". */
  fromUser?: string;
  fromDisplayName?: string;
  timers?: Partial<SipTimers>;
  /** Largest message accepted (TCP framing guard). Default 65535. */
  maxMessageBytes?: number;
}

export interface SendOptions {
  target: SipTarget;
  /** Default sip:[user@]host[:port] (with ;transport=tcp over TCP). */
  requestUri?: string;
  /** To URI; default the Request-URI without parameters. */
  toUri?: string;
  credentials?: SipCredentials;
  /** Name for errors; default host:port. */
  phone?: string;
  onProvisional?: (r: SipResponse) => void;
}

export interface SipClientStats {
  requestsSent: number;
  retransmissions: number;
  strayResponses: number;
  requestsReceived: number;
  requestRetransmissionsAbsorbed: number;
}

const RESERVED = new Set([
  'via',
  'max-forwards',
  'from',
  'to',
  'call-id',
  'cseq',
  'contact',
  'content-length',
  'content-type',
  'route',
  'record-route',
  'authorization',
  'proxy-authorization',
]);

function sanitize(text: string): string {
  const t = showControls(text);
  return briefText(t, 200);
}

/** Everything needed to write one attempt of a request. */
interface Outgoing {
  method: string;
  ruri: string;
  callId: string;
  from: string;
  to: string;
  cseq: number;
  routes: readonly string[];
  headers: ReadonlyArray<readonly [string, string]>;
  body: string;
  contentType?: string;
  target: Remote;
  /** Our host in Via and Contact. */
  advertised: string;
  label: string;
  details: Record<string, unknown>;
}

/** The parts of a request's label ("SIP NOTIFY to host:port") as catalog parameters. */
function requestParams(o: Outgoing): { method: string; phone: string } {
  return { method: o.method, phone: String(o.details.phone) };
}

export class SipClient implements DialogHost {
  private readonly transport: SipTransport;
  private readonly timers: SipTimers;
  private readonly uas: UasSide;
  private readonly txs = new Map<string, NonInviteClientTransaction | InviteClientTransaction>();
  private readonly dialogs = new Map<string, SipDialog>();
  private readonly advertised = new Map<string, Promise<string>>();
  private readonly userAgent: string;
  private readonly fromUser: string;
  private readonly fromDisplay?: string;
  private opening?: Promise<void>;
  private closed = false;
  readonly stats: SipClientStats = {
    requestsSent: 0,
    retransmissions: 0,
    strayResponses: 0,
    requestsReceived: 0,
    requestRetransmissionsAbsorbed: 0,
  };

  constructor(private readonly options: SipClientOptions = {}) {
    const transport = options.transport ?? 'udp';
    if (transport !== 'udp' && transport !== 'tcp') {
      throw new SnomError('E_INPUT', `SIP transport must be "udp" or "tcp", got "${sanitize(String(transport))}".`, {
        field: 'transport',
      });
    }
    const localAddress = options.localAddress ?? '0.0.0.0';
    if (isIP(localAddress) === 0) {
      throw new SnomError(
        'E_INPUT',
        `The local SIP address must be an IP address, got "${sanitize(String(localAddress))}".`,
        {
          field: 'localAddress',
        },
      );
    }
    const localPort = checkPort('localPort', options.localPort ?? 0, true);
    if (options.advertisedAddress !== undefined) checkHost('advertisedAddress', options.advertisedAddress);
    this.userAgent = checkHeaderValue('userAgent', options.userAgent ?? DEFAULT_USER_AGENT);
    this.fromUser = checkSipUser('fromUser', options.fromUser ?? 'node-red');
    if (options.fromDisplayName !== undefined)
      this.fromDisplay = quoteDisplayName('fromDisplayName', options.fromDisplayName);
    this.timers = resolveTimers(options.timers);
    for (const [k, v] of Object.entries(this.timers)) {
      if (!Number.isFinite(v) || v <= 0)
        throw new SnomError('E_INPUT', `SIP timer ${k} must be a positive number of ms.`, { field: k });
    }
    this.transport = new SipTransport({
      transport,
      localAddress,
      localPort,
      maxMessageBytes: options.maxMessageBytes ?? 65535,
    });
    this.transport.on('message', (m) => this.inbound(m));
    this.uas = new UasSide({
      transport: this.transport,
      timers: this.timers,
      userAgent: this.userAgent,
      stats: this.stats,
      dialog: (key) => this.dialogs.get(key),
      contact: (host) => this.contact(host),
    });
  }

  get transportName(): SipTransportName {
    return this.transport.name;
  }

  /** The bound port (after open). */
  get localPort(): number {
    return this.transport.localPort;
  }

  get timerValues(): Readonly<SipTimers> {
    return this.timers;
  }

  /** Binds the socket. Called by the first request when not called before. */
  open(): Promise<void> {
    if (this.closed)
      return Promise.reject(new SnomError('E_UNREACHABLE', 'The SIP client is closed.').withText('sip.closed'));
    this.opening ??= this.transport.open();
    return this.opening;
  }

  /** Fails what is in flight, ends dialogs without BYE, closes the sockets. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new SnomError('E_UNREACHABLE', 'The SIP client was closed.').withText('sip.wasClosed');
    for (const tx of [...this.txs.values()]) tx.fail(err);
    for (const d of [...this.dialogs.values()]) d.abandon();
    this.uas.close();
    await this.opening?.catch(() => undefined);
    await this.transport.close();
  }

  // ---------------------------------------------------------------- requests

  /** Sends an out-of-dialog request (or one inside `spec.dialog`) and resolves with the 2xx. */
  async send(spec: SipRequestSpec, opts: SendOptions): Promise<SipResponse> {
    const base = await this.prepare(spec, opts);
    if (spec.dialog) {
      const d = checkForeignDialog(spec.dialog);
      return this.withAuth(
        {
          ...base,
          ruri: d.remoteTarget,
          callId: d.callId,
          from: `<${d.localUri}>;tag=${d.localTag}`,
          to: `<${d.remoteUri}>;tag=${d.remoteTag}`,
          cseq: d.cseq,
        },
        opts.credentials,
        () => ++d.cseq,
        opts.onProvisional,
      );
    }
    let cseq = 1;
    return this.withAuth(base, opts.credentials, () => ++cseq, opts.onProvisional);
  }

  /** Sets up a dialog with INVITE; resolves when the phone's 2xx has been ACKed. */
  async invite(spec: Omit<SipRequestSpec, 'method' | 'dialog'>, opts: SendOptions): Promise<SipDialog> {
    const base = await this.prepare({ ...spec, method: 'INVITE' }, opts);
    let cseq = 1;
    let auth: AuthAnswer[] = [];
    const res = await this.withAuth(
      base,
      opts.credentials,
      () => ++cseq,
      opts.onProvisional,
      (a) => (auth = a),
    );
    const remoteTag = tagOf(res.headers.get('to'));
    const contact = res.headers.get('contact');
    const remoteTarget = contact ? parseNameAddr(splitHeaderList(contact)[0] ?? '')?.uri : undefined;
    const routeSet = res.headers.getAll('record-route').flatMap(splitHeaderList).reverse();
    const state: DialogState = {
      callId: base.callId,
      localTag: tagOf(base.from) ?? '',
      remoteTag: remoteTag ?? '',
      localUri: parseNameAddr(base.from)?.uri ?? '',
      localDisplay: this.fromDisplay,
      remoteUri: parseNameAddr(base.to)?.uri ?? base.ruri,
      remoteTarget: remoteTarget && /^sips?:/i.test(remoteTarget) ? remoteTarget : base.ruri,
      routeSet,
      localSeq: cseq,
      target: opts.target,
      credentials: opts.credentials,
      phone: base.details.phone as string,
      contactHost: base.advertised,
    };
    const ack = this.ackFor2xx(base, state, cseq, auth);
    const key = `${base.callId}|${cseq}`;
    this.transport.send(base.target, ack).catch(() => undefined);
    if (!remoteTag) {
      // §12.1.2: without a To tag the 2xx makes no dialog we could address (not even with BYE).
      throw new SnomError('E_SIP', `The phone's ${res.status} to ${base.label} has no To tag; no dialog.`, {
        ...base.details,
        status: res.status,
        reason: sanitize(res.reason),
      }).withText('sip.noToTag', { ...requestParams(base), status: res.status });
    }
    // A 2xx without Contact breaks §12.1.2; we then keep the Request-URI as remote target.
    const dialog = new SipDialog(this, state, res);
    this.lastAck.set(key, ack);
    setTimeout(() => this.lastAck.delete(key), 64 * this.timers.t1).unref();
    this.dialogs.set(dialog.key, dialog);
    return dialog;
  }

  private readonly lastAck = new Map<string, Buffer>();

  /** @internal DialogHost: one request inside our dialog. */
  async sendInDialog(dialog: SipDialog, spec: SipRequestSpec): Promise<SipResponse> {
    const base = await this.prepare(spec, {
      target: dialog.target,
      phone: dialog.phone,
      credentials: dialog.credentials,
    });
    return this.withAuth(
      {
        ...base,
        ruri: dialog.remoteTarget,
        callId: dialog.callId,
        from: `${dialog.localDisplay ? `${dialog.localDisplay} ` : ''}<${dialog.localUri}>;tag=${dialog.localTag}`,
        to: `<${dialog.remoteUri}>;tag=${dialog.remoteTag}`,
        cseq: dialog.nextSeq(),
        routes: dialog.routeSet,
      },
      dialog.credentials,
      () => dialog.nextSeq(),
    );
  }

  /** @internal DialogHost */
  forgetDialog(dialog: SipDialog): void {
    if (this.dialogs.get(dialog.key) === dialog) this.dialogs.delete(dialog.key);
  }

  /** Validates the spec and fills the out-of-dialog defaults. */
  private async prepare(spec: SipRequestSpec, opts: SendOptions): Promise<Outgoing> {
    const method = checkToken('method', spec.method).toUpperCase();
    const host = checkHost('target.host', opts.target?.host);
    const port = checkPort('target.port', opts.target.port ?? 5060);
    const user =
      opts.target.user === undefined || opts.target.user === ''
        ? undefined
        : checkSipUser('target.user', opts.target.user);
    const headers: Array<[string, string]> = [];
    for (const [n, v] of spec.headers) {
      const name = checkToken('header name', n);
      if (RESERVED.has(canonicalHeaderName(name))) {
        throw new SnomError('E_INPUT', `The header ${name} is written by the SIP client and cannot be given.`, {
          field: name,
        });
      }
      headers.push([name, checkHeaderValue(`header ${name}`, v)]);
    }
    if (typeof spec.body !== 'string')
      throw new SnomError('E_INPUT', 'The SIP body must be a string.', { field: 'body' });
    if (spec.body.includes('\0'))
      throw new SnomError('E_INPUT', 'The SIP body contains a NUL character.', { field: 'body' });
    const contentType = spec.contentType === undefined ? undefined : checkHeaderValue('contentType', spec.contentType);
    if (opts.credentials) {
      checkCredential('SIP user', opts.credentials.user);
      checkCredential('SIP password', opts.credentials.password);
    }
    const tcp = this.transport.name === 'tcp';
    const defaultRuri = `sip:${user ? `${user}@` : ''}${formatHostPort(host, port === 5060 ? undefined : port)}${tcp ? ';transport=tcp' : ''}`;
    const ruri = opts.requestUri === undefined ? defaultRuri : checkSipUri('requestUri', opts.requestUri);
    const toUri = opts.toUri === undefined ? ruri.split(';')[0] : checkSipUri('toUri', opts.toUri);
    const phone = opts.phone === undefined ? formatHostPort(host, port) : sanitize(opts.phone);
    await this.open();
    const advertised = await this.advertisedHost(host);
    const fromUri = `sip:${this.fromUser}@${formatHostPort(advertised)}`;
    return {
      method,
      ruri,
      callId: newCallId(),
      from: `${this.fromDisplay ? `${this.fromDisplay} ` : ''}<${fromUri}>;tag=${newTag()}`,
      to: `<${toUri}>`,
      cseq: 1,
      routes: [],
      headers,
      body: spec.body,
      contentType,
      target: { host, port },
      advertised,
      label: `SIP ${method} to ${phone}`,
      details: { phone, command: spec.command },
    };
  }

  /**
   * The address we write in Via and Contact toward `host` (configured, bound, or the OS's source
   * address toward it): what a phone checks against mb_trusted_hosts, barring NAT.
   */
  addressToward(host: string): Promise<string> {
    return this.advertisedHost(checkHost('host', host));
  }

  /** The host for Via/Contact: configured, bound, or the OS's source address toward the phone. */
  private advertisedHost(targetHost: string): Promise<string> {
    if (this.options.advertisedAddress)
      return Promise.resolve(checkHost('advertisedAddress', this.options.advertisedAddress));
    const local = this.transport.options.localAddress;
    if (local !== '0.0.0.0' && local !== '::') return Promise.resolve(local);
    let p = this.advertised.get(targetHost);
    if (!p) {
      p = new Promise<string>((resolve, reject) => {
        // A connected UDP socket sends nothing; it only asks the routing table.
        const probe = dgram.createSocket(isIP(targetHost) === 6 ? 'udp6' : 'udp4');
        probe.on('error', (e: NodeJS.ErrnoException) => {
          probe.close();
          reject(
            new SnomError('E_UNREACHABLE', `No route to ${targetHost}: ${e.code ?? e.message}`, {
              phone: targetHost,
            }).withText('sip.noRoute', { host: targetHost, reason: e.code ?? e.message }),
          );
        });
        probe.connect(9, targetHost, () => {
          const a = probe.address().address;
          probe.close();
          resolve(a);
        });
      });
      p.catch(() => this.advertised.delete(targetHost));
      this.advertised.set(targetHost, p);
    }
    return p;
  }

  private via(branch: string, advertised: string): string {
    const t = this.transport.name === 'tcp' ? 'TCP' : 'UDP';
    return `SIP/2.0/${t} ${formatHostPort(advertised, this.transport.localPort)};branch=${branch}${t === 'UDP' ? ';rport' : ''}`;
  }

  private contact(advertised: string): string {
    const tcp = this.transport.name === 'tcp' ? ';transport=tcp' : '';
    return `<sip:${this.fromUser}@${formatHostPort(advertised, this.transport.localPort)}${tcp}>`;
  }

  /**
   * Runs attempts until a final answer: a 401/407 is answered once per kind
   * with a new CSeq (§22.2); a second one of the same kind is a failed login.
   */
  private async withAuth(
    o: Outgoing,
    creds: SipCredentials | undefined,
    nextSeq: () => number,
    onProvisional?: (r: SipResponse) => void,
    usedAuth?: (a: AuthAnswer[]) => void,
  ): Promise<SipResponse> {
    const answered = new Map<number, AuthAnswer>();
    let cur = o;
    for (;;) {
      const res = await this.attempt(cur, [...answered.values()], onProvisional);
      if (res.status === 401 || res.status === 407) {
        const kind = res.status;
        const reason = sanitize(res.reason);
        const say = { ...requestParams(o), status: kind, reason };
        if (!creds) {
          throw new SnomError(
            'E_AUTH',
            `${o.label} needs a login (${kind} ${reason}) and no SIP credentials are set.`,
            {
              ...o.details,
              status: kind,
              reason,
            },
          ).withText('sip.needsLogin', say);
        }
        if (answered.has(kind)) {
          throw new SnomError('E_AUTH', `${o.label}: the phone refused the SIP credentials (${kind} ${reason}).`, {
            ...o.details,
            status: kind,
            reason,
          }).withText('sip.badLogin', say);
        }
        const a = answerChallenge(res, cur.method, cur.ruri, cur.body, creds);
        if (!a) {
          throw new SnomError(
            'E_AUTH',
            `${o.label}: the phone's ${kind} challenge offers no Digest scheme this client can answer.`,
            {
              ...o.details,
              status: kind,
              reason,
            },
          ).withText('sip.noDigest', say);
        }
        answered.set(kind, a);
        cur = { ...cur, cseq: nextSeq() };
        continue;
      }
      if (res.status >= 300) {
        const reason = sanitize(res.reason);
        throw new SnomError('E_SIP', `${o.label} failed: ${res.status} ${reason}.`, {
          ...o.details,
          status: res.status,
          reason,
        }).withText('sip.failed', { ...requestParams(o), status: res.status, reason });
      }
      usedAuth?.([...answered.values()]);
      return { status: res.status, reason: res.reason, headers: res.headers, body: res.body };
    }
  }

  /** One transaction: a new branch, the request on the wire, its final response. */
  private async attempt(
    o: Outgoing,
    auth: readonly AuthAnswer[],
    onProvisional?: (r: SipResponse) => void,
  ): Promise<SipResponseMessage> {
    if (this.closed)
      throw new SnomError('E_UNREACHABLE', 'The SIP client is closed.', o.details).withText('sip.closed');
    const branch = newBranch();
    const via = this.via(branch, o.advertised);
    const data = renderRequest({
      method: o.method,
      requestUri: o.ruri,
      via,
      from: o.from,
      to: o.to,
      callId: o.callId,
      cseq: o.cseq,
      contact: this.contact(o.advertised),
      routes: o.routes,
      auth,
      userAgent: this.userAgent,
      headers: o.headers,
      body: o.body,
      contentType: o.contentType,
    });
    const key = `${branch}|${o.method}`;
    const env: ClientTxEnv = {
      timers: this.timers,
      reliable: this.transport.reliable,
      label: o.label,
      method: o.method,
      details: o.details,
      send: async (bytes) => {
        this.stats.requestsSent++;
        await this.transport.send(o.target, bytes);
      },
      onTerminated: () => {
        if (this.txs.get(key) === tx) this.txs.delete(key);
      },
    };
    let tx: NonInviteClientTransaction | InviteClientTransaction;
    if (o.method === 'INVITE') {
      tx = new InviteClientTransaction(env, key, data, {
        buildAck: (res) => this.ackForNon2xx(o, via, res, auth),
        cancel: () => this.cancel(o, via, auth),
        on2xxCopy: (res) => this.resendAck(o, res),
        onLate2xx: (res) => this.endLate2xx(o, res, auth),
      });
    } else {
      tx = new NonInviteClientTransaction(env, key, data);
    }
    if (onProvisional)
      tx.onProvisional = (r) => onProvisional({ status: r.status, reason: r.reason, headers: r.headers, body: r.body });
    this.txs.set(key, tx);
    const unsubscribe = this.watchConnection(o.target, tx);
    tx.start();
    try {
      return await tx.result;
    } finally {
      this.stats.retransmissions += tx.retransmissions;
      unsubscribe();
    }
  }

  /** TCP: a connection that drops while the request waits fails it (the answer cannot come). */
  private watchConnection(target: Remote, tx: { fail(e: unknown): void; result: Promise<unknown> }): () => void {
    if (!this.transport.reliable) return () => undefined;
    const key = this.transport.connectionKey(target.host, target.port);
    const onClose = (k: string) => {
      if (k === key)
        tx.fail(
          new SnomError('E_UNREACHABLE', `The TCP connection to ${key} closed before the phone answered.`, {
            phone: key,
          }).withText('sip.tcpClosed', { phone: key }),
        );
    };
    this.transport.on('connectionClosed', onClose);
    return () => this.transport.off('connectionClosed', onClose);
  }

  /** §17.1.1.3: the ACK for a non-2xx final is part of the INVITE transaction (same branch, the response's To). */
  private ackForNon2xx(o: Outgoing, via: string, res: SipResponseMessage, auth: readonly AuthAnswer[]): Buffer {
    return renderRequest({
      method: 'ACK',
      requestUri: o.ruri,
      via,
      from: o.from,
      to: res.headers.get('to') ?? o.to,
      callId: o.callId,
      cseq: o.cseq,
      routes: o.routes,
      auth,
      userAgent: this.userAgent,
    });
  }

  /** §13.2.2.4: the ACK for a 2xx is its own request, sent to the dialog's remote target. */
  private ackFor2xx(o: Outgoing, s: DialogState, cseq: number, auth: readonly AuthAnswer[]): Buffer {
    return renderRequest({
      method: 'ACK',
      requestUri: s.remoteTarget,
      via: this.via(newBranch(), o.advertised),
      from: o.from,
      to: s.remoteTag ? `<${s.remoteUri}>;tag=${s.remoteTag}` : `<${s.remoteUri}>`,
      callId: o.callId,
      cseq,
      routes: s.routeSet,
      auth,
      userAgent: this.userAgent,
    });
  }

  private resendAck(o: Outgoing, res: SipResponseMessage): void {
    const cseq = parseCSeq(res.headers.get('cseq'))?.seq;
    const ack = this.lastAck.get(`${o.callId}|${cseq}`);
    if (ack) this.transport.send(o.target, ack).catch(() => undefined);
  }

  /** §9.1: CANCEL copies the INVITE's Request-URI, Call-ID, From, To, CSeq number and top Via. */
  private cancel(o: Outgoing, via: string, auth: readonly AuthAnswer[]): void {
    const data = renderRequest({
      method: 'CANCEL',
      requestUri: o.ruri,
      via,
      from: o.from,
      to: o.to,
      callId: o.callId,
      cseq: o.cseq,
      routes: o.routes,
      auth,
      userAgent: this.userAgent,
    });
    const branch = /branch=([^;]+)/.exec(via)?.[1] ?? '';
    const key = `${branch}|CANCEL`;
    const tx = new NonInviteClientTransaction(
      {
        timers: this.timers,
        reliable: this.transport.reliable,
        label: `SIP CANCEL to ${o.details.phone as string}`,
        method: 'CANCEL',
        details: o.details,
        send: (bytes) => this.transport.send(o.target, bytes),
        onTerminated: () => {
          if (this.txs.get(key) === tx) this.txs.delete(key);
        },
      },
      key,
      data,
    );
    this.txs.set(key, tx);
    tx.start();
  }

  /** A 2xx after we gave up on the INVITE: ACK it and end the dialog it made. */
  private endLate2xx(o: Outgoing, res: SipResponseMessage, auth: readonly AuthAnswer[]): void {
    const remoteTag = tagOf(res.headers.get('to'));
    const contact = res.headers.get('contact');
    const remoteTarget = (contact && parseNameAddr(splitHeaderList(contact)[0] ?? '')?.uri) || o.ruri;
    const state: DialogState = {
      callId: o.callId,
      localTag: tagOf(o.from) ?? '',
      remoteTag: remoteTag ?? '',
      localUri: parseNameAddr(o.from)?.uri ?? '',
      remoteUri: parseNameAddr(o.to)?.uri ?? o.ruri,
      remoteTarget,
      routeSet: res.headers.getAll('record-route').flatMap(splitHeaderList).reverse(),
      localSeq: o.cseq,
      target: o.target,
      phone: o.details.phone as string,
      contactHost: o.advertised,
    };
    const cseq = parseCSeq(res.headers.get('cseq'))?.seq ?? o.cseq;
    const ack = this.ackFor2xx(o, state, cseq, auth);
    this.lastAck.set(`${o.callId}|${cseq}`, ack);
    setTimeout(() => this.lastAck.delete(`${o.callId}|${cseq}`), 64 * this.timers.t1).unref();
    this.transport.send(o.target, ack).catch(() => undefined);
    const d = new SipDialog(this, state, {
      status: res.status,
      reason: res.reason,
      headers: res.headers,
      body: res.body,
    });
    void d.bye();
  }

  // ------------------------------------------------------------- inbound

  private inbound(m: InboundMessage): void {
    if (this.closed) return;
    if (m.message.kind === 'response') this.inboundResponse(m.message);
    else this.uas.handle(m.message, m);
  }

  private inboundResponse(res: SipResponseMessage): void {
    const branch = topVia(res.headers)?.params.get('branch');
    const cseq = parseCSeq(res.headers.get('cseq'));
    const tx = branch && cseq ? this.txs.get(`${branch}|${cseq.method}`) : undefined;
    if (!tx) {
      this.stats.strayResponses++;
      return;
    }
    tx.receive(res);
  }
}
