// uaCSTA (ECMA TR/87 style, docs/protocol.md §10.7): an INVITE with application/csta+xml sets up the
// association (a dialog); CSTA requests come in INFO within it and their responses go back in the
// body of the 200 OK (as public RCC clients read them); after MonitorStart the phone reports the
// call model's changes as CSTA events in INFO requests of its own. BYE, a reboot, or a lost client
// (481, 408 or no answer to an event) ends the association.
import type { SimPhone } from '../phone';
import { callModel, type CallModel } from '../calls';
import type { SimCallChange, SimForwarding } from '../calls/types';
import { compareFirmware } from '../phone-models';
import { OPERATIONS, type OpContext } from '../csta/operations';
import { CstaFault, successBody } from '../csta/reply';
import { CSTA_ED3, CSTA_ED5, child, escapeXml, parseXml, writeXml, type Out, type XNode } from '../csta/xml';
import type { Incoming, Reply, SipCore } from './core';
import { newTag } from './core';
import { header, headers, mediaType, parseNameAddr, parseSipUri, writeMessage } from './message';
import { isLoopback, type Peer } from './transport';
import type { SipAuth } from './auth';
import { dndEvent, eventsForChange, forwardingEvent, type CstaEvent } from './csta-events';
import type { SipAssociationView, SipExt } from './types';

export const CSTA_TYPE = 'application/csta+xml';
const CSTA_HEADERS: Array<[string, string]> = [
  ['Content-Type', CSTA_TYPE],
  ['Content-Disposition', 'signal;handling=required'],
];
const MAX_EVENTS = 1000;
/** added in 8.7.4 (docs/protocol.md §8.2 and the uaCSTA list of §10.7) */
// prettier-ignore
const ONLY_874 = [
  'ConsultationCall', 'DeflectCall', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
  'MonitorStop', 'SystemRegister',
];
const SESSION_OPS = ['MonitorStart', 'MonitorStop', 'SystemRegister'];

interface Monitor {
  device: string;
  identity: number;
}

interface Association {
  id: string;
  callId: string;
  localTag: string;
  remoteTag: string;
  /** our From in requests we send: the INVITE's To with our tag */
  localFrom: string;
  /** our To in requests we send: the INVITE's From as it came */
  remoteTo: string;
  localUri: string;
  remoteUri: string;
  target: string;
  routeSet: string[];
  remoteCSeq: number;
  localCSeq: number;
  peer: Peer;
  identity: number;
  authenticated: boolean;
  monitors: Map<string, Monitor>;
  sysRegs: string[];
  state: 'early' | 'confirmed';
  ackWait?: NonNullable<Reply['dialog']>;
  queue: Array<() => Promise<void>>;
  busy: boolean;
  ended: boolean;
  establishedAt: number;
}

const on = (v: string | undefined): boolean => /^(on|true|1|yes)$/i.test((v ?? '').trim());

export class UaCsta {
  private readonly associations = new Map<string, Association>();
  private nextId = 1;
  /** monitorCrossRefID and sysStatRegisterID values */
  private nextRef = 1;
  private readonly model: CallModel;

  constructor(
    private readonly phone: SimPhone,
    private readonly core: SipCore,
    private readonly auth: SipAuth,
    private readonly ext: () => SipExt,
  ) {
    this.model = callModel(phone);
    phone.on('call-change', (ch: SimCallChange) => this.report(eventsForChange(ch)));
    phone.on('dnd', (v: boolean) => this.reportDevice((uri) => dndEvent(v, uri)));
    phone.on('forwarding', (f: { kind: keyof SimForwarding; dn?: string }) =>
      this.reportDevice((uri) => forwardingEvent(f.kind, f.dn, uri)),
    );
  }

  /** uaCSTA exists from 8.7.1 (Snom's "since 8.7.1 support uaCSTA"; Mondago says 8.7.3: docs/protocol.md §10.7). */
  get supported(): boolean {
    return compareFirmware(this.phone.config.firmware, '8.7.1') >= 0;
  }

