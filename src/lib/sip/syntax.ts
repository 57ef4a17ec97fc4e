/**
 * SIP syntax checks for values that end up in a request line or a header
 * (RFC 3261 §25). Everything a user gives passes through here before a byte is
 * sent: a CR or LF in a header value would let user text add headers of its own.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { briefText, inputError } from '../errors';

/** Longest user value we put in a header; longer input is a mistake, not a use. */
export const MAX_VALUE_LENGTH = 1024;

/** True when `s` holds a C0 control (CR, LF, NUL, …) or DEL; HT too unless `allowTab`. */
export function hasControlChar(s: string, allowTab = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && !(allowTab && c === 0x09)) || c === 0x7f) return true;
  }
  return false;
}

/** Control characters shown as \xNN, so an error message stays one line. */
export function showControls(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

/** RFC 3261 token characters. */
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** RFC 3261 `word` (Call-ID parts). */
const WORD = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+$/;

function brief(v: string): string {
  const s = showControls(v);
  return briefText(s, 60);
}

/** A header value or parameter from the user: a string with no line breaks or controls. */
export function checkHeaderValue(field: string, value: unknown): string {
  if (typeof value !== 'string')
    throw inputError(`${field} must be a string.`, { field }).withText('sip.notString', { field });
  if (hasControlChar(value, true)) {
    const shown = brief(value);
    throw inputError(`${field} contains a line break or control character ("${shown}"); SIP headers cannot carry it.`, {
      field,
    }).withText('sip.headerControl', { field, value: shown });
  }
  if (value.length > MAX_VALUE_LENGTH)
    throw inputError(`${field} is longer than ${MAX_VALUE_LENGTH} characters.`, { field }).withText('sip.tooLong', {
      field,
      max: MAX_VALUE_LENGTH,
    });
  return value;
}

export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

export function checkToken(field: string, value: unknown): string {
  if (typeof value !== 'string' || !TOKEN.test(value) || value.length > 256) {
    const shown = brief(String(value));
    throw inputError(`${field} must be a SIP token (letters, digits and -.!%*_+\`'~), got "${shown}".`, {
      field,
    }).withText('sip.token', { field, value: shown });
  }
  return value;
}

export function checkCallIdValue(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 256)
    throw inputError(`${field} must be a Call-ID string.`, { field }).withText('sip.callIdText', { field });
  const parts = value.split('@');
  if (parts.length > 2 || parts.some((p) => !WORD.test(p))) {
    throw inputError(`${field} is not a valid Call-ID ("${brief(value)}").`, { field }).withText('sip.callId', {
      field,
      value: brief(value),
    });
  }
  return value;
}

export function checkPort(field: string, value: unknown, allowZero = false): number {
  const n = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) {
    const [from, shown] = [allowZero ? 0 : 1, brief(String(value))];
    throw inputError(`${field} must be a port number ${from}–65535, got "${shown}".`, {
      field,
    }).withText('sip.port', { field, from, value: shown });
  }
  return n;
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** An IPv4/IPv6 address or a DNS name (IPv6 with or without brackets). Returns it without brackets. */
export function checkHost(field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw inputError(`${field} must be a host name or IP address.`, { field }).withText('sip.hostMissing', { field });
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (isIP(bare) !== 0) return bare;
  const name = bare.endsWith('.') ? bare.slice(0, -1) : bare;
  if (name.length > 0 && name.length <= 253 && name.split('.').every((l) => LABEL.test(l))) return bare;
  throw inputError(`${field} is not a host name or IP address ("${brief(value)}").`, { field }).withText('sip.host', {
    field,
    value: brief(value),
  });
}

/** host[:port] as it appears in a URI or Via: IPv6 bracketed. */
export function formatHostPort(host: string, port?: number): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}

export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  host: string;
  port?: number;
  /** URI parameters as written, each with its leading ';'. */
  params: string;
}

const USER_CHARS = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,/:]|%[0-9A-Fa-f]{2})+$/;
const PARAMS =
  /^(?:;(?:[A-Za-z0-9\-_.!~*'()[\]/:&+$]|%[0-9A-Fa-f]{2})+(?:=(?:[A-Za-z0-9\-_.!~*'()[\]/:&+$]|%[0-9A-Fa-f]{2})*)?)*$/;

/** Parses a sip:/sips: URI (no URI headers part); undefined when it is not one. */
export function parseSipUri(text: string): SipUri | undefined {
  const m = /^(sips?):(?:([^@]+)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?(;[^?]*)?$/i.exec(text);
  if (!m) return undefined;
  const [, scheme, user, hostRaw, portRaw, params = ''] = m;
  if (user !== undefined && !USER_CHARS.test(user)) return undefined;
  if (!PARAMS.test(params)) return undefined;
  const host = hostRaw.startsWith('[') ? hostRaw.slice(1, -1) : hostRaw;
  if (hostRaw.startsWith('[') && isIP(host) !== 6) return undefined;
  if (!hostRaw.startsWith('[') && isIP(host) === 0 && !host.split('.').every((l) => LABEL.test(l) || /^\d+$/.test(l))) {
    return undefined;
  }
  const port = portRaw === undefined ? undefined : Number(portRaw);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { scheme: scheme.toLowerCase() as 'sip' | 'sips', user, host, port, params };
}

export function formatSipUri(u: SipUri): string {
  return `${u.scheme}:${u.user !== undefined ? `${u.user}@` : ''}${formatHostPort(u.host, u.port)}${u.params}`;
}

/** A SIP URI from the user; `sips:` is refused because this client speaks no TLS. */
export function checkSipUri(field: string, value: unknown): string {
  if (typeof value !== 'string')
    throw inputError(`${field} must be a SIP URI such as sip:101@192.168.1.50.`, { field }).withText('sip.uriText', {
      field,
    });
  checkHeaderValue(field, value);
  const u = parseSipUri(value.trim());
  if (!u)
    throw inputError(`${field} is not a SIP URI ("${brief(value)}"); write it as sip:user@host or sip:host.`, {
      field,
    }).withText('sip.uri', { field, value: brief(value) });
  if (u.scheme === 'sips')
    throw inputError(`${field}: sips: URIs need TLS, which this SIP client does not speak.`, { field }).withText(
      'sip.sips',
      { field },
    );
  return formatSipUri(u);
}

/** The user part of a SIP URI (an extension, a name): unreserved characters and %-escapes. */
export function checkSipUser(field: string, value: unknown): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.length > 128 ||
    !USER_CHARS.test(value) ||
    value.includes(':')
  ) {
    const shown = brief(String(value));
    throw inputError(`${field} must be the user part of a SIP address (such as 101), got "${shown}".`, {
      field,
    }).withText('sip.user', { field, value: shown });
  }
  return value;
}

/** Display name for a name-addr: written as a quoted string. */
export function quoteDisplayName(field: string, value: unknown): string {
  const v = checkHeaderValue(field, value);
  return `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Digest user names and passwords: printable text without line breaks. */
export function checkCredential(field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw inputError(`${field} must be a non-empty string.`, { field }).withText('sip.credentialEmpty', { field });
  if (hasControlChar(value, true) || value.length > 256) {
    throw inputError(`${field} contains a line break or control character, or is too long.`, { field }).withText(
      'sip.credential',
      { field },
    );
  }
  return value;
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** RFC 3261 §8.1.1.7: branches start with the magic cookie so peers know they are unique. */
export function newBranch(): string {
  return `z9hG4bK${hex(12)}`;
}

export function newTag(): string {
  return hex(8);
}

export function newCallId(): string {
  return hex(16);
}
