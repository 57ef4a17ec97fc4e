/**
 * HTTP Digest access authentication, RFC 7616 (and the RFC 2069 form without qop).
 * Pure functions plus a small session that reuses a nonce with an increasing nc,
 * so that a phone costs one HTTP exchange per command instead of two.
 */
import * as crypto from 'node:crypto';
import { AuthChallenge, parseWwwAuthenticate } from './challenge';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
export type DigestQop = 'auth' | 'auth-int';

/** Strongest first (the order in which a challenge is chosen). */
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256-sess', 'SHA-256', 'MD5-sess', 'MD5'];

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** The qop we will use; undefined means the RFC 2069 form (server offered none). */
  qop?: DigestQop;
  stale: boolean;
  userhash: boolean;
}

/** Canonical algorithm name, or undefined for one we do not support. Missing means MD5 (RFC 7616 §3.3). */
export function normalizeAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined || value === '') return 'MD5';
  const v = value.toLowerCase();
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === v);
}

/** Turns one parsed Digest challenge into something usable, or undefined when it is not. */
export function toDigestChallenge(ch: AuthChallenge): DigestChallenge | undefined {
  if (ch.scheme.toLowerCase() !== 'digest') return undefined;
  const p = ch.params;
  if (p.nonce === undefined || p.realm === undefined) return undefined;
  const algorithm = normalizeAlgorithm(p.algorithm);
  if (!algorithm) return undefined;
  let qop: DigestQop | undefined;
  if (p.qop !== undefined) {
    const offered = p.qop.split(',').map((q) => q.trim().toLowerCase());
    // 'auth' preferred: 'auth-int' forces hashing the body for no gain on a LAN phone
    if (offered.includes('auth')) qop = 'auth';
    else if (offered.includes('auth-int')) qop = 'auth-int';
    else return undefined;
  }
  // -sess binds HA1 to a cnonce, and only a qop request carries one (RFC 2617 §3.2.2): signing would surely fail a login
  if (qop === undefined && algorithm.endsWith('-sess')) return undefined;
  return {
    realm: p.realm,
    nonce: p.nonce,
    opaque: p.opaque,
    algorithm,
    qop,
    stale: (p.stale ?? '').toLowerCase() === 'true',
    userhash: (p.userhash ?? '').toLowerCase() === 'true',
  };
}

/** The strongest usable Digest challenge among all WWW-Authenticate values, if any. */
export function chooseDigestChallenge(
  header: string | string[] | AuthChallenge[] | undefined,
): DigestChallenge | undefined {
  const list = isChallengeList(header) ? header : parseWwwAuthenticate(header);
  let best: DigestChallenge | undefined;
  for (const ch of list) {
    const d = toDigestChallenge(ch);
    if (d && (!best || DIGEST_ALGORITHMS.indexOf(d.algorithm) < DIGEST_ALGORITHMS.indexOf(best.algorithm))) best = d;
  }
  return best;
}

function isChallengeList(v: unknown): v is AuthChallenge[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null);
}

export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  const h = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  // crypto.hash (Node ≥ 20.12) hashes in one call, without a Hash object per value
  if (typeof crypto.hash === 'function') return crypto.hash(h, data, 'hex');
  return crypto.createHash(h).update(data, 'utf8').digest('hex');
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  realm: string;
  nonce: string;
  user: string;
  password: string;
  method: string;
  uri: string;
  qop?: DigestQop;
  /** 8 hex digits, required with qop. */
  nc?: string;
  cnonce?: string;
  /** Entity body, for qop=auth-int. */
  body?: string;
}

export function computeHA1(i: DigestInput): string {
  const base = digestHash(i.algorithm, `${i.user}:${i.realm}:${i.password}`);
  if (!i.algorithm.endsWith('-sess')) return base;
  return digestHash(i.algorithm, `${base}:${i.nonce}:${i.cnonce ?? ''}`);
}

export function computeHA2(i: DigestInput): string {
  if (i.qop === 'auth-int') {
    return digestHash(i.algorithm, `${i.method}:${i.uri}:${digestHash(i.algorithm, i.body ?? '')}`);
  }
  return digestHash(i.algorithm, `${i.method}:${i.uri}`);
}

/** The `response` value: KD(HA1, nonce:nc:cnonce:qop:HA2), or H(HA1:nonce:HA2) without qop. */
export function computeDigestResponse(i: DigestInput): string {
  const ha1 = computeHA1(i);
  const ha2 = computeHA2(i);
  if (!i.qop) return digestHash(i.algorithm, `${ha1}:${i.nonce}:${ha2}`);
  return digestHash(i.algorithm, `${ha1}:${i.nonce}:${i.nc}:${i.cnonce}:${i.qop}:${ha2}`);
}

