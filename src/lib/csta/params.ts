/** Validation and normalisation of CSTA parameters; all failures are E_INPUT naming the field. */
import { normaliseDialString } from '../commands/number';
import { inputError, quoteInput, unsupportedError } from '../errors';
import { CONTROL_CHARS, LONE_SURROGATE } from './xml';
import type { CallId, DeviceRef } from './types';

const MAX_LEN = 256;

/** A ConnectionID call id: decimal integer, possibly negative; returned as its decimal string. */
export function checkCallId(field: string, value: CallId | undefined): string {
  if (value === undefined || value === null || value === '') {
    throw inputError(`${field} is missing: give the call id (the phone's $csta_id, e.g. -18).`, { field }).withText(
      'csta.callIdMissing',
      { field },
    );
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw inputError(`${field} must be a whole number (the phone's $csta_id), not ${quoteInput(value)}.`, {
        field,
      }).withText('csta.callIdWhole', { field, value: quoteInput(value) });
    }
    return String(value);
  }
  if (typeof value !== 'string') {
    throw inputError(`${field} must be a number or a string of digits.`, { field }).withText('csta.callIdType', {
      field,
    });
  }
  const t = value.trim();
  if (!/^-?[0-9]{1,15}$/.test(t)) {
    throw inputError(`${field} must be a whole number such as -18 (the phone's $csta_id), not ${quoteInput(value)}.`, {
      field,
    }).withText('csta.callIdDigits', { field, value: quoteInput(value) });
  }
  // Normalise "-018" → "-18" and "-0" → "0" so the phone sees the id it issued.
  return String(Number(t));
}

function checkString(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') {
    throw inputError(`${field} is missing.`, { field }).withText('csta.missing', { field });
  }
  if (typeof value !== 'string') {
    throw inputError(`${field} must be a string.`, { field }).withText('csta.notString', { field });
  }
  const t = value.trim();
  if (t === '') throw inputError(`${field} is empty.`, { field }).withText('csta.empty', { field });
  if (t.length > MAX_LEN)
    throw inputError(`${field} is longer than ${MAX_LEN} characters.`, { field }).withText('csta.tooLong', {
      field,
      max: MAX_LEN,
    });
  if (CONTROL_CHARS.test(t) || /\s/.test(t) || LONE_SURROGATE.test(t)) {
    throw inputError(`${field} must not contain spaces, control characters or broken Unicode.`, { field }).withText(
      'csta.badChars',
      { field },
    );
  }
  return t;
}

const SCHEME_RE = /^(sips?|tel):/i;

/**
 * A deviceID: SIP URI kept, "user@host" gets "sip:", an integer 1..12 is an
 * identity index (needs 8.7.4+, i.e. caps.identityIndex).
 */
export function checkDevice(field: string, value: DeviceRef | undefined, identityIndex: boolean): string {
  const asIndex =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*[0-9]+\s*$/.test(value)
        ? Number(value)
        : undefined;
  if (asIndex !== undefined) {
    if (!Number.isInteger(asIndex) || asIndex < 1 || asIndex > 12) {
      throw inputError(`${field} ${asIndex} is not an identity index: use 1..12 or a SIP URI such as sip:100@pbx.`, {
        field,
      }).withText('csta.indexRange', { field, index: asIndex });
    }
    if (!identityIndex) {
      throw unsupportedError(
        `${field} ${asIndex} is an identity index, which needs firmware 8.7.4 or later; give the identity's SIP URI (user@host) instead.`,
        { field },
      ).withText('csta.indexFirmware', { field, index: asIndex });
    }
    return String(asIndex);
  }
  const t = checkString(field, value);
  if (SCHEME_RE.test(t)) {
    if (t.length <= t.indexOf(':') + 1)
      throw inputError(`${field} ${quoteInput(t)} has no address after the scheme.`, { field }).withText(
        'csta.noAddress',
        { field, value: quoteInput(t) },
      );
    return t;
  }
  if (/^[^@]+@[^@]+$/.test(t)) return `sip:${t}`;
  throw inputError(
    `${field} ${quoteInput(t)} is not a device: Snom phones expect a SIP URI (sip:user@host or user@host)${
      identityIndex ? ' or an identity index 1..12' : ''
    }.`,
    { field },
  ).withText(identityIndex ? 'csta.notDeviceOrIndex' : 'csta.notDevice', { field, value: quoteInput(t) });
}

/**
 * A number or URI to call, as for dialling (commands/number): a number is normalised
 * (`030 1234567` → `0301234567`), a SIP URI kept, "user@host" gets "sip:".
 */
export function checkDestination(field: string, value: unknown): string {
  const t = normaliseDialString(field, value, { names: 'device' });
  if (!SCHEME_RE.test(t) && /^[^@:]+@[^@]+$/.test(t)) return `sip:${t}`;
  return t;
}

/** SnapshotDevice's object: sent as given (Snom's example sends "user@host" without sip:, docs/protocol.md §8.4). */
export function checkSnapshotObject(field: string, value: DeviceRef, identityIndex: boolean): string {
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*[0-9]+\s*$/.test(value)))
    return checkDevice(field, value, identityIndex);
  return checkString(field, value);
}

/** GenerateDigits' charactersToSend: 0-9 * # A-D and "," only. */
export function checkDigits(field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw inputError(`${field} is missing: give the DTMF digits to send (0-9 * # A-D, "," for a pause).`, {
      field,
    }).withText('csta.digitsMissing', { field });
  }
  if (value.length > 64)
    throw inputError(`${field} is longer than 64 digits.`, { field }).withText('csta.digitsTooLong', { field });
  const bad = /[^0-9*#A-D,]/.exec(value);
  if (bad) {
    throw inputError(
      `${field} may hold only 0-9 * # A-D and ",", not ${quoteInput(bad[0])} at position ${bad.index + 1}.`,
      { field },
    ).withText('csta.digitsChars', { field, value: quoteInput(bad[0]), position: bad.index + 1 });
  }
  return value;
}

export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw inputError(`${field} must be true or false.`, { field }).withText('csta.boolean', { field });
  return value;
}

export function checkOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw inputError(`${field} must be one of ${allowed.join(', ')}.`, { field }).withText('csta.oneOf', {
      field,
      allowed: allowed.join(', '),
    });
  }
  return value as T;
}