  private get v874(): boolean {
    return compareFirmware(this.phone.config.firmware, '8.7.4') >= 0;
  }

  private key(callId: string, localTag: string, remoteTag: string): string {
    return `${callId}|${localTag}|${remoteTag}`;
  }

  /** The association a request within a dialog belongs to (Call-ID, To tag = ours, From tag = theirs). */
  find(inc: Incoming): Association | undefined {
    const local = inc.to.params.get('tag') ?? '';
    const remote = inc.from.params.get('tag') ?? '';
    return this.associations.get(this.key(inc.callId, local, remote));
  }

  /** Is the identity CSTA-controlled? `csta_control` phone-wide, or `csta_controlN` for identity N. */
  private controlled(identity: number): boolean {
    const s = this.phone.settings;
    return on(s.get(`csta_control${identity}`)) || on(s.get('csta_control'));
  }

  // ---- requests ----

  /** A new INVITE (no To tag). */
  invite(inc: Incoming, identity: number | undefined): Reply {
    const type = mediaType(header(inc.req, 'content-type'));
    if (type !== CSTA_TYPE) {
      return {
        status: 488,
        headers: [
          ['Accept', this.supported ? CSTA_TYPE : 'application/sdp'],
          ['Warning', '399 snom-sim "no media here: simulated calls come from POST /sim/calls"'],
        ],
        note: `INVITE with ${type || 'no body'}`,
      };
    }
    // Before 8.7.1 the phone knows only SDP in an INVITE (a choice; how old firmware refuses is not published).
    if (!this.supported)
      return {
        status: 415,
        headers: [['Accept', 'application/sdp']],
        note: `no uaCSTA on firmware ${this.phone.config.firmware}`,
      };
    if (identity === undefined) return { status: 404, note: 'the Request-URI names no identity of this phone' };
    if (!this.controlled(identity)) {
      return {
        status: 403,
        headers: [['Warning', `399 snom-sim "csta_control is off for identity ${identity}"`]],
        note: 'csta_control off',
      };
    }
    const contact = parseNameAddr(header(inc.req, 'contact') ?? '');
    if (!contact)
      return { status: 400, headers: [['Warning', '399 snom-sim "an INVITE needs a Contact"']], note: 'no Contact' };
    // csta_challenge: 0 never, 1 the initial INVITE (docs/protocol.md §10.7); other values are taken as 1 (§11.6).
    const challenge = (this.phone.settings.get('csta_challenge') ?? '0').trim();
    let authenticated = false;
    if (challenge !== '0' && challenge !== '') {
      if (this.auth.password(identity) === '')
        return { status: 403, note: 'csta_challenge is on but the identity has no password' };
      const r = this.auth.check(identity, 'INVITE', inc.req.uri, header(inc.req, 'authorization'));
      if (!r.ok)
        return {
          status: 401,
          headers: r.challenge.map((c) => ['WWW-Authenticate', c] as [string, string]),
          note: `challenged: ${r.reason}`,
        };
      authenticated = true;
    }
    const body = inc.req.body.toString('utf8');
    let root: XNode | undefined;
    if (body.trim() !== '') {
      const parsed = parseXml(body);
      if (typeof parsed === 'string')
        return {
          status: 400,
          headers: [['Warning', '399 snom-sim "the CSTA body is not well-formed XML"']],
          note: parsed,
        };
      root = parsed;
    }
    const localTag = newTag();
    const remoteTag = inc.from.params.get('tag') ?? '';
    const a: Association = {
      id: `a${this.nextId++}`,
      callId: inc.callId,
      localTag,
      remoteTag,
      localFrom: `${header(inc.req, 'to')};tag=${localTag}`,
      remoteTo: header(inc.req, 'from') ?? '',
      localUri: inc.to.uri,
      remoteUri: inc.from.uri,
      target: contact.uri,
      routeSet: headers(inc.req, 'record-route'),
      remoteCSeq: inc.cseq.seq,
      localCSeq: Math.floor(Math.random() * 1000) + 1,
      peer: inc.peer,
      identity,
      authenticated,
      monitors: new Map(),
      sysRegs: [],
      state: 'early',
      queue: [],
      busy: false,
      ended: false,
      establishedAt: Date.now(),
    };
    this.associations.set(this.key(a.callId, a.localTag, a.remoteTag), a);
    this.phone.log('uacsta-association', { id: a.id, identity, remote: a.remoteUri });
    return this.answer(a, 'INVITE', root);
  }

