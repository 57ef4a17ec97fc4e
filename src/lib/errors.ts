/** Stable error codes users match on in Catch nodes (README.md "Errors"). */
export type SnomErrorCode =
  'E_INPUT' | 'E_UNSUPPORTED' | 'E_AUTH' | 'E_TIMEOUT' | 'E_UNREACHABLE' | 'E_HTTP' | 'E_CSTA' | 'E_BUSY' | 'E_SIP';

export interface SnomErrorDetails {
  /** Phone name or host:port — never credentials. */
  phone?: string;
  /** Short command name, e.g. "key", "dial", "csta MakeCall". */
  command?: string;
  /** HTTP status where one was received. */
  status?: number;
  /** Normalised CSTA error value (E_CSTA), e.g. "invalidCallID". */
  cstaError?: string;
  /** The phone's own CSTA error text, as sent. */
  cstaText?: string;
  /** Anything else that helps (position of a bad key, excerpt of a body, ...). */
  [key: string]: unknown;
}

/** A message's key in the runtime catalogs ("runtime.errors.<key>") and the values it quotes. */
export interface TextKey {
  key: string;
  params: Record<string, string | number>;
  /** Parameters that are messages of their own (a reason quoted from another error), said in the same language. */
  inner?: Record<string, TextKey>;
}

/** The one error type the library throws; `code` is the contract, the message is for people. */
export class SnomError extends Error {
  readonly code: SnomErrorCode;
  readonly details: SnomErrorDetails;
  /** The message as a catalog key, for the node layer to say in the runtime's language (not enumerable). */
  declare text?: TextKey;

  constructor(code: SnomErrorCode, message: string, details: SnomErrorDetails = {}) {
    super(message);
    this.name = 'SnomError';
    this.code = code;
    this.details = details;
  }

  /**
   * Names the message's catalog entry; the English message stays as it is. `inner` gives the catalog
   * entries of parameters that quote another error's message (undefined: that one has none).
   */
  withText(
    key: string,
    params: Record<string, string | number> = {},
    inner: Record<string, TextKey | undefined> = {},
  ): this {
    const said = Object.entries(inner).filter((e): e is [string, TextKey] => e[1] !== undefined);
    const text: TextKey = said.length ? { key, params, inner: Object.fromEntries(said) } : { key, params };
    Object.defineProperty(this, 'text', { value: text, writable: true, configurable: true });
    return this;
  }

  get phone(): string | undefined {
    return this.details.phone;
  }

  get status(): number | undefined {
    return this.details.status;
  }

  /** `SnomError [E_CODE]: text`, as Node.js prints its coded errors: logs and Catch messages show the code. */
  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  /** Plain object for msg.error extras; safe to log (never holds secrets). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.details };
  }
}

export function isSnomError(e: unknown): e is SnomError {
  return e instanceof SnomError;
}

/** The most characters of user input an error text quotes: a 1 MB input must not make a 1 MB error or log line. */
export const MAX_QUOTE = 200;
/** Longest message an input error carries, whatever it quotes (a safety net behind quoteInput). */
const MAX_MESSAGE = 1000;

/** Text cut to at most `max` characters (… marks the cut); for excerpts of input inside error texts. */
export function briefText(text: string, max = MAX_QUOTE): string {
  return cut(text, max);
}

/** Text on one line (white space folded) and cut to at most `max` characters: excerpts of bodies and input. */
export function briefLine(text: string, max = MAX_QUOTE): string {
  return cut(text.replace(/\s+/g, ' ').trim(), max);
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  // never end on half a surrogate pair
  const end = /[\uD800-\uDBFF]/.test(text[max - 2] ?? '') ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/**
 * User input as an error text quotes it: strings in double quotes with control characters and lone
 * surrogates escaped, at most ~`max` characters; other values briefly (NaN, 10n, an array of 3, …).
 * Never throws, whatever the value (symbols, objects whose toString throws, cycles).
 */
export function quoteInput(value: unknown, max = MAX_QUOTE): string {
  try {
    switch (typeof value) {
      case 'string':
        return cut(JSON.stringify(cut(value, max)), max + 2);
      case 'number':
      case 'boolean':
      case 'undefined':
        return String(value);
      case 'bigint':
        return cut(`${value}n`, max);
      case 'symbol':
        return cut(value.toString(), max);
      case 'function':
        return 'a function';
      default:
        if (value === null) return 'null';
        if (Array.isArray(value)) return `an array of ${value.length}`;
        return 'an object';
    }
  } catch {
    return 'a value that cannot be shown';
  }
}

/** Error details hold input too: strings there are cut like quotes. */
function briefDetails(details: SnomErrorDetails): SnomErrorDetails {
  const out: SnomErrorDetails = {};
  for (const [k, v] of Object.entries(details)) out[k] = typeof v === 'string' ? cut(v, MAX_QUOTE) : v;
  return out;
}

/** Shorthand for bad user input: nothing has been sent when this is thrown. */
export function inputError(message: string, details: SnomErrorDetails = {}): SnomError {
  return new SnomError('E_INPUT', cut(message, MAX_MESSAGE), briefDetails(details));
}

export function unsupportedError(message: string, details: SnomErrorDetails = {}): SnomError {
  return new SnomError('E_UNSUPPORTED', cut(message, MAX_MESSAGE), briefDetails(details));
}
