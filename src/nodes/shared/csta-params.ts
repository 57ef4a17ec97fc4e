/**
 * The snom-csta node's inputs: which operation, and its parameters from the editor form,
 * else from msg.payload.<name> (CstaParams names), with the call ids that snom-action-url-in
 * and earlier snom-csta nodes leave on the message (msg.cstaId, msg.heldCstaId).
 */
import { inputError, quoteInput } from '../../lib/errors';
import type { CstaOperation, CstaParams } from '../../lib/csta';
import { isObj } from '../../lib/util';
import type { FieldsOf } from './node-config';

/** The call-control operations this node offers (the proprietary four belong to other nodes). */
// prettier-ignore
export const CSTA_NODE_OPERATIONS = [
  'MakeCall', 'AnswerCall', 'ClearConnection', 'ClearCall', 'HoldCall', 'RetrieveCall', 'ConsultationCall',
  'TransferCall', 'ConferenceCall', 'SingleStepTransferCall', 'DeflectCall', 'GenerateDigits', 'SnapshotDevice',
  'RequestSystemStatus', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
] as const satisfies readonly CstaOperation[];
export type CstaNodeOperation = (typeof CSTA_NODE_OPERATIONS)[number];

/** Operations whose device defaults to the phone's first identity when none is given. */
// prettier-ignore
export const DEVICE_OPERATIONS: readonly CstaNodeOperation[] = [
  'MakeCall', 'SnapshotDevice', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
];

/** The operation's "number to reach" parameter: a form's Destination field or a string msg.payload. */
export const DESTINATION_PARAM: Partial<Record<CstaNodeOperation, keyof CstaParams>> = {
  MakeCall: 'calledDirectoryNumber',
  ConsultationCall: 'consultedDevice',
  SingleStepTransferCall: 'transferredTo',
  DeflectCall: 'newDestination',
  SetForwarding: 'forwardDN',
};

type Bag = Record<string, unknown>;
/** The snom-csta form's fields. */
type Form = FieldsOf<'snom-csta'>;

function empty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** First non-empty value. */
function pick(...values: unknown[]): unknown {
  return values.find((v) => !empty(v));
}

/** on/off from the form ('on' | 'off' | ''), booleans or "true"/"false"/"on"/"off" from the message. */
function onOff(field: string, v: unknown): boolean | undefined {
  if (empty(v)) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string')
    throw inputError(`${field} must be true or false (or "on"/"off"), not ${quoteInput(v)}.`, { field }).withText(
      'csta.onOffValue',
      { field, value: quoteInput(v) },
    );
  const t = v.trim().toLowerCase();
  if (t === 'on' || t === 'true') return true;
  if (t === 'off' || t === 'false') return false;
  throw inputError(`${field} must be true or false (or "on"/"off").`, { field }).withText('csta.onOff', { field });
}

function isNodeOperation(v: unknown): v is CstaNodeOperation {
  return typeof v === 'string' && (CSTA_NODE_OPERATIONS as readonly string[]).includes(v);
}

/**
 * The form's operation; "msg" lets msg.operation, else msg.payload.operation, choose
 * (one of the operations or "raw").
 */
export function cstaOperationFrom(config: Form, msg: Bag): CstaNodeOperation | 'raw' {
  const form = config.operation;
  const chosen =
    empty(form) || form === 'msg' ? pick(msg.operation, isObj(msg.payload) ? msg.payload.operation : undefined) : form;
  if (chosen === 'raw' || isNodeOperation(chosen)) return chosen;
  if (empty(chosen)) {
    throw inputError('No CSTA operation given: choose one in the node or set msg.operation (e.g. "MakeCall").', {
      field: 'operation',
    }).withText('csta.noOperation');
  }
  throw inputError(
    `${quoteInput(chosen, 60)} is not a CSTA operation of this node; use one of ${CSTA_NODE_OPERATIONS.join(', ')} or raw.`,
    { field: 'operation' },
  ).withText('csta.notNodeOperation', { op: quoteInput(chosen, 60), allowed: CSTA_NODE_OPERATIONS.join(', ') });
}

