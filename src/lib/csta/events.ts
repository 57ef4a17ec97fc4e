/**
 * CSTA events as a monitored phone sends them in a uaCSTA association (docs/protocol.md §10.7):
 * ECMA-323 event elements (DeliveredEvent, EstablishedEvent, …) with a monitorCrossRefID and, for
 * call events, a connection holding `<callID>` and `<deviceID>`. Snom publishes no event list, so
 * any element whose name ends in "Event" is read the same way. Pure: no I/O.
 */
import { isObj } from '../util';
import { contentParser, wellFormedError } from './xml';

type Obj = Record<string, unknown>;

/** The event as a node's msg.payload carries it. */
export interface CstaEvent {
  /** short name: DeliveredEvent → "delivered", ConnectionClearedEvent → "connectionCleared" */
  event: string;
  /** the element's local name, e.g. "DeliveredEvent" */
  cstaEvent: string;
  monitorCrossRefId?: string;
  /** the call's ConnectionID callID (the same id as $csta_id and msg.cstaId) */
  cstaId?: string;
  /** the connection's deviceID: the monitored identity */
  deviceId?: string;
  /** localConnectionInfo: alerting, connected, hold, null, … */
  state?: string;
  cause?: string;
  /** the devices the event names: callingDevice, calledDevice, alertingDevice, answeringDevice, releasingDevice, … */
  devices: Record<string, string>;
  /** DoNotDisturbEvent */
  doNotDisturbOn?: boolean;
  /** ForwardingEvent */
  forwardingType?: string;
  forwardStatus?: boolean;
  forwardTo?: string;
  /** the whole element, prefixes stripped, values as strings */
  data: Obj;
}

/** Elements holding a ConnectionID, by the ECMA-323 names of the events that carry one. */
const CONNECTIONS = [
  'connection',
  'establishedConnection',
  'droppedConnection',
  'heldConnection',
  'retrievedConnection',
  'originatedConnection',
  'initiatedConnection',
  'failedConnection',
  'queuedConnection',
  'primaryOldCall',
  'newConnection',
];

const own = (o: Obj, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
const bool = (v: unknown): boolean | undefined => {
  const t = text(v)?.toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
};

/** "DeliveredEvent" → "delivered", "ConnectionClearedEvent" → "connectionCleared". */
export function shortEventName(name: string): string {
  const base = name.replace(/Event$/, '') || name;
  return base.charAt(0).toLowerCase() + base.slice(1);
}

/**
 * Reads one event body; undefined when it is not a well-formed document whose root (or SOAP Body
 * child) is an element named …Event.
 */
export function parseCstaEvent(xml: string): CstaEvent | undefined {
  if (typeof xml !== 'string' || xml.trim() === '' || wellFormedError(xml) !== undefined) return undefined;
  let doc: Obj;
  try {
    doc = contentParser().parse(xml) as Obj;
  } catch {
    return undefined;
  }
  let entry = Object.entries(doc).find(([k]) => !k.startsWith('?') && k !== '#text');
  if (entry && entry[0] === 'Envelope' && isObj(entry[1])) {
    const body = own(entry[1], 'Body');
    entry = isObj(body) ? Object.entries(body).find(([k]) => k !== '#text') : undefined;
  }
  if (!entry || !/^[A-Za-z][\w]*Event$/.test(entry[0])) return undefined;
  const [name, content] = entry;
  const data: Obj = isObj(content) ? content : {};
  const ev: CstaEvent = { event: shortEventName(name), cstaEvent: name, devices: {}, data };
  const ref = text(own(data, 'monitorCrossRefID'));
  if (ref) ev.monitorCrossRefId = ref;
  for (const key of CONNECTIONS) {
    let c = own(data, key);
    if (Array.isArray(c)) c = c[0];
    if (!isObj(c)) continue;
    const id = text(own(c, 'callID'));
    if (id === undefined) continue;
    ev.cstaId = id;
    const dev = text(own(c, 'deviceID'));
    if (dev) ev.deviceId = dev;
    break;
  }
  for (const [k, v] of Object.entries(data)) {
    if (!/Device$/.test(k) && k !== 'device' && k !== 'newDestination') continue;
    const id = isObj(v) ? text(own(v, 'deviceIdentifier')) : text(v);
    if (id) ev.devices[k] = id;
  }
  const state = text(own(data, 'localConnectionInfo'));
  if (state) ev.state = state;
  const cause = text(own(data, 'cause'));
  if (cause) ev.cause = cause;
  const dnd = bool(own(data, 'doNotDisturbOn'));
  if (dnd !== undefined) ev.doNotDisturbOn = dnd;
  const fwType = text(own(data, 'forwardingType'));
  if (fwType) ev.forwardingType = fwType;
  const fwStatus = bool(own(data, 'forwardStatus'));
  if (fwStatus !== undefined) ev.forwardStatus = fwStatus;
  const fwTo = text(own(data, 'forwardTo'));
  if (fwTo) ev.forwardTo = fwTo;
  return ev;
}

/** Who reported an event: the phone config's label and id. */
export interface CstaEventSource {
  phone: string;
  config?: string;
}

/** The message snom-csta-events sends: topic = the short event name, msg.cstaId = the call, as snom-action-url-in does. */
export interface CstaEventMessage {
  topic: string;
  payload: CstaEvent & { phone: CstaEventSource };
  cstaId?: string;
}

export function cstaEventMessage(ev: CstaEvent, source: CstaEventSource): CstaEventMessage {
  const msg: CstaEventMessage = { topic: ev.event, payload: { ...ev, phone: source } };
  if (ev.cstaId !== undefined) msg.cstaId = ev.cstaId;
  return msg;
}
