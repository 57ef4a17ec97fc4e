// What a Snom phone may be sent, written from docs/protocol.md (Snom's pages and the other public
// sources it names), not from the client's builders: every request the simulated phone
// received must match it. Returns why a request does not, or undefined.
import type { SimReceived } from '../../src/simulator/types';

export interface PhoneModel {
  /** P1..Pn (the P-key counts of docs/protocol.md §1.3) */
  pKeys: number;
  /** F1..F4 (docs/protocol.md §1.3: "snom870 no key F1-F4") */
  softkeys: boolean;
  /** EK0..EK143 (docs/protocol.md §1.3: expansion modules, IP-Symcon's 144 keys) */
  expansion: boolean;
}

export const MODELS: Record<string, PhoneModel> = {
  D785: { pKeys: 24, softkeys: true, expansion: true },
  snom870: { pKeys: 15, softkeys: false, expansion: false },
  snom360: { pKeys: 12, softkeys: true, expansion: true },
};

/** The key list of docs/protocol.md §3.3, with F_R and DISCONNECT of older firmware. */
// prettier-ignore
const NAMED_KEYS = new Set([
  'CANCEL', 'ENTER', 'OFFHOOK', 'ONHOOK', 'RIGHT', 'LEFT', 'UP', 'DOWN', 'VOLUME_UP', 'VOLUME_DOWN', 'MENU', 'MUTE',
  'REDIAL', 'DND', 'REC', 'SPEAKER', 'HEADSET', 'TRANSFER', 'F_HOLD', 'F_R', 'DISCONNECT', '0', '1', '2', '3', '4',
  '5', '6', '7', '8', '9', '*', '#',
]);

/** Text that is a JS value turned into a string by mistake, never something to dial. */
const JS_LEAK = /^(?:NaN|-?Infinity|undefined|null|true|false|\[object .*\])$/;
/** The keypad: digits, * and # (docs/protocol.md §3.3), a leading +. */
const KEYPAD_NUMBER = /^\+?[0-9*#]+$/;
/** user@host with an optional sip:/sips: scheme and ;parameters (outgoing_uri, docs/protocol.md §4.1; CSTA devices, §8.4). */
const SIP_URI = /^(?:sips?:)?[^\s@<>"]+@(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:;[^\s<>"]*)?$/;
/** A user name the phone completes with its registrar. */
const USER_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;
/** The settings a phone has are named with letters, digits and _ (docs/protocol.md §5.1, §5.5). */
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Object keys that are no Snom setting and break readers that keep settings in objects. */
// prettier-ignore
const OBJECT_NAMES = new Set([
  'constructor', 'prototype', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf',
  'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__defineSetter__', '__lookupGetter__',
  '__lookupSetter__',
]);

function inRange(text: string, min: number, max: number): boolean {
  return /^[0-9]{1,6}$/.test(text) && Number(text) >= min && Number(text) <= max;
}

