// The simulated phone's calls: state changes, ring timeout, and the Action URL each change fires.
// Keys, CSTA and the /sim/calls control API all drive the phone through this one class.
import { randomBytes } from 'node:crypto';
import type { SimPhone } from '../phone';
import { fireActionUrl, sipHeaderVars, type ActionVars } from './action-url';
import {
  isLive,
  type CallState,
  type CallsExt,
  type SimActionUrlFiring,
  type SimCall,
  type SimCallChange,
  type SimForwarding,
} from './types';

export const DEFAULT_RING_TIMEOUT_MS = 30000;
/** the address the simulated phone has ($phone_ip, $local_ip) */
const PHONE_IP = '127.0.0.1';

export class CallModel {
  private nextId = 1;
  private conferenceSeq = 0;
  private readonly ringTimers = new Map<string, () => void>();
  /** Action URL GETs still in flight (so tests and shutdown can wait for them) */
  readonly inFlight = new Set<Promise<void>>();
  /** called once for every new call (the control API adds its per-call routes) */
  onNewCall: (call: SimCall) => void = () => undefined;

  constructor(readonly phone: SimPhone) {
    phone.on('reset', () => this.reset());
    phone.on('minibrowser', (push: { fetched?: { status: number; body: string } }) => {
      if (push.fetched && push.fetched.status === 200) this.setScreen('minibrowser', push.fetched.body);
    });
  }

  /** The model's part of phone.state.ext, created on first use (and again after /sim/reset). */
  get ext(): CallsExt {
    const e = this.phone.state.ext as Partial<CallsExt>;
    if (!Array.isArray(e.calls)) {
      Object.assign(e, {
        calls: [],
        dnd: false,
        forwarding: {},
        actionUrls: [],
        csta: [],
        screen: null,
        generatedDigits: [],
      });
    }
    return e as CallsExt;
  }

  /** /sim/reset: forget calls and timers; ids start again at -1. */
  reset(): void {
    for (const cancel of [...this.ringTimers.values()]) cancel();
    this.ringTimers.clear();
    this.nextId = 1;
    this.conferenceSeq = 0;
    void this.ext;
  }

  get identities(): string[] {
    return this.phone.config.identities;
  }

  /** 1-based identity for a SIP URI, `user@host`, or (when allowed) an index 1..12; else undefined. */
  identityOf(device: string, allowIndex: boolean): number | undefined {
    const d = device.trim();
    if (allowIndex && /^\d{1,2}$/.test(d)) {
      const n = Number(d);
      return n >= 1 && n <= Math.min(12, this.identities.length) ? n : undefined;
    }
    const bare = (u: string): string => u.replace(/^sips?:/i, '').toLowerCase();
    const i = this.identities.findIndex((u) => bare(u) === bare(d));
    return i < 0 ? undefined : i + 1;
  }

  /** A dialled number or address as a SIP URI on the identity's host. */
  toUri(remote: string, identity: number): string {
    const r = remote.trim();
    if (/^sips?:/i.test(r)) return r;
    if (r.includes('@')) return `sip:${r}`;
    const host = /@([^;>]+)/.exec(this.identities[identity - 1] ?? '')?.[1] ?? 'sim.local';
    return `sip:${r}@${host}`;
  }

  find(cstaId: string): SimCall | undefined {
    return this.ext.calls.find((c) => c.cstaId === cstaId.trim() && isLive(c));
  }

  live(): SimCall[] {
    return this.ext.calls.filter(isLive);
  }

  byState(state: CallState): SimCall[] {
    return this.ext.calls.filter((c) => c.state === state);
  }

  /** The call the user is talking on (or dialling), most recent first. */
  active(): SimCall | undefined {
    const c = this.byState('connected');
    if (c.length) return c[c.length - 1];
    const d = this.byState('dialing');
    return d[d.length - 1];
  }

  private create(
    direction: SimCall['direction'],
    identity: number,
    remote: string,
    state: CallState,
    displayRemote?: string,
  ): SimCall {
    const at = Date.now();
    const call: SimCall = {
      cstaId: String(-this.nextId++),
      sipCallId: `${randomBytes(8).toString('hex')}@${PHONE_IP}`,
      direction,
      local: this.identities[identity - 1],
      identity,
      remote,
      state,
      history: [{ state, at }],
    };
    if (displayRemote) call.displayRemote = displayRemote;
    this.ext.calls.push(call);
    this.phone.log('call', { cstaId: call.cstaId, direction, remote, state });
    this.onNewCall(call);
    this.phone.emit('call-change', { call, from: null, to: state } satisfies SimCallChange);
    return call;
  }

