/**
 * What the `snom-sip-notify` node sends, from the kind and its parameters as a flow gives them
 * (docs/protocol.md §10.2–§10.6): one validating function per kind on top of the builders, and the
 * phone-side settings those kinds need (the node's "Prepare phone"). Pure; bad input → E_INPUT.
 */
import { inputError, quoteInput } from '../errors';
import { buildMinibrowserXml } from '../minibrowser/build';
import type { MinibrowserObject } from '../minibrowser/types';
import { isObj } from '../util';
import {
  buildButtonsMessage,
  buildCheckSyncNotify,
  buildMinibrowserNotify,
  buildTalkHoldNotify,
  type ButtonLamp,
} from './build';
import { checkHost } from './syntax';
import type { ForeignDialog, SipRequestSpec } from './types';

/** The node's kinds: (a) minibrowser, (b) talk / hold, (c) buttons, (d) check-sync. */
export const SIP_NOTIFY_KINDS = ['minibrowser', 'talk', 'hold', 'buttons', 'check-sync'] as const;
export type SipNotifyKind = (typeof SIP_NOTIFY_KINDS)[number];

export function isSipNotifyKind(v: unknown): v is SipNotifyKind {
  return typeof v === 'string' && (SIP_NOTIFY_KINDS as readonly string[]).includes(v);
}

/** The kind, checked: E_INPUT names the allowed ones. */
export function sipNotifyKind(v: unknown, where = 'kind'): SipNotifyKind {
  if (isSipNotifyKind(v)) return v;
  const kinds = SIP_NOTIFY_KINDS.join(', ');
  throw inputError(`The ${where} must be one of ${kinds}; got ${quoteInput(v, 40)}.`, {
    field: 'kind',
  }).withText(where === 'kind' ? 'notify.kind' : 'notify.kindFrom', { where, kinds, value: quoteInput(v, 40) });
}

export interface SipNotifyParams {
  /** minibrowser: XML text or the object form of snom-xml-push */
  document?: unknown;
  /** minibrowser: Event header ("xml" is the older tested variant); default none */
  event?: unknown;
  /** buttons: lamps (array or one object) or the k=/c=/o=/l=/n=/a= text */
  lamps?: unknown;
  /** check-sync: reboot after re-reading the provisioning */
  reboot?: unknown;
  /** talk / hold: a call dialog the caller owns (a PBX) */
  dialog?: unknown;
}

const LINE = /^\s*([kcolna])\s*=(.*)$/i;
const FIELD: Record<string, keyof ButtonLamp> = {
  k: 'key',
  c: 'light',
  o: 'colour',
  l: 'label',
  n: 'number',
  a: 'action',
};

/**
 * The x-buttons body written as text (the form's field, or msg.payload as a string): lines
 * `k=6`, `c=on`, `o=red`, `l=Door`, `n=…`, `a=…`, a blank line before the next key. Unknown
 * lines are refused, so a typo does not silently drop a label.
 */
export function parseButtonsText(text: string): ButtonLamp[] {
  const lamps: ButtonLamp[] = [];
  let cur: Record<string, string> | undefined;
  const lines = text.split(/\r?\n/);
  if (lines.length > 2000)
    throw inputError('The buttons text has too many lines.', { field: 'lamps' }).withText('notify.buttonLines');
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      cur = undefined;
      return;
    }
    const m = LINE.exec(line);
    if (!m)
      throw inputError(
        `Buttons line ${i + 1} is not k=, c=, o=, l=, n= or a= followed by a value: ${quoteInput(line, 60)}.`,
        { field: 'lamps' },
      ).withText('notify.buttonLine', { n: i + 1, line: quoteInput(line, 60) });
    const letter = m[1].toLowerCase();
    if (!cur || (letter === 'k' && Object.hasOwn(cur, 'key'))) {
      cur = {};
      lamps.push(cur as unknown as ButtonLamp);
    }
    const name = FIELD[letter];
    if (Object.hasOwn(cur, name))
      throw inputError(`Buttons line ${i + 1}: ${letter}= is given twice for one key.`, { field: 'lamps' }).withText(
        'notify.buttonTwice',
        { n: i + 1, letter },
      );
    cur[name] = letter === 'l' || letter === 'n' ? m[2] : m[2].trim();
  });
  return lamps;
}

/** Lamps from an array, one lamp object, or text; objects are copied with their own fields only. */
function lampsFrom(v: unknown): ButtonLamp[] {
  if (typeof v === 'string') return parseButtonsText(v);
  const list = Array.isArray(v) ? v : isObj(v) ? [v] : undefined;
  if (!list)
    throw inputError(
      `Give the keys to set as text (k=6, c=on, l=Door) or as objects such as { key: 6, light: "on", label: "Door" }; got ${quoteInput(v, 40)}.`,
      { field: 'lamps' },
    ).withText('notify.lamps', { value: quoteInput(v, 40) });
  return list.map((l) => {
    if (!isObj(l)) return l as ButtonLamp; // the builder words the refusal
    const own: Record<string, unknown> = {};
    for (const k of ['key', 'light', 'colour', 'label', 'number', 'action'])
      if (Object.hasOwn(l, k) && l[k] !== undefined) own[k] = l[k];
    // "color" as snom-xml-push's LEDs write it
    if (!Object.hasOwn(own, 'colour') && Object.hasOwn(l, 'color') && l.color !== undefined) own.colour = l.color;
    return own as unknown as ButtonLamp;
  });
}

