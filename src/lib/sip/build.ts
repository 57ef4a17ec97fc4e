/**
 * Builders for the SIP messages the nodes send to a phone (docs/protocol.md
 * §10, §10.8). Pure: they validate and return a SipRequestSpec; the client
 * adds Via, From, To, Call-ID, CSeq and the rest. Bad input → E_INPUT and
 * nothing is built, so nothing is sent.
 */
import { inputError } from '../errors';
import { validateMinibrowserXml } from '../minibrowser/validate';
import { checkHeaderValue, checkToken, hasControlChar } from './syntax';
import type { ForeignDialog, SipRequestSpec } from './types';

export const CONTENT_TYPE_SNOMXML = 'application/snomxml';
export const CONTENT_TYPE_BUTTONS = 'application/x-buttons';

/** RFC 6665 Subscription-State: a state and optional parameters. */
function checkSubscriptionState(value: unknown): string {
  const v = checkHeaderValue('subscriptionState', value);
  if (!/^(active|pending|terminated)(;\s*[A-Za-z0-9\-.!%*_+`'~]+(=[A-Za-z0-9\-.!%*_+`'~]+)?)*$/i.test(v)) {
    throw inputError(
      `subscriptionState must be active, pending or terminated with optional ;parameters, got "${v.slice(0, 60)}".`,
      {
        field: 'subscriptionState',
      },
    );
  }
  return v;
}

function notifyHeaders(event: string | null, subscriptionState: unknown): Array<[string, string]> {
  const h: Array<[string, string]> = [];
  if (event !== null) h.push(['Event', event]);
  if (subscriptionState !== undefined && subscriptionState !== null && subscriptionState !== '') {
    h.push(['Subscription-State', checkSubscriptionState(subscriptionState)]);
  }
  return h;
}

export interface MinibrowserNotifyOptions {
  /** A minibrowser document (SnomIPPhoneText, IPPhoneSilent, …). */
  xml: string;
  /**
   * Event header value. Default none, as in Snom's own example (§10.3);
   * "xml" is what an older, tested script sends. Phones may differ.
   */
  event?: string | null;
  subscriptionState?: string;
}

/** (a) NOTIFY with Content-Type application/snomxml (docs/protocol.md §10.3). */
export function buildMinibrowserNotify(o: MinibrowserNotifyOptions): SipRequestSpec {
  validateMinibrowserXml(o?.xml);
  const event = o.event === undefined || o.event === null || o.event === '' ? null : checkToken('event', o.event);
  return {
    method: 'NOTIFY',
    headers: notifyHeaders(event, o.subscriptionState),
    body: o.xml,
    contentType: CONTENT_TYPE_SNOMXML,
    command: 'sip minibrowser',
  };
}

export type TalkHoldEvent = 'talk' | 'hold';

export interface TalkHoldOptions {
  event: TalkHoldEvent;
  /**
   * Send inside this call dialog (BroadSoft's form, for a PBX that owns the
   * call). Without it the NOTIFY goes out of dialog, which is what a flow that
   * is not party to the call can send (docs/protocol.md §10.8).
   */
  dialog?: ForeignDialog;
  subscriptionState?: string;
}

/** (b) NOTIFY with Event: talk (go off-hook / answer) or Event: hold, no body (§10.2). */
export function buildTalkHoldNotify(o: TalkHoldOptions): SipRequestSpec {
  if (o?.event !== 'talk' && o?.event !== 'hold') {
    throw inputError(`The event must be "talk" or "hold", got "${String(o?.event).slice(0, 40)}".`, { field: 'event' });
  }
  return {
    method: 'NOTIFY',
    headers: notifyHeaders(o.event, o.subscriptionState),
    body: '',
    command: `sip ${o.event}`,
    dialog: o.dialog,
  };
}

/** Light modes of docs/protocol.md §10.5; `record` and `sized` appear only in tutorials. */
export const BUTTON_LIGHTS = [
  'on',
  'off',
  'hold',
  'pickup',
  'park',
  'message',
  'offline',
  'error',
  'record',
  'sized',
] as const;
export type ButtonLight = (typeof BUTTON_LIGHTS)[number];

/** Colours (snom 820/821 only), sent on an `o=` line (§10.5, §10.8). */
export const BUTTON_COLOURS = ['local', 'remote', 'red', 'green', 'orange'] as const;
export type ButtonColour = (typeof BUTTON_COLOURS)[number];

export interface ButtonLamp {
  /** Function key number (k=), 0–999. */
  key: number | string;
  /** Light mode (c=). */
  light?: ButtonLight;
  /** Colour (o=), 820/821 only. */
  colour?: ButtonColour;
  /** Label (l=). */
  label?: string;
  /** Number or action the key dials (n=). */
  number?: string;
  /** Action name (a=). */
  action?: string;
}

export interface ButtonsMessageOptions {
  lamps: readonly ButtonLamp[];
  /** Subject header; default "buttons" as in the examples; null for none. */
  subject?: string | null;
}

const MAX_LAMPS = 200;

/** A body line value: no line break, no control character, bounded. */
function lineValue(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string')
    throw inputError(`${field} must be a string.`, { field }).withText('sip.notString', { field });
  if (hasControlChar(value))
    throw inputError(`${field} contains a line break or control character.`, { field }).withText('sip.lineBreak', {
      field,
    });
  if (value.length > max)
    throw inputError(`${field} is longer than ${max} characters.`, { field }).withText('sip.tooLong', { field, max });
  return value;
}

function lampLines(l: ButtonLamp, i: number): string[] {
  const at = `lamps[${i}]`;
  if (l === null || typeof l !== 'object')
    throw inputError(`${at} must be an object with a key.`, { field: at }).withText('sip.lampObject', { at });
  const k = typeof l.key === 'number' ? String(l.key) : l.key;
  if (typeof k !== 'string' || !/^\d{1,3}$/.test(k)) {
    const value = String(l.key).slice(0, 20);
    throw inputError(`${at}.key must be a function key number 0–999, got "${value}".`, {
      field: `${at}.key`,
    }).withText('sip.lampKey', { at, value });
  }
  const lines = [`k=${Number(k)}`];
  if (l.light !== undefined) {
    if (!(BUTTON_LIGHTS as readonly string[]).includes(l.light)) {
      const [list, value] = [BUTTON_LIGHTS.join(', '), String(l.light).slice(0, 20)];
      throw inputError(`${at}.light must be one of ${list}; got "${value}".`, {
        field: `${at}.light`,
      }).withText('sip.lampLight', { at, list, value });
    }
    lines.push(`c=${l.light}`);
  }
  if (l.colour !== undefined) {
    if (!(BUTTON_COLOURS as readonly string[]).includes(l.colour)) {
      const [list, value] = [BUTTON_COLOURS.join(', '), String(l.colour).slice(0, 20)];
      throw inputError(`${at}.colour must be one of ${list}; got "${value}".`, {
        field: `${at}.colour`,
      }).withText('sip.lampColour', { at, list, value });
    }
    lines.push(`o=${l.colour}`);
  }
  if (l.label !== undefined) lines.push(`l=${lineValue(`${at}.label`, l.label, 100)}`);
  if (l.number !== undefined) lines.push(`n=${lineValue(`${at}.number`, l.number, 128)}`);
  if (l.action !== undefined) {
    if (typeof l.action !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(l.action)) {
      throw inputError(`${at}.action must be an action name (letters, digits, _ . -).`, {
        field: `${at}.action`,
      }).withText('sip.lampAction', { at });
    }
    lines.push(`a=${l.action}`);
  }
  if (lines.length === 1) {
    throw inputError(`${at} sets nothing: give a light, colour, label, number or action for key ${k}.`, {
      field: at,
    }).withText('sip.lampEmpty', { at, key: k });
  }
  return lines;
}

/**
 * (c) MESSAGE with Content-Type application/x-buttons (§10.5): per lamp the
 * lines k, c, o, l, n, a ending in CRLF, an empty line between lamps.
 */
export function buildButtonsMessage(o: ButtonsMessageOptions): SipRequestSpec {
  const lamps = o?.lamps;
  if (!Array.isArray(lamps) || lamps.length === 0)
    throw inputError('Give at least one lamp (key and light/label).', { field: 'lamps' }).withText('sip.noLamps');
  if (lamps.length > MAX_LAMPS)
    throw inputError(`At most ${MAX_LAMPS} lamps per message.`, { field: 'lamps' }).withText('sip.tooManyLamps', {
      max: MAX_LAMPS,
    });
  const body = lamps
    .map((l, i) =>
      lampLines(l, i)
        .map((line) => `${line}\r\n`)
        .join(''),
    )
    .join('\r\n');
  const headers: Array<[string, string]> = [];
  const subject = o.subject === undefined ? 'buttons' : o.subject;
  if (subject !== null && subject !== '') headers.push(['Subject', checkHeaderValue('subject', subject)]);
  return { method: 'MESSAGE', headers, body, contentType: CONTENT_TYPE_BUTTONS, command: 'sip buttons' };
}

export interface CheckSyncOptions {
  /** Reboot after re-reading the provisioning; default false. */
  reboot?: boolean;
  subscriptionState?: string;
}

/** (d) NOTIFY with Event: check-sync;reboot=false|true, no body (§10.6). */
export function buildCheckSyncNotify(o: CheckSyncOptions = {}): SipRequestSpec {
  if (o.reboot !== undefined && typeof o.reboot !== 'boolean')
    throw inputError('reboot must be true or false.', { field: 'reboot' });
  return {
    method: 'NOTIFY',
    headers: notifyHeaders(`check-sync;reboot=${o.reboot === true}`, o.subscriptionState),
    body: '',
    command: 'sip check-sync',
  };
}
