// CSTA events (ECMA-323 ed5 element names, ECMA-269 semantics) for the call model's changes. Snom
// publishes no event list (docs/protocol.md §10.7, §11.6): these are the standard events a monitored device
// reports, with the connection ids the rest of the simulator uses ($csta_id, <callID>).
import type { SimCall, SimCallChange, SimForwarding } from '../calls/types';
import type { Out } from '../csta/xml';

export interface CstaEvent {
  name: string;
  /** the elements after monitorCrossRefID */
  children: Out[];
  cstaId?: string;
  /** the identity the event concerns (monitors of other identities do not get it) */
  identity?: number;
}

const connection = (name: string, c: SimCall): Out => ({
  name,
  children: [
    { name: 'callID', text: c.cstaId },
    { name: 'deviceID', text: c.local },
  ],
});
const device = (name: string, uri: string): Out => ({ name, children: [{ name: 'deviceIdentifier', text: uri }] });
const info = (state: string): Out => ({ name: 'localConnectionInfo', text: state });
const cause = (c: string): Out => ({ name: 'cause', text: c });

function ev(name: string, call: SimCall, children: Out[]): CstaEvent {
  return { name, children, cstaId: call.cstaId, identity: call.identity };
}

/** The events one change of the call model causes, in the order a device reports them. */
export function eventsForChange(ch: SimCallChange): CstaEvent[] {
  const c = ch.call;
  const out = c.direction === 'outgoing';
  const calling = out ? c.local : c.remote;
  const called = out ? c.remote : c.local;
  if (ch.from === null) {
    if (out) {
      // MakeCall, a dialled number or keys: the device initiates, originates, and the far end alerts.
      return [
        ev('ServiceInitiatedEvent', c, [
          connection('initiatedConnection', c),
          device('initiatingDevice', c.local),
          info('initiated'),
          cause('newCall'),
        ]),
        ev('OriginatedEvent', c, [
          connection('originatedConnection', c),
          device('callingDevice', c.local),
          device('calledDevice', c.remote),
          info('connected'),
          cause('newCall'),
        ]),
        ev('DeliveredEvent', c, [
          connection('connection', c),
          device('alertingDevice', c.remote),
          device('callingDevice', c.local),
          device('calledDevice', c.remote),
          info('connected'),
          cause('newCall'),
        ]),
      ];
    }
    return [
      ev('DeliveredEvent', c, [
        connection('connection', c),
        device('alertingDevice', c.local),
        device('callingDevice', c.remote),
        device('calledDevice', c.local),
        info('alerting'),
        cause('newCall'),
      ]),
    ];
  }
  switch (ch.to) {
    case 'connected':
      if (ch.from === 'held') {
        return [
          ev('RetrievedEvent', c, [
            connection('retrievedConnection', c),
            device('retrievingDevice', c.local),
            info('connected'),
            cause('normal'),
          ]),
        ];
      }
      return [
        ev('EstablishedEvent', c, [
          connection('establishedConnection', c),
          device('answeringDevice', ch.by === 'remote' ? c.remote : c.local),
          device('callingDevice', calling),
          device('calledDevice', called),
          info('connected'),
          cause('normal'),
        ]),
      ];
    case 'held':
      return [
        ev('HeldEvent', c, [
          connection('heldConnection', c),
          device('holdingDevice', c.local),
          info('hold'),
          cause('normal'),
        ]),
      ];
    case 'disconnected':
    case 'missed':
      return [
        ev('ConnectionClearedEvent', c, [
          connection('droppedConnection', c),
          device('releasingDevice', ch.by === 'remote' ? c.remote : c.local),
          info('null'),
          cause('normalClearing'),
        ]),
      ];
    case 'transferred':
      if (ch.from === 'ringing') {
        return [
          ev('DivertedEvent', c, [
            connection('connection', c),
            device('divertingDevice', c.local),
            device('newDestination', c.transferredTo ?? ''),
            info('null'),
            cause('redirected'),
          ]),
        ];
      }
      return [
        ev('ConnectionClearedEvent', c, [
          connection('droppedConnection', c),
          device('releasingDevice', c.local),
          info('null'),
          cause('transfer'),
        ]),
      ];
    default:
      return [];
  }
}

/** DND is phone-wide in the call model: one event for each monitored identity. */
export function dndEvent(on: boolean, deviceUri: string): CstaEvent {
  return {
    name: 'DoNotDisturbEvent',
    children: [device('device', deviceUri), { name: 'doNotDisturbOn', text: String(on) }],
  };
}

const FORWARD_TYPES: Record<keyof SimForwarding, string> = {
  immediate: 'forwardImmediate',
  busy: 'forwardBusy',
  noAnswer: 'forwardNoAns',
};

export function forwardingEvent(kind: keyof SimForwarding, dn: string | undefined, deviceUri: string): CstaEvent {
  const children: Out[] = [
    device('device', deviceUri),
    { name: 'forwardingType', text: FORWARD_TYPES[kind] },
    { name: 'forwardStatus', text: String(Boolean(dn)) },
  ];
  if (dn) children.push({ name: 'forwardTo', text: dn });
  return { name: 'ForwardingEvent', children };
}