  private setState(call: SimCall, state: CallState, by: SimCallChange['by'] = 'local'): void {
    if (!isLive(call) || call.state === state) return;
    const from = call.state;
    call.state = state;
    call.history.push({ state, at: Date.now() });
    if (!isLive(call)) this.cancelRing(call);
    this.phone.log('call', { cstaId: call.cstaId, state });
    this.phone.emit('call', { cstaId: call.cstaId, state });
    this.phone.emit('call-change', { call, from, to: state, by } satisfies SimCallChange);
  }

  // ---- Action URLs ----

  /** The runtime variables of docs/protocol.md §6.2 for an event (of a call, or of the phone). */
  vars(call?: SimCall, extra: ActionVars = {}): ActionVars {
    const identity = call?.identity ?? 1;
    const uri = this.identities[identity - 1] ?? '';
    const m = /^sips?:([^@]+)@(.+)$/i.exec(uri);
    return {
      local: uri,
      remote: call?.remote ?? '',
      'call-id': call?.sipCallId ?? '',
      csta_id: call?.cstaId ?? '',
      display_local: this.phone.settings.get(`user_realname${identity}`) ?? '',
      display_remote: call?.displayRemote ?? '',
      active_url: uri,
      active_user: m ? m[1] : '',
      active_host: m ? m[2] : '',
      active_key: call ? `P${identity}` : '',
      phone_ip: PHONE_IP,
      local_ip: PHONE_IP,
      nr_ongoing_calls: String(this.live().length),
      mac: this.phone.mac,
      cancel_reason: '',
      ...sipHeaderVars(call),
      ...extra,
    };
  }

