/**
 * What a Snom dials: a phone number (keypad digits 0-9 * #, docs/protocol.md §3.3, and a leading +
 * for international), a SIP URI user@host (as in outgoing_uri, §4.1, and CSTA devices, §8.4), or a
 * name the phone or PBX resolves (which characters we take is our choice, §11.3 K6). Numbers as
 * people write them (`030 1234567`, `+49 (30) 123-45`, `tel:+49-30-12345`) are normalised by
 * dropping the visual separators; anything else is E_INPUT, nothing sent.
 */
import { inputError, quoteInput } from '../errors';
import { LONE_SURROGATE } from '../csta/xml';

/** Longest dial string taken: far beyond any real number or URI, and cheap to check. */
export const MAX_DIAL_LENGTH = 256;

/** Spaces (also no-break and thin ones), hyphens and dashes, dots, slashes and brackets people write between digits. */
const SEPARATORS = /[\s\u00A0\u2007\u2009\u202F\u2010-\u2015\u2212./()-]/g;
/** Keypad characters (docs/protocol.md §3.3: 0-9, *, #), an optional leading +. */
const KEYPAD = /^\+?[0-9*#]+$/;
/**
 * A SIP URI as the phone takes it: optional sip:/sips:, a user part (RFC 3261 unreserved and
 * user-unreserved characters, %-escapes, * and # for feature codes), @, a host name or address
 * with an optional port, optional ;parameters.
 */
const SIP_URI =
  /^(?:sips?:)?[A-Za-z0-9\-_.!~*'()&=+$,;?/%#]+@(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:;[A-Za-z0-9\-_.!~*'()=+%]+)*$/;

/** How a name that is neither a number nor a SIP URI is taken. */
export type NameRule =
  /** command.htm dialling: a user name the phone completes with its registrar (letters, digits, . _ -) */
  | 'user'
  /** CSTA destinations: an ECMA-323 DeviceID the PBX resolves, one token without spaces or control characters */
  | 'device'
  /** keypad only: digits, * and # */
  | 'none';

export interface DialOptions {
  /** also take a SIP URI; default true */
  uri?: boolean;
  /** allow a leading + ; default true */
  plus?: boolean;
  /** default 'user' */
  names?: NameRule;
}

/** What a JS value becomes as text by mistake (String(NaN), String(undefined), …): a flow bug, never a destination. */
const JS_LEAKS = new Set(['NaN', 'Infinity', 'undefined', 'null', 'true', 'false']);

function looksLikeUri(t: string): boolean {
  return /^sips?:/i.test(t) || t.includes('@');
}

function looksLikeNumber(t: string): boolean {
  return /^(?:tel:)?[0-9+(*#]/i.test(t);
}

/**
 * A phone number, as the phone gets it: keypad characters only. "(0)" after an international
 * prefix is the national trunk 0 that is not dialled with it (`+49 (0)30 …` → `+4930…`).
 */
function normaliseNumber(field: string, raw: string, opts: DialOptions): string {
  const t = raw.replace(/^tel:/i, '');
  const international = t.startsWith('+');
  const digits = (international ? t.replace(/\(\s*0\s*\)/g, '') : t).replace(SEPARATORS, '');
  if (!KEYPAD.test(digits) || (opts.plus === false && international)) {
    throw inputError(
      `${field} ${quoteInput(raw)} is not a number to dial: a number holds digits, * and #${opts.plus === false ? '' : ' (and a leading +)'}; spaces and ( ) - . / are left out.`,
      { field },
    ).withText(opts.plus === false ? 'number.keypadNoPlus' : 'number.keypad', { field, value: quoteInput(raw) });
  }
  return digits;
}

function checkName(field: string, t: string, rule: NameRule): string {
  const ok =
    rule === 'user'
      ? /^[A-Za-z][A-Za-z0-9._-]*$/.test(t)
      : rule === 'device'
        ? !/[\s\u0000-\u001F\u007F]/.test(t) && !LONE_SURROGATE.test(t)
        : false;
  if (!ok || JS_LEAKS.has(t) || t.startsWith('[object ')) {
    throw inputError(
      `${field} ${quoteInput(t)} is not a number to dial or a SIP address: a number holds digits, * and #${rule === 'none' ? '' : ' (and a leading +); a SIP address is user@host'}.`,
      { field },
    ).withText(rule === 'none' ? 'number.notNumberNone' : 'number.notNumberOrSip', { field, value: quoteInput(t) });
  }
  return t;
}

/**
 * The dial string for `value`: a JS number must be a whole number ≥ 0 (NaN, ±Infinity, negative,
 * fractional and 1e21 are not numbers anyone dials); a string is a phone number (normalised),
 * a SIP URI (kept as given, checked) or a name by `opts.names`.
 */
export function normaliseDialString(field: string, value: unknown, opts: DialOptions = {}): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw inputError(
        `${field} ${quoteInput(value)} is not a number to dial: give the number as text, e.g. "0301234567".`,
        { field },
      ).withText('number.asText', { field, value: quoteInput(value) });
    }
    return String(value);
  }
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw inputError(`${field} is missing.`, { field }).withText('number.missing', { field });
  }
  if (typeof value !== 'string') {
    throw inputError(`${field} must be text (a number or a SIP address), not ${quoteInput(value)}.`, {
      field,
    }).withText('number.notText', { field, value: quoteInput(value) });
  }
  if (value.length > MAX_DIAL_LENGTH)
    throw inputError(`${field} is longer than ${MAX_DIAL_LENGTH} characters.`, { field }).withText('number.tooLong', {
      field,
      max: MAX_DIAL_LENGTH,
    });
  const t = value.trim();
  if (opts.uri !== false && looksLikeUri(t)) {
    if (!SIP_URI.test(t)) {
      throw inputError(
        `${field} ${quoteInput(value)} is not a SIP address: use user@host or sip:user@host, without spaces.`,
        { field },
      ).withText('number.sip', { field, value: quoteInput(value) });
    }
    return t;
  }
  if (looksLikeNumber(t)) return normaliseNumber(field, t, opts);
  // "-5", ".5", "-Infinity": a negative or fractional number as text
  if (/^[-.\u2212]/.test(t)) {
    throw inputError(
      `${field} ${quoteInput(value)} is not a number to dial: a number starts with a digit, *, # or +.`,
      { field },
    ).withText('number.start', { field, value: quoteInput(value) });
  }
  return checkName(field, t, opts.names ?? 'user');
}

/** A SIP identity only (the outgoing identity of a dial): user@host or sip:user@host. Not lib/sip's checkSipUri, which parses a full URI for the SIP stack. */
export function checkSipIdentity(field: string, value: unknown): string {
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value.length > MAX_DIAL_LENGTH ||
    !SIP_URI.test(value.trim())
  ) {
    throw inputError(`${field} ${quoteInput(value)} is not a SIP identity: use user@host or sip:user@host.`, {
      field,
    }).withText('number.identity', { field, value: quoteInput(value) });
  }
  return value.trim();
}