/** Raw mode: the XML from the form's document field, else msg.payload (a string) or msg.payload.xml. */
export function rawXmlFrom(config: Form, msg: Bag): string {
  const xml = pick(
    config.xml,
    typeof msg.payload === 'string' ? msg.payload : isObj(msg.payload) ? msg.payload.xml : undefined,
  );
  if (typeof xml !== 'string')
    throw inputError('Raw CSTA needs the request XML in msg.payload (a string).', { field: 'xml' }).withText(
      'csta.rawNeedsXml',
    );
  return xml;
}

export interface CollectedParams {
  params: CstaParams;
  /** true when the operation needs a device and none was given: the node fills in the first identity */
  needsDevice: boolean;
}

/** Parameters for `op`: form field, else msg.payload.<name>, else the call ids on the message. */
export function cstaParamsFrom(op: CstaNodeOperation, config: Form, msg: Bag): CollectedParams {
  const p: Bag = isObj(msg.payload) ? msg.payload : {};
  // kept as given: a number is checked as a number (NaN, 1.5 or -3 are no phone numbers), not as its text
  const scalar = typeof msg.payload === 'string' || typeof msg.payload === 'number' ? msg.payload : undefined;
  const device = pick(config.device);
  const params: CstaParams = {
    callId: pick(config.callId, p.callId, msg.cstaId) as CstaParams['callId'],
    heldCallId: pick(config.heldCallId, p.heldCallId, msg.heldCstaId) as CstaParams['heldCallId'],
    activeCallId: pick(config.activeCallId, p.activeCallId, msg.cstaId) as CstaParams['activeCallId'],
    deviceId: pick(device, p.deviceId) as CstaParams['deviceId'],
    callingDevice: pick(device, p.callingDevice) as CstaParams['callingDevice'],
    snapshotObject: pick(device, p.snapshotObject) as CstaParams['snapshotObject'],
    calledDirectoryNumber: p.calledDirectoryNumber as string | undefined,
    consultedDevice: p.consultedDevice as string | undefined,
    transferredTo: p.transferredTo as string | undefined,
    newDestination: p.newDestination as string | undefined,
    forwardDN: p.forwardDN as string | undefined,
    digits: pick(config.digits, p.digits, op === 'GenerateDigits' ? scalar : undefined) as string | undefined,
    autoOriginate: pick(config.autoOriginate, p.autoOriginate) as CstaParams['autoOriginate'],
    doNotDisturbOn: onOff('doNotDisturbOn', pick(config.dnd, p.doNotDisturbOn)),
    forwardingType: pick(config.forwardingType, p.forwardingType) as CstaParams['forwardingType'],
    activateForward: onOff('activateForward', pick(config.forward, p.activateForward)),
  };
  const destParam = DESTINATION_PARAM[op];
  if (destParam) {
    (params as Bag)[destParam] = pick(config.destination, p[destParam], scalar);
  }
  // A number from a message (digits: 123) means its digits; destinations take numbers themselves (checkDestination).
  if (typeof params.digits === 'number') {
    const d: number = params.digits;
    if (!Number.isSafeInteger(d) || d < 0)
      throw inputError(`digits ${quoteInput(d)} are not DTMF digits: give them as text, e.g. "123#".`, {
        field: 'digits',
      }).withText('csta.digitsNumber', { value: quoteInput(d) });
    params.digits = String(d);
  }
  for (const k of Object.keys(params) as Array<keyof CstaParams>) if (empty(params[k])) delete params[k];

  const given =
    op === 'MakeCall'
      ? pick(params.callingDevice, params.deviceId)
      : op === 'SnapshotDevice'
        ? pick(params.snapshotObject, params.deviceId)
        : params.deviceId;
  return { params, needsDevice: DEVICE_OPERATIONS.includes(op) && empty(given) };
}
