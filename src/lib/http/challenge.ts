/**
 * Parser for WWW-Authenticate (RFC 9110 §11.6.1): one header may hold several
 * challenges, and a response may carry several headers. Parameter values may be
 * quoted strings with commas and backslash escapes, so a plain split on ',' is wrong.
 */
export interface AuthChallenge {
  /** Scheme as sent, e.g. "Digest". Compare with `scheme.toLowerCase()`. */
  scheme: string;
  /** Parameter names lower-cased, values unquoted and unescaped. */
  params: Record<string, string>;
  /** token68 form (e.g. "Negotiate abc=="), when sent instead of parameters. */
  token68?: string;
}

const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/** tchar (RFC 9110 §5.6.2) by char code: a table, since the reader asks once per character. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TCHAR[c.charCodeAt(0)] = 1;
const SP = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  /** the char code here, NaN at the end */
  code(): number {
    return this.s.charCodeAt(this.pos);
  }
  skipWs(): void {
    for (let c = this.code(); c === SP || c === TAB; c = this.code()) this.pos++;
  }
  skipWsAndCommas(): void {
    for (let c = this.code(); c === SP || c === TAB || c === COMMA; c = this.code()) this.pos++;
  }
  token(): string {
    const start = this.pos;
    for (let c = this.code(); c < 128 && TCHAR[c] === 1; c = this.code()) this.pos++;
    return this.s.slice(start, this.pos);
  }
  atQuote(): boolean {
    return this.code() === DQUOTE;
  }
  quoted(): string {
    // Caller saw the opening quote. An unterminated string runs to the end (lenient).
    this.pos++;
    let out = '';
    let from = this.pos;
    while (!this.done) {
      const c = this.code();
      if (c === DQUOTE) {
        out += this.s.slice(from, this.pos++);
        return out;
      }
      if (c === BACKSLASH && this.pos + 1 < this.s.length) {
        // quoted-pair: the next character stands for itself
        out += this.s.slice(from, this.pos);
        from = this.pos + 1;
        this.pos += 2;
      } else this.pos++;
    }
    return out + this.s.slice(from);
  }
  /** True when a token followed by optional spaces and '=' starts here (an auth-param). */
  atParam(): boolean {
    const save = this.pos;
    const name = this.token();
    this.skipWs();
    const isParam = name.length > 0 && this.code() === EQUALS;
    this.pos = save;
    return isParam;
  }
}

function parseOne(header: string, out: AuthChallenge[]): void {
  const r = new Reader(header);
  for (;;) {
    r.skipWsAndCommas();
    if (r.done) return;
    const scheme = r.token();
    if (!scheme) {
      r.pos++; // junk character: skip it rather than loop
      continue;
    }
    // the parameter names are the server's text: no prototype to find "constructor" in
    const ch: AuthChallenge = { scheme, params: Object.create(null) as Record<string, string> };
    out.push(ch);
    r.skipWs();
    // token68 (e.g. "Negotiate abc==") : not a name=value pair, ends at comma or end
    const rest = r.s.slice(r.pos);
    const t68 = TOKEN68.exec(rest);
    if (t68 && !r.atParam()) {
      ch.token68 = t68[0];
      r.pos += t68[0].length;
      continue;
    }
    if (t68 && /^\s*(,|$)/.test(rest.slice(t68[0].length)) && /=$/.test(t68[0])) {
      // "Scheme abc=" : token68 ending in '=' with nothing after it
      ch.token68 = t68[0];
      r.pos += t68[0].length;
      continue;
    }
    // auth-params until something that is not name=value (the next scheme)
    for (;;) {
      r.skipWsAndCommas();
      if (r.done || !r.atParam()) break;
      const name = r.token().toLowerCase();
      r.skipWs();
      r.pos++; // '='
      r.skipWs();
      const value = r.atQuote() ? r.quoted() : r.token();
      if (!Object.hasOwn(ch.params, name)) ch.params[name] = value; // first one wins (RFC: must not repeat)
    }
  }
}

/** Parses one header value, or the list of values of a repeated header. */
export function parseWwwAuthenticate(header: string | string[] | undefined): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  if (header === undefined) return out;
  for (const h of Array.isArray(header) ? header : [header]) parseOne(h, out);
  return out;
}
