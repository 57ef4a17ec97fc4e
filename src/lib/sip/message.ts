/**
 * SIP messages (RFC 3261 §7): parsing what a phone sends and writing what we
 * send. Parsing is lenient where phones are known to be (LF-only line ends,
 * compact header names, folded lines) and strict where a mistake would
 * misroute a response (start line, Via, CSeq).
 */

/** RFC 3261 §7.3.3 compact forms, plus the common extension ones. */
const COMPACT = new Map<string, string>([
  ['i', 'call-id'],
  ['m', 'contact'],
  ['e', 'content-encoding'],
  ['l', 'content-length'],
  ['c', 'content-type'],
  ['f', 'from'],
  ['s', 'subject'],
  ['k', 'supported'],
  ['t', 'to'],
  ['v', 'via'],
  ['o', 'event'],
  ['u', 'allow-events'],
  ['r', 'refer-to'],
  ['b', 'referred-by'],
  ['x', 'session-expires'],
]);

export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT.get(lower) ?? lower;
}

/** Ordered header list; lookups are case-insensitive and know the compact names. */
export class SipHeaders {
  private readonly list: Array<[string, string]> = [];

  constructor(entries: Iterable<readonly [string, string]> = []) {
    for (const [n, v] of entries) this.list.push([n, v]);
  }

  get(name: string): string | undefined {
    const key = canonicalHeaderName(name);
    return this.list.find(([n]) => canonicalHeaderName(n) === key)?.[1];
  }

