// The phone's SIP user agent (server side): minibrowser, talk/hold and check-sync NOTIFY, x-buttons
// MESSAGE, OPTIONS, and uaCSTA (docs/protocol.md §10; our own answers: §11.6). One per phone.
import type { SimPhone } from '../phone';
import { callModel } from '../calls';
import type { SimCall } from '../calls/types';
import { isWellFormed } from '../csta/xml';
import { compareFirmware } from '../phone-models';
import { phoneType, recordCommand } from '../pages/record';
import type { SimMinibrowserPush, SimService, SimSipConfig } from '../types';
import { SipAuth } from './auth';
import { applyButtons } from './buttons';
import { SipCore, type CoreHandler, type Incoming, type Reply } from './core';
import { header, headers, mediaType, parseParams, parseSipUri } from './message';
import { UaCsta } from './uacsta';
import type { SipExt, SipReceived } from './types';

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY, MESSAGE';
export const ALLOW_EVENTS = 'talk, hold, check-sync';
const ACCEPT =
  'application/sdp, application/csta+xml, application/snomxml, application/x-buttons, application/xml, text/plain';
/** methods RFC 3261 and its extensions define that the phone does not take (405, not 501) */
const KNOWN = ['REGISTER', 'SUBSCRIBE', 'PUBLISH', 'REFER', 'UPDATE', 'PRACK'];
const MAX_MESSAGES = 500;
const MAX_RECORDS = 1000;

const on = (v: string | undefined): boolean => /^(on|true|1|yes)$/i.test((v ?? '').trim());
const warning = (text: string): [string, string] => ['Warning', `399 snom-sim "${text.replace(/"/g, "'")}"`];

function push<T>(list: T[], item: T, max = MAX_RECORDS): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

export function checkSipConfig(
  c: SimSipConfig | undefined,
): Required<Omit<SimSipConfig, 'enabled'>> & { enabled: boolean } {
  const s = c ?? {};
  if (typeof s !== 'object') throw new Error('simulator: config.sip must be an object');
  const port = (v: unknown, name: string): number => {
    if (v === undefined) return 0;
    if (!(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535))
      throw new Error(`simulator: bad sip.${name} ${String(v)}`);
    return v as number;
  };
  const ms = (v: unknown, name: string, dflt: number): number => {
    if (v === undefined) return dflt;
    if (!(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 60000))
      throw new Error(`simulator: sip.${name} must be 1..60000 ms`);
    return v as number;
  };
  const t1Ms = ms(s.t1Ms, 't1Ms', 500);
  const t2Ms = ms(s.t2Ms, 't2Ms', Math.max(4000, t1Ms));
  if (t2Ms < t1Ms) throw new Error('simulator: sip.t2Ms must not be below sip.t1Ms');
  return {
    enabled: s.enabled !== false,
    udpPort: port(s.udpPort, 'udpPort'),
    tcpPort: port(s.tcpPort, 'tcpPort'),
    t1Ms,
    t2Ms,
  };
}

/** `package;params` of an Event header (RFC 6665 §8.2.1); the package name in lower case. */
function parseEvent(v: string | undefined): { pkg: string; params: Map<string, string> } | undefined {
  if (!v) return undefined;
  const semi = v.indexOf(';');
  return {
    pkg: (semi < 0 ? v : v.slice(0, semi)).trim().toLowerCase(),
    params: parseParams(semi < 0 ? '' : v.slice(semi)),
  };
}

/** The host of a setting like user_host / user_outbound / mb_trusted_hosts entries: no scheme, port or params. */
function hostOf(v: string): string {
  let h = v
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:(\/\/)?/i, '')
    .replace(/^[^@]*@/, '')
    .split(/[;/?]/)[0];
  h = h.startsWith('[') ? h.slice(1, h.indexOf(']')) : h.replace(/:\d+$/, '');
  h = h.toLowerCase();
  return h === 'localhost' ? '127.0.0.1' : h;
}

export class SipService implements SimService, CoreHandler {
  readonly core: SipCore;
  readonly auth: SipAuth;
  readonly uacsta: UaCsta;
  readonly options: ReturnType<typeof checkSipConfig>;

