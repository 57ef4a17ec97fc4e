/**
 * snom-settings: which route each setting takes, the requests for a get or a set, and the
 * reading of the replies. Snom's list (docs/protocol.md §9.2) goes through the proprietary CSTA
 * GetSettings / SetSettings, anything else through the web pages (dummy.htm write, settings.xml
 * read, §5.1, §5.3);
 * a mixed set becomes two requests. Phones without CSTA over HTTP use the web route for all.
 */
import { inputError, quoteInput, unsupportedError } from '../errors';
import { buildCstaRequest } from '../csta';
import type { CommandPlan } from '../commands/plan';
import type { PhoneRequest, PhoneResponse } from '../http/types';
import { hasCstaOverHttp } from '../profile/profile';
import type { Profile } from '../profile/types';
import { buildWebSettingsWrite, cstaSettingInfo, parseSettingsXml, validateSettingName } from './';
import { LONE_SURROGATE } from '../csta/xml';
import { cstaPhoneRequest, parseCstaReply } from '../csta/transport';
import { isObj } from '../util';

export type SettingsRoute = 'csta' | 'web' | 'both';

export interface SettingsPlan extends CommandPlan {
  action: 'get' | 'set';
  route: SettingsRoute;
  /** why the CSTA-list settings went the web route, when they did */
  routeNote?: string;
  /** get: the names asked, in order */
  names: string[];
  /** which route each request took, in request order */
  parts: Array<'csta' | 'web'>;
}

const MAX_NAMES = 500;

/** Names to read: an array, a string ("a, b c"), or an object's keys. */
export function settingNames(input: unknown): string[] {
  let list: unknown[];
  if (Array.isArray(input)) list = input;
  else if (typeof input === 'string') list = input.split(/[\s,;]+/).filter(Boolean);
  else if (isObj(input)) list = Object.keys(input);
  else list = [];
  if (list.length === 0) {
    throw inputError(
      'No setting names given: list them in the node, or send msg.payload as a name, an array of names or an object.',
      { field: 'names' },
    ).withText('settings.noNames');
  }
  if (list.length > MAX_NAMES)
    throw inputError(`${list.length} setting names are too many for one message (at most ${MAX_NAMES}).`, {
      field: 'names',
    }).withText('settings.tooMany', { n: list.length, max: MAX_NAMES });
  return [...new Set(list.map((n) => validateSettingName(typeof n === 'string' ? n.trim() : n)))];
}

/** A value as the phone stores it: text without broken Unicode (it would arrive as U+FFFD on either route). */
function settingValue(name: string, value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'boolean') text = value ? 'on' : 'off';
  else
    throw inputError(`The value of setting "${name}" must be text, a number or true/false, not ${quoteInput(value)}.`, {
      field: 'settings',
      setting: name,
    }).withText('settings.valueType', { name, value: quoteInput(value) });
  if (LONE_SURROGATE.test(text)) {
    throw inputError(`The value of setting "${name}" contains broken Unicode (a lone surrogate).`, {
      field: 'settings',
      setting: name,
    }).withText('settings.valueLone', { name });
  }
  return text;
}

/** Values to write: an object name → value; numbers become text, booleans "on"/"off" (Snom's switch values; docs/protocol.md §5.2, §11.4 S3). */
export function settingValues(input: unknown): Record<string, string> {
  if (!isObj(input) || Object.keys(input).length === 0) {
    throw inputError(
      'Nothing to write: send msg.payload as an object { setting_name: "value", ... } or fill in name and value in the node.',
      { field: 'settings' },
    ).withText('settings.nothing');
  }
  return Object.fromEntries(
    Object.entries(input).map(([name, value]) => [validateSettingName(name), settingValue(name, value)]),
  );
}

function split(names: string[], profile: Profile): { csta: string[]; web: string[]; routeNote?: string } {
  const listed = names.filter((n) => cstaSettingInfo(n));
  if (!hasCstaOverHttp(profile)) {
    const routeNote = listed.length
      ? `this firmware has no CSTA over HTTP (${profile.csta.dialect}), so ${listed.join(', ')} went through the web route`
      : undefined;
    return { csta: [], web: names, routeNote };
  }
  return { csta: listed, web: names.filter((n) => !cstaSettingInfo(n)), routeNote: undefined };
}