  /** INVITE (refresh), INFO and BYE within an association; null when the method is not the association's. */
  inDialog(inc: Incoming, a: Association): Reply | null {
    const m = inc.req.method;
    if (m !== 'INVITE' && m !== 'INFO' && m !== 'BYE') return null;
    // RFC 3261 §12.2.2: a lower CSeq than the last one is out of order.
    if (inc.cseq.seq < a.remoteCSeq)
      return { status: 500, reason: 'Out of Order', note: `CSeq ${inc.cseq.seq} < ${a.remoteCSeq}` };
    a.remoteCSeq = inc.cseq.seq;
    if (m === 'BYE') {
      this.end(a, 'BYE from the client');
      return { status: 200 };
    }
    const body = inc.req.body.toString('utf8');
    if (body.trim() === '') return m === 'INVITE' ? this.answer(a, 'INVITE') : { status: 200 };
    const type = mediaType(header(inc.req, 'content-type'));
    if (type !== CSTA_TYPE)
      return { status: 415, headers: [['Accept', CSTA_TYPE]], note: `${m} with ${type || 'no Content-Type'}` };
    const root = parseXml(body);
    if (typeof root === 'string')
      return { status: 400, headers: [['Warning', '399 snom-sim "the CSTA body is not well-formed XML"']], note: root };
    return this.answer(a, m, root);
  }

  private answer(a: Association, method: 'INVITE' | 'INFO', root?: XNode): Reply {
    const reply: Reply = {
      status: 200,
      toTag: a.localTag,
      headers: [
        ['Allow', 'INVITE, ACK, CANCEL, BYE, INFO, NOTIFY, MESSAGE, OPTIONS'],
        ['Accept', CSTA_TYPE],
      ],
    };
    if (root) {
      reply.body = this.process(a, method, root);
      reply.headers!.push(...CSTA_HEADERS);
    }
    if (method === 'INVITE') {
      const wait = { onAck: () => undefined as void, onNoAck: () => this.end(a, 'no ACK for the 200 to INVITE', true) };
      a.ackWait = wait;
      reply.dialog = wait;
    }
    return reply;
  }

  /** The ACK of the 200 to INVITE confirms the association and stops the retransmissions. */
  ack(inc: Incoming): boolean {
    const a = this.find(inc);
    if (!a) return false;
    a.state = 'confirmed';
    const w = a.ackWait;
    a.ackWait = undefined;
    w?.onAck();
    return true;
  }

  // ---- CSTA ----

  /** One CSTA request → its response body (a CSTAErrorCode when the phone refuses it). */
  private process(a: Association, method: 'INVITE' | 'INFO', root: XNode): string {
    const record = (operation: string, error?: string): void => {
      const e = this.ext().cstaRequests;
      e.push(
        error
          ? { association: a.id, method, operation, error, at: Date.now() }
          : { association: a.id, method, operation, at: Date.now() },
      );
      if (e.length > MAX_EVENTS) e.splice(0, e.length - MAX_EVENTS);
    };
    const op = root.local;
    const refuse = (code: string, why: string): string => {
      record(op, code);
      this.phone.log('uacsta-fault', { association: a.id, operation: op, code, why });
      return errorBody(code);
    };
    // uaCSTA bodies are bare ECMA-323 ed5; RequestSystemStatus also in ed3 (docs/protocol.md §10.7).
    if (root.ns !== CSTA_ED5 && !(op === 'RequestSystemStatus' && root.ns === CSTA_ED3))
      return refuse('generic', `namespace ${root.ns || '(none)'}`);
    const known = Object.prototype.hasOwnProperty.call(OPERATIONS, op) || SESSION_OPS.includes(op);
    if (!known || (!this.v874 && ONLY_874.includes(op)))
      return refuse('serviceNotSupported', `${op} on firmware ${this.phone.config.firmware}`);
    try {
      const children = SESSION_OPS.includes(op) ? this.session(a, op, root) : OPERATIONS[op](this.ctx(), root);
      record(op);
      return successBody('bare', op, children);
    } catch (err) {
      if (!(err instanceof CstaFault)) throw err;
      return refuse(err.code, err.message);
    }
  }