  constructor(readonly phone: SimPhone) {
    this.options = checkSipConfig(phone.config.sip);
    this.auth = new SipAuth(phone);
    this.core = new SipCore(this, {
      t1: this.options.t1Ms,
      t2: this.options.t2Ms,
      userAgent: `${phoneType(phone)}/${phone.config.firmware}`,
      contactUser: () => phone.settings.get('user_name1') || 'phone',
    });
    this.uacsta = new UaCsta(phone, this.core, this.auth, () => this.ext);
    phone.on('reset', () => {
      this.uacsta.endAll('the phone was reset (POST /sim/reset)');
      this.auth.reset();
      Object.assign(this.core.faults, { drop: 0, latencyMs: 0, silent: false });
    });
    // A reboot loses the associations before the calls drop, so no events go out for them.
    phone.prependListener('command', (c: { name: string }) => {
      if (c.name === 'reboot' || c.name === 'reset') this.uacsta.endAll('the phone rebooted');
    });
  }

  /** The SIP part of phone.state.ext, created on first use (and again after /sim/reset). */
  get ext(): SipExt {
    const e = this.phone.state.ext as { sip?: SipExt };
    e.sip ??= {
      leds: [],
      ignoredLamps: [],
      checkSyncs: [],
      talkHold: [],
      textMessages: [],
      cstaRequests: [],
      events: [],
      messages: [],
      ended: [],
    };
    return e.sip;
  }

  get udpPort(): number {
    return this.core.transport.udpPort;
  }

  get tcpPort(): number {
    return this.core.transport.tcpPort;
  }

  async start(): Promise<void> {
    await this.core.start(this.options.udpPort, this.options.tcpPort);
    this.phone.sipPorts = { udp: this.udpPort, tcp: this.tcpPort };
    this.phone.log('sip-start', { udp: this.udpPort, tcp: this.tcpPort });
  }

  async stop(): Promise<void> {
    this.uacsta.endAll('the phone stopped');
    await this.core.stop();
    this.phone.sipPorts = null;
  }

  // ---- CoreHandler ----

  record(r: SipReceived): void {
    push(this.ext.messages, r, MAX_MESSAGES);
  }

  ack(inc: Incoming): void {
    if (!this.uacsta.ack(inc)) inc.record.note = 'ACK that matches no dialog';
  }

  request(inc: Incoming): Reply | null {
    const reply = this.dispatch(inc);
    if (reply && !reply.headers?.some(([n]) => n === 'Allow-Events'))
      (reply.headers ??= []).push(['Allow-Events', ALLOW_EVENTS]);
    return reply;
  }

  private dispatch(inc: Incoming): Reply | null {
    const { req, peer } = inc;
    // "Filter packets from registrar" on: the phone takes requests from its registrars only (dropped otherwise).
    if (on(this.phone.settings.get('filter_registrar')) && !this.isRegistrar(peer.address)) {
      inc.record.note = 'filter_registrar is on and the sender is no registrar: dropped';
      return null;
    }
    if (!/^sips?:/i.test(req.uri)) return { status: 416, note: `Request-URI ${req.uri.slice(0, 60)}` };
    const required = headers(req, 'require').filter(Boolean);
    if (required.length && req.method !== 'CANCEL')
      return { status: 420, headers: [['Unsupported', required.join(', ')]] };
    if (inc.to.params.has('tag')) {
      const a = this.uacsta.find(inc);
      if (a) {
        const r = this.uacsta.inDialog(inc, a);
        if (r) return r;
      } else if (!(req.method === 'NOTIFY' && this.talkHoldEvent(inc) && this.callOfDialog(inc))) {
        // RFC 3261 §12.2.2: a request with a To tag that names no dialog of this phone.
        return { status: 481, note: 'no dialog with these tags' };
      }
    }
    switch (req.method) {
      case 'INVITE':
        return this.uacsta.invite(inc, this.identityOf(req.uri));
      case 'OPTIONS':
        return {
          status: 200,
          headers: [
            ['Allow', ALLOW],
            ['Accept', ACCEPT],
            ['Allow-Events', ALLOW_EVENTS],
          ],
        };
      case 'NOTIFY':
        return this.notify(inc);
      case 'MESSAGE':
        return this.message(inc);
      case 'BYE':
      case 'INFO':
        return { status: 481, note: `${req.method} outside a dialog` };
      default:
        if (KNOWN.includes(req.method)) return { status: 405, headers: [['Allow', ALLOW]] };
        return { status: 501, headers: [['Allow', ALLOW]] };
    }
  }

