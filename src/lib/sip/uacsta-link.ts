/**
 * One uaCSTA association with a phone, kept for everyone who uses it (docs/sip.md "Associations"):
 * opened on first use, reused by every request, and, while someone monitors, set up again with its
 * monitors after it is lost (a reboot, a BYE, a 481 to the keep-alive), with growing pauses.
 * Requests that the phone refused with 481 (it no longer knows the dialog, so it did nothing) are
 * sent once more on a new association; any other failure is the caller's.
 */
import { EventEmitter } from 'node:events';
import { SnomError, type TextKey } from '../errors';
import { parseCstaEvent, type CstaEvent } from '../csta/events';
import { monitorCrossRefId } from '../csta/monitor';
import { parseCstaResponse } from '../csta/parse';
import type { SipCredentials } from './auth';
import type { SipClient } from './client';
import type { DialogEnd } from './dialog';
import type { SipTarget } from './types';
import { UACSTA_INVITE_BODY, UaCstaSession, type UaCstaReply } from './uacsta';

/** Where the association goes, asked again at every (re)opening. */
export interface UaCstaEndpoint {
  client: SipClient;
  target: SipTarget;
  credentials?: SipCredentials;
  /** name for errors and status */
  phone?: string;
}

export interface UaCstaLinkOptions {
  endpoint: () => UaCstaEndpoint | Promise<UaCstaEndpoint>;
  /** pause before the first attempt to set a lost association up again; doubles up to retryMaxMs. Default 1000. */
  retryMs?: number;
  /** default 30000 */
  retryMaxMs?: number;
}

export type MonitorState = 'connecting' | 'monitoring' | 'lost' | 'failed' | 'stopped';

export interface MonitorStatus {
  state: MonitorState;
  /** why it is lost or failed */
  error?: SnomError;
  /** how many times monitoring was set up again after a loss */
  restarts: number;
  monitorCrossRefId?: string;
}

export interface MonitorSpec {
  /** the MonitorStart request (validated by its builder) */
  start: string;
  /** the MonitorStop request for a cross-reference id, or undefined where the firmware has none (before 8.7.4) */
  stop?: (crossRefId: string) => string | undefined;
  /** how often to check that the association is still there while nothing else is sent; default 30000 ms */
  keepAliveMs?: number;
  onEvent(ev: CstaEvent, xml: string): void;
  onStatus(s: MonitorStatus): void;
}

export interface MonitorHandle {
  readonly status: MonitorStatus;
  /** Stops monitoring (MonitorStop, or on older firmware a new association without this monitor). */
  close(): Promise<void>;
}

interface Monitor extends MonitorHandle {
  spec: MonitorSpec;
  status: MonitorStatus;
  crossRef?: string;
  /** attempts since it last worked */
  failures: number;
}

const asError = (e: unknown): SnomError =>
  e instanceof SnomError ? e : new SnomError('E_SIP', String((e as Error)?.message ?? e).slice(0, 200));

export class UaCstaLink extends EventEmitter<{ end: [DialogEnd] }> {
  private session?: UaCstaSession;
  private opening?: Promise<UaCstaSession>;
  private readonly monitors = new Set<Monitor>();
  private retry?: NodeJS.Timeout;
  private keepAlive?: NodeJS.Timeout;
  private retryDelay: number;
  private inFlight = 0;
  private closed = false;
  /** associations set up so far (tests and status read it) */
  opened = 0;

  constructor(private readonly o: UaCstaLinkOptions) {
    super();
    this.retryDelay = o.retryMs ?? 1000;
  }

  get active(): boolean {
    return this.session?.active === true;
  }

  /** Sends one CSTA request in the association (opening it when needed); resolves with the phone's CSTA response. */
  async request(xml: string, command: string): Promise<UaCstaReply> {
    this.inFlight++;
    try {
      try {
        return await (await this.ensure()).request(xml, command);
      } catch (e) {
        // 481: the phone had forgotten the association (a reboot) and did nothing with the request
        if (!(e instanceof SnomError && e.code === 'E_SIP' && e.status === 481) || this.closed) throw e;
        return await (await this.ensure()).request(xml, command);
      }
    } finally {
      this.inFlight--;
    }
  }

