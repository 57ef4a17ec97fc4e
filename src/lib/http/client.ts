/**
 * The phone client: one per phone, used by every node. Requests run strictly one at
 * a time in arrival order (auth retries included) over one kept-alive connection.
 */
import { Client } from 'undici';

import { basicAuthorization } from './basic';
import { parseWwwAuthenticate } from './challenge';
import { chooseDigestChallenge, DigestSession } from './digest';
import {
  authError,
  ClosedError,
  DeadlineError,
  ErrorContext,
  httpError,
  isConnectionClosed,
  snomError,
  transportError,
} from './errors';
import { phoneOrigin } from './origin';
import { QueueFullError, SerialQueue } from './queue';
import { AuthMode, PhoneClientOptions, PhoneClientStats, PhoneRequest, PhoneResponse } from './types';

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_QUEUE_SIZE = 100;

type Scheme = 'none' | 'basic' | 'digest';

export class PhoneClient {
  readonly label: string;
  readonly origin: string;
  private readonly dispatcher: Client;
  private readonly queue: SerialQueue;
  private readonly mode: AuthMode;
  private readonly user: string;
  private readonly password: string;
  private readonly timeoutMs: number;
  private readonly secrets: string[];
  /** computed once: the same on every request */
  private readonly basicHeader: string;
  /** What 'auto' settled on after the first 401, so later requests pay no extra round trip. */
  private autoScheme: Scheme = 'none';
  private digest: DigestSession | undefined;
  private inFlight: AbortController | undefined;
  private closing: Promise<void> | undefined;
  private readonly counters: PhoneClientStats = { requests: 0, exchanges: 0, challenges: 0 };

