/**
 * One HTTP exchange through undici's dispatch API. Every answer the client reads is a short text,
 * so the body is gathered into a string as it arrives, without the stream, the async resource and
 * the abort listener that undici's `request()` builds for each request.
 */
import type * as Undici from 'undici';

export interface ExchangeResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Aborts the exchange in flight: one per client (requests run one at a time), replaced once fired.
 * An abort before the exchange starts fails it at once.
 */
export class Abort {
  aborted = false;
  reason: Error | undefined;
  /** the running exchange's abort */
  target: ((err: Error) => void) | undefined;

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.target?.(reason);
  }
}

type ParseHeaders = (raw: Buffer[]) => Record<string, string | string[]>;

/** undici's own legacy handler form (what `request()` uses inside); errors arrive as they would there. */
class Collector {
  private status = 0;
  private headers: Record<string, string | string[]> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private undiciAbort: ((err?: Error) => void) | undefined;

  constructor(
    private readonly parse: ParseHeaders,
    private readonly ac: Abort,
    private readonly resolve: (r: ExchangeResult) => void,
    private readonly reject: (err: Error) => void,
  ) {
    ac.target = (err) => this.undiciAbort?.(err);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.ac.aborted) abort(this.ac.reason);
    else this.undiciAbort = abort;
  }

  onHeaders(status: number, raw: Buffer[]): boolean {
    if (status < 200) return true; // 1xx: the answer is still to come
    this.status = status;
    this.headers = this.parse(raw);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  onComplete(): void {
    this.end();
    this.resolve({ status: this.status, headers: this.headers, body: decode(this.chunks, this.size) });
  }

  onError(err: Error): void {
    this.end();
    this.reject(err);
  }

  private end(): void {
    this.undiciAbort = undefined;
    this.ac.target = undefined;
  }
}

/** UTF-8 without a leading BOM, as undici's `body.text()`. */
function decode(chunks: Buffer[], size: number): string {
  if (size === 0) return '';
  const b = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  const start = b.length > 2 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  return b.toString('utf8', start);
}

export function exchange(
  dispatcher: Undici.Dispatcher,
  parse: ParseHeaders,
  opts: Undici.Dispatcher.DispatchOptions,
  ac: Abort,
): Promise<ExchangeResult> {
  if (ac.aborted) return Promise.reject(ac.reason);
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(opts, new Collector(parse, ac, resolve, reject));
  });
}