  /** Starts monitoring now (or as soon as the association is up) and after every loss. */
  monitor(spec: MonitorSpec): MonitorHandle {
    if (this.closed) throw new SnomError('E_SIP', 'The uaCSTA link is closed.').withText('sip.linkClosed');
    const m: Monitor = {
      spec,
      status: { state: 'connecting', restarts: 0 },
      failures: 0,
      close: () => this.unmonitor(m),
    };
    this.monitors.add(m);
    this.report(m, { state: 'connecting' });
    void this.startMonitor(m);
    this.armKeepAlive();
    return m;
  }

  /** Ends the association with BYE; the shared SIP client stays open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    clearInterval(this.keepAlive);
    for (const m of this.monitors) this.report(m, { state: 'stopped' });
    this.monitors.clear();
    const s = this.session ?? (await this.opening?.catch(() => undefined));
    this.session = undefined;
    await s?.close();
  }

  // ---------------------------------------------------------------- internals

  private ensure(): Promise<UaCstaSession> {
    if (this.closed)
      return Promise.reject(new SnomError('E_SIP', 'The uaCSTA link is closed.').withText('sip.linkClosed'));
    if (this.session?.active) return Promise.resolve(this.session);
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async open(): Promise<UaCstaSession> {
    const ep = await this.o.endpoint();
    const s = await UaCstaSession.open({
      client: ep.client,
      target: ep.target,
      credentials: ep.credentials,
      phone: ep.phone,
    });
    if (this.closed) {
      await s.close();
      throw new SnomError('E_SIP', 'The uaCSTA link is closed.').withText('sip.linkClosed');
    }
    this.opened++;
    this.session = s;
    s.on('event', (xml) => this.dispatch(xml));
    s.once('end', (end) => this.ended(s, end));
    return s;
  }

  private dispatch(xml: string): void {
    const ev = parseCstaEvent(xml);
    if (!ev) return;
    for (const m of this.monitors) {
      if (m.status.state !== 'monitoring') continue;
      // an event names its monitor; one without a cross-reference goes to every monitor
      if (ev.monitorCrossRefId !== undefined && ev.monitorCrossRefId !== m.crossRef) continue;
      try {
        m.spec.onEvent(ev, xml);
      } catch {
        /* a listener's error stays the listener's */
      }
    }
  }

  private ended(s: UaCstaSession, end: DialogEnd): void {
    if (this.session === s) this.session = undefined;
    this.emit('end', end);
    if (this.closed || !end.lost) return;
    for (const m of this.monitors) {
      m.crossRef = undefined;
      this.report(m, {
        state: 'lost',
        error:
          end.error ??
          new SnomError('E_SIP', `association ended (${end.reason})`).withText('sip.associationEndedShort', {
            reason: end.reason,
          }),
      });
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retry || this.monitors.size === 0) return;
    const wait = this.retryDelay;
    this.retryDelay = Math.min(wait * 2, this.o.retryMaxMs ?? 30000);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      for (const m of this.monitors) if (m.status.state !== 'monitoring') void this.startMonitor(m);
    }, wait);
    this.retry.unref();
  }

  private async startMonitor(m: Monitor): Promise<void> {
    const wasLost = m.status.state === 'lost' || m.status.state === 'failed';
    try {
      const reply = await this.request(m.spec.start, 'csta MonitorStart');
      if (!this.monitors.has(m)) return;
      const ref = monitorCrossRefId(parseCstaResponse(200, reply.body, { command: 'csta MonitorStart' }));
      m.crossRef = ref;
      m.failures = 0;
      this.retryDelay = this.o.retryMs ?? 1000;
      this.report(m, { state: 'monitoring', restarts: m.status.restarts + (wasLost ? 1 : 0), monitorCrossRefId: ref });
    } catch (e) {
      if (!this.monitors.has(m) || this.closed) return;
      m.failures++;
      this.report(m, { state: this.active ? 'failed' : 'lost', error: asError(e) });
      this.scheduleRetry();
    }
  }

  private async unmonitor(m: Monitor): Promise<void> {
    if (!this.monitors.delete(m)) return;
    this.report(m, { state: 'stopped' });
    this.armKeepAlive();
    const ref = m.crossRef;
    if (!this.session?.active || ref === undefined) return;
    const stop = m.spec.stop?.(ref);
    if (stop) {
      await this.request(stop, 'csta MonitorStop').catch(() => undefined);
      return;
    }
    // No MonitorStop before 8.7.4: a new association carries the remaining monitors only.
    const s = this.session;
    this.session = undefined;
    await s.close();
    for (const other of this.monitors) {
      other.crossRef = undefined;
      void this.startMonitor(other);
    }
  }

  private report(m: Monitor, s: Partial<MonitorStatus> & { state: MonitorState }): void {
    m.status = { restarts: m.status?.restarts ?? 0, ...s };
    if (s.state !== 'lost' && s.state !== 'failed') delete m.status.error;
    try {
      m.spec.onStatus(m.status);
    } catch {
      /* the listener's */
    }
  }

  /** One keep-alive timer at the shortest interval any monitor asks for; none without monitors. */
  private armKeepAlive(): void {
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    if (this.closed || this.monitors.size === 0) return;
    const every = Math.min(...[...this.monitors].map((m) => m.spec.keepAliveMs ?? 30000));
    this.keepAlive = setInterval(() => {
      const s = this.session;
      if (!s?.active || this.inFlight > 0) return;
      // a lost association ends the session (481, 408, no answer), and ended() sets it up again
      s.request(UACSTA_INVITE_BODY, 'csta keep-alive').catch(() => undefined);
    }, every);
    this.keepAlive.unref();
  }
}