  constructor(opts: PhoneClientOptions) {
    const o = phoneOrigin(opts.host, opts.port, opts.protocol);
    this.origin = o.origin;
    this.label = opts.name?.trim() || o.label;
    this.mode = opts.auth ?? 'auto';
    if (!['auto', 'basic', 'digest', 'none'].includes(this.mode)) {
      throw snomError({ phone: this.label, command: 'setup' }, 'E_INPUT', `unknown auth mode "${String(this.mode)}"`);
    }
    this.user = opts.user ?? '';
    this.password = opts.password ?? '';
    // A phone echoing the request in an error page must not leak it into messages.
    this.basicHeader = basicAuthorization(this.user, this.password);
    this.secrets = this.password ? [this.password, this.basicHeader.slice(6)] : [];
    this.timeoutMs = positive(opts.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.queue = new SerialQueue(Math.max(0, Math.floor(opts.queueSize ?? DEFAULT_QUEUE_SIZE)));
    this.dispatcher = new Client(this.origin, {
      pipelining: 1,
      connect: {
        timeout: this.timeoutMs,
        // Only this client's connections; never the process-wide TLS setting.
        rejectUnauthorized: !(o.protocol === 'https' && opts.allowSelfSigned === true),
      },
    });
  }

  /** Requests waiting behind the one in flight. */
  get queued(): number {
    return this.queue.waiting;
  }

  get stats(): PhoneClientStats {
    return { ...this.counters };
  }

  request(req: PhoneRequest): Promise<PhoneResponse> {
    const ctx = this.context(req);
    const bad = validate(req);
    if (bad) return Promise.reject(snomError(ctx, 'E_INPUT', bad));
    if (this.closing) return Promise.reject(transportError(ctx, new ClosedError()));
    return this.queue.run(() => this.execute(req, ctx)).catch((err: unknown) => {
      if (err instanceof QueueFullError) {
        throw snomError(ctx, 'E_BUSY', `${err.waiting} requests are already waiting for this phone`, { waiting: err.waiting });
      }
      throw transportError(ctx, err);
    });
  }

  /** Idempotent. Waiting and running requests fail with E_UNREACHABLE 'client closed'. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.queue.close(new ClosedError());
      this.inFlight?.abort(new ClosedError());
      await this.dispatcher.destroy().catch(() => undefined);
    })();
    return this.closing;
  }

  private context(req: PhoneRequest): ErrorContext {
    return { phone: this.label, command: String(req?.command || 'request'), secrets: this.secrets };
  }

  private async execute(req: PhoneRequest, ctx: ErrorContext): Promise<PhoneResponse> {
    const started = performance.now();
    const timeoutMs = positive(req.timeoutMs, this.timeoutMs);
    const ac = new AbortController();
    this.inFlight = ac;
    const timer = setTimeout(() => ac.abort(new DeadlineError(timeoutMs)), timeoutMs);
    const method = req.method ?? 'GET';
    this.counters.requests++;
    let exchanges = 0;
    let retried = false;
    try {
      for (;;) {
        if (this.closing) throw new ClosedError();
        const authorization = this.authorization(method, req);
        exchanges++;
        this.counters.exchanges++;
        let status: number;
        let headers: PhoneResponse['headers'];
        let body: string;
        try {
          const res = await this.dispatcher.request({
            path: req.path,
            method,
            headers: this.headers(req, authorization),
            body: req.body,
            signal: ac.signal,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
          });
          status = res.statusCode;
          headers = res.headers;
          body = await res.body.text();
        } catch (err) {
          if (ac.signal.aborted) throw transportError(ctx, ac.signal.reason);
          if (req.closeIsSuccess && isConnectionClosed(err)) {
            return { status: 0, headers: {}, body: '', durationMs: since(started), exchanges, closed: true };
          }
          throw transportError(ctx, err);
        }
        if (status === 401) {
          this.counters.challenges++;
          this.onUnauthorized(ctx, headers['www-authenticate'], retried, authorization);
          retried = true;
          continue;
        }
        if (status === 403) {
          throw authError(ctx, 'the phone refused access (HTTP 403): check user, password and the phone\'s access rules', 403);
        }
        const ok = (status >= 200 && status < 300) || (req.okStatuses ?? []).includes(status);
        if (ok || acceptsErrorBody(req, status, body)) {
          return { status, headers, body, durationMs: since(started), exchanges };
        }
        throw httpError(ctx, status, body);
      }
    } finally {
      clearTimeout(timer);
      if (this.inFlight === ac) this.inFlight = undefined;
    }
  }

  /** Decides what a 401 means: prepare one retry, or throw E_AUTH. Never loops. */
  private onUnauthorized(ctx: ErrorContext, header: string | string[] | undefined, retried: boolean, sent: string | undefined): void {
    if (this.mode === 'none') throw authError(ctx, 'the phone asks for a login (HTTP 401) but auth is set to none', 401);
    if (retried) throw authError(ctx, 'user or password not accepted (HTTP 401)', 401);
    if (!this.user) throw authError(ctx, 'the phone asks for a login (HTTP 401) but no user is configured', 401);
    const challenges = parseWwwAuthenticate(header);
    const digest = chooseDigestChallenge(challenges);
    const basicOffered = challenges.some((c) => c.scheme.toLowerCase() === 'basic');
    if (this.mode === 'basic') {
      // Basic went out preemptively, so this 401 is a rejection.
      throw authError(
        ctx,
        digest && !basicOffered
          ? 'the phone asks for Digest auth but auth is set to basic: set it to digest or auto'
          : 'user or password not accepted (HTTP 401)',
        401,
      );
    }
    if (digest) {
      // New challenge, stale nonce, or first contact: one retry with the fresh nonce.
      if (this.digest) this.digest.reset(digest);
      else this.digest = new DigestSession(digest, this.user, this.password);
      if (this.mode === 'auto') this.autoScheme = 'digest';
      return;
    }
    if (this.mode === 'digest') {
      throw authError(
        ctx,
        basicOffered
          ? 'the phone offers only Basic auth but auth is set to digest (refusing to send the password in clear)'
          : 'the phone sent no usable Digest challenge (HTTP 401)',
        401,
      );
    }
    if (basicOffered) {
      // Resending the same Basic credentials cannot help.
      if (sent?.startsWith('Basic ')) throw authError(ctx, 'user or password not accepted (HTTP 401)', 401);
      this.autoScheme = 'basic';
      return;
    }
    throw authError(ctx, 'the phone sent no usable auth challenge (HTTP 401)', 401);
  }

  private authorization(method: string, req: PhoneRequest): string | undefined {
    const scheme: Scheme = this.mode === 'auto' ? this.autoScheme : this.mode;
    if (scheme === 'basic') return this.basicHeader;
    if (scheme === 'digest' && this.digest) return this.digest.authorize(method, req.path, req.body);
    return undefined;
  }

  private headers(req: PhoneRequest, authorization: string | undefined): Record<string, string> {
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) {
      const key = k.toLowerCase();
      if (key !== 'authorization' && key !== 'host') h[key] = v;
    }
    if (req.contentType) h['content-type'] = req.contentType;
    if (authorization) h.authorization = authorization;
    if (req.noKeepAlive) h.connection = 'close';
    return h;
  }
}

function validate(req: PhoneRequest): string | undefined {
  if (!req || typeof req !== 'object') return 'no request given';
  if (typeof req.path !== 'string' || !req.path.startsWith('/')) return 'the request path must start with "/"';
  if (/[\s\x00-\x1f\x7f]/.test(req.path)) return 'the request path contains spaces or control characters (encode them)';
  if (req.method !== undefined && req.method !== 'GET' && req.method !== 'POST') return `method ${String(req.method)} is not GET or POST`;
  if (req.body !== undefined && typeof req.body !== 'string') return 'the request body must be a string';
  return undefined;
}

/** A throwing errorBodyOk callback counts as "no": the status stays an error. */
function acceptsErrorBody(req: PhoneRequest, status: number, body: string): boolean {
  try {
    return req.errorBodyOk?.(status, body) === true;
  } catch {
    return false;
  }
}

function positive(v: number | undefined, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

function since(start: number): number {
  return Math.round(performance.now() - start);
}

