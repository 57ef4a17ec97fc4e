import { SnomError, inputError } from '../errors';
import { eventByName } from './events';
import { PHONE_VARIABLE_PREFIX, SIP_HEADER_PREFIX } from './extra-variables';
import { variableByQueryName } from './variables';

/** Variables a phone filled in, under their readable keys. */
export interface ActionVariables {
  local?: string;
  remote?: string;
  callId?: string;
  cstaId?: string;
  displayLocal?: string;
  displayRemote?: string;
  activeUrl?: string;
  activeUser?: string;
  activeHost?: string;
  activeKey?: string;
  expansionModule?: string;
  phoneIp?: string;
  nrOngoingCalls?: number;
  contextUrl?: string;
  cancelReason?: string;
  longpressKey?: string;
  mac?: string;
  localIp?: string;
  redirectEvent?: string;
  redirectNumber?: string;
  redirectTime?: string;
}

export interface ActionEvent {
  /** readable event name (canonical spelling) */
  event: string;
  variables: ActionVariables;
  /** query parameters we do not know, decoded, unfilled `$x` dropped */
  extra: Record<string, string>;
  /** `$sip_header(NAME)` values (query `h.NAME`), by the header name as asked; absent when none */
  sipHeaders?: Record<string, string>;
  /** phone settings asked as variables (query `v.NAME`), by setting name; absent when none */
  phoneVariables?: Record<string, string>;
  /** the `t` parameter as sent; compare with tokensEqual, never log it */
  token?: string;
}

const TOKEN_KEYS = new Set(['t', 'token']);
const EVENT_KEYS = new Set(['e', 'event']);

/** A placeholder the phone left alone: `$name`, `$call-id`, `$user_uid[1]`, `$sip_header(X)`. */
const UNFILLED = /^\$[A-Za-z][\w-]*(\[\d+\])?(\([^)]*\))?$/;

/**
 * Decode one query component. `+` is kept as is: phones may send E.164 numbers unencoded
 * (docs/protocol.md §6.1, our choice §11.4), and reading `+49...` as a space would lose the number.
 */
function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // malformed %-escape: keep the raw text rather than lose the value
  }
}

/** Query string → ordered name/value pairs. */
export function splitQuery(query: string): Array<[string, string]> {
  const q = query.startsWith('?') ? query.slice(1) : query;
  const out: Array<[string, string]> = [];
  if (!q) return out;
  for (const part of q.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
    out.push([name, value]);
  }
  return out;
}

function pairsOf(query: URLSearchParams | string | Iterable<[string, string]>): Iterable<[string, string]> {
  if (typeof query === 'string') return splitQuery(query);
  return query as Iterable<[string, string]>;
}

/** Parse outcome that keeps the token even when the event is bad, so callers can check it first. */
export interface ActionParseResult {
  token?: string;
  value?: ActionEvent;
  error?: SnomError;
}

/**
 * Like parseActionQuery but never throws: the HTTP receiver checks the token before it tells
 * a sender that the event name was wrong.
 */
export function tryParseActionQuery(query: URLSearchParams | string | Iterable<[string, string]>): ActionParseResult {
  let eventName: string | undefined;
  let token: string | undefined;
  const variables: Record<string, string | number> = {};
  const extra: Record<string, string> = {};
  const sipHeaders: Record<string, string> = {};
  const phoneVariables: Record<string, string> = {};
  /** first value wins; prototype names are kept out of plain objects */
  const put = (into: Record<string, string>, name: string, value: string): void => {
    if (name && name !== '__proto__' && !Object.hasOwn(into, name)) into[name] = value;
  };
  for (const [name, value] of pairsOf(query)) {
    if (TOKEN_KEYS.has(name)) {
      if (token === undefined) token = value;
      continue;
    }
    if (EVENT_KEYS.has(name)) {
      if (eventName === undefined) eventName = value;
      continue;
    }
    if (value === '' || UNFILLED.test(value)) continue;
    if (name.startsWith(SIP_HEADER_PREFIX) && name.length > SIP_HEADER_PREFIX.length) {
      put(sipHeaders, name.slice(SIP_HEADER_PREFIX.length), value);
      continue;
    }
    if (name.startsWith(PHONE_VARIABLE_PREFIX) && name.length > PHONE_VARIABLE_PREFIX.length) {
      put(phoneVariables, name.slice(PHONE_VARIABLE_PREFIX.length), value);
      continue;
    }
    const v = variableByQueryName(name);
    if (!v) {
      put(extra, name, value);
      continue;
    }
    if (Object.hasOwn(variables, v.key)) continue;
    if (v.key === 'nrOngoingCalls') {
      if (/^\d+$/.test(value)) variables[v.key] = Number(value);
      else put(extra, name, value); // keep what the phone said, just not as a count
      continue;
    }
    variables[v.key] = value;
  }
  if (!eventName) {
    return {
      token,
      error: inputError('The action URL request names no event (parameter "e")', { command: 'action-url' }).withText(
        'actionUrl.noEvent',
      ),
    };
  }
  const def = eventByName(eventName);
  if (!def) {
    const shown = eventName.slice(0, 64);
    return {
      token,
      error: inputError(`The action URL request names an unknown event "${shown}"`, {
        command: 'action-url',
      }).withText('actionUrl.requestEvent', { name: shown }),
    };
  }
  const value: ActionEvent = { event: def.name, variables: variables as ActionVariables, extra };
  if (Object.keys(sipHeaders).length) value.sipHeaders = sipHeaders;
  if (Object.keys(phoneVariables).length) value.phoneVariables = phoneVariables;
  if (token !== undefined) value.token = token;
  return { token, value };
}

/**
 * Query of an Action URL request → event object. Throws SnomError E_INPUT when the event is
 * missing or unknown. Empty values and placeholders the phone did not fill are dropped;
 * `nrOngoingCalls` becomes a number. When a name repeats, the first value wins.
 */
export function parseActionQuery(query: URLSearchParams | string | Iterable<[string, string]>): ActionEvent {
  const r = tryParseActionQuery(query);
  if (r.error) throw r.error;
  return r.value!;
}
