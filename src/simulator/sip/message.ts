// The simulator's own SIP message reader and writer, written from RFC 3261 §7, §20 and §25 (not from
// the client's code): start line, headers with folding and compact forms, Content-Length framing.

export const CRLF = '\r\n';

/** RFC 3261 §7.3.3 and the event packages' compact forms (RFC 6665 o/u, RFC 3515 r). */
const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  u: 'allow-events',
  r: 'refer-to',
};

/** Headers whose comma-separated values are separate entries (RFC 3261 §7.3.1). */
const LIST_HEADERS = new Set([
  'via',
  'route',
  'record-route',
  'contact',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'allow-events',
  'accept',
]);

export interface SipHeader {
  name: string;
  value: string;
}

interface Common {
  /** lower-case canonical names (compact forms expanded), in arrival order; list headers split */
  headers: SipHeader[];
  body: Buffer;
}
export interface SipRequest extends Common {
  kind: 'request';
  method: string;
  uri: string;
  version: string;
}
export interface SipResponse extends Common {
  kind: 'response';
  status: number;
  reason: string;
  version: string;
}
export type SipMessage = SipRequest | SipResponse;

/** Why a message could not be read; `status` is what a request gets back (400, 505), if anything. */
export class SipParseError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function canonicalName(name: string): string {
  const n = name.trim().toLowerCase();
  return COMPACT[n] ?? n;
}

/** Splits at commas that are outside quotes and angle brackets. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quote && ch === '\\' && i + 1 < value.length) {
      cur += ch + value[++i];
      continue;
    }
    if (ch === '"') quote = !quote;
    else if (!quote && ch === '<') angle = true;
    else if (!quote && ch === '>') angle = false;
    if (ch === ',' && !quote && !angle) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Reads the header section (the text before the empty line). */
function parseHead(head: string): { start: string; headers: SipHeader[] } {
  const lines = head.split(CRLF);
  const start = lines.shift() ?? '';
  const headers: SipHeader[] = [];
  const raw: string[] = [];
  for (const line of lines) {
    // Folded continuation lines (RFC 3261 §7.3.1) belong to the previous header.
    if (/^[ \t]/.test(line) && raw.length) raw[raw.length - 1] += ' ' + line.trim();
    else raw.push(line);
  }
  for (const line of raw) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(`malformed header line ${JSON.stringify(line.slice(0, 80))}`);
    const rawName = line.slice(0, colon).trim();
    if (!TOKEN.test(rawName)) throw new SipParseError(`malformed header name ${JSON.stringify(rawName.slice(0, 80))}`);
    const name = canonicalName(rawName);
    const value = line.slice(colon + 1).trim();
    if (LIST_HEADERS.has(name) && value !== '*') for (const v of splitList(value)) headers.push({ name, value: v });
    else headers.push({ name, value });
  }
  return { start, headers };
}

