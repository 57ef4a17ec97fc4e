import { inputError, quoteInput, unsupportedError } from '../errors';
import type { Profile } from '../profile/types';
import { requireHttpRemote } from './keys';
import { singlePlan, type CommandPlan } from './plan';
import { digitsOrNumber } from '../util';

export type TouchAction = 'p' | 'r' | 'pr';
export interface TouchEvent {
  x: number;
  y: number;
  action?: TouchAction;
}

// a Map, so that user text such as "constructor" finds nothing (a plain object would find Object's)
const ACTIONS = new Map<string, TouchAction>([
  ['p', 'p'],
  ['press', 'p'],
  ['r', 'r'],
  ['release', 'r'],
  ['pr', 'pr'],
]);
const MAX_X = 479;
const MAX_Y = 271;
const MAX_EVENTS = 50; // our limit (docs/protocol.md §4.6, §11.3 K4)

/** A coordinate given as a number or as decimal digits; null, blank, [] and the like are not 0. */
function coordinate(value: unknown, max: number, axis: string, position: number): number {
  const n = digitsOrNumber(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw inputError(`Touch ${position}: ${axis} must be a whole number from 0 to ${max}, got ${quoteInput(value)}`, {
      position,
    }).withText('touch.coordinate', { position, axis, max, value: quoteInput(value) });
  }
  return n;
}

/** Parse `X Y [p|r|pr] X2 Y2 ...` or an array of { x, y, action }. */
export function parseTouchEvents(input: unknown): TouchEvent[] {
  let raw: Array<{ x: unknown; y: unknown; action?: unknown }> = [];
  if (typeof input === 'string') {
    const tokens = input
      .trim()
      .split(/[\s,;]+/)
      .filter(Boolean);
    for (let i = 0; i < tokens.length;) {
      const ev: { x: unknown; y: unknown; action?: unknown } = { x: tokens[i], y: tokens[i + 1] };
      i += 2;
      if (i < tokens.length && !/^\d+$/.test(tokens[i])) ev.action = tokens[i++];
      raw.push(ev);
    }
  } else if (Array.isArray(input)) {
    raw = input as typeof raw;
  } else {
    throw inputError('Touch must be a string like "100 200 pr" or an array of { x, y, action }').withText(
      'touch.shape',
    );
  }
  if (raw.length === 0) throw inputError('No touch events given').withText('touch.none');
  if (raw.length > MAX_EVENTS)
    throw inputError(`Too many touch events (${raw.length}); at most ${MAX_EVENTS}`).withText('touch.tooMany', {
      n: raw.length,
      max: MAX_EVENTS,
    });
  return raw.map((e, i) => {
    const position = i + 1;
    if (e === null || typeof e !== 'object')
      throw inputError(`Touch ${position} is not { x, y, action }`, { position }).withText('touch.notEvent', {
        position,
      });
    const x = coordinate(e.x, MAX_X, 'X', position);
    const y = coordinate(e.y, MAX_Y, 'Y', position);
    if (e.action === undefined || e.action === null || e.action === '') return { x, y };
    const action = typeof e.action === 'string' ? ACTIONS.get(e.action.trim().toLowerCase()) : undefined;
    if (!action)
      throw inputError(
        `Touch ${position}: action must be p, r or pr (or press, release), got ${quoteInput(e.action)}`,
        { position },
      ).withText('touch.action', { position, value: quoteInput(e.action) });
    return { x, y, action };
  });
}

/** `command.htm?touch=100%20200%20pr%20...` (snom870, docs/protocol.md §4.6). */
export function buildTouch(input: unknown, profile: Profile): CommandPlan {
  requireHttpRemote(profile, 'Touch');
  const events = parseTouchEvents(input);
  if (!profile.touch) {
    throw unsupportedError(
      profile.model === 'snom870'
        ? `Touch emulation needs snom870 firmware 8.4.34+ (8.4) or 8.7.2+, this phone runs ${profile.firmware?.raw ?? 'an unknown version'}`
        : `Touch emulation exists on the snom870 only, not the ${profile.model}`,
    ).withText(profile.model === 'snom870' ? 'touch.firmware' : 'touch.model', {
      model: profile.model,
      firmware: profile.firmware?.raw ?? 'an unknown version',
    });
  }
  const text = events.map((e) => [e.x, e.y, e.action].filter((v) => v !== undefined).join(' ')).join(' ');
  return singlePlan({ command: 'touch', path: `/command.htm?touch=${encodeURIComponent(text)}` });
}
