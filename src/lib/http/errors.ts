/** Maps undici/Node errors and HTTP statuses to SnomError (README.md "Errors"; the statuses: docs/protocol.md §2.3). */
import { briefLine, SnomError, SnomErrorCode, type TextKey } from '../errors';
import { Redactor } from './redact';

export interface ErrorContext {
  phone: string;
  command: string;
  /** Strings removed from every text of the error wherever they stand (tokens). */
  secrets?: string[];
  /** The request's redactor (credentials and secrets); built from `secrets` when absent. */
  redactor?: Redactor;
}

/** Longest piece of foreign text (a body, a transport error) quoted in an error. */
export const QUOTE_MAX = 200;

/** Thrown into the AbortSignal when the request deadline passes. */
export class DeadlineError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * Thrown into the AbortSignal when the client is closed. Made without a stack: closing a thousand
 * msg.target clients at a redeploy made (and Node's stream destroy formatted) a stack per client, and
 * the error a user sees is the SnomError it becomes (transportError), which has its own.
 */
export class ClosedError extends Error {
  constructor() {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super('client closed');
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

const REFUSED = new Set(['ECONNREFUSED']);
const CLOSED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const NOROUTE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TLS = /CERT|SELF_SIGNED|ERR_TLS|ERR_SSL|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH/;

/** Error codes along the cause chain, outermost first. */
export function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

/** True when the peer closed or reset the connection without an answer. */
export function isConnectionClosed(err: unknown): boolean {
  return errorCodes(err).some((c) => CLOSED.has(c));
}

function redactorOf(ctx: ErrorContext): Redactor {
  return ctx.redactor ?? Redactor.of({ secrets: ctx.secrets });
}

/** Foreign text for a message: redacted, on one line, at most QUOTE_MAX characters. */
export function foreignText(ctx: ErrorContext, text: string): string {
  return bodyExcerpt(redactorOf(ctx).foreign(text), QUOTE_MAX);
}

/**
 * `what` is our wording with foreign parts already passed through foreignText; the listed
 * secrets are removed from the whole message and every string detail.
 */
export function snomError(
  ctx: ErrorContext,
  code: SnomErrorCode,
  what: string,
  extra: Record<string, unknown> = {},
  text?: TextKey,
): SnomError {
  const r = redactorOf(ctx);
  const message = r.own(`Phone ${ctx.phone}: ${ctx.command} failed: ${what}`);
  const details: Record<string, unknown> = { phone: r.own(ctx.phone), command: r.own(ctx.command) };
  for (const [k, v] of Object.entries(extra)) details[k] = typeof v === 'string' ? r.own(v) : v;
  const e = new SnomError(code, message, details);
  if (!text) return e;
  const params: TextKey['params'] = { ...text.params, phone: String(details.phone), command: String(details.command) };
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string') params[k] = r.own(v);
  return e.withText(`http.${text.key}`, params);
}

/** An error for one of the fixed reasons below: its English said once, its catalog key passed with it. */
function reasonError(
  ctx: ErrorContext,
  code: SnomErrorCode,
  reason: Reason,
  extra: Record<string, unknown> = {},
): SnomError {
  return snomError(ctx, code, REASONS[reason], extra, text(reason, {}));
}

/** The fixed reasons of HTTP errors by catalog key ("runtime.errors.http.<key>"), in English. */
export const REASONS = {
  closed: 'client closed',
  noAnswer: 'the phone did not answer in time',
  refused: 'connection refused (wrong port, or the web server is off?)',
  dns: 'host name not found',
  noRoute: 'no route to the phone (off or on another network?)',
  hungUp: 'the phone closed the connection without an answer',
  forbidden: "the phone refused access (HTTP 403): check user, password and the phone's access rules",
  authNone: 'the phone asks for a login (HTTP 401) but auth is set to none',
  badLogin: 'user or password not accepted (HTTP 401)',
  noUser: 'the phone asks for a login (HTTP 401) but no user is configured',
  wantsDigest: 'the phone asks for Digest auth but auth is set to basic: set it to digest or auto',
  onlyBasic: 'the phone offers only Basic auth but auth is set to digest (refusing to send the password in clear)',
  noDigestChallenge: 'the phone sent no usable Digest challenge (HTTP 401)',
  noChallenge: 'the phone sent no usable auth challenge (HTTP 401)',
  connectionFailed: 'connection failed',
} as const;
export type Reason = keyof typeof REASONS;

/** Transport failure (no HTTP status) → E_TIMEOUT / E_UNREACHABLE / E_INPUT. */
export function transportError(ctx: ErrorContext, err: unknown): SnomError {
  if (err instanceof SnomError) return err;
  if (err instanceof DeadlineError)
    return snomError(
      ctx,
      'E_TIMEOUT',
      err.message,
      { timeoutMs: err.timeoutMs },
      text('timeout', { ms: err.timeoutMs }),
    );
  if (err instanceof ClosedError) return reasonError(ctx, 'E_UNREACHABLE', 'closed');
  const codes = errorCodes(err);
  if (codes.includes('UND_ERR_DESTROYED') || codes.includes('UND_ERR_CLOSED'))
    return reasonError(ctx, 'E_UNREACHABLE', 'closed');
  const has = (set: Set<string>) => codes.find((c) => set.has(c));
  let c: string | undefined;
  if ((c = has(TIMEOUTS))) return reasonError(ctx, 'E_TIMEOUT', 'noAnswer', { errorCode: c });
  if ((c = has(REFUSED))) return reasonError(ctx, 'E_UNREACHABLE', 'refused', { errorCode: c });
  if ((c = has(DNS))) return reasonError(ctx, 'E_UNREACHABLE', 'dns', { errorCode: c });
  if ((c = has(NOROUTE))) return reasonError(ctx, 'E_UNREACHABLE', 'noRoute', { errorCode: c });
  if ((c = has(CLOSED))) return reasonError(ctx, 'E_UNREACHABLE', 'hungUp', { errorCode: c });
  if ((c = codes.find((x) => TLS.test(x)))) {
    return snomError(
      ctx,
      'E_UNREACHABLE',
      `TLS certificate not accepted (${c}); phones ship self-signed certificates: enable "accept self-signed certificate" if you trust this phone`,
      { errorCode: c },
      text('tls', { errorCode: c }),
    );
  }
  if (codes.includes('UND_ERR_INVALID_ARG')) {
    const reason = foreignText(ctx, (err as Error).message);
    return snomError(
      ctx,
      'E_INPUT',
      `invalid request (${reason})`,
      { errorCode: 'UND_ERR_INVALID_ARG' },
      text('invalidRequest', { reason }),
    );
  }
  const msg = foreignText(ctx, err instanceof Error ? err.message : String(err));
  const extra = codes[0] ? { errorCode: codes[0] } : {};
  // a reason only the transport knows: the frame in the runtime's language, the reason as it came
  if (msg) return snomError(ctx, 'E_UNREACHABLE', msg, extra, text('transport', { reason: msg }));
  return reasonError(ctx, 'E_UNREACHABLE', 'connectionFailed', extra);
}

const text = (key: string, params: TextKey['params']): TextKey => ({ key, params });

/** A short, single-line excerpt of a response body for messages (max 200 chars). */
export function bodyExcerpt(body: string, max = 200): string {
  return briefLine(body, max);
}

export function httpError(ctx: ErrorContext, status: number, body: string): SnomError {
  const excerpt = foreignText(ctx, body); // redacted before the cut: a cut could split a secret
  return snomError(
    ctx,
    'E_HTTP',
    `the phone answered HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`,
    { status, body: excerpt },
    text(excerpt ? 'status' : 'statusOnly', { status, body: excerpt }),
  );
}

/** A refused login (E_AUTH) for one of the fixed reasons. */
export function authError(ctx: ErrorContext, reason: Reason, status?: number): SnomError {
  return reasonError(ctx, 'E_AUTH', reason, status === undefined ? {} : { status });
}

/** The phone's queue is full (E_BUSY): nothing was sent. */
export function busyError(ctx: ErrorContext, waiting: number): SnomError {
  return snomError(
    ctx,
    'E_BUSY',
    `${waiting} requests are already waiting for this phone`,
    { waiting },
    text('queueFull', { waiting }),
  );
}

/** A fleet phone asks for Basic while the configured phone uses Digest: no downgrade. */
export function downgradeError(ctx: ErrorContext, floor: string): SnomError {
  return snomError(
    ctx,
    'E_AUTH',
    `the phone asks for Basic auth, but ${floor} uses Digest: the password is not sent in clear to another phone (set auth to basic on the configured phone if that is meant)`,
    { status: 401 },
    text('downgrade', { floor }),
  );
}

/** An auth mode other than auto, basic, digest or none (a hand-edited flow). */
export function authModeError(ctx: ErrorContext, mode: unknown): SnomError {
  const said = briefLine(String(mode), 40);
  return snomError(ctx, 'E_INPUT', `unknown auth mode "${said}"`, {}, text('authMode', { mode: said }));
}