function parseStart(
  start: string,
):
  | { kind: 'request'; method: string; uri: string; version: string }
  | { kind: 'response'; status: number; reason: string; version: string } {
  const resp = /^(SIP\/\d+\.\d+) (\d{3}) ?(.*)$/i.exec(start);
  if (resp) return { kind: 'response', version: resp[1].toUpperCase(), status: Number(resp[2]), reason: resp[3] };
  const req = /^([A-Za-z0-9\-.!%*_+`'~]+) (\S+) (SIP\/\d+\.\d+)$/i.exec(start);
  if (!req) throw new SipParseError(`malformed start line ${JSON.stringify(start.slice(0, 120))}`);
  return { kind: 'request', method: req[1], uri: req[2], version: req[3].toUpperCase() };
}

/**
 * Reads one whole message (a UDP datagram, or one framed TCP message). For datagrams RFC 3261 §18.3
 * applies: bytes beyond Content-Length are dropped, a body shorter than Content-Length is an error.
 */
export function parseMessage(buf: Buffer): SipMessage {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) {
    if (buf.indexOf('\n\n') >= 0) throw new SipParseError('header lines must end in CRLF');
    throw new SipParseError('no empty line after the headers');
  }
  const { start, headers } = parseHead(buf.subarray(0, end).toString('utf8'));
  const first = parseStart(start);
  let body = buf.subarray(end + 4);
  const cl = headers.find((h) => h.name === 'content-length');
  if (cl) {
    if (!/^\d{1,9}$/.test(cl.value))
      throw new SipParseError(`malformed Content-Length ${JSON.stringify(cl.value.slice(0, 40))}`);
    const n = Number(cl.value);
    if (body.length < n) throw new SipParseError(`Content-Length ${n} is larger than the body (${body.length} bytes)`);
    body = body.subarray(0, n);
  }
  const msg = { ...first, headers, body } as SipMessage;
  if (msg.version !== 'SIP/2.0') throw new SipParseError(`SIP version ${msg.version} not supported`, 505);
  return msg;
}

/**
 * Cuts complete messages off the front of a TCP stream buffer (RFC 3261 §18.3: Content-Length frames
 * stream messages; a missing one means no body). Leading CRLFs are keep-alives (RFC 5626 §3.5.1).
 */
export function frameStream(buf: Buffer): { messages: Buffer[]; rest: Buffer; pings: number; error?: string } {
  const messages: Buffer[] = [];
  let pings = 0;
  let rest = buf;
  for (;;) {
    let skip = 0;
    while (rest.length - skip >= 2 && rest[skip] === 13 && rest[skip + 1] === 10) skip += 2;
    if (skip >= 4) pings += 1;
    rest = rest.subarray(skip);
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return { messages, rest, pings };
    const head = rest.subarray(0, end).toString('utf8');
    const m = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)[ \t]*$/im.exec(head);
    if (m && !/^\d{1,9}$/.test(m[1]))
      return { messages, rest, pings, error: `malformed Content-Length ${JSON.stringify(m[1].slice(0, 40))}` };
    const total = end + 4 + (m ? Number(m[1]) : 0);
    if (rest.length < total) return { messages, rest, pings };
    messages.push(rest.subarray(0, total));
    rest = rest.subarray(total);
  }
}

export function header(msg: { headers: SipHeader[] }, name: string): string | undefined {
  return msg.headers.find((h) => h.name === name)?.value;
}

export function headers(msg: { headers: SipHeader[] }, name: string): string[] {
  return msg.headers.filter((h) => h.name === name).map((h) => h.value);
}

/** `;a=b;c` parameters into a Map with lower-case names (values unquoted). */
export function parseParams(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of s.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    let value = eq < 0 ? '' : p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    out.set(name, value);
  }
  return out;
}

export interface Via {
  transport: string;
  host: string;
  port: number | undefined;
  params: Map<string, string>;
  raw: string;
}

/** One Via value: `SIP/2.0/UDP host[:port];params`. */
export function parseVia(raw: string): Via | undefined {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^\s:;]+)(?:\s*:\s*(\d{1,5}))?\s*(;.*)?$/i.exec(
    raw.trim(),
  );
  if (!m) return undefined;
  return {
    transport: m[1].toUpperCase(),
    host: m[2],
    port: m[3] ? Number(m[3]) : undefined,
    params: parseParams(m[4] ?? ''),
    raw: raw.trim(),
  };
}

export interface NameAddr {
  display: string;
  uri: string;
  /** header parameters (after the URI, or after `>`), e.g. tag */
  params: Map<string, string>;
}

/** From/To/Contact: `"Name" <uri>;params` or `uri;params` (RFC 3261 §20.10, §20.20). */
export function parseNameAddr(raw: string): NameAddr | undefined {
  const v = raw.trim();
  const lt = v.indexOf('<');
  if (lt >= 0) {
    const gt = v.indexOf('>', lt);
    if (gt < 0) return undefined;
    const uri = v.slice(lt + 1, gt).trim();
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) return undefined;
    return {
      display: v
        .slice(0, lt)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
      uri,
      params: parseParams(v.slice(gt + 1)),
    };
  }
  const semi = v.indexOf(';');
  const uri = (semi < 0 ? v : v.slice(0, semi)).trim();
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(uri)) return undefined;
  return { display: '', uri, params: parseParams(semi < 0 ? '' : v.slice(semi)) };
}

export interface SipUri {
  scheme: string;
  user: string;
  host: string;
  port: number | undefined;
  params: Map<string, string>;
}

/** A sip:/sips: URI: `sip:user@host:port;params?headers`. */
export function parseSipUri(uri: string): SipUri | undefined {
  const m = /^(sips?):(?:([^@;?]*)@)?(\[[^\]]+\]|[^:;?]+)(?::(\d{1,5}))?([^?]*)/i.exec(uri.trim());
  if (!m) return undefined;
  let user = (m[2] ?? '').replace(/:.*$/, '');
  try {
    user = decodeURIComponent(user);
  } catch {
    // a malformed %-escape stays as written
  }
  return {
    scheme: m[1].toLowerCase(),
    user,
    host: m[3],
    port: m[4] ? Number(m[4]) : undefined,
    params: parseParams(m[5] ?? ''),
  };
}

export function parseCSeq(v: string | undefined): { seq: number; method: string } | undefined {
  const m = v ? /^(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(v.trim()) : null;
  if (!m || Number(m[1]) >= 2 ** 31) return undefined;
  return { seq: Number(m[1]), method: m[2] };
}

/** `type/subtype` of Content-Type, lower case, without parameters. */
export function mediaType(v: string | undefined): string {
  return (v ?? '').split(';')[0].trim().toLowerCase();
}

export const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  505: 'Version Not Supported',
};

/** Writes a message; Content-Length is always added last, from the body. */
export function writeMessage(start: string, hdrs: Array<[string, string]>, body: Buffer | string = ''): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const lines = [
    start,
    ...hdrs.filter(([n]) => n.toLowerCase() !== 'content-length').map(([n, v]) => `${n}: ${v}`),
    `Content-Length: ${b.length}`,
  ];
  return Buffer.concat([Buffer.from(lines.join(CRLF) + CRLF + CRLF, 'utf8'), b]);
}
