// ECMA-323 call control as state changes of the call model (docs/protocol.md §8.4–§8.6; reply names without a Snom example: §11.6).
import type { CallModel } from '../calls/model';
import type { CallState, SimCall, SimForwarding } from '../calls/types';
import { CstaFault } from './reply';
import { child, type Out, type XNode } from './xml';

export interface OpContext {
  model: CallModel;
  /** bare call ids (before 8.7, or csta_legacy_control=0) instead of <callID> */
  legacy: boolean;
  /** firmware 8.7.4 or later: identity index as deviceID */
  v874: boolean;
  /** exactly 8.7.3: SingleStepTransferCall still takes its older form */
  v873: boolean;
}

export type OpHandler = (ctx: OpContext, op: XNode) => Out[];

const fault = (code: string, message?: string): CstaFault => new CstaFault(code, message);

/** The call a ConnectionID names: a bare id in the legacy form, <callID> (+ <deviceID>) in the current one. */
function connection(ctx: OpContext, op: XNode, name: string, allowBoth = false): SimCall {
  const el = child(op, name);
  if (!el) throw fault('invalidCallID', `${name} is missing`);
  const callEl = child(el, 'callID');
  let id: string;
  if (callEl && (!ctx.legacy || allowBoth)) {
    id = callEl.text;
    const dev = child(el, 'deviceID');
    if (dev && ctx.model.identityOf(dev.text, ctx.v874) === undefined)
      throw fault('invalidDeviceID', `${dev.text} is not an identity of this phone`);
  } else if (!callEl && (ctx.legacy || allowBoth) && el.children.length === 0) {
    id = el.text;
  } else {
    // the other dialect's form: the phone does not find a call id where it looks
    throw fault('invalidCallID', `${name} is not in the ${ctx.legacy ? 'bare' : '<callID>'} form`);
  }
  if (!/^-?\d+$/.test(id)) throw fault('invalidCallID', `call id ${JSON.stringify(id)} is not a number`);
  const call = ctx.model.find(id);
  if (!call) throw fault('invalidCallID', `no call ${id}`);
  return call;
}

function inState(call: SimCall, states: CallState[]): SimCall {
  if (!states.includes(call.state)) throw fault('invalidConnectionState', `call ${call.cstaId} is ${call.state}`);
  return call;
}

function text(op: XNode, name: string, code: string): string {
  const v = child(op, name)?.text ?? '';
  if (v === '') throw fault(code, `${name} is missing`);
  return v;
}

function identity(ctx: OpContext, op: XNode, name: string, code = 'invalidDeviceID'): number {
  const dev = text(op, name, code);
  const n = ctx.model.identityOf(dev, ctx.v874 && !ctx.legacy);
  if (n === undefined) throw fault(code, `${dev} is not an identity of this phone`);
  return n;
}

function bool(op: XNode, name: string): boolean {
  const v = child(op, name)?.text;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw fault('valueOutOfRange', `${name} must be true or false`);
}

const connId = (call: SimCall): Out[] => [
  { name: 'callID', text: call.cstaId },
  { name: 'deviceID', text: call.local },
];

/** ECMA-269 local connection state of a call, as compound call state reports it. */
function connectionState(s: CallState): string {
  return s === 'ringing' ? 'alerting' : s === 'held' ? 'hold' : 'connected';
}

const FORWARD_TYPES: Record<string, keyof SimForwarding> = {
  forwardImmediate: 'immediate',
  forwardBusy: 'busy',
  forwardNoAns: 'noAnswer',
};