  private ctx(): OpContext {
    // uaCSTA speaks the current dialect; before 8.7.4 SingleStepTransferCall takes both forms (as on 8.7.3 over HTTP).
    return { model: this.model, legacy: false, v874: this.v874, v873: !this.v874 };
  }

  private session(a: Association, op: string, root: XNode): Out[] {
    if (op === 'MonitorStart') {
      const dev = child(child(root, 'monitorObject'), 'deviceObject')?.text ?? '';
      const identity = this.model.identityOf(dev, this.v874);
      if (!dev || identity === undefined)
        throw new CstaFault(
          'invalidDeviceID',
          `${dev || 'monitorObject/deviceObject'} is not an identity of this phone`,
        );
      const id = String(this.nextRef++);
      a.monitors.set(id, { device: this.identityUri(identity), identity });
      this.phone.log('uacsta-monitor', { association: a.id, monitorCrossRefID: id, identity });
      return [
        { name: 'monitorCrossRefID', text: id },
        { name: 'monitorExistingCalls', text: 'true' },
      ];
    }
    if (op === 'MonitorStop') {
      const id = child(root, 'monitorCrossRefID')?.text ?? '';
      if (!a.monitors.delete(id)) throw new CstaFault('invalidCrossRefID', `no monitor ${id} in this association`);
      return [];
    }
    // SystemRegister: the registration is kept; the phone has no system status changes to report.
    const id = String(this.nextRef++);
    a.sysRegs.push(id);
    return [{ name: 'sysStatRegisterID', text: id }];
  }

  private identityUri(identity: number): string {
    return this.model.identities[identity - 1] ?? '';
  }

  // ---- events ----

  private report(events: CstaEvent[]): void {
    for (const a of this.associations.values()) {
      for (const [crossRef, m] of a.monitors) {
        for (const e of events) if (e.identity === undefined || e.identity === m.identity) this.enqueue(a, crossRef, e);
      }
    }
  }

  private reportDevice(make: (uri: string) => CstaEvent): void {
    for (const a of this.associations.values())
      for (const [crossRef, m] of a.monitors) this.enqueue(a, crossRef, make(m.device));
  }

  private enqueue(a: Association, crossRef: string, e: CstaEvent): void {
    const el: Out = { name: e.name, children: [{ name: 'monitorCrossRefID', text: crossRef }, ...e.children] };
    const body = `<?xml version="1.0" encoding="utf-8"?>\n${writeXml(el, '', ` xmlns="${CSTA_ED5}"`)}`;
    const rec = {
      association: a.id,
      monitorCrossRefID: crossRef,
      event: e.name,
      ...(e.cstaId ? { cstaId: e.cstaId } : {}),
      body,
      at: Date.now(),
    } as SipExt['events'][number];
    const list = this.ext().events;
    list.push(rec);
    if (list.length > MAX_EVENTS) list.splice(0, list.length - MAX_EVENTS);
    // One event at a time per association, so that they arrive in the order they happened.
    a.queue.push(async () => {
      const status = await this.send(a, 'INFO', body);
      rec.status = status;
      if (status === 481 || status === 408 || status === 'timeout')
        this.end(a, `the client answered an event with ${status}`);
    });
    if (!a.busy) void this.pump(a);
  }

