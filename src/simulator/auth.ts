// Server side of HTTP Basic and Digest (RFC 7617, RFC 7616 / 2617), written for the simulator
// alone so that it checks the client independently.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimDigestAlgorithm } from './types';

export interface AuthOptions {
  scheme: 'none' | 'basic' | 'digest';
  realm: string;
  algorithms: SimDigestAlgorithm[];
  qop: 'auth' | 'none';
  nonceLifetimeMs: number;
  /** read on every check, so a settings write of http_user/http_pass takes effect */
  credentials: () => { user: string; password: string };
}

export type AuthResult = { ok: true; user?: string } | { ok: false; reason: string; challenge: string[] };

interface NonceInfo {
  created: number;
  lastNc: number;
}

const MAX_NONCES = 4096;

/** Parses `Digest a="b", c=d, ...` parameters (quoted strings may hold commas and \" escapes). */
export function parseAuthParams(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /[\s,]/.test(s[i])) i++;
    const eq = s.indexOf('=', i);
    if (eq < 0) break;
    const name = s.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (i < s.length && s[i] === ' ') i++;
    let value = '';
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        value += s[i++];
      }
      i++;
    } else {
      const end = s.indexOf(',', i);
      value = (end < 0 ? s.slice(i) : s.slice(i, end)).trim();
      i = end < 0 ? s.length : end;
    }
    if (name) out[name] = value;
  }
  return out;
}

function hashFor(alg: string): (s: string) => string {
  const name = alg.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5';
  return (s: string) => createHash(name).update(s, 'utf8').digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ServerAuth {
  private readonly nonces = new Map<string, NonceInfo>();
  private readonly opaque = randomBytes(12).toString('hex');

  constructor(private readonly opts: AuthOptions) {}

  /** Forget every nonce (clients then get a fresh challenge). */
  reset(): void {
    this.nonces.clear();
  }

  check(method: string, url: string, authorization: string | undefined): AuthResult {
    if (this.opts.scheme === 'none') return { ok: true };
    if (this.opts.scheme === 'basic') return this.checkBasic(authorization);
    return this.checkDigest(method, url, authorization);
  }

  private checkBasic(header: string | undefined): AuthResult {
    const challenge = [`Basic realm="${this.opts.realm}"`];
    const m = header ? /^Basic\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) return { ok: false, reason: header ? 'not Basic credentials' : 'no credentials', challenge };
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const { user, password } = this.opts.credentials();
    if (colon >= 0 && sameText(decoded.slice(0, colon), user) && sameText(decoded.slice(colon + 1), password)) {
      return { ok: true, user };
    }
    return { ok: false, reason: 'wrong user or password', challenge };
  }

  private newNonce(): string {
    const now = Date.now();
    if (this.nonces.size >= MAX_NONCES / 2) {
      for (const [n, info] of this.nonces) {
        if (now - info.created > this.opts.nonceLifetimeMs) this.nonces.delete(n);
      }
    }
    while (this.nonces.size >= MAX_NONCES) {
      const oldest = this.nonces.keys().next().value as string;
      this.nonces.delete(oldest);
    }
    const nonce = randomBytes(16).toString('base64url');
    this.nonces.set(nonce, { created: now, lastNc: 0 });
    return nonce;
  }

  private digestChallenge(stale: boolean): string[] {
    const nonce = this.newNonce();
    return this.opts.algorithms.map((alg) => {
      const parts = [`realm="${this.opts.realm}"`];
      if (this.opts.qop === 'auth') parts.push('qop="auth"');
      parts.push(`algorithm=${alg}`, `nonce="${nonce}"`, `opaque="${this.opaque}"`);
      if (stale) parts.push('stale=true');
      return `Digest ${parts.join(', ')}`;
    });
  }

  private checkDigest(method: string, url: string, header: string | undefined): AuthResult {
    const fail = (reason: string, stale = false): AuthResult => ({
      ok: false,
      reason,
      challenge: this.digestChallenge(stale),
    });
    if (!header) return fail('no credentials');
    // Credentials in the URL arrive as Basic: a Digest phone does not fall back to them (docs/protocol.md §2.1).
    if (!/^Digest\s/i.test(header)) return fail('not Digest credentials');
    const p = parseAuthParams(header.replace(/^Digest\s+/i, ''));
    const alg = (p.algorithm ?? 'MD5') as SimDigestAlgorithm;
    const offered = this.opts.algorithms.find((a) => a.toLowerCase() === alg.toLowerCase());
    if (!offered) return fail(`algorithm ${alg} not offered`);
    const { user, password } = this.opts.credentials();
    if (!p.username || !p.nonce || !p.uri || !p.response || p.realm === undefined)
      return fail('incomplete Digest credentials');
    if (p.realm !== this.opts.realm) return fail('wrong realm');
    if (p.opaque !== this.opaque) return fail('opaque missing or wrong');
    if (!this.uriMatches(p.uri, url)) return fail('uri does not match the request');
    const withQop = this.opts.qop === 'auth';
    if (withQop) {
      if (p.qop !== 'auth') return fail('qop=auth required');
      if (!p.cnonce || !p.nc || !/^[0-9a-fA-F]{8}$/.test(p.nc)) return fail('cnonce and nc required with qop');
    } else if (p.qop) {
      return fail('qop not offered');
    }
    if (!sameText(p.username, user)) return fail('wrong user or password');
    const H = hashFor(offered);
    let ha1 = H(`${user}:${this.opts.realm}:${password}`);
    if (offered.endsWith('-sess')) {
      if (!p.cnonce) return fail('cnonce required with -sess');
      ha1 = H(`${ha1}:${p.nonce}:${p.cnonce}`);
    }
    const ha2 = H(`${method}:${p.uri}`);
    const expected = withQop ? H(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`) : H(`${ha1}:${p.nonce}:${ha2}`);
    if (!sameText(expected, p.response.toLowerCase())) return fail('wrong user or password');
    // The response is right; now the nonce must be ours, alive, and (with qop) not replayed.
    const info = this.nonces.get(p.nonce);
    if (!info || Date.now() - info.created > this.opts.nonceLifetimeMs) {
      this.nonces.delete(p.nonce);
      return fail('nonce expired', true);
    }
    if (withQop) {
      const nc = parseInt(p.nc, 16);
      if (nc <= info.lastNc) return fail(`nonce count ${p.nc} replayed`);
      info.lastNc = nc;
    }
    return { ok: true, user };
  }

  /** The digest uri must name the request target (absolute form allowed). */
  private uriMatches(uri: string, url: string): boolean {
    if (uri === url) return true;
    try {
      const u = new URL(uri);
      return u.pathname + u.search === url;
    } catch {
      return false;
    }
  }
}