  /** Fires `setting` for `event` if the setting holds a URL; never waits for the answer. */
  fire(event: string, setting: string, call?: SimCall, extra: ActionVars = {}, template?: string): void {
    const record = (f: SimActionUrlFiring): void => {
      this.ext.actionUrls.push(f);
    };
    const p = fireActionUrl(
      this.phone,
      record,
      (doc) => this.setScreen('action-url', doc),
      event,
      setting,
      this.vars(call, extra),
      template,
    );
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  setScreen(via: 'xmlpush' | 'minibrowser' | 'action-url', document: string): void {
    this.ext.screen = { via, document, at: Date.now() };
    this.phone.log('screen', { via });
  }

  // ---- call life cycle ----

  /** A call from the network: the phone rings (or, with DND on, logs it as missed at once). */
  inject(o: {
    remote: string;
    displayName?: string;
    identity?: number;
    ringTimeoutMs?: number;
    sipHeaders?: Record<string, string>;
  }): SimCall {
    const identity = o.identity ?? 1;
    const call = this.create('incoming', identity, this.toUri(o.remote, identity), 'ringing', o.displayName);
    if (o.sipHeaders) call.sipHeaders = { ...o.sipHeaders };
    if (this.ext.dnd) {
      this.missed(call);
      return call;
    }
    this.fire('incoming', 'action_incoming_url', call);
    this.startRing(call, o.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS);
    return call;
  }

  private startRing(call: SimCall, ms: number): void {
    const t = setTimeout(() => {
      cancel();
      if (call.state === 'ringing') this.missed(call);
    }, ms);
    t.unref();
    const off = this.phone.onStop(() => cancel());
    const cancel = (): void => {
      clearTimeout(t);
      off();
      this.ringTimers.delete(call.cstaId);
    };
    this.ringTimers.set(call.cstaId, cancel);
  }

  private cancelRing(call: SimCall): void {
    this.ringTimers.get(call.cstaId)?.();
  }

  private missed(call: SimCall): void {
    this.setState(call, 'missed', 'remote');
    this.phone.state.lists.missed.push(call.remote);
    this.fire('missed', 'action_missed_url', call);
  }

  /** Puts the current conversation on hold before another call takes the audio. */
  private holdOthers(except: SimCall): void {
    for (const c of this.byState('connected')) if (c !== except && !c.conference) this.hold(c);
  }

  answer(call: SimCall): void {
    this.holdOthers(call);
    this.setState(call, 'connected');
    this.phone.state.lists.received.push(call.remote);
    this.fire('connected', 'action_connected_url', call);
  }

  /** Refusing a ringing call: no Action URL (docs/protocol.md §3.4). */
  reject(call: SimCall): void {
    this.setState(call, 'disconnected');
  }

  /** The user (or CSTA) ends a call. */
  hangup(call: SimCall): void {
    if (call.state === 'ringing') return this.reject(call);
    this.setState(call, 'disconnected');
    this.fire('disconnected', 'action_disconnected_url', call);
  }

  hold(call: SimCall): void {
    this.setState(call, 'held');
    this.fire('hold', 'action_hold', call);
  }

  retrieve(call: SimCall): void {
    this.holdOthers(call);
    this.setState(call, 'connected');
    this.fire('unhold', 'action_unhold', call);
  }

  /** An outgoing call from `identity`; an ongoing conversation goes on hold first. */
  dial(number: string, identity = 1): SimCall {
    for (const c of this.byState('connected')) this.hold(c);
    const call = this.create('outgoing', identity, this.toUri(number, identity), 'dialing');
    this.fire('outgoing', 'action_outgoing_url', call);
    return call;
  }

  remoteAnswer(call: SimCall): void {
    this.setState(call, 'connected', 'remote');
    this.fire('connected', 'action_connected_url', call);
  }

  /** The far end hangs up; a call still ringing here becomes a missed call. */
  remoteHangup(call: SimCall): void {
    if (call.state === 'ringing') return this.missed(call);
    this.setState(call, 'disconnected', 'remote');
    this.fire('disconnected', 'action_disconnected_url', call);
  }

  /** Attended transfer: the held party and the active party get connected to each other. */
  transfer(held: SimCall, active: SimCall): void {
    held.transferredTo = active.remote;
    active.transferredTo = held.remote;
    this.setState(held, 'transferred');
    this.setState(active, 'transferred');
    this.fire('transfer', 'action_transfer', held);
    this.fire('attended_transfer', 'action_attended_transfer', held);
  }

  blindTransfer(call: SimCall, to: string): void {
    call.transferredTo = this.toUri(to, call.identity);
    this.setState(call, 'transferred');
    this.fire('transfer', 'action_transfer', call);
    this.fire('blind_transfer', 'action_blind_transfer', call);
  }

  /** A ringing call sent elsewhere before it was answered. */
  deflect(call: SimCall, to: string): void {
    call.transferredTo = this.toUri(to, call.identity);
    this.setState(call, 'transferred');
  }

  /** Joins a held call and the active call into a conference on this phone. */
  conference(held: SimCall, active: SimCall): string {
    const id = String(-++this.conferenceSeq - 1000);
    held.conference = id;
    active.conference = id;
    this.setState(held, 'connected');
    this.fire('unhold', 'action_unhold', held);
    return id;
  }

  /** RELEASE_ALL_CALLS: every call ends. */
  releaseAll(): void {
    for (const c of this.live()) this.hangup(c);
  }

  /** Reboot: calls drop without events, then the phone reports setup finished. */
  reboot(): void {
    for (const c of this.live()) this.setState(c, 'disconnected');
    this.fire('setup', 'action_setup_url');
  }

  setDnd(on: boolean): void {
    if (this.ext.dnd === on) return;
    this.ext.dnd = on;
    this.phone.log('dnd', { on });
    this.phone.emit('dnd', on);
    this.fire(on ? 'dnd_on' : 'dnd_off', on ? 'action_dnd_on_url' : 'action_dnd_off_url');
  }

  /** Sets one forwarding; fires redirection on/off when forwarding as a whole turns on or off. */
  setForwarding(kind: keyof SimForwarding, dn: string | undefined): void {
    const f = this.ext.forwarding;
    const wasOn = Object.values(f).some(Boolean);
    if (dn) f[kind] = dn;
    else delete f[kind];
    // Keep the phone's redirect settings in step so $redirect_number etc. work in Action URLs (docs/protocol.md §6.2).
    const s = this.phone.settings;
    s.set('redirect_event', f.immediate ? 'all' : f.busy ? 'busy' : f.noAnswer ? 'time' : 'none');
    s.set('redirect_number', f.immediate ?? '');
    s.set('redirect_busy_number', f.busy ?? '');
    s.set('redirect_time_number', f.noAnswer ?? '');
    const isOn = Object.values(f).some(Boolean);
    this.phone.log('forwarding', { forwarding: { ...f } });
    this.phone.emit('forwarding', { kind, dn: dn || undefined });
    if (isOn !== wasOn)
      this.fire(
        isOn ? 'redirection_on' : 'redirection_off',
        isOn ? 'action_redirection_on_url' : 'action_redirection_off_url',
      );
  }

  /** Log on / log off of identity n (LOGOFFLINE, LOGOFFALL, REREGISTER). */
  logOnOff(on: boolean, n: number): void {
    const uri = this.identities[n - 1];
    if (!uri) return;
    this.fire(on ? 'log_on' : 'log_off', on ? 'action_log_on_url' : 'action_log_off_url', undefined, {
      context_url: uri,
    });
  }
}
