/**
 * Redaction of error texts. Our own text (labels, command names, fixed wording) loses only the
 * listed secrets: long random tokens and the Basic token, wherever they stand. Foreign text (a
 * phone's body, a transport error) also loses credentials where they stand as credentials: an
 * Authorization value, `user:password@`, `…pass=…`, a query value equal to the password. A short
 * password is a word, so it is never blanked as a substring: password "snom" must not turn
 * "snom reception" into "*** reception".
 */

const MASK = '***';

/** A password this long is removed wherever it stands in foreign text: a match that long is the password. */
export const LONG_PASSWORD = 8;

/** Foreign text is cut to this before redaction (bounded work), then excerpted far shorter. */
export const REDACT_INPUT_MAX = 65536;

type Rule = (text: string) => string;

function escapeChar(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function hexCi(d: string): string {
  return /[A-F]/.test(d) ? `[${d}${d.toLowerCase()}]` : d;
}

/** Regex source matching `s` with each character raw or percent-encoded (either case); a space also as '+'. */
export function encodedPattern(s: string): string {
  let out = '';
  for (const ch of s) {
    const pct = [...Buffer.from(ch, 'utf8')]
      .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
      .map((h) => `%${hexCi(h[0])}${hexCi(h[1])}`)
      .join('');
    const alts = [escapeChar(ch), pct];
    if (ch === ' ') alts.push('\\+');
    out += `(?:${alts.join('|')})`;
  }
  return out;
}

function replaceAll(source: string, flags = 'g'): Rule {
  const re = new RegExp(source, flags);
  return (t) => t.replace(re, MASK);
}

// Authorization values: the Digest parameters (the response is an offline-crackable hash) and a Basic token
const DIGEST_PARAMS = /\bDigest\s+(?:[\w*-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^\s,"<>]*)(?:\s*,\s*)?)+/gi;
const BASIC_HEADER = /(\bAuthorization\s*:\s*Basic\s+)[A-Za-z0-9+/_-]+=*/gi;
const USERINFO = /(\/\/[^\s/?#@:"'<>]*):[^\s/?#@"'<>]*@/g;
// setting or form names that hold a password: pass, password, http_pass, admin_mode_password, user_pass1, pwd
const PASS_KEY = '(?:[A-Za-z0-9]+[_-])*(?:pass|passwd|password|pwd|passphrase)\\d*';
const PASS_ASSIGN = new RegExp(`((?:^|[^A-Za-z0-9_-])${PASS_KEY}\\s*=\\s*)([^"'&\\s<>,;]+)`, 'gi');
const PASS_JSON = new RegExp(`((?:^|[^A-Za-z0-9_-])["']${PASS_KEY}["']\\s*:\\s*["'])((?:[^"'\\\\]|\\\\.)+)`, 'gi');

const contextRules: Rule[] = [
  (t) => t.replace(DIGEST_PARAMS, (m) => `Digest ${MASK}${/\s$/.test(m) ? ' ' : ''}`),
  (t) => t.replace(BASIC_HEADER, `$1${MASK}`),
  (t) => t.replace(USERINFO, `$1:${MASK}@`),
  (t) => t.replace(PASS_ASSIGN, `$1${MASK}`),
  (t) => t.replace(PASS_JSON, `$1${MASK}`),
];

export interface RedactOptions {
  user?: string;
  password?: string;
  /** Strings removed from every text of the request wherever they stand (tokens). Empty ones are ignored. */
  secrets?: readonly string[];
}

interface Rules {
  exact: Rule[];
  credential: Rule[];
  /** longest text a secret can take (percent-encoded: up to 12 characters per character) */
  reach: number;
}

export class Redactor {
  private built: Rules | undefined;

  /** Rules are compiled on first use: most clients never redact a text, and a compiled set costs ≈15 KiB. */
  private constructor(private readonly build: () => Rules) {}

  private get rules(): Rules {
    return (this.built ??= this.build());
  }

  static of(o: RedactOptions = {}): Redactor {
    const user = o.user ?? '';
    const password = o.password ?? '';
    const r = new Redactor(() => {
      const exact: Rule[] = [];
      const credential: Rule[] = [];
      if (password) {
        // the Basic token is long and random-looking: a secret wherever it stands
        exact.push(replaceAll(encodedPattern(Buffer.from(`${user}:${password}`, 'utf8').toString('base64'))));
        const pw = encodedPattern(password);
        if (user) {
          const pair = new RegExp(`(${encodedPattern(user)}(?::|%3[Aa]))${pw}(?![A-Za-z0-9])`, 'g');
          credential.push((t) => t.replace(pair, `$1${MASK}`));
        }
        const queryValue = new RegExp(`((?:^|[?&;])[^=&\\s?#;]+=)${pw}(?=$|[&#;\\s"'<>])`, 'g');
        credential.push((t) => t.replace(queryValue, `$1${MASK}`));
        if ([...password].length >= LONG_PASSWORD) credential.push(replaceAll(pw));
      }
      return { exact, credential, reach: 12 * Math.max(password.length, 0) + 12 * user.length + 24 };
    });
    return o.secrets?.length ? r.withSecrets(o.secrets) : r;
  }

  /** A redactor that also removes `secrets` (and their percent-encoded forms) everywhere. */
  withSecrets(secrets: readonly string[]): Redactor {
    // longest first, so a secret inside another is not cut in half
    const list = secrets.filter((s) => typeof s === 'string' && s !== '').sort((a, b) => b.length - a.length);
    if (!list.length) return this;
    return new Redactor(() => {
      const base = this.rules;
      return {
        exact: [...list.map((s) => replaceAll(encodedPattern(s))), ...base.exact],
        credential: base.credential,
        reach: Math.max(base.reach, 12 * list[0].length),
      };
    });
  }

  /** Our own text: only the listed secrets go. */
  own(text: string): string {
    let out = text;
    for (const r of this.rules.exact) out = r(out);
    return out;
  }

  /** Text from the phone or the network: credentials in credential contexts, and the listed secrets. */
  foreign(text: string): string {
    const { exact, credential, reach } = this.rules;
    // a cut text loses its tail too, so no secret is left half-shown at the cut
    let out = text.length > REDACT_INPUT_MAX ? text.slice(0, Math.max(0, REDACT_INPUT_MAX - reach)) : text;
    for (const r of exact) out = r(out);
    for (const r of contextRules) out = r(out);
    for (const r of credential) out = r(out);
    return out;
  }
}