function quote(v: string): string {
  if (!v.includes('"') && !v.includes('\\')) return '"' + v + '"';
  return '"' + v.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

/** The user's field: username, username* (RFC 7616 §3.4.4: non-ASCII names, RFC 5987) or the userhash. */
function userField(ch: DigestChallenge, user: string): string {
  if (ch.userhash) return `username=${quote(digestHash(ch.algorithm, `${user}:${ch.realm}`))}, userhash=true`;
  if (/^[\x20-\x7e]*$/.test(user)) return `username=${quote(user)}`;
  return `username*=UTF-8''${encodeURIComponent(user)}`;
}

/** Builds the Authorization header value for one request. */
export function buildDigestAuthorization(ch: DigestChallenge, i: DigestInput): string {
  let h = `Digest ${userField(ch, i.user)}, realm=${quote(ch.realm)}, uri=${quote(i.uri)}`;
  h += `, algorithm=${ch.algorithm}, nonce=${quote(ch.nonce)}`;
  if (ch.qop) h += `, nc=${i.nc}, cnonce=${quote(i.cnonce ?? '')}, qop=${ch.qop}`;
  const response = computeDigestResponse({
    ...i,
    algorithm: ch.algorithm,
    realm: ch.realm,
    nonce: ch.nonce,
    qop: ch.qop,
  });
  h += `, response="${response}"`;
  if (ch.opaque !== undefined) h += `, opaque=${quote(ch.opaque)}`;
  return h;
}

/** Random bytes drawn 4 KiB at a time (as Node's randomUUID does): one CSPRNG call per 256 cnonces. */
let pool: Buffer | undefined;
let used = 0;

export function newCnonce(): string {
  if (!pool || used + 16 > pool.length) {
    pool = crypto.randomBytes(4096);
    used = 0;
  }
  const cnonce = pool.toString('hex', used, used + 16);
  used += 16;
  return cnonce;
}

/** H(user:realm:password) for a realm, from a cache the phones of one configured phone share. */
export type PasswordHash = (algorithm: DigestAlgorithm, realm: string) => string;

/**
 * One server nonce and its counter. nc starts at 1 and grows by one per request (8 hex digits).
 * One cnonce per nonce: RFC 7616 §3.4 makes nonce + nc + cnonce unique per request, and nc does
 * that alone, so a cnonce can be reused with a rising nc. The -sess algorithms need it: their
 * session key is bound to the first cnonce (RFC 2617 §3.2.2.2). What stays the same for every
 * request of a nonce (HA1, the fixed header fields) is computed at its first request, and the
 * password's hash H(user:realm:password) only again when the realm or the algorithm changes.
 */
export class DigestSession {
  private nc = 0;
  /** made per nonce, at its first request */
  private fixed: NonceParts | undefined;
  private base: { key: string; ha1: string } | undefined;

  constructor(
    private challenge: DigestChallenge,
    private readonly user: string,
    /** the password, or its hash per realm (ClientShare) */
    private readonly password: string | PasswordHash,
    private readonly makeCnonce: () => string = newCnonce,
  ) {}

  get current(): DigestChallenge {
    return this.challenge;
  }

  /** Requests signed with the current nonce. */
  get count(): number {
    return this.nc;
  }

  /** Adopt a new challenge (stale nonce or a fresh one): nc restarts, with a new cnonce. */
  reset(ch: DigestChallenge): void {
    this.challenge = ch;
    this.nc = 0;
    this.fixed = undefined;
  }

  authorize(method: string, uri: string, body?: string): string {
    const ch = this.challenge;
    const f = (this.fixed ??= this.prepare());
    this.nc = (this.nc + 1) % 0x100000000;
    const nc = this.nc.toString(16).padStart(8, '0');
    const ha2 =
      ch.qop === 'auth-int'
        ? digestHash(ch.algorithm, `${method}:${uri}:${digestHash(ch.algorithm, body ?? '')}`)
        : digestHash(ch.algorithm, `${method}:${uri}`);
    // the header as buildDigestAuthorization writes it, from the parts computed once per nonce
    if (!ch.qop) {
      const response = digestHash(ch.algorithm, `${f.ha1}:${ch.nonce}:${ha2}`);
      return `${f.head}${quote(uri)}${f.mid}, response="${response}"${f.tail}`;
    }
    const response = digestHash(ch.algorithm, `${f.ha1}:${ch.nonce}:${nc}:${f.cnonce}:${ch.qop}:${ha2}`);
    return `${f.head}${quote(uri)}${f.mid}, nc=${nc}, cnonce=${f.quotedCnonce}, qop=${ch.qop}, response="${response}"${f.tail}`;
  }

  private prepare(): NonceParts {
    const ch = this.challenge;
    const key = `${ch.algorithm}\n${ch.realm}`;
    if (this.base?.key !== key) {
      const pw = this.password;
      const ha1 =
        typeof pw === 'function'
          ? pw(ch.algorithm, ch.realm)
          : digestHash(ch.algorithm, `${this.user}:${ch.realm}:${pw}`);
      this.base = { key, ha1 };
    }
    const cnonce = ch.qop ? this.makeCnonce() : '';
    return {
      ha1: ch.algorithm.endsWith('-sess')
        ? digestHash(ch.algorithm, `${this.base.ha1}:${ch.nonce}:${cnonce}`)
        : this.base.ha1,
      cnonce,
      quotedCnonce: quote(cnonce),
      head: `Digest ${userField(ch, this.user)}, realm=${quote(ch.realm)}, uri=`,
      mid: `, algorithm=${ch.algorithm}, nonce=${quote(ch.nonce)}`,
      tail: ch.opaque !== undefined ? `, opaque=${quote(ch.opaque)}` : '',
    };
  }
}

/** What stays the same for every request signed with one nonce. */
interface NonceParts {
  ha1: string;
  cnonce: string;
  quotedCnonce: string;
  head: string;
  mid: string;
  tail: string;
}
