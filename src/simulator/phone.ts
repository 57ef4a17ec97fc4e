// One virtual Snom phone: an HTTP(S) server on 127.0.0.1 with auth, faults, a concurrency
// counter, the phone pages, the /sim control API and an extension point for more routes.
import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ServerAuth } from './auth';
import { extensions } from './extensions';
import { FaultInjector } from './faults';
import { isFormBody, readBody, send, sendHtml, sendJson } from './http-util';
import { modelInfo, type ModelInfo } from './phone-models';
import { registerPages } from './pages';
import { registerControlApi } from './control';
import { defaultSettings, SettingsStore } from './settings';
import { MAX_LOG, MAX_RECEIVED, MAX_RECEIVED_CHARS, newState } from './state';
import { simCertificate } from './certificate';
import type {
  SimHandler,
  SimMethod,
  SimPhoneConfig,
  SimReceived,
  SimRequest,
  SimService,
  SimSipPorts,
  SimState,
} from './types';

const ALGORITHMS = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'];
let unnamed = 0;

interface Route {
  handler: SimHandler;
  seq: number;
}

function validate(c: SimPhoneConfig): void {
  if (!c || typeof c !== 'object') throw new Error('simulator: a phone config object is required');
  if (typeof c.model !== 'string' || !c.model.trim())
    throw new Error('simulator: config.model is required, e.g. "D785"');
  if (typeof c.firmware !== 'string' || !/^\d+(\.\d+)*$/.test(c.firmware.trim())) {
    throw new Error(`simulator: config.firmware must look like "10.1.33.33", got ${JSON.stringify(c.firmware)}`);
  }
  if (!['none', 'basic', 'digest'].includes(c.auth))
    throw new Error('simulator: config.auth must be "none", "basic" or "digest"');
  if (c.port !== undefined && !(Number.isInteger(c.port) && c.port >= 0 && c.port <= 65535))
    throw new Error(`simulator: bad port ${c.port}`);
  if (c.host !== undefined && c.host !== '127.0.0.1') throw new Error('simulator: phones listen on 127.0.0.1 only');
  if (c.mac !== undefined && !/^[0-9a-fA-F]{12}$/.test(c.mac))
    throw new Error('simulator: config.mac must be 12 hex digits');
  for (const a of c.digestAlgorithms ?? [])
    if (!ALGORITHMS.includes(a)) throw new Error(`simulator: unknown digest algorithm ${a}`);
  if (c.digestAlgorithms && c.digestAlgorithms.length === 0)
    throw new Error('simulator: digestAlgorithms must not be empty');
  if (c.qop !== undefined && c.qop !== 'auth' && c.qop !== 'none')
    throw new Error('simulator: qop must be "auth" or "none"');
}

export class SimPhone extends EventEmitter {
  /** the config with every default filled in */
  readonly config: SimPhoneConfig & Required<Omit<SimPhoneConfig, 'port' | 'settings'>>;
  readonly info: ModelInfo;
  readonly mac: string;
  readonly settingsStore: SettingsStore;
  /** the live settings store */
  readonly settings: Map<string, string>;
  readonly faults = new FaultInjector();
  state: SimState;
  /** every phone-page request as it arrived (401s included), newest last; cleared by reset */
  received: SimReceived[] = [];
  /** started after the HTTP server and stopped with it (extensions add them, e.g. SIP) */
  readonly services: SimService[] = [];
  /** the SIP ports while the phone runs (set by the SIP extension), else null */
  sipPorts: SimSipPorts | null = null;

  private readonly auth: ServerAuth;
  private readonly routes = new Map<string, Route>();
  private readonly controlRoutes = new Map<string, Route>();
  private routeSeq = 0;
  private server: http.Server | null = null;
  private listeningPort = 0;
  private stopped = false;
  private readonly cleanups = new Set<() => void>();

