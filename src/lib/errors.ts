/** Stable error codes users match on in Catch nodes (design.md "Errors"). */
export type SnomErrorCode =
  | 'E_INPUT'
  | 'E_UNSUPPORTED'
  | 'E_AUTH'
  | 'E_TIMEOUT'
  | 'E_UNREACHABLE'
  | 'E_HTTP'
  | 'E_CSTA'
  | 'E_BUSY'
  | 'E_SIP';

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

/** The one error type the library throws; `code` is the contract, the message is for people. */
export class SnomError extends Error {
  readonly code: SnomErrorCode;
  readonly details: SnomErrorDetails;

  constructor(code: SnomErrorCode, message: string, details: SnomErrorDetails = {}) {
    super(message);
    this.name = 'SnomError';
    this.code = code;
    this.details = details;
  }

  get phone(): string | undefined {
    return this.details.phone;
  }

  get status(): number | undefined {
    return this.details.status;
  }

  /** Plain object for msg.error extras; safe to log (never holds secrets). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.details };
  }
}

export function isSnomError(e: unknown): e is SnomError {
  return e instanceof SnomError;
}

/** Shorthand for bad user input: nothing has been sent when this is thrown. */
export function inputError(message: string, details: SnomErrorDetails = {}): SnomError {
  return new SnomError('E_INPUT', message, details);
}

export function unsupportedError(message: string, details: SnomErrorDetails = {}): SnomError {
  return new SnomError('E_UNSUPPORTED', message, details);
}
