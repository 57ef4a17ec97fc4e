import { parseSnomUserAgent, type SnomUserAgent } from '../profile/user-agent';
import type { DeliveredEvent } from './router';

/** Who sent an event. */
export interface PhoneInfo {
  address: string;
  mac?: string;
  model?: string;
  firmware?: string;
  /** id of the snom-phone config node for this address */
  config?: string;
}

/** `msg.payload` of snom-action-url-in: the event, the phone, the variables, unknown params. */
export interface ActionPayload {
  event: string;
  phone: PhoneInfo;
  extra: Record<string, string>;
  /** `$sip_header(NAME)` values: `sipHeaders["X-Foo"]` (present when any was filled) */
  sipHeaders?: Record<string, string>;
  /** settings asked as variables: `phoneVariables["user_uid[1]"]` (present when any was filled) */
  phoneVariables?: Record<string, string>;
  [variable: string]: unknown;
}

// A phone sends the same User-Agent with every event: parse each one once (bounded, oldest out)
const uaCache = new Map<string, SnomUserAgent | undefined>();
const UA_CACHE_SIZE = 512;
function userAgentOf(ua: string | undefined): SnomUserAgent | undefined {
  if (!ua) return undefined;
  if (uaCache.has(ua)) return uaCache.get(ua);
  const parsed = parseSnomUserAgent(ua);
  if (uaCache.size >= UA_CACHE_SIZE) uaCache.delete(uaCache.keys().next().value as string);
  uaCache.set(ua, parsed);
  return parsed;
}

/** Build the payload of an event message; `configId` is found by the caller (Node-RED side). */
export function eventPayload(ev: DeliveredEvent, configId?: string): ActionPayload {
  const phone: PhoneInfo = { address: ev.address };
  const ua = userAgentOf(ev.userAgent);
  const mac = ev.variables.mac ?? ua?.mac;
  if (mac) phone.mac = mac.toUpperCase().replace(/[^0-9A-F]/g, '') || mac;
  if (ua) {
    phone.model = ua.model;
    if (ua.firmware) phone.firmware = ua.firmware;
  }
  if (configId) phone.config = configId;
  const payload: ActionPayload = { event: ev.event, phone, ...ev.variables, extra: ev.extra };
  if (ev.sipHeaders) payload.sipHeaders = ev.sipHeaders;
  if (ev.phoneVariables) payload.phoneVariables = ev.phoneVariables;
  return payload;
}

/** The message snom-action-url-in sends for an event (before its own `_msgid`). */
export interface EventMessage {
  topic: string;
  payload: ActionPayload;
  _snom: { receivedAt: number; held?: true };
  /** the call's CSTA id, for snom-csta nodes downstream */
  cstaId?: string;
}

export function eventMessage(ev: DeliveredEvent, configId?: string): EventMessage {
  const msg: EventMessage = {
    topic: ev.event,
    payload: eventPayload(ev, configId),
    _snom: ev.held ? { receivedAt: ev.receivedAt, held: true } : { receivedAt: ev.receivedAt },
  };
  if (ev.variables.cstaId) msg.cstaId = ev.variables.cstaId;
  return msg;
}

/** Host part of a `snom-phone` host setting (`10.0.0.5:8080`, `[fe80::1]:80`, `phone.lan`). */
export function hostOnly(host: string): string {
  const h = host
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '');
  const bracket = /^\[([^\]]+)\]/.exec(h);
  if (bracket) return bracket[1].toLowerCase();
  if ((h.match(/:/g) ?? []).length === 1) return h.slice(0, h.indexOf(':')).toLowerCase();
  return h.toLowerCase();
}