/** A node status for a monitor's state (Node-RED's { fill, shape, text } form, no Node-RED import). */
export function monitorStatusView(
  s: MonitorStatus,
  device: string,
): {
  fill: 'green' | 'yellow' | 'red' | 'grey' | 'blue';
  shape: 'dot' | 'ring';
  text: string;
} {
  const short = device.length > 28 ? `${device.slice(0, 27)}…` : device;
  switch (s.state) {
    case 'monitoring':
      return {
        fill: 'green',
        shape: 'dot',
        text: s.restarts > 0 ? `monitoring ${short} (re-established ${s.restarts}×)` : `monitoring ${short}`,
      };
    case 'lost':
      return { fill: 'yellow', shape: 'ring', text: `lost (${s.error?.code ?? 'E_SIP'}): re-establishing…` };
    case 'failed':
      return { fill: 'red', shape: 'ring', text: `${s.error?.code ?? 'E_SIP'}: monitoring refused, retrying` };
    case 'stopped':
      return { fill: 'grey', shape: 'ring', text: 'stopped' };
    default:
      return { fill: 'blue', shape: 'ring', text: 'connecting…' };
  }
}

/** monitorStatusView's text as a catalog key ("runtime.status.monitor.<key>"), for the node layer to translate. */
export function monitorStatusText(s: MonitorStatus, device: string): TextKey {
  const short = device.length > 28 ? `${device.slice(0, 27)}…` : device;
  const code = s.error?.code ?? 'E_SIP';
  switch (s.state) {
    case 'monitoring':
      return s.restarts > 0
        ? { key: 'monitor.again', params: { device: short, n: s.restarts } }
        : { key: 'monitor.monitoring', params: { device: short } };
    case 'lost':
      return { key: 'monitor.lost', params: { code } };
    case 'failed':
      return { key: 'monitor.failed', params: { code } };
    case 'stopped':
      return { key: 'monitor.stopped', params: {} };
    default:
      return { key: 'monitor.connecting', params: {} };
  }
}