export const OPERATIONS: Record<string, OpHandler> = {
  MakeCall(ctx, op) {
    const id = identity(ctx, op, 'callingDevice', 'invalidCallingDevice');
    const called = text(op, 'calledDirectoryNumber', 'invalidCalledDevice');
    const call = ctx.model.dial(called, id);
    return [{ name: 'callingDevice', children: connId(call) }];
  },
  AnswerCall(ctx, op) {
    const call = inState(connection(ctx, op, 'callToBeAnswered'), ['ringing']);
    ctx.model.answer(call);
    return [];
  },
  ClearConnection(ctx, op) {
    ctx.model.hangup(connection(ctx, op, 'connectionToBeCleared'));
    return [];
  },
  ClearCall(ctx, op) {
    ctx.model.hangup(connection(ctx, op, 'callToBeCleared'));
    return [];
  },
  HoldCall(ctx, op) {
    ctx.model.hold(inState(connection(ctx, op, 'callToBeHeld'), ['connected']));
    return [];
  },
  RetrieveCall(ctx, op) {
    ctx.model.retrieve(inState(connection(ctx, op, 'callToBeRetrieved'), ['held']));
    return [];
  },
  ConsultationCall(ctx, op) {
    const existing = inState(connection(ctx, op, 'existingCall'), ['connected']);
    const consulted = text(op, 'consultedDevice', 'invalidDestination');
    const call = ctx.model.dial(consulted, existing.identity);
    return [{ name: 'initiatedCall', children: connId(call) }];
  },
  TransferCall(ctx, op) {
    const held = inState(connection(ctx, op, 'heldCall'), ['held']);
    const active = inState(connection(ctx, op, 'activeCall'), ['connected', 'dialing']);
    ctx.model.transfer(held, active);
    return [{ name: 'transferredCall', children: connId(held) }];
  },
  ConferenceCall(ctx, op) {
    const held = inState(connection(ctx, op, 'heldCall'), ['held']);
    const active = inState(connection(ctx, op, 'activeCall'), ['connected']);
    const conf = ctx.model.conference(held, active);
    return [
      {
        name: 'conferenceCall',
        children: [
          { name: 'callID', text: conf },
          { name: 'deviceID', text: active.local },
        ],
      },
    ];
  },
  SingleStepTransferCall(ctx, op) {
    const call = inState(connection(ctx, op, 'activeCall', ctx.v873), ['connected', 'held']);
    const to = text(op, 'transferredTo', 'invalidDestination');
    ctx.model.blindTransfer(call, to);
    return [{ name: 'transferredCall', children: connId(call) }];
  },
  DeflectCall(ctx, op) {
    const call = inState(connection(ctx, op, 'callToBeDiverted'), ['ringing']);
    ctx.model.deflect(call, text(op, 'newDestination', 'invalidDestination'));
    return [];
  },
  GenerateDigits(ctx, op) {
    const call = inState(connection(ctx, op, 'connectionToSendDigits'), ['connected']);
    const digits = text(op, 'charactersToSend', 'valueOutOfRange');
    if (!/^[0-9*#A-Da-d]+$/.test(digits)) throw fault('valueOutOfRange', `${digits} are not DTMF digits`);
    ctx.model.ext.generatedDigits.push({ cstaId: call.cstaId, digits, at: Date.now() });
    ctx.model.phone.log('generate-digits', { cstaId: call.cstaId, digits });
    return [];
  },
  SnapshotDevice(ctx, op) {
    const id = identity(ctx, op, 'snapshotObject');
    const infos: Out[] = ctx.model
      .live()
      .filter((c) => c.identity === id)
      .map((c) => ({
        name: 'snapshotDeviceResponseInfo',
        children: [
          { name: 'connectionIdentifier', children: connId(c) },
          {
            name: 'localCallState',
            children: [
              {
                name: 'compoundCallState',
                children: [{ name: 'localConnectionState', text: connectionState(c.state) }],
              },
            ],
          },
        ],
      }));
    return [{ name: 'crossRefIDorSnapshotData', children: [{ name: 'snapshotData', children: infos }] }];
  },
  RequestSystemStatus() {
    return [{ name: 'systemStatus', text: 'normal' }];
  },
  GetDoNotDisturb(ctx, op) {
    identity(ctx, op, 'device');
    return [{ name: 'doNotDisturbOn', text: String(ctx.model.ext.dnd) }];
  },
  SetDoNotDisturb(ctx, op) {
    identity(ctx, op, 'device');
    ctx.model.setDnd(bool(op, 'doNotDisturbOn'));
    return [];
  },
  GetForwarding(ctx, op) {
    identity(ctx, op, 'device');
    const f = ctx.model.ext.forwarding;
    const items: Out[] = Object.entries(FORWARD_TYPES).map(([type, key]) => ({
      name: 'forwardListItem',
      children: [
        { name: 'forwardingType', text: type },
        { name: 'forwardStatus', text: String(Boolean(f[key])) },
        ...(f[key] ? [{ name: 'forwardDN', text: f[key] as string }] : []),
      ],
    }));
    return [{ name: 'forwardingList', children: items }];
  },
  SetForwarding(ctx, op) {
    identity(ctx, op, 'device');
    const type = child(op, 'forwardingType')?.text ?? '';
    const key = Object.hasOwn(FORWARD_TYPES, type) ? FORWARD_TYPES[type] : undefined; // not 'constructor' & co.
    if (!key)
      throw fault('valueOutOfRange', `forwardingType ${type} is not forwardImmediate, forwardBusy or forwardNoAns`);
    const on = bool(op, 'activateForward');
    const dn = child(op, 'forwardDN')?.text ?? '';
    if (on && dn === '') throw fault('invalidForwardingDestination', 'forwardDN is missing');
    ctx.model.setForwarding(key, on ? dn : undefined);
    return [];
  },
};
