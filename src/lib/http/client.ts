/**
 * The phone client: one per phone, used by every node. Requests run strictly one at
 * a time in arrival order (auth retries included) over one kept-alive connection.
 */
import type * as Undici from 'undici';

import { briefText } from '../errors';
import { positiveNumber } from '../util';
import { ClientShare } from './share';
import { parseWwwAuthenticate } from './challenge';
import { chooseDigestChallenge, DigestSession } from './digest';
import {
  authError,
  authModeError,
  busyError,
  ClosedError,
  DeadlineError,
  downgradeError,
  ErrorContext,
  httpError,
  isConnectionClosed,
  snomError,
  transportError,
} from './errors';
import { Abort, exchange } from './exchange';
import { phoneOrigin } from './origin';
import { QueueFullError, SerialQueue } from './queue';
import {
  AuthFloor,
  AuthMode,
  AuthScheme,
  PhoneClientOptions,
  PhoneClientStats,
  PhoneRequest,
  PhoneResponse,
} from './types';

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_QUEUE_SIZE = 100;

let undiciModule: typeof Undici | undefined;
/** undici, loaded with the first client: requiring it when Node-RED loads the nodes took most of the package's load time. */
export function undici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (undiciModule ??= require('undici') as typeof Undici);
}

export class PhoneClient {
  readonly label: string;
  readonly origin: string;
  private readonly dispatcher: Undici.Client;
  private readonly queue: SerialQueue;
  private readonly mode: AuthMode;
  private readonly user: string;
  /** Default per-request timeout. */
  readonly timeoutMs: number;
  private readonly floor: AuthFloor | undefined;
  /** redactor, Basic header, password hashes and connector: one set per configured phone (lib/phone.ts gives it to its msg.target phones) */
  readonly share: ClientShare;
  /** What 'auto' settled on after the first 401, so later requests pay no extra round trip. */
  private autoScheme: AuthScheme = 'none';
  /** 'auto' has seen what the phone wants (a challenge, or an answer without one). */
  private learned = false;
  private digest: DigestSession | undefined;
  /** The held nonce was accepted since the last rejected login: a plain 401 then means the phone forgot it. */
  private digestWorked = false;
  /**
   * Aborts the request in flight (deadline or close). One per client, replaced only once it fired:
   * requests run one at a time, so a fresh controller per request would buy nothing.
   */
  private abort = new Abort();
  /** When the request in flight passes its deadline (performance.now() ms); 0: none in flight. */
  private deadline = 0;
  private deadlineMs = 0;
  /** One timer per client, not per request: re-armed for the remaining time when it fires early. */
  private watchdog: NodeJS.Timeout | undefined;
  private watchdogAt = 0;
  private closing: Promise<void> | undefined;
  private readonly counters: PhoneClientStats = { requests: 0, exchanges: 0, challenges: 0 };