/** Broken Unicode shows at the phone as U+FFFD; control characters never belong in a value. */
function cleanText(t: string): boolean {
  return !/[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(t);
}

function dialString(t: string): boolean {
  return !JS_LEAK.test(t) && (KEYPAD_NUMBER.test(t) || SIP_URI.test(t) || USER_NAME.test(t));
}

function keyEvent(ev: string, model: PhoneModel): string | undefined {
  const parts = ev.split(',');
  if (parts.length > 3) return `key event ${ev} has more than Key,Time,Pause`;
  const [key, time, pause] = parts;
  for (const ms of [time, pause])
    if (ms !== undefined && ms !== '' && !inRange(ms, 0, 3600000))
      return `time/pause ${JSON.stringify(ms)} is not milliseconds`;
  if (parts.length > 1 && time === '' && (pause === undefined || pause === ''))
    return `key event ${ev} has an empty time and no pause`;
  if (NAMED_KEYS.has(key)) return undefined;
  if (/^F[1-4]$/.test(key)) return model.softkeys ? undefined : `${key} does not exist on this model`;
  const p = /^P([1-9][0-9]*)$/.exec(key);
  if (p) return Number(p[1]) <= model.pKeys ? undefined : `${key} beyond P${model.pKeys}`;
  const ek = /^EK(0|[1-9][0-9]*)$/.exec(key);
  if (ek) return model.expansion && Number(ek[1]) <= 143 ? undefined : `${key} is no expansion key here`;
  return `${JSON.stringify(key)} is not a key of docs/protocol.md §3.3`;
}

/** `X Y [p|r|pr|press|release]` chains on 0..479 × 0..271 (snom870, docs/protocol.md §4.6). */
function touch(v: string): string | undefined {
  const t = v.split(' ');
  if (t.some((x) => x === '')) return 'touch has empty tokens';
  for (let i = 0; i < t.length;) {
    if (!inRange(t[i], 0, 479) || !inRange(t[i + 1] ?? '', 0, 271))
      return `touch point ${t[i]} ${t[i + 1]} is off the 480×272 screen`;
    i += 2;
    if (i < t.length && !/^[0-9]+$/.test(t[i])) {
      if (!['p', 'r', 'pr', 'press', 'release'].includes(t[i])) return `touch action ${JSON.stringify(t[i])}`;
      i++;
    }
  }
  return undefined;
}

function httpUrl(u: string): boolean {
  return /^https?:\/\/[^\s/?#]+[\x21-\x7E]*$/.test(u) && cleanText(u);
}

type Pairs = Array<[string, string | undefined]>;

/** name=value pairs of a query, values percent-decoded strictly (a bad escape is a violation). */
function pairs(query: string): Pairs | string {
  if (query === '') return [];
  const out: Pairs = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    try {
      out.push([name, eq < 0 ? undefined : decodeURIComponent(part.slice(eq + 1))]);
    } catch {
      return `value of ${name} is not valid percent-encoded UTF-8`;
    }
  }
  return out;
}

function exactly(p: Pairs, ...want: Array<[string, string | undefined | RegExp]>): string | undefined {
  if (p.length !== want.length) return `expected ${want.map(([n]) => n).join('&')}`;
  for (let i = 0; i < want.length; i++) {
    const [name, value] = p[i];
    const [wn, wv] = want[i];
    if (name !== wn) return `expected ${wn}, got ${name}`;
    if (wv instanceof RegExp ? value === undefined || !wv.test(value) : value !== wv)
      return `${name}=${value} is not what docs/protocol.md allows`;
  }
  return undefined;
}

function commandHtm(p: Pairs, model: PhoneModel): string | undefined {
  const [name, value] = p[0] ?? [];
  switch (name) {
    case 'key':
      if (p.length !== 1 || value === undefined || value === '') return 'key= needs key events';
      for (const ev of value.split(';')) {
        const problem = keyEvent(ev, model);
        if (problem) return problem;
      }
      return undefined;
    case 'number':
      if (value === undefined || !dialString(value))
        return `number=${JSON.stringify(value)} is not a number or SIP URI`;
      if (p.length === 1) return undefined;
      if (p.length === 2 && p[1][0] === 'outgoing_uri' && p[1][1] !== undefined && SIP_URI.test(p[1][1]))
        return undefined;
      return 'number= takes only outgoing_uri=user@host besides';
    case 'key_dtmf':
      return p.length === 1 && value !== undefined && /^[0-9*#A-D]+$/.test(value)
        ? undefined
        : 'key_dtmf= takes 0-9 * # A-D';
    case 'RELEASE_ALL_CALLS':
    case 'LOGOFFALL':
      return exactly(p, [name, undefined]);
    case 'LOGOFFLINE':
      return p.length === 1 && value !== undefined && inRange(value, 1, 12) ? undefined : 'LOGOFFLINE=1..12';
    case 'FIX_LIL':
      return exactly(p, ['FIX_LIL', 'true']);
    case 'touch':
      return p.length === 1 && value !== undefined ? touch(value) : 'touch= needs X Y';
    default:
      return `command.htm does not take ${name}`;
  }
}

function dummyHtm(p: Pairs): string | undefined {
  const [name, value] = p[0] ?? [];
  if (name === 'REREGISTER')
    return p.length === 1 && value !== undefined && inRange(value, 1, 12) ? undefined : 'REREGISTER=1..12';
  if (name === 'swload')
    return (
      exactly(p, ['swload', 'load'], ['firmware', /^https?:\/\//]) ??
      (httpUrl(p[1][1] as string) ? undefined : 'firmware= is not an absolute http(s) URL')
    );
  if (name !== 'settings' || value !== 'save') return `dummy.htm does not take ${name}`;
  const rest = p.slice(1);
  if (rest[0]?.[0] === 'store_settings') {
    if (rest[0][1] !== 'save') return 'store_settings=save';
    rest.shift();
  }
  if (rest.length === 0) return 'settings=save without a setting';
  for (const [n, v] of rest) {
    if (!SETTING_NAME.test(n) || OBJECT_NAMES.has(n) || n === 'settings' || n === 'store_settings')
      return `${JSON.stringify(n)} is no setting name`;
    if (v === undefined || !cleanText(v) || /[\r\n\t]/.test(v))
      return `the value of ${n} holds control characters or broken Unicode`;
  }
  return undefined;
}

// ---- CSTA over HTTP (docs/protocol.md §8: POST /csta, text/xml) ----

interface XmlEl {
  name: string;
  children: XmlEl[];
  text: string;
}

const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)/;
const NAMED_ENTITIES = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

function decodeEntities(text: string): string {
  const code = (n: number) => (n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\uFFFD');
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[a-z]+);/g, (_m, e: string) =>
    e.startsWith('#x')
      ? code(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? code(Number(e.slice(1)))
        : (NAMED_ENTITIES.get(e) ?? ''),
  );
}

/** A small, strict XML reader: one root, tags matched, known entities only, no DOCTYPE, nothing but blanks, comments and PIs around the root. */
export function readXml(xml: string): XmlEl | string {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return 'a DOCTYPE or entity declaration';
  if (!cleanText(xml)) return 'control characters or broken Unicode';
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/gy;
  const stack: XmlEl[] = [];
  let root: XmlEl | undefined;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < xml.length && (m = token.exec(xml))) {
    pos = token.lastIndex;
    const [all, cdata, close, name, attrs, selfClose, text, stray] = m;
    if (stray) return 'a < that starts no tag';
    if (all.startsWith('<!--') || all.startsWith('<?')) continue;
    const top = stack[stack.length - 1];
    if (text !== undefined || cdata !== undefined) {
      const t = text ?? cdata;
      if (!top) {
        if (t.replace(/^\uFEFF/, '').trim() !== '') return `text outside the root: ${JSON.stringify(t.slice(0, 20))}`;
        continue;
      }
      if (text !== undefined && ENTITY.test(text)) return 'an unknown entity or a bare &';
      top.text += text !== undefined ? decodeEntities(text) : t;
      continue;
    }
    if (attrs && (ENTITY.test(attrs) || attrs.includes('<'))) return 'an unknown entity or a < in an attribute';
    if (close) {
      if (!top || top.name !== name) return `</${name}> closes nothing open`;
      stack.pop();
      continue;
    }
    const el: XmlEl = { name, children: [], text: '' };
    if (top) top.children.push(el);
    else if (root) return 'a second root element';
    else root = el;
    if (!selfClose) stack.push(el);
  }
  if (pos < xml.length) return 'unreadable XML';
  if (stack.length) return `<${stack[stack.length - 1].name}> is not closed`;
  return root ?? 'no root element';
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** What CSTA over HTTP takes (docs/protocol.md §8.2), plus Snom's proprietary four (§9). */
// prettier-ignore
const OPERATIONS = new Set([
  'MakeCall', 'AnswerCall', 'ClearConnection', 'ClearCall', 'HoldCall', 'RetrieveCall', 'ConsultationCall',
  'TransferCall', 'ConferenceCall', 'SingleStepTransferCall', 'DeflectCall', 'GenerateDigits', 'SnapshotDevice',
  'RequestSystemStatus', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
  'GetSwitchingFunctionDevices', 'GetSettings', 'SetSettings', 'XmlPush', 'FireTest',
]);
/** ECMA-323 ConnectionID elements: a bare call id (before 8.7) or callID [+ deviceID]. */
// prettier-ignore
const CONNECTIONS = new Set([
  'callToBeAnswered', 'connectionToBeCleared', 'callToBeCleared', 'callToBeHeld', 'callToBeRetrieved',
  'existingCall', 'heldCall', 'activeCall', 'callToBeDiverted', 'connectionToSendDigits',
]);
// prettier-ignore
const FORWARDING = new Set([
  'forwardImmediate', 'forwardBusy', 'forwardNoAns', 'forwardDND', 'forwardBusyInt', 'forwardBusyExt',
  'forwardImmInt', 'forwardImmExt', 'forwardNoAnsInt', 'forwardNoAnsExt', 'forwardDNDInt', 'forwardDNDExt',
]);
/** Snom's "Only the following settings can be read or changed" list (docs/protocol.md §9.2; indexed ones 1..12). */
const CSTA_SETTING =
  /^(?:mac|phone_type|firmware_version|(?:user_name|user_realname|user_host)(?:[1-9]|1[0-2])|action_(?:incoming_url|outgoing_url|connected_url|disconnected_url|hold|unhold|transfer|blind_transfer|attended_transfer|offhook_url|onhook_url|missed_url|fwtest_url))$/;
/** The minibrowser objects of docs/protocol.md §7.1, with and without "Snom". */
const MINIBROWSER = /^(?:Snom)?IPPhone(?:Text|Menu|Directory|Input|Image|ImageFile|Batch|Silent)$/i;

const device = (t: string) => /^(?:sips?|tel):\S+$/.test(t) || /^(?:[1-9]|1[0-2])$/.test(t) || SIP_URI.test(t);
/** ECMA-323 DeviceID to reach: the phone's forms are numbers and SIP URIs; other names pass to the PBX, one token. */
const destination = (t: string) =>
  KEYPAD_NUMBER.test(t) || SIP_URI.test(t) || (/^[^\s\-.\u2212][^\s]*$/.test(t) && !JS_LEAK.test(t));

const LEAVES = new Map<string, (t: string) => boolean>([
  ['callID', (t) => /^-?[0-9]{1,15}$/.test(t)],
  ['deviceID', device],
  ['callingDevice', device],
  ['device', device],
  ['snapshotObject', (t) => device(t) || /^[^\s@]+@[^\s@]+$/.test(t)],
  ['calledDirectoryNumber', destination],
  ['consultedDevice', destination],
  ['transferredTo', destination],
  ['newDestination', destination],
  ['forwardDN', destination],
  ['autoOriginate', (t) => t === 'doNotPrompt' || t === 'prompt'],
  ['charactersToSend', (t) => /^[0-9*#A-D,]{1,64}$/.test(t)],
  ['doNotDisturbOn', (t) => t === 'true' || t === 'false'],
  ['activateForward', (t) => t === 'true' || t === 'false'],
  ['forwardingType', (t) => FORWARDING.has(t)],
]);

function cstaElement(el: XmlEl, parent: string): string | undefined {
  const name = local(el.name);
  if (name === 'Setting') {
    const [n, v, ...more] = el.children;
    if (more.length || local(n?.name ?? '') !== 'name' || (v && local(v.name) !== 'value'))
      return 'Setting is name, value';
    if (!CSTA_SETTING.test(n.text.trim()))
      return `${JSON.stringify(n.text)} is not in Snom's settings list (docs/protocol.md §9.2)`;
    return v && !cleanText(v.text) ? 'a setting value with control characters' : undefined;
  }
  if (name === 'document') {
    const doc = readXml(el.text);
    if (typeof doc === 'string') return `the pushed document: ${doc}`;
    return MINIBROWSER.test(doc.name) ? undefined : `the pushed document's root ${doc.name} is no minibrowser object`;
  }
  if (CONNECTIONS.has(name)) {
    if (el.children.length === 0)
      return /^-?[0-9]{1,15}$/.test(el.text.trim()) ? undefined : `${name} ${JSON.stringify(el.text)} is no call id`;
    const kids = el.children.map((c) => local(c.name)).join(',');
    if (kids !== 'callID' && kids !== 'callID,deviceID') return `${name} holds ${kids}`;
  }
  const leaf = LEAVES.get(name);
  if (leaf)
    return el.children.length === 0 && leaf(el.text)
      ? undefined
      : `${parent} ${name}=${JSON.stringify(el.text.slice(0, 40))}`;
  if (!CONNECTIONS.has(name)) return `${name} is not an element of a CSTA request`;
  for (const c of el.children) {
    const problem = cstaElement(c, name);
    if (problem) return problem;
  }
  return undefined;
}

/** `raw`: the user wrote the XML (snom-csta raw): only the XML itself is checked, not its CSTA content. */
function cstaBody(body: string, raw: boolean): string | undefined {
  const root = readXml(body);
  if (typeof root === 'string') return root;
  let op = root;
  if (local(root.name) === 'Envelope') {
    const kids = root.children.filter((c) => local(c.name) !== 'Header');
    if (kids.length !== 1 || local(kids[0].name) !== 'Body') return 'a SOAP envelope holds one Body';
    if (kids[0].children.length !== 1) return 'a SOAP Body holds one request';
    op = kids[0].children[0];
  }
  if (raw) return undefined;
  if (!OPERATIONS.has(local(op.name))) return `${op.name} is no CSTA request of docs/protocol.md §8.2, §9`;
  for (const c of op.children) {
    const problem = cstaElement(c, local(op.name));
    if (problem) return problem;
  }
  return undefined;
}

/** Why `r` is not a request docs/protocol.md describes, or undefined. */
export function grammarProblem(
  r: SimReceived,
  model: PhoneModel,
  opts: { rawCsta?: boolean } = {},
): string | undefined {
  // RFC 3986 request target: printable ASCII, no space, no fragment
  if (!/^\/[\x21-\x7E]*$/.test(r.target) || r.target.includes('#'))
    return 'the request target holds characters a URL cannot';
  const q = r.target.indexOf('?');
  const path = q < 0 ? r.target : r.target.slice(0, q);
  const query = q < 0 ? '' : r.target.slice(q + 1);
  if (r.method === 'POST') {
    if (path !== '/csta' || query !== '') return `POST ${path}`;
    if (!/^text\/xml\b/i.test(r.contentType ?? '')) return `content type ${r.contentType}`;
    return cstaBody(r.body, opts.rawCsta === true);
  }
  if (r.method !== 'GET') return `method ${r.method}`;
  if (r.body !== '') return 'a GET with a body';
  const p = pairs(query);
  if (typeof p === 'string') return p;
  switch (path) {
    case '/command.htm':
      return commandHtm(p, model);
    case '/dummy.htm':
      return dummyHtm(p);
    case '/line_login.htm':
      return p.length === 1 && /^PLAY_RINGER:[1-9]$/.test(p[0][0]) && p[0][1] === '+Ringer'
        ? undefined
        : 'PLAY_RINGER:1..9=+Ringer';
    case '/advanced_update.htm':
      return exactly(p, ['reboot', 'Reboot']) && exactly(p, ['reset', 'Reset']);
    case '/index.htm':
      return ['dialeddel', 'misseddel', 'receiveddel'].some((n) => !exactly(p, [n, 'clear']))
        ? undefined
        : 'index.htm takes dialeddel|misseddel|receiveddel=clear';
    case '/minibrowser.htm':
      return p.length === 1 && p[0][0] === 'url' && p[0][1] !== undefined && httpUrl(p[0][1])
        ? undefined
        : 'minibrowser.htm takes url=<encoded http(s) URL>';
    case '/settings.xml':
    case '/info.htm':
      return p.length === 0 ? undefined : `${path} takes no query`;
    default:
      return `no page ${path}`;
  }
}