  constructor(config: SimPhoneConfig) {
    super();
    validate(config);
    const name = config.name ?? `phone${++unnamed}`;
    this.info = modelInfo(config.model, config.firmware.trim());
    this.mac = (
      config.mac ??
      '000413' +
        createHash('sha1')
          .update(`${name}:${config.port ?? 0}:${config.model}`)
          .digest('hex')
          .slice(0, 6)
    ).toUpperCase();
    this.config = {
      ...config,
      name,
      host: '127.0.0.1',
      firmware: config.firmware.trim(),
      mac: this.mac,
      user: config.user ?? 'admin',
      password: config.password ?? '0000',
      digestAlgorithms: config.digestAlgorithms ?? ['MD5'],
      qop: config.qop ?? 'auth',
      nonceLifetimeMs: config.nonceLifetimeMs ?? 300000,
      realm: config.realm ?? `snom${this.info.id}`,
      https: config.https ?? false,
      identities: config.identities && config.identities.length ? [...config.identities] : ['sip:100@sim.local'],
      keepAliveMinibrowserDelayMs: config.keepAliveMinibrowserDelayMs ?? 8000,
      minibrowserFetchTimeoutMs: config.minibrowserFetchTimeoutMs ?? 5000,
      sip: config.sip ?? {},
    };
    const c = this.config;
    this.settingsStore = new SettingsStore({
      ...defaultSettings({
        mac: this.mac,
        modelId: this.info.id,
        firmware: c.firmware,
        user: c.user,
        password: c.password,
        auth: c.auth,
        identities: c.identities,
      }),
      ...(config.settings ?? {}),
    });
    this.settings = this.settingsStore.map;
    this.state = newState(c.identities);
    this.auth = new ServerAuth({
      scheme: c.auth,
      realm: c.realm,
      algorithms: c.digestAlgorithms,
      qop: c.qop,
      nonceLifetimeMs: c.nonceLifetimeMs,
      // http_user/http_pass live in the settings, so writing them changes the login like on a phone
      credentials: () => ({
        user: this.settings.get('http_user') ?? c.user,
        password: this.settings.get('http_pass') ?? c.password,
      }),
    });
    registerPages(this);
    registerControlApi(this);
    for (const ext of extensions) ext(this);
  }

  get port(): number {
    return this.listeningPort;
  }

  get url(): string {
    return `${this.config.https ? 'https' : 'http'}://127.0.0.1:${this.listeningPort}`;
  }

  get name(): string {
    return this.config.name;
  }

  /** Adds a phone page; a later route for the same method+path wins. */
  addRoute(method: SimMethod, pathname: string, handler: SimHandler): void {
    this.routes.set(`${method} ${pathname}`, { handler, seq: ++this.routeSeq });
  }

  /** Adds a JSON route under /sim/<subpath> (no auth, not counted). */
  addControlRoute(method: SimMethod | 'PUT' | 'DELETE', subpath: string, handler: SimHandler): void {
    this.controlRoutes.set(`${method} /sim/${subpath.replace(/^\/+/, '')}`, { handler, seq: ++this.routeSeq });
  }

  /** Appends to the ordered event log. */
  log(kind: string, data: object = {}): void {
    const log = this.state.log;
    const last = log[log.length - 1];
    log.push({ ...data, seq: last ? last.seq + 1 : 1, at: Date.now(), kind });
    if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
    this.emit('log', log[log.length - 1]);
  }

  /** Records a refused request (the phone does nothing of it). */
  reject(req: SimRequest, reason: string): void {
    const r = { method: req.method, path: req.pathname, query: req.rawQuery, reason, at: Date.now() };
    this.state.rejected.push(r);
    this.log('rejected', r);
  }

  /** Forgets everything the phone was asked (state, settings, faults); in-flight counts stay. */
  resetState(): void {
    const concurrent = this.state.concurrent;
    this.state = newState(this.config.identities);
    this.state.concurrent = concurrent;
    this.received = [];
    this.settingsStore.reset();
    this.faults.clear();
    this.emit('reset');
  }

  /** Registers something to undo on stop (timers, outgoing fetches). */
  onStop(fn: () => void): () => void {
    this.cleanups.add(fn);
    return () => this.cleanups.delete(fn);
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.stopped = false;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.onRequest(req, res).catch((err: unknown) => {
        this.log('error', { message: err instanceof Error ? err.message : String(err) });
        if (!res.headersSent) sendHtml(res, 500, 'snom VoIP phone: Error', 'Internal error');
        else res.destroy();
      });
    };
    const server = this.config.https ? https.createServer(simCertificate(), handler) : http.createServer(handler);
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.listeningPort = (server.address() as AddressInfo).port;
    try {
      for (const s of this.services) await s.start();
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.log('start', { url: this.url });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server || this.stopped) return;
    this.stopped = true;
    for (const fn of [...this.cleanups]) fn();
    this.cleanups.clear();
    this.faults.clear();
    await Promise.all(this.services.map((s) => s.stop()));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.server = null;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('Server', 'snom embedded');
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const urlQuery = q < 0 ? '' : rawUrl.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();