  constructor(opts: PhoneClientOptions) {
    const o = phoneOrigin(opts.host, opts.port, opts.protocol);
    this.origin = o.origin;
    this.label = opts.name?.trim() || o.label;
    this.mode = opts.auth ?? 'auto';
    if (!['auto', 'basic', 'digest', 'none'].includes(this.mode)) {
      throw authModeError({ phone: this.label, command: 'setup' }, this.mode);
    }
    this.user = opts.user ?? '';
    const password = opts.password ?? '';
    const given = opts.share;
    this.share = given?.holds(this.user, password) ? given : new ClientShare(this.user, password);
    this.floor = opts.authFloor;
    this.timeoutMs = positiveNumber(opts.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.queue = new SerialQueue(Math.max(0, Math.floor(opts.queueSize ?? DEFAULT_QUEUE_SIZE)));
    // a Digest nonce this phone accepted from an earlier (closed) client of the same config
    const kept = this.mode === 'digest' || this.mode === 'auto' ? this.share.takeNonce(this.origin) : undefined;
    if (kept) {
      this.digest = kept;
      this.digestWorked = true;
      if (this.mode === 'auto') {
        this.autoScheme = 'digest';
        this.learned = true;
      }
    }
    const u = undici();
    this.dispatcher = new u.Client(this.origin, {
      pipelining: 1,
      connect: this.share.connector(u, this.timeoutMs, !(o.protocol === 'https' && opts.allowSelfSigned === true)),
    });
  }

  /** Requests waiting behind the one in flight. */
  get queued(): number {
    return this.queue.waiting;
  }

  get stats(): PhoneClientStats {
    return { ...this.counters };
  }

  /** The scheme requests are signed with; undefined while 'auto' has not seen the phone's wish yet. */
  get scheme(): AuthScheme | undefined {
    if (this.mode !== 'auto') return this.mode;
    return this.learned ? this.autoScheme : undefined;
  }

  request(req: PhoneRequest): Promise<PhoneResponse> {
    // the error context (and its redactor) is made only when an error needs it
    let made: ErrorContext | undefined;
    const ctx = (): ErrorContext => (made ??= this.context(req));
    const bad = validate(req);
    if (bad) return Promise.reject(snomError(ctx(), 'E_INPUT', bad));
    if (this.closing) return Promise.reject(transportError(ctx(), new ClosedError()));
    return this.queue
      .run(() => this.execute(req, ctx))
      .catch((err: unknown) => {
        if (err instanceof QueueFullError) {
          throw busyError(ctx(), err.waiting);
        }
        throw transportError(ctx(), err);
      });
  }

  /**
   * Idempotent. Waiting and running requests fail with E_UNREACHABLE 'client closed'. `keepNonce`:
   * an idle release (lib/phone.ts), whose accepted Digest session the share keeps for the next client
   * of this phone; a redeploy's close keeps nothing, the share goes with the config.
   */
  close(opts: { keepNonce?: boolean } = {}): Promise<void> {
    this.closing ??= (async () => {
      if (opts.keepNonce && this.digest && this.digestWorked) this.share.keepNonce(this.origin, this.digest);
      // one error for all of it: closing a thousand msg.target clients made three errors (and stacks) each
      const closed = new ClosedError();
      this.queue.close(closed);
      this.abort.abort(closed);
      clearTimeout(this.watchdog);
      this.watchdog = undefined;
      await this.dispatcher.destroy(closed).catch(() => undefined);
    })();
    return this.closing;
  }

  private context(req: PhoneRequest): ErrorContext {
    const secrets = Array.isArray(req?.secrets) ? req.secrets.filter((x): x is string => typeof x === 'string') : [];
    const command = String(req?.command || 'request');
    return {
      phone: this.label,
      command: briefText(command, 80),
      redactor: secrets.length ? this.share.redactor.withSecrets(secrets) : this.share.redactor,
    };
  }

  /** Starts the deadline of the request in flight. */
  private arm(timeoutMs: number, now: number): void {
    this.deadline = now + timeoutMs;
    this.deadlineMs = timeoutMs;
    if (this.watchdog && this.watchdogAt <= this.deadline) return; // fires in time: it re-arms itself
    clearTimeout(this.watchdog);
    this.schedule(timeoutMs, now);
  }

  private schedule(ms: number, now: number): void {
    this.watchdogAt = now + ms;
    // unref: the request's socket keeps the process alive while it runs, the timer must not after it
    this.watchdog = setTimeout(() => this.onWatchdog(), ms).unref();
  }

  private onWatchdog(): void {
    this.watchdog = undefined;
    if (this.deadline === 0 || this.closing) return; // nothing in flight: the next request arms it again
    const now = performance.now();
    if (now < this.deadline) {
      this.schedule(Math.max(1, Math.ceil(this.deadline - now)), now);
      return;
    }
    this.deadline = 0;
    const fired = this.abort;
    this.abort = new Abort();
    fired.abort(new DeadlineError(this.deadlineMs));
  }

  private async execute(req: PhoneRequest, ctx: () => ErrorContext): Promise<PhoneResponse> {
    const started = performance.now();
    const timeoutMs = positiveNumber(req.timeoutMs, this.timeoutMs);
    const ac = this.abort;
    this.arm(timeoutMs, started);
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
          ({ status, headers, body } = await exchange(
            this.dispatcher,
            undici().util.parseHeaders,
            {
              path: req.path,
              method,
              headers: this.headers(req, authorization),
              body: req.body,
              headersTimeout: timeoutMs,
              bodyTimeout: timeoutMs,
            },
            ac,
          ));
        } catch (err) {
          if (ac.aborted) throw transportError(ctx(), ac.reason);
          if (req.closeIsSuccess && isConnectionClosed(err)) {
            return { status: 0, headers: {}, body: '', durationMs: since(started), exchanges, closed: true };
          }
          throw transportError(ctx(), err);
        }
        if (status === 401) {
          this.counters.challenges++;
          await this.onUnauthorized(ctx(), headers['www-authenticate'], retried, authorization);
          retried = true;
          continue;
        }
        this.onAnswered(authorization);
        if (status === 403) {
          throw authError(ctx(), 'forbidden', 403);
        }
        const ok = (status >= 200 && status < 300) || (req.okStatuses ?? []).includes(status);
        if (ok || acceptsErrorBody(req, status, body)) {
          return { status, headers, body, durationMs: since(started), exchanges };
        }
        throw httpError(ctx(), status, body);
      }
    } finally {
      this.deadline = 0;
    }
  }

  /** Notes what a non-401 answer tells about the login. */
  private onAnswered(sent: string | undefined): void {
    if (sent?.startsWith('Digest ')) this.digestWorked = true;
    if (this.mode === 'auto' && !this.learned && !sent) this.learned = true; // the phone wants no login
  }

  /**
   * Decides what a 401 means: prepare one retry, or throw E_AUTH. Never loops, and a wrong password
   * costs one failed login per request: a Digest retry happens only for a stale nonce, for the first
   * challenge (nothing signed was sent), or when the held nonce worked until now (the phone forgot it,
   * e.g. after a reboot); a rejected login is not repeated with the new nonce.
   */
  private async onUnauthorized(
    ctx: ErrorContext,
    header: string | string[] | undefined,
    retried: boolean,
    sent: string | undefined,
  ): Promise<void> {
    if (this.mode === 'none') throw authError(ctx, 'authNone', 401);
    const challenges = parseWwwAuthenticate(header);
    const digest = chooseDigestChallenge(challenges);
    const basicOffered = challenges.some((c) => c.scheme.toLowerCase() === 'basic');
    if (digest && this.mode !== 'basic' && this.user) {
      const signed = sent?.startsWith('Digest ') === true;
      const retry = !retried && (digest.stale || !signed || this.digestWorked);
      if (signed && !digest.stale) this.digestWorked = false;
      // adopt the new nonce either way: the next command signs with it
      if (this.digest) this.digest.reset(digest);
      else this.digest = new DigestSession(digest, this.user, (alg, realm) => this.share.passwordHash(alg, realm));
      if (this.mode === 'auto') {
        this.autoScheme = 'digest';
        this.learned = true;
      }
      if (!retry) throw authError(ctx, 'badLogin', 401);
      return;
    }
    if (retried) throw authError(ctx, 'badLogin', 401);
    if (!this.user) throw authError(ctx, 'noUser', 401);
    if (this.mode === 'basic') {
      // Basic went out preemptively, so this 401 is a rejection.
      throw authError(ctx, digest && !basicOffered ? 'wantsDigest' : 'badLogin', 401);
    }
    if (this.mode === 'digest') {
      throw authError(ctx, basicOffered ? 'onlyBasic' : 'noDigestChallenge', 401);
    }
    if (basicOffered) {
      // Resending the same Basic credentials cannot help.
      if (sent?.startsWith('Basic ')) throw authError(ctx, 'badLogin', 401);
      if (this.floor && (await this.floor.scheme()) === 'digest') {
        // no downgrade: a fleet phone never gets a weaker scheme than the configured phone uses
        throw downgradeError(ctx, this.floor.label);
      }
      this.autoScheme = 'basic';
      this.learned = true;
      return;
    }
    throw authError(ctx, 'noChallenge', 401);
  }

  private authorization(method: string, req: PhoneRequest): string | undefined {
    const scheme: AuthScheme = this.mode === 'auto' ? this.autoScheme : this.mode;
    if (scheme === 'basic') return this.share.basicHeader;
    if (scheme === 'digest' && this.digest) return this.digest.authorize(method, req.path, req.body);
    return undefined;
  }

  private headers(req: PhoneRequest, authorization: string | undefined): Record<string, string> {
    const h: Record<string, string> = {};
    if (req.headers) {
      for (const [k, v] of Object.entries(req.headers)) {
        const key = k.toLowerCase();
        if (key !== 'authorization' && key !== 'host') h[key] = v;
      }
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
  if (req.method !== undefined && req.method !== 'GET' && req.method !== 'POST')
    return `method ${JSON.stringify(String(req.method).slice(0, 20))} is not GET or POST`;
  if (req.body !== undefined && typeof req.body !== 'string') return 'the request body must be a string';
  if (req.secrets !== undefined && (!Array.isArray(req.secrets) || req.secrets.some((x) => typeof x !== 'string')))
    return 'secrets must be a list of strings';
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

function since(start: number): number {
  return Math.round(performance.now() - start);
}