function routeOf(parts: Array<'csta' | 'web'>): SettingsRoute {
  return parts.length === 2 ? 'both' : parts[0];
}

function plan(
  action: 'get' | 'set',
  names: string[],
  requests: Array<[PhoneRequest, 'csta' | 'web']>,
  routeNote?: string,
): SettingsPlan {
  const parts = requests.map(([, r]) => r);
  const p: SettingsPlan = {
    command: `settings ${action}`,
    requests: requests.map(([r]) => r),
    summary: requests.map(([r]) => `${r.method ?? 'GET'} ${r.path}`).join(' ; '),
    action,
    route: routeOf(parts),
    ...(routeNote ? { routeNote } : {}),
    names,
    parts,
  };
  p.read = (responses, phone) => readSettingsReplies(p, responses, phone);
  return p;
}

/** Read: CSTA GetSettings for Snom's list (docs/protocol.md §9.2), GET /settings.xml for the rest (§5.3). */
export function planSettingsGet(names: string[], profile: Profile): SettingsPlan {
  const { csta, web, routeNote } = split(names, profile);
  const requests: Array<[PhoneRequest, 'csta' | 'web']> = [];
  if (csta.length)
    requests.push([
      { ...cstaPhoneRequest(buildCstaRequest('GetSettings', {}, profile.csta)), command: 'settings get' },
      'csta',
    ]);
  if (web.length) requests.push([{ command: 'settings get', path: '/settings.xml' }, 'web']);
  return plan('get', names, requests, routeNote);
}

/** Write: CSTA SetSettings for Snom's list (docs/protocol.md §9.2), dummy.htm for the rest (§5.1); all validated before anything is sent. */
export function planSettingsSet(values: Record<string, string>, profile: Profile): SettingsPlan {
  const names = Object.keys(values);
  const { csta, web, routeNote } = split(names, profile);
  const pickValues = (list: string[]) => Object.fromEntries(list.map((n) => [n, values[n]]));
  if (!hasCstaOverHttp(profile)) {
    const hidden = web.filter((n) => cstaSettingInfo(n)?.hidden);
    if (hidden.length) {
      throw unsupportedError(
        `${hidden.join(', ')} can only be written with CSTA SetSettings (the web interface hides it), and this firmware has no CSTA over HTTP.`,
        { command: 'settings set', setting: hidden[0] },
      ).withText('settings.hiddenNoCsta', { names: hidden.join(', ') });
    }
  }
  const requests: Array<[PhoneRequest, 'csta' | 'web']> = [];
  if (csta.length) {
    const body = buildCstaRequest('SetSettings', { settings: pickValues(csta) }, profile.csta);
    requests.push([{ ...cstaPhoneRequest(body), command: 'settings set' }, 'csta']);
  }
  if (web.length) requests.push([{ command: 'settings set', path: buildWebSettingsWrite(pickValues(web)) }, 'web']);
  return plan('set', names, requests, routeNote);
}

/**
 * The replies of a plan, in order: CSTA faults throw E_CSTA, a set returns undefined,
 * a get returns { name: value } for the names asked (null where the phone has no such setting).
 */
export function readSettingsReplies(
  p: SettingsPlan,
  responses: PhoneResponse[],
  phone: string,
): Record<string, string | null> | undefined {
  const found = new Map<string, string>();
  const keep = (settings: Record<string, string>) => {
    for (const [k, v] of Object.entries(settings)) found.set(k, v);
  };
  p.parts.forEach((part, i) => {
    const res = responses[i];
    if (part === 'csta') {
      const result = parseCstaReply(res, phone, `csta ${p.action === 'get' ? 'GetSettings' : 'SetSettings'}`);
      keep((result.data.settings ?? {}) as Record<string, string>);
    } else if (p.action === 'get') {
      keep(parseSettingsXml(res.body));
    }
  });
  if (p.action === 'set') return undefined;
  return Object.fromEntries(p.names.map((n) => [n, found.get(n) ?? null]));
}
