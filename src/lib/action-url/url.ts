import { inputError } from '../errors';
import { ACTION_EVENTS, ActionEventDef, eventByName } from './events';
import type { ExtraVariable } from './extra-variables';
import { variableByKey } from './variables';

export interface ActionUrlOptions {
  /** where the phone reaches Node-RED, with httpNodeRoot if any: `http://10.0.0.5:1880` */
  baseUrl: string;
  /** the node's path, e.g. `/snom/events` */
  path: string;
  /** the node's secret token */
  token: string;
  /** asked for on top of each event's variables (parseExtraVariables) */
  extraVariables?: readonly ExtraVariable[];
}

export interface BuildActionUrlOptions extends ActionUrlOptions {
  /** readable event name, e.g. "incoming" */
  event: string;
  /** readable variable keys to ask for; default: the event's own list */
  variables?: readonly string[];
}

/** Event names accepted by the settings helpers: a list, or "all". */
export type EventSelection = readonly string[] | 'all';

function checkedEvent(name: string): ActionEventDef {
  const def = eventByName(name);
  if (!def)
    throw inputError(`Unknown Snom action URL event "${name}"`, { command: 'action-url' }).withText(
      'actionUrl.unknownEvent',
      { name },
    );
  return def;
}

/** `/a/b` with one leading slash and none trailing; rejects what a phone could not send back. */
export function normalizePath(path: string): string {
  let p = (path ?? '').trim();
  if (!p.startsWith('/')) p = '/' + p;
  p = p.replace(/\/+$/, '');
  if (p === '') p = '/';
  if (/[?#\s$&]/.test(p)) {
    throw inputError(`The path "${path}" may not contain spaces or any of ? # $ &`, { command: 'action-url' }).withText(
      'actionUrl.path',
      { path },
    );
  }
  return p;
}

function checkedBase(baseUrl: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw inputError(`The base URL "${baseUrl}" is not a valid URL`, { command: 'action-url' }).withText(
      'actionUrl.baseUrl',
      { url: baseUrl },
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw inputError(`The base URL "${baseUrl}" must start with http:// or https://`, {
      command: 'action-url',
    }).withText('actionUrl.baseUrlScheme', { url: baseUrl });
  }
  if (u.search || u.hash) {
    throw inputError(`The base URL "${baseUrl}" must not carry a query or fragment`, {
      command: 'action-url',
    }).withText('actionUrl.baseUrlQuery', { url: baseUrl });
  }
  return baseUrl.replace(/\/+$/, '');
}

/**
 * The URL a phone should call for one event. `$variables` stay literal so that the phone
 * substitutes them; the token and event travel as `t` and `e`.
 */
export function buildActionUrl(opts: BuildActionUrlOptions): string {
  const def = checkedEvent(opts.event);
  if (!opts.token) throw inputError('An action URL needs a token', { command: 'action-url' });
  const base = checkedBase(opts.baseUrl);
  const path = normalizePath(opts.path);
  const parts = [`t=${encodeURIComponent(opts.token)}`, `e=${def.name}`];
  for (const key of opts.variables ?? def.variables) {
    const v = variableByKey(key);
    if (!v) throw inputError(`Unknown Snom action URL variable "${key}"`, { command: 'action-url' });
    parts.push(`${v.query}=$${v.phoneVar}`);
  }
  for (const x of opts.extraVariables ?? []) {
    const part = `${encodeURIComponent(x.query)}=${x.placeholder}`;
    if (!parts.includes(part)) parts.push(part);
  }
  return `${base}${path === '/' ? '' : path}?${parts.join('&')}`;
}

function selectEvents(events: EventSelection): ActionEventDef[] {
  return events === 'all' ? [...ACTION_EVENTS] : events.map(checkedEvent);
}

/** Phone settings (setting name → URL) that make a phone report the chosen events. */
export function settingsForProvisioning(events: EventSelection, urlOptions: ActionUrlOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const def of selectEvents(events)) {
    out[def.setting] = buildActionUrl({ ...urlOptions, event: def.name });
  }
  return out;
}

/** Phone settings that stop the chosen events being reported (empty values clear them). */
export function settingsForUnprovisioning(events: EventSelection): Record<string, ''> {
  const out: Record<string, ''> = {};
  for (const def of selectEvents(events)) out[def.setting] = '';
  return out;
}