  /** Identity N whose user name is the Request-URI's user, if any. */
  identityOf(uri: string): number | undefined {
    const user = parseSipUri(uri)?.user ?? '';
    if (!user) return undefined;
    const ids = callModel(this.phone).identities;
    for (let i = 1; i <= ids.length; i++) {
      const name = this.phone.settings.get(`user_name${i}`) ?? /^sips?:([^@]+)@/.exec(ids[i - 1])?.[1];
      if (name === user) return i;
    }
    return undefined;
  }

  private isRegistrar(address: string): boolean {
    const s = this.phone.settings;
    return this.phone.state.registrations.some(
      (r) =>
        r.registered &&
        [s.get(`user_host${r.index}`), s.get(`user_outbound${r.index}`)].some((v) => v && hostOf(v) === address),
    );
  }

  /** mb_trusted_hosts (comma/space separated hosts or IPs), or a registrar of a registered identity (docs/protocol.md §10.3). */
  private trusted(address: string): boolean {
    const list = (this.phone.settings.get('mb_trusted_hosts') ?? '')
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map(hostOf);
    return list.includes(address) || this.isRegistrar(address);
  }

  // ---- NOTIFY ----

  private talkHoldEvent(inc: Incoming): 'talk' | 'hold' | undefined {
    const pkg = parseEvent(header(inc.req, 'event'))?.pkg;
    return pkg === 'talk' || pkg === 'hold' ? pkg : undefined;
  }

  /** A NOTIFY within a call's dialog (BroadSoft style) has that call's Call-ID. */
  private callOfDialog(inc: Incoming): SimCall | undefined {
    return callModel(this.phone)
      .live()
      .find((c) => c.sipCallId === inc.callId);
  }

  private notify(inc: Incoming): Reply {
    const ev = parseEvent(header(inc.req, 'event'));
    const th = this.talkHoldEvent(inc);
    if (th) return this.talkHold(inc, th);
    if (ev?.pkg === 'check-sync') return this.checkSync(inc, ev.params);
    if (mediaType(header(inc.req, 'content-type')) === 'application/snomxml') return this.minibrowser(inc);
    return {
      status: 489,
      headers: [['Allow-Events', ALLOW_EVENTS]],
      note: ev ? `event package ${ev.pkg}` : 'NOTIFY without Event and without snomxml',
    };
  }

  /**
   * talk: answers the ringing call, else retrieves the held one; hold: holds the active call. The
   * call is the one whose Call-ID the NOTIFY carries, else one of the identity the Request-URI names
   * (any identity when it names none). Nothing to act on: 481.
   */
  private talkHold(inc: Incoming, event: 'talk' | 'hold'): Reply {
    const model = callModel(this.phone);
    const own = this.callOfDialog(inc);
    const identity = this.identityOf(inc.req.uri);
    const calls = own ? [own] : model.live().filter((c) => identity === undefined || c.identity === identity);
    const last = (state: SimCall['state']): SimCall | undefined => calls.filter((c) => c.state === state).pop();
    let call: SimCall | undefined;
    let action = '';
    if (event === 'talk') {
      if ((call = last('ringing'))) {
        model.answer(call);
        action = 'answered';
      } else if ((call = last('connected') ?? last('dialing'))) {
        action = 'already talking';
      } else if ((call = last('held'))) {
        model.retrieve(call);
        action = 'retrieved';
      }
    } else if ((call = last('connected'))) {
      model.hold(call);
      action = 'held';
    } else if ((call = last('held'))) {
      action = 'already held';
    }
    const status = call ? 200 : 481;
    push(this.ext.talkHold, {
      event,
      status,
      action: action || 'no call to act on',
      ...(call ? { cstaId: call.cstaId } : {}),
      from: inc.record.from,
      at: Date.now(),
    });
    this.phone.log('sip-talk-hold', { event, status, action, cstaId: call?.cstaId });
    return call ? { status } : { status, note: `${event}: no call to act on` };
  }

