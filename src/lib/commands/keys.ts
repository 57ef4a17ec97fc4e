import { inputError, quoteInput, unsupportedError } from '../errors';
import type { Profile } from '../profile/types';
import { encodeQueryValue, singlePlan, type CommandPlan } from './plan';
import { digitsOrNumber } from '../util';

export interface KeyEvent {
  key: string;
  /** ms the key is held */
  time?: number;
  /** ms before the next key event */
  pause?: number;
}

/**
 * Named keys of docs/protocol.md §3.3 that every desk phone model accepts (F_R and DISCONNECT on
 * every model is our choice, §11.3 K1).
 */
// prettier-ignore
const NAMED_KEYS = new Set([
  'CANCEL', 'ENTER', 'OFFHOOK', 'ONHOOK', 'RIGHT', 'LEFT', 'UP', 'DOWN', 'VOLUME_UP', 'VOLUME_DOWN', 'MENU', 'MUTE',
  'REDIAL', 'DND', 'REC', 'SPEAKER', 'HEADSET', 'TRANSFER', 'F_HOLD', 'F_R', 'DISCONNECT', '0', '1', '2', '3', '4',
  '5', '6', '7', '8', '9', '*', '#',
]);

/** IP-Symcon's MAX_EXPANSION_FKEYS: EK0..EK143 (docs/protocol.md §1.3) */
const MAX_EXPANSION_KEY = 143;
// our limits (docs/protocol.md §3.1, §11.3 K4)
const MAX_MS = 60000;
const MAX_EVENTS = 200;

/**
 * Time or pause: left out (undefined, null or ""), or a whole number of ms given as a number or as
 * decimal digits. Blank text, arrays, booleans and the like are refused, not read as 0.
 */
function parseMs(value: unknown, what: string, position: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = digitsOrNumber(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_MS) {
    throw inputError(
      `Key event ${position}: ${what} must be a whole number of milliseconds from 0 to ${MAX_MS}, got ${quoteInput(value)}`,
      { position },
    ).withText('keys.ms', { position, what, max: MAX_MS, value: quoteInput(value) });
  }
  return n;
}

/** P001 is P1 and EK007 is EK7: the phone knows the keys by their plain numbers (docs/protocol.md §3.3: P1…Pn, EK0…EKmax). */
function canonicalKey(key: string): string {
  const m = /^(P|EK)0+([0-9]+)$/.exec(key);
  return m ? m[1] + String(Number(m[2])) : key;
}

/** Parse `KEY[,TIME[,PAUSE]];...` or an array of strings / {key,time,pause} into key events. */
export function parseKeyEvents(input: unknown): KeyEvent[] {
  let raw: Array<{ key: unknown; time?: unknown; pause?: unknown }>;
  if (typeof input === 'string') {
    const parts = input.split(';').map((s) => s.trim());
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    raw = parts.map((p) => {
      const [key, time, pause, ...rest] = p.split(',');
      if (rest.length)
        throw inputError(`Key event ${quoteInput(p)} has more than KEY,TIME,PAUSE`).withText('keys.tooManyParts', {
          event: quoteInput(p),
        });
      return { key, time, pause };
    });
  } else if (Array.isArray(input)) {
    raw = input.map((e) =>
      typeof e === 'string' || typeof e === 'number' ? { key: String(e) } : (e as { key: unknown }),
    );
  } else {
    throw inputError('Keys must be a string like "ENTER;1,100,200" or an array of { key, time, pause }').withText(
      'keys.shape',
    );
  }
  if (raw.length === 0) throw inputError('No key events given').withText('keys.none');
  if (raw.length > MAX_EVENTS)
    throw inputError(`Too many key events (${raw.length}); at most ${MAX_EVENTS} per message`).withText(
      'keys.tooMany',
      {
        n: raw.length,
        max: MAX_EVENTS,
      },
    );
  return raw.map((e, i) => {
    const position = i + 1;
    if (e === null || typeof e !== 'object' || (typeof e.key !== 'string' && typeof e.key !== 'number')) {
      throw inputError(`No key name at position ${position}`, { position }).withText('keys.noName', { position });
    }
    const key = canonicalKey(String(e.key).trim().toUpperCase());
    if (!key)
      throw inputError(`Empty key name at position ${position}`, { position }).withText('keys.empty', { position });
    return {
      key,
      time: parseMs(e.time, 'time', position),
      pause: parseMs(e.pause, 'pause', position),
    };
  });
}