  private async pump(a: Association): Promise<void> {
    a.busy = true;
    while (a.queue.length && !a.ended) {
      try {
        await a.queue.shift()!();
      } catch (err) {
        this.end(a, `sending an event failed: ${err instanceof Error ? err.message.slice(0, 150) : String(err)}`);
      }
    }
    a.busy = false;
  }

  /** Where requests of the association go: the first Route or the remote target, on loopback only. */
  private destination(a: Association): Peer {
    const uri = parseSipUri(a.routeSet.length ? (parseNameAddr(a.routeSet[0])?.uri ?? '') : a.target);
    const param = uri?.params.get('transport')?.toLowerCase();
    const transport = param === 'tcp' || param === 'udp' ? param : a.peer.transport;
    // TCP: reuse the connection the INVITE came on while it is open (RFC 5923 style).
    if (transport === 'tcp' && a.peer.transport === 'tcp' && a.peer.socket && !a.peer.socket.destroyed) return a.peer;
    const host = uri?.host === 'localhost' ? '127.0.0.1' : (uri?.host ?? '');
    if (uri && isLoopback(host)) return { transport, address: host, port: uri.port ?? 5060 };
    // Not a loopback address: the simulator sends nothing off this machine, so back to the INVITE's source.
    return { ...a.peer };
  }

  private send(a: Association, method: 'INFO' | 'BYE', body = ''): Promise<number | 'timeout'> {
    const dest = this.destination(a);
    const cseq = ++a.localCSeq;
    return this.core.sendRequest(dest, method, (branch) => {
      const h: Array<[string, string]> = [
        ['Via', this.core.viaFor(dest.transport, branch)],
        ['Max-Forwards', '70'],
      ];
      for (const r of a.routeSet) h.push(['Route', r]);
      h.push(
        ['From', a.localFrom],
        ['To', a.remoteTo],
        ['Call-ID', a.callId],
        ['CSeq', `${cseq} ${method}`],
        ['Contact', this.core.contact(dest.transport)],
        ['User-Agent', this.core.userAgent],
      );
      if (body) h.push(...CSTA_HEADERS);
      return writeMessage(`${method} ${a.target} SIP/2.0`, h, body);
    });
  }

  // ---- ending ----

  /** Ends an association; with `bye` the phone says so to the client first. */
  end(a: Association, why: string, bye = false): void {
    if (a.ended) return;
    a.ended = true;
    a.queue.length = 0;
    this.associations.delete(this.key(a.callId, a.localTag, a.remoteTag));
    const e = this.ext().ended;
    e.push({ association: a.id, why, at: Date.now() });
    if (e.length > MAX_EVENTS) e.splice(0, e.length - MAX_EVENTS);
    this.phone.log('uacsta-ended', { id: a.id, why });
    if (bye) void this.send(a, 'BYE');
  }

  /** Ends every association (reboot, reset, control API). */
  endAll(why: string, bye = false): number {
    const all = [...this.associations.values()];
    for (const a of all) this.end(a, why, bye);
    return all.length;
  }

  views(): SipAssociationView[] {
    return [...this.associations.values()].map((a) => ({
      id: a.id,
      callId: a.callId,
      identity: a.identity,
      local: a.localUri,
      remote: a.remoteUri,
      target: a.target,
      transport: a.peer.transport,
      state: a.state,
      authenticated: a.authenticated,
      monitors: [...a.monitors].map(([monitorCrossRefID, m]) => ({
        monitorCrossRefID,
        device: m.device,
        identity: m.identity,
      })),
      sysStatRegisterIDs: [...a.sysRegs],
      establishedAt: a.establishedAt,
    }));
  }
}

/** A CSTA error response (ECMA-323 CSTAErrorCode, well-formed, in ed5). */
export function errorBody(code: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<CSTAErrorCode xmlns="${CSTA_ED5}"><operation>${escapeXml(code)}</operation></CSTAErrorCode>`;
}
