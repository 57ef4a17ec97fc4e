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

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  skipWs(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  skipWsAndCommas(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.pos++;
  }
  token(): string {
    const start = this.pos;
    while (!this.done && TCHAR.test(this.peek())) this.pos++;
    return this.s.slice(start, this.pos);
  }
  quoted(): string {
    // Caller saw the opening quote. An unterminated string runs to the end (lenient).
    this.pos++;
    let out = '';
    while (!this.done) {
      const c = this.s[this.pos++];
      if (c === '"') return out;
      if (c === '\\' && !this.done) out += this.s[this.pos++];
      else out += c;
    }
    return out;
  }
  /** True when a token followed by optional spaces and '=' starts here (an auth-param). */
  atParam(): boolean {
    const save = this.pos;
    const name = this.token();
    this.skipWs();
    const isParam = name.length > 0 && this.peek() === '=';
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
    const ch: AuthChallenge = { scheme, params: {} };
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
      const value = r.peek() === '"' ? r.quoted() : r.token();
      if (!(name in ch.params)) ch.params[name] = value; // first one wins (RFC: must not repeat)
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