/** Why this key cannot be pressed on this phone, or undefined when it can. */
function keyProblem(
  key: string,
  profile: Profile,
): { code: 'input' | 'unsupported'; why: string; say?: string; max?: number } | undefined {
  if (NAMED_KEYS.has(key)) return undefined;
  const f = /^F([1-4])$/.exec(key);
  if (f) {
    return profile.keys.softkeys.includes(key)
      ? undefined
      : { code: 'unsupported', why: `the ${profile.model} has no ${key} key`, say: 'noSuchKey' };
  }
  const p = /^P(\d{1,3})$/.exec(key);
  if (p) {
    const n = Number(p[1]);
    if (n < 1) return { code: 'input', why: 'function keys start at P1', say: 'pFrom1' };
    const max = profile.keys.pKeys;
    if (max !== undefined && n > max)
      return { code: 'unsupported', why: `the ${profile.model} has P1 to P${max}`, say: 'pRange', max };
    return undefined;
  }
  const ek = /^EK(\d{1,3})$/.exec(key);
  if (ek) {
    if (!profile.keys.expansion)
      return { code: 'unsupported', why: `the ${profile.model} takes no expansion module`, say: 'noExpansion' };
    if (Number(ek[1]) > MAX_EXPANSION_KEY)
      return {
        code: 'input',
        why: `expansion keys run from EK0 to EK${MAX_EXPANSION_KEY}`,
        say: 'ekRange',
        max: MAX_EXPANSION_KEY,
      };
    return undefined;
  }
  return { code: 'input', why: 'not a Snom key name (see the node help for the list)', say: 'notAKey' };
}

export function validateKeyEvents(events: KeyEvent[], profile: Profile): void {
  events.forEach((e, i) => {
    const problem = keyProblem(e.key, profile);
    if (!problem) return;
    const text = `Unknown key ${quoteInput(e.key)} at position ${i + 1}: ${problem.why}`;
    const details = { key: e.key, position: i + 1 };
    const err = problem.code === 'input' ? inputError(text, details) : unsupportedError(text, details);
    const params = {
      key: quoteInput(e.key),
      name: e.key,
      position: i + 1,
      model: profile.model,
      max: problem.max ?? '',
    };
    throw problem.say ? err.withText(`keys.${problem.say}`, params) : err;
  });
}

/** `1,100,100;%23;ENTER,,1000` — `,` and `;` stay literal as in Snom's examples (docs/protocol.md §3.2). */
export function formatKeyEvents(events: KeyEvent[]): string {
  return events
    .map((e) => {
      const parts = [
        encodeQueryValue(e.key),
        e.time === undefined ? '' : String(e.time),
        e.pause === undefined ? '' : String(e.pause),
      ];
      while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
      return parts.join(',');
    })
    .join(';');
}

export function requireHttpRemote(profile: Profile, what: string): void {
  if (!profile.httpRemote) {
    throw unsupportedError(
      `${what}: Snom says HTTP remote control is not supported on the ${profile.model === 'unknown' ? 'D8xx series' : profile.model} (D8xx series)`,
    ).withText('keys.noRemote', { what, model: profile.model === 'unknown' ? 'D8xx series' : profile.model });
  }
}

/** Validate and build the key command; throws E_INPUT / E_UNSUPPORTED before anything is sent. */
export function buildKeyCommand(input: unknown, profile: Profile): CommandPlan {
  requireHttpRemote(profile, 'Key events');
  const events = parseKeyEvents(input);
  validateKeyEvents(events, profile);
  return singlePlan({ command: 'key', path: `/command.htm?key=${formatKeyEvents(events)}` });
}
