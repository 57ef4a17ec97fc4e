/**
 * Keeping the action-URL token out of what the action-url code hands on (errors, reports, the
 * editor's answer). Phones' error pages echo requests, so the token can come back raw, once or
 * twice percent-encoded (a URL inside a dummy.htm query) or XML-escaped (CSTA SetSettings).
 */
import { SnomError, type TextKey } from '../errors';

export const REDACTED = '***';
export const REDACTED_URL = '<action URL>';

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Every form in which a request may carry the token, longest first. */
export function tokenForms(token: string): string[] {
  if (!token) return [];
  const once = encodeURIComponent(token);
  const forms = new Set([token, once, encodeURIComponent(once), xmlEscape(token), xmlEscape(once)]);
  return [...forms].filter(Boolean).sort((a, b) => b.length - a.length);
}

/** A URL, plain or percent-encoded once or twice, up to the next space, quote or angle bracket. */
const URL_RUN = /(?:https?:\/\/|https?%3A%2F%2F|https?%253A%252F%252F)[^\s"'<>]*/gi;
/** Our URLs carry the token as their first parameter: `?t=` in any encoding. */
const TOKEN_PARAM = /(?:\?|%3F|%253F)t(?:=|%3D|%253D)/i;
/** A bare token is blanked anywhere only when long enough not to be an ordinary word. */
const MIN_BARE = 8;

/**
 * The text with every URL that carries the token (or our `?t=` parameter: a cut excerpt may end
 * inside the token) replaced by `<action URL>`, and any other occurrence of the token by `***`.
 * Short tokens are blanked where they appear as the `t` parameter, not as text elsewhere.
 */
export function redactToken(text: string, token: string): string {
  if (!text || !token) return text;
  const forms = tokenForms(token);
  let out = text.replace(URL_RUN, (url) =>
    TOKEN_PARAM.test(url) || forms.some((f) => url.includes(f)) ? REDACTED_URL : url,
  );
  for (const f of forms) {
    if (f.length >= MIN_BARE) out = out.split(f).join(REDACTED);
    else
      out = out.replace(new RegExp(`([?&;]t(?:=|%3D|%253D))${escapeRegExp(f)}(?=$|[&#\\s"'<])`, 'gi'), `$1${REDACTED}`);
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Strings redacted all the way down (error details hold body excerpts); other values as they are. */
export function redactDeep<T>(value: T, token: string, depth = 0): T {
  if (typeof value === 'string') return redactToken(value, token) as T;
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, token, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, token, depth + 1);
  return out as T;
}

/**
 * A new error without the token: message, details and (being new) stack. Anything that is not a
 * SnomError becomes one with `fallback` as its code.
 */
export function redactError(err: unknown, token: string, fallback: SnomError['code'] = 'E_INPUT'): SnomError {
  if (err instanceof SnomError) {
    const out = new SnomError(err.code, redactToken(err.message, token), redactDeep(err.details, token));
    // the catalog entry goes along (its quoted values redacted), so the message is said in the runtime's language
    if (err.text) out.text = redactDeep<TextKey>(err.text, token);
    return out;
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SnomError(fallback, redactToken(message, token));
}