    if (pathname === '/sim' || pathname.startsWith('/sim/')) {
      const body = await readBody(req);
      const route = this.pick(this.controlRoutes, method, pathname);
      const simReq = this.simRequest(req, method, pathname, urlQuery, body, false);
      if (!route) return sendJson(res, 404, { error: `no control route ${method} ${pathname}` });
      return route.handler(simReq, res);
    }

    // Phone page: count it and keep it in the concurrency counter until the answer is done.
    const st = this.state;
    st.requests += 1;
    this.state.concurrent += 1;
    if (this.state.concurrent > this.state.maxConcurrent) this.state.maxConcurrent = this.state.concurrent;
    let done = false;
    res.on('close', () => {
      if (!done) {
        done = true;
        this.state.concurrent = Math.max(0, this.state.concurrent - 1);
      }
    });

    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return send(res, 413, 'text/plain', 'Request body too large');
    }
    const simReq = this.simRequest(req, method, pathname, urlQuery, body, method === 'POST');
    this.keepReceived({ method, target: rawUrl, contentType: req.headers['content-type'], body, at: Date.now() });

    const fault = this.faults.take();
    if (fault) {
      this.log('fault', { path: pathname, ...fault });
      if (fault.latencyMs) await this.sleep(fault.latencyMs);
      if (fault.reset) {
        req.socket.destroy();
        return;
      }
      if (fault.stall) {
        await this.faults.waitCleared();
        if (res.destroyed || this.stopped) return;
      }
      if (fault.status) return sendHtml(res, fault.status, 'snom VoIP phone: Error', `Error ${fault.status}`);
    }
    if (res.destroyed || this.stopped) return;

    const auth = this.auth.check(method, rawUrl, req.headers.authorization);
    if (!auth.ok) {
      this.state.challenges += 1;
      this.log('challenge', { path: pathname, reason: auth.reason });
      res.setHeader('WWW-Authenticate', auth.challenge);
      return sendHtml(res, 401, 'snom VoIP phone: Error', 'Unauthorized');
    }

    this.log('request', { method, path: pathname, query: simReq.rawQuery });
    this.emit('request', simReq);
    const route = this.pick(this.routes, method, pathname);
    if (!route) return sendHtml(res, 404, 'snom VoIP phone: Error', `Page ${pathname} not found`);
    await route.handler(simReq, res);
  }

  /** Keeps the newest requests within MAX_RECEIVED and MAX_RECEIVED_CHARS (a long-running snom-sim must not grow). */
  private keepReceived(r: SimReceived): void {
    this.received.push(r);
    let chars = 0;
    let keep = this.received.length;
    while (keep > 0 && this.received.length - keep < MAX_RECEIVED) {
      const e = this.received[keep - 1];
      if (chars + e.target.length + e.body.length > MAX_RECEIVED_CHARS && keep < this.received.length) break;
      chars += e.target.length + e.body.length;
      keep--;
    }
    if (keep > 0) this.received.splice(0, keep);
  }

  private pick(map: Map<string, Route>, method: string, pathname: string): Route | undefined {
    const exact = map.get(`${method} ${pathname}`);
    const any = map.get(`* ${pathname}`);
    if (exact && any) return exact.seq > any.seq ? exact : any;
    return exact ?? any;
  }

  private simRequest(
    req: http.IncomingMessage,
    method: string,
    pathname: string,
    urlQuery: string,
    body: string,
    mergeForm: boolean,
  ): SimRequest {
    let rawQuery = urlQuery;
    if (mergeForm && isFormBody(req.headers['content-type'], body)) {
      rawQuery = [urlQuery, body.trim()].filter(Boolean).join('&');
    }
    return {
      method,
      pathname,
      query: new URLSearchParams(rawQuery),
      rawQuery,
      body,
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress ?? '',
    };
  }

  /** A timer that ends early when the phone stops. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        off();
        resolve();
      }, ms);
      const off = this.onStop(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