  /** check-sync (docs/protocol.md §10.6): re-provision, optionally reboot; Digest when challenge_checksync is on. */
  private checkSync(inc: Incoming, params: Map<string, string>): Reply {
    const identity = this.identityOf(inc.req.uri) ?? 1;
    let authenticated = false;
    if (on(this.phone.settings.get('challenge_checksync'))) {
      const r = this.auth.check(identity, 'NOTIFY', inc.req.uri, header(inc.req, 'authorization'));
      if (!r.ok)
        return {
          status: 401,
          headers: r.challenge.map((c) => ['WWW-Authenticate', c] as [string, string]),
          note: `challenged: ${r.reason}`,
        };
      authenticated = true;
    }
    const reboot = (params.get('reboot') ?? 'false').toLowerCase() === 'true';
    push(this.ext.checkSyncs, { reboot, identity, authenticated, from: inc.record.from, at: Date.now() });
    this.phone.log('check-sync', { reboot, identity, authenticated });
    // The 200 goes out first; then the phone reboots (calls drop, associations are lost).
    if (reboot) {
      setImmediate(() => {
        this.phone.state.reboots++;
        recordCommand(this.phone, 'reboot');
      });
    }
    return { status: 200 };
  }

  /** A minibrowser document by NOTIFY (docs/protocol.md §10.3): shown as a minibrowser.htm push would be. */
  private minibrowser(inc: Incoming): Reply {
    const from = inc.peer.address;
    if (!this.trusted(from))
      return {
        status: 403,
        headers: [warning(`${from} is not in mb_trusted_hosts`)],
        note: `untrusted sender ${from}`,
      };
    const body = inc.req.body.toString('utf8');
    if (body.trim() === '' || !isWellFormed(body))
      return { status: 400, headers: [warning('the snomxml body is not well-formed XML')], note: 'malformed snomxml' };
    const push: SimMinibrowserPush = {
      url: '',
      keepAlive: false,
      at: Date.now(),
      via: 'sip-notify',
      from: inc.record.from,
      fetched: { status: 200, contentType: header(inc.req, 'content-type') ?? '', body },
    };
    this.phone.state.minibrowser.push(push);
    this.phone.log('minibrowser', { via: 'sip-notify', from: inc.record.from });
    this.phone.emit('minibrowser', push);
    return { status: 200 };
  }

  // ---- MESSAGE ----

  private message(inc: Incoming): Reply {
    const type = mediaType(header(inc.req, 'content-type'));
    const body = inc.req.body.toString('utf8');
    const fw = this.phone.config.firmware;
    if (type === 'application/x-buttons') {
      // LED remote control needs firmware 7 (docs/protocol.md §10.5); older phones do not know the type (the 415 is ours, §11.6).
      if (compareFirmware(fw, '7') < 0)
        return { status: 415, headers: [['Accept', 'text/plain']], note: `x-buttons needs firmware 7, has ${fw}` };
      const { applied, ignored } = applyButtons(this.phone, body, this.ext.leds);
      for (const i of ignored) push(this.ext.ignoredLamps, i);
      this.phone.log('sip-buttons', { applied: applied.map((l) => l.fkey), ignored: ignored.length });
      // A lamp the phone cannot apply is ignored, not refused, as for any other MESSAGE body.
      return { status: 200 };
    }
    const event = parseEvent(header(inc.req, 'event'))?.pkg ?? '';
    // XML actions (docs/protocol.md §10.4): parsed with allow_sip_xml_action=on from 8.7.4.7; else 200 and ignored.
    const applied =
      type === 'application/xml' &&
      event === 'snom-action' &&
      on(this.phone.settings.get('allow_sip_xml_action')) &&
      compareFirmware(fw, '8.7.4.7') >= 0;
    push(this.ext.textMessages, {
      contentType: type,
      event,
      applied,
      body: body.slice(0, 16 * 1024),
      from: inc.record.from,
      at: Date.now(),
    });
    return { status: 200 };
  }
}