  getAll(name: string): string[] {
    const key = canonicalHeaderName(name);
    return this.list.filter(([n]) => canonicalHeaderName(n) === key).map(([, v]) => v);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  add(name: string, value: string): void {
    this.list.push([name, value]);
  }

  /** Folded continuation line: appended to the last header. False when there is none. */
  extendLast(text: string): boolean {
    const last = this.list[this.list.length - 1];
    if (!last) return false;
    last[1] = `${last[1]} ${text}`;
    return true;
  }

  entries(): Array<[string, string]> {
    return this.list.map(([n, v]) => [n, v]);
  }

  /** Lower-case long names → value (or values when repeated). Null prototype: names come from the phone. */
  toJSON(): Record<string, string | string[]> {
    const out = Object.create(null) as Record<string, string | string[]>;
    for (const [n, v] of this.list) {
      const key = canonicalHeaderName(n);
      const prev = Object.hasOwn(out, key) ? out[key] : undefined;
      out[key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
}

export interface SipRequestMessage {
  kind: 'request';
  method: string;
  uri: string;
  headers: SipHeaders;
  body: string;
}

export interface SipResponseMessage {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

export type SipMessage = SipRequestMessage | SipResponseMessage;

const HEADER_NAME = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const METHOD = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Index of the blank line ending the header block, and its length (CRLFCRLF or LFLF). */
export function findHeaderEnd(buf: Buffer, from = 0): { index: number; length: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n', from, 'latin1');
  const lf = buf.indexOf('\n\n', from, 'latin1');
  if (crlf === -1 && lf === -1) return undefined;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { index: crlf, length: 4 };
  return { index: lf, length: 2 };
}

/**
 * Parses one message. `body` is whatever follows the headers; Content-Length,
 * when present, cuts it (a datagram may carry padding). Returns undefined for
 * anything that is not a SIP message.
 */
export function parseMessage(buf: Buffer): SipMessage | undefined {
  const end = findHeaderEnd(buf);
  const headText = (end ? buf.subarray(0, end.index) : buf).toString('utf8');
  const bodyBuf = end ? buf.subarray(end.index + end.length) : Buffer.alloc(0);
  const lines = headText.split(/\r?\n/);
  const start = lines.shift() ?? '';
  const headers = new SipHeaders();
  for (const line of lines) {
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      // Folded continuation (RFC 3261 §7.3.1): belongs to the previous header.
      if (!headers.extendLast(line.trim())) return undefined;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) return undefined;
    headers.add(name, line.slice(colon + 1).trim());
  }
  let body = bodyBuf;
  const cl = headers.get('content-length');
  if (cl !== undefined) {
    if (!/^\d+$/.test(cl)) return undefined;
    const n = Number(cl);
    if (n > bodyBuf.length) return undefined; // truncated datagram: RFC 3261 §18.3 says discard
    body = bodyBuf.subarray(0, n);
  }
  const text = body.toString('utf8');
  const resp = /^SIP\/2\.0 (\d{3})(?: (.*))?$/i.exec(start);
  if (resp) {
    const status = Number(resp[1]);
    if (status < 100 || status > 699) return undefined;
    return { kind: 'response', status, reason: resp[2] ?? '', headers, body: text };
  }
  const req = /^(\S+) (\S+) SIP\/2\.0$/i.exec(start);
  if (req && METHOD.test(req[1]))
    return { kind: 'request', method: req[1].toUpperCase(), uri: req[2], headers, body: text };
  return undefined;
}

/** Splits a header value at commas that are outside quotes and angle brackets. */
export function splitHeaderList(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      cur += c;
      if (c === '\\' && i + 1 < value.length) cur += value[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '<') angle = true;
    else if (c === '>') angle = false;
    else if (c === ',' && !angle) {
      if (cur.trim() !== '') out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** `;name=value;flag` → Map (names lower-cased, value null for a flag). */
export function parseParams(text: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const part of text.split(';')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq === -1) out.set(p.toLowerCase(), null);
    else
      out.set(
        p.slice(0, eq).trim().toLowerCase(),
        p
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return out;
}

export interface Via {
  transport: string;
  host: string;
  port?: number;
  params: Map<string, string | null>;
}

export function parseVia(value: string): Via | undefined {
  const m =
    /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[0-9A-Fa-f:.]+\]|[^\s:;]+)(?:\s*:\s*(\d{1,5}))?\s*((?:;.*)?)$/i.exec(
      value.trim(),
    );
  if (!m) return undefined;
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  return { transport: m[1].toUpperCase(), host, port: m[3] ? Number(m[3]) : undefined, params: parseParams(m[4]) };
}

/** All Via values of a message, top first (a header may hold several). */
export function viaValues(headers: SipHeaders): string[] {
  return headers.getAll('via').flatMap(splitHeaderList);
}

export function topVia(headers: SipHeaders): Via | undefined {
  const first = viaValues(headers)[0];
  return first === undefined ? undefined : parseVia(first);
}

export function parseCSeq(value: string | undefined): { seq: number; method: string } | undefined {
  const m = /^(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec((value ?? '').trim());
  if (!m) return undefined;
  const seq = Number(m[1]);
  if (seq > 0x7fffffff) return undefined;
  return { seq, method: m[2].toUpperCase() };
}

export interface NameAddr {
  display?: string;
  uri: string;
  params: Map<string, string | null>;
}

/** From/To/Contact/Route value: `"Name" <uri>;p=v`, `<uri>;p=v`, or a bare URI whose `;` params belong to the header. */
export function parseNameAddr(value: string): NameAddr | undefined {
  const v = value.trim();
  const lt = v.indexOf('<');
  if (lt !== -1) {
    const gt = v.indexOf('>', lt);
    if (gt === -1) return undefined;
    let display = v.slice(0, lt).trim();
    if (display.startsWith('"') && display.endsWith('"') && display.length >= 2) {
      display = display.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    return {
      display: display === '' ? undefined : display,
      uri: v.slice(lt + 1, gt).trim(),
      params: parseParams(v.slice(gt + 1)),
    };
  }
  if (v === '' || v === '*') return undefined;
  const semi = v.indexOf(';');
  return semi === -1
    ? { uri: v, params: new Map() }
    : { uri: v.slice(0, semi).trim(), params: parseParams(v.slice(semi)) };
}

export function tagOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const tag = parseNameAddr(value)?.params.get('tag');
  return tag === null || tag === '' ? undefined : tag;
}

export function serializeRequest(
  method: string,
  uri: string,
  headers: ReadonlyArray<readonly [string, string]>,
  body: string,
): Buffer {
  const head = [`${method} ${uri} SIP/2.0`, ...headers.map(([n, v]) => `${n}: ${v}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'utf8'), Buffer.from(body, 'utf8')]);
}

export function serializeResponse(
  status: number,
  reason: string,
  headers: ReadonlyArray<readonly [string, string]>,
  body: string,
): Buffer {
  const head = [`SIP/2.0 ${status} ${reason}`, ...headers.map(([n, v]) => `${n}: ${v}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'utf8'), Buffer.from(body, 'utf8')]);
}

/** Standard reason phrases for the responses we send. */
export const REASONS = new Map<number, string>([
  [200, 'OK'],
  [400, 'Bad Request'],
  [405, 'Method Not Allowed'],
  [415, 'Unsupported Media Type'],
  [481, 'Call/Transaction Does Not Exist'],
  [500, 'Server Internal Error'],
]);