function documentFrom(v: unknown): string {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (isObj(v)) return buildMinibrowserXml(v as unknown as MinibrowserObject);
  throw inputError(
    'No document to send: give minibrowser XML in the node or msg.payload, or an object such as { type: "text", title: "Hello", text: "..." }.',
    { field: 'document' },
  ).withText('notify.noDocument');
}

function rebootFrom(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw inputError(`reboot must be true or false, got ${quoteInput(v, 40)}.`, { field: 'reboot' }).withText(
    'notify.reboot',
    { value: quoteInput(v, 40) },
  );
}

function dialogFrom(v: unknown): ForeignDialog | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v))
    throw inputError('dialog must be an object { callId, localTag, remoteTag, cseq, localUri, remoteUri }.', {
      field: 'dialog',
    }).withText('notify.dialog');
  // the client checks each value's syntax before sending
  const pick = (k: string): unknown => (Object.hasOwn(v, k) ? v[k] : undefined);
  return {
    callId: pick('callId'),
    localTag: pick('localTag'),
    remoteTag: pick('remoteTag'),
    cseq: pick('cseq'),
    localUri: pick('localUri'),
    remoteUri: pick('remoteUri'),
    remoteTarget: pick('remoteTarget'),
  } as ForeignDialog;
}

/** The request for one kind: validated completely before anything can be sent. */
export function buildSipNotify(kind: SipNotifyKind, p: SipNotifyParams = {}): SipRequestSpec {
  switch (kind) {
    case 'minibrowser': {
      const event = p.event === undefined || p.event === null || p.event === '' ? null : p.event;
      if (event !== null && typeof event !== 'string')
        throw inputError(`The Event header must be text, got ${quoteInput(event, 40)}.`, { field: 'event' }).withText(
          'notify.event',
          { value: quoteInput(event, 40) },
        );
      return buildMinibrowserNotify({ xml: documentFrom(p.document), event });
    }
    case 'talk':
    case 'hold':
      return buildTalkHoldNotify({ event: kind, dialog: dialogFrom(p.dialog) });
    case 'buttons':
      return buildButtonsMessage({ lamps: lampsFrom(p.lamps) });
    case 'check-sync':
      return buildCheckSyncNotify({ reboot: rebootFrom(p.reboot) });
  }
}

// ------------------------------------------------------------------ Prepare phone

export interface PrepareInput {
  /** the address the phone sees our requests come from (written into mb_trusted_hosts) */
  trustedHost: string;
  /** the phone's current mb_trusted_hosts, if it could be read */
  currentTrusted?: string | null;
  /** function keys (the x-buttons k= numbers) to make of type `button` */
  buttonKeys?: readonly number[];
}

const MAX_FKEY = 999;

/** The function-key numbers to prepare: "5, 6 7", [5, 6] or 6. */
export function buttonKeyList(v: unknown): number[] {
  if (v === undefined || v === null || v === '') return [];
  const list =
    typeof v === 'string'
      ? v.split(/[\s,;]+/).filter(Boolean)
      : Array.isArray(v)
        ? v
        : typeof v === 'number'
          ? [v]
          : null;
  if (!list)
    throw inputError(`Button keys must be numbers such as "5, 6", got ${quoteInput(v, 40)}.`, {
      field: 'keys',
    }).withText('notify.buttonKeys', { value: quoteInput(v, 40) });
  if (list.length > 100)
    throw inputError('At most 100 button keys at once.', { field: 'keys' }).withText('notify.tooManyKeys');
  return [
    ...new Set(
      list.map((k) => {
        const n = typeof k === 'number' ? k : typeof k === 'string' && /^\d{1,3}$/.test(k) ? Number(k) : NaN;
        if (!Number.isInteger(n) || n < 0 || n > MAX_FKEY)
          throw inputError(`A button key must be a number 0–${MAX_FKEY}, got ${quoteInput(k, 20)}.`, {
            field: 'keys',
          }).withText('notify.buttonKey', { max: MAX_FKEY, value: quoteInput(k, 20) });
        return n;
      }),
    ),
  ];
}

/** mb_trusted_hosts entries (the phone's list is separated by spaces, commas or semicolons). */
function trustedEntries(v: string | null | undefined): string[] {
  return (v ?? '').split(/[\s,;]+/).filter(Boolean);
}

/**
 * The settings the SIP kinds need on the phone (docs/protocol.md §10.3, §10.5, §10.9):
 * our address added to mb_trusted_hosts (keeping what is there), "filter packets from registrar"
 * off (else the phone drops requests from anyone but its registrar), and each named function key of
 * type `button <k>`. challenge_checksync is left as it is: it guards check-sync and is answered
 * with the config's SIP credentials.
 */
export function prepareSettings(o: PrepareInput): Record<string, string> {
  const host = checkHost('trusted host', o.trustedHost);
  const entries = trustedEntries(o.currentTrusted);
  const has = entries.some((e) => e.toLowerCase() === host.toLowerCase());
  const out: Record<string, string> = {
    mb_trusted_hosts: has ? entries.join(',') : [...entries, host].join(','),
    filter_registrar: 'off',
  };
  for (const k of o.buttonKeys ?? []) out[`fkey${k}`] = `button ${k}`;
  return out;
}
