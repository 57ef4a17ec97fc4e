// LED remote control: the application/x-buttons body of a SIP MESSAGE (docs/protocol.md §10.5, Snom's
// "LED Remote Control" page): lines k=, c=, l=, n=, a= (and o= for the 820/821 colour, our guess:
// §11.6), an empty line before the next lamp. A property left out takes its default, overwriting the
// stored value.
import type { SimPhone } from '../phone';
import type { SipIgnoredLamp, SipLamp } from './types';

/** Light modes of Snom's page, plus `sized` and `record` that tutorials use (docs/protocol.md §10.5). */
export const LIGHTS = ['on', 'off', 'hold', 'pickup', 'park', 'message', 'offline', 'error', 'sized', 'record'];
const LETTERS = new Set(['k', 'c', 'l', 'n', 'a', 'o']);

export interface LampBlock {
  lines: Record<string, string>;
}

/** Splits the body into lamp descriptions (CRLF or LF lines; blank lines separate them). */
export function parseButtons(body: string): LampBlock[] {
  const blocks: LampBlock[] = [];
  let cur: Record<string, string> | null = null;
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') {
      cur = null;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const letter = line.slice(0, eq).trim().toLowerCase();
    if (!LETTERS.has(letter)) continue;
    if (!cur) {
      cur = {};
      blocks.push({ lines: cur });
    }
    cur[letter] = line.slice(eq + 1).trim();
  }
  return blocks;
}

interface ButtonKey {
  fkey: string;
  index: number;
  id: string;
}

/** The P-key (or expansion key) name of fkey index i (P1 = fkey0, docs/protocol.md §5.4). */
function keyName(phone: SimPhone, i: number): string {
  const p = phone.info.pKeys;
  return i < p ? `P${i + 1}` : `EK${i - p}`;
}

/**
 * Function keys of type `button`: the setting `fkeyN` holds `button <id>`; `k=<id>` names it. A bare
 * `button` is named by its index N (a choice: the sources show `button 2` for "fkey 2").
 */
function buttonKeys(phone: SimPhone): ButtonKey[] {
  const out: ButtonKey[] = [];
  for (const [name, value] of phone.settings) {
    const m = /^fkey(\d+)$/.exec(name);
    if (!m) continue;
    const b = /^button(?:\s+(\S.*))?$/i.exec(value.trim());
    if (b) out.push({ fkey: name, index: Number(m[1]), id: (b[1] ?? m[1]).trim() });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Applies each lamp to every button key it names; returns what was applied and what was not. */
export function applyButtons(
  phone: SimPhone,
  body: string,
  leds: SipLamp[],
): { applied: SipLamp[]; ignored: SipIgnoredLamp[] } {
  const applied: SipLamp[] = [];
  const ignored: SipIgnoredLamp[] = [];
  const keys = buttonKeys(phone);
  const at = Date.now();
  const ignore = (lines: Record<string, string>, reason: string): void => {
    ignored.push({ id: lines.k ?? '', reason, lines, at });
  };
  for (const { lines } of parseButtons(body)) {
    const id = lines.k;
    if (id === undefined || id === '') {
      ignore(lines, 'no k= line names the key');
      continue;
    }
    const light = (lines.c ?? 'off').toLowerCase();
    if (!LIGHTS.includes(light)) {
      ignore(lines, `unknown light ${JSON.stringify(light)}`);
      continue;
    }
    const targets = keys.filter((k) => k.id === id);
    if (!targets.length) {
      const other = /^\d+$/.test(id) ? phone.settings.get(`fkey${id}`) : undefined;
      const type = other?.trim().split(/\s+/)[0];
      ignore(
        lines,
        other !== undefined && type
          ? `fkey${id} is of type ${JSON.stringify(type)}, not "button"`
          : `no function key of type "button" is named ${JSON.stringify(id)}`,
      );
      continue;
    }
    for (const t of targets) {
      const lamp: SipLamp = {
        id,
        fkey: t.fkey,
        key: keyName(phone, t.index),
        light,
        colour: (lines.o ?? '').toLowerCase(),
        label: lines.l ?? '',
        number: lines.n ?? '',
        action: lines.a ?? 'invite',
        at,
      };
      const i = leds.findIndex((l) => l.fkey === t.fkey);
      if (i >= 0) leds[i] = lamp;
      else leds.push(lamp);
      applied.push(lamp);
    }
  }
  return { applied, ignored };
}
