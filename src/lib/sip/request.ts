/**
 * The header block of a request we send, as a pure function, so that tests
 * can hold a message built with fixed ids against a written-out vector.
 */
import type { AuthAnswer } from './auth';
import { serializeRequest } from './message';

export interface RequestFields {
  method: string;
  requestUri: string;
  via: string;
  from: string;
  to: string;
  callId: string;
  cseq: number;
  /** Omitted for ACK, CANCEL and BYE, which need none. */
  contact?: string;
  routes?: readonly string[];
  auth?: readonly AuthAnswer[];
  userAgent?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: string;
  contentType?: string;
}

/** RFC 3261 §8.1.1: the mandatory headers first, Content-Length last. */
export function requestHeaders(f: RequestFields): Array<[string, string]> {
  const body = f.body ?? '';
  const h: Array<[string, string]> = [
    ['Via', f.via],
    ['Max-Forwards', '70'],
    ['From', f.from],
    ['To', f.to],
    ['Call-ID', f.callId],
    ['CSeq', `${f.cseq} ${f.method}`],
  ];
  if (f.contact !== undefined && f.method !== 'ACK' && f.method !== 'CANCEL' && f.method !== 'BYE')
    h.push(['Contact', f.contact]);
  for (const r of f.routes ?? []) h.push(['Route', r]);
  for (const a of f.auth ?? []) h.push([a.header, a.value]);
  if (f.userAgent !== undefined) h.push(['User-Agent', f.userAgent]);
  for (const [n, v] of f.headers ?? []) h.push([n, v]);
  if (body !== '' && f.contentType) h.push(['Content-Type', f.contentType]);
  h.push(['Content-Length', String(Buffer.byteLength(body, 'utf8'))]);
  return h;
}

export function renderRequest(f: RequestFields): Buffer {
  return serializeRequest(f.method, f.requestUri, requestHeaders(f), f.body ?? '');
}
