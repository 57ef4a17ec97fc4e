/** CSTA operation names, parameters and request/result shapes. */

/** Requests this library can build (ECMA-323 names plus Snom's proprietary four). */
// prettier-ignore
export const CSTA_OPERATIONS = [
  'MakeCall', 'AnswerCall', 'ClearConnection', 'ClearCall', 'HoldCall', 'RetrieveCall', 'ConsultationCall',
  'TransferCall', 'ConferenceCall', 'SingleStepTransferCall', 'DeflectCall', 'GenerateDigits', 'SnapshotDevice',
  'RequestSystemStatus', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding', 'GetSettings',
  'SetSettings', 'XmlPush', 'FireTest',
] as const;

export type CstaOperation = (typeof CSTA_OPERATIONS)[number];

export function isCstaOperation(name: unknown): name is CstaOperation {
  return typeof name === 'string' && (CSTA_OPERATIONS as readonly string[]).includes(name);
}

/** Snom's proprietary messages; they always travel in a SOAP envelope (docs/protocol.md §9.1). */
export const PROPRIETARY_OPERATIONS: readonly CstaOperation[] = ['GetSettings', 'SetSettings', 'XmlPush', 'FireTest'];

/** What firmware 7.3.4 to before 8.7 understands (docs/protocol.md §8.2), plus the proprietary ones (our guess, §11.2 P3). */
export const LEGACY_OPERATIONS: readonly CstaOperation[] = [
  'MakeCall',
  'AnswerCall',
  'ClearConnection',
  'ClearCall',
  'HoldCall',
  'RetrieveCall',
  'TransferCall',
  'SingleStepTransferCall',
  ...PROPRIETARY_OPERATIONS,
];

/** Added in 8.7.4 (docs/protocol.md §8.2; CstaCaps.extendedOps). */
// prettier-ignore
export const EXTENDED_OPERATIONS: readonly CstaOperation[] = [
  'ConsultationCall', 'DeflectCall', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
];

/** ECMA-323 ForwardingType values. */
// prettier-ignore
export const FORWARDING_TYPES = [
  'forwardImmediate', 'forwardBusy', 'forwardNoAns', 'forwardDND', 'forwardBusyInt', 'forwardBusyExt',
  'forwardImmInt', 'forwardImmExt', 'forwardNoAnsInt', 'forwardNoAnsExt', 'forwardDNDInt', 'forwardDNDExt',
] as const;

export type ForwardingType = (typeof FORWARDING_TYPES)[number];

/** A call id: the phone's $csta_id, a decimal integer that may be negative (e.g. -18). */
export type CallId = string | number;

/**
 * A device: a SIP URI ("sip:100@pbx"), "user@host" (sent as "sip:user@host"),
 * or with firmware 8.7.4+ the index 1..12 of an identity on the phone.
 */
export type DeviceRef = string | number;

/**
 * Parameters for buildCstaRequest. Each operation reads only the fields it
 * needs; a missing or invalid one is an E_INPUT naming the field.
 */
export interface CstaParams {
  /**
   * The call to act on ($csta_id): AnswerCall, ClearConnection, ClearCall,
   * HoldCall, RetrieveCall, ConsultationCall (existingCall),
   * SingleStepTransferCall (activeCall), DeflectCall, GenerateDigits.
   */
  callId?: CallId;
  /**
   * The phone's own device. 8.7.3+ adds it as `<deviceID>` after `<callID>`
   * in every ConnectionID (legacy firmware has none); it is the `device` of
   * Get/SetDoNotDisturb and Get/SetForwarding, MakeCall's callingDevice and
   * SnapshotDevice's snapshotObject when those are not given.
   */
  deviceId?: DeviceRef;
  /** MakeCall: the identity that places the call (defaults to deviceId). */
  callingDevice?: DeviceRef;
  /** MakeCall: number or URI to call ("user@host" → "sip:user@host"). */
  calledDirectoryNumber?: string;
  /** MakeCall: 'doNotPrompt' (default: the phone dials at once) or 'prompt'. */
  autoOriginate?: 'doNotPrompt' | 'prompt';
  /** TransferCall, ConferenceCall: the held call. */
  heldCallId?: CallId;
  /** TransferCall, ConferenceCall: the active call. */
  activeCallId?: CallId;
  /** ConsultationCall: number or URI to consult. */
  consultedDevice?: string;
  /** SingleStepTransferCall: number or URI to transfer to. */
  transferredTo?: string;
  /** DeflectCall: number or URI to divert the call to. */
  newDestination?: string;
  /** GenerateDigits: DTMF to send, only 0-9 * # A-D and "," (pause). */
  digits?: string;
  /** SnapshotDevice: the device to query, sent as given (Snom's example sends "user@host", docs/protocol.md §8.4). */
  snapshotObject?: DeviceRef;
  /** SetDoNotDisturb: true to switch DND on, false for off. */
  doNotDisturbOn?: boolean;
  /** SetForwarding: which forwarding. */
  forwardingType?: ForwardingType;
  /** SetForwarding: forward target (needed when activating). */
  forwardDN?: string;
  /** SetForwarding: true to switch forwarding on, false for off. */
  activateForward?: boolean;
  /** SetSettings: name → value, only writable names of Snom's list (docs/protocol.md §9.2). */
  settings?: Record<string, string>;
  /** XmlPush: a minibrowser document (XML string); sent as escaped text. */
  document?: string;
}

export interface CstaRequest {
  /** the operation (for raw XML: the request element's local name) */
  operation: string;
  /** the XML to POST to /csta */
  body: string;
  contentType: 'text/xml';
  /** true when wrapped in a SOAP envelope */
  soap: boolean;
}

export interface CstaResult {
  /** local name of the reply element, e.g. "MakeCallResponse" ("" for an empty 2xx body) */
  operation: string;
  /** its content: prefixes stripped, namespaces and attributes dropped, values as strings */
  data: Record<string, unknown>;
  /** the new call's id from MakeCall / ConsultationCall replies */
  callId?: string;
  /** the body as received */
  raw: string;
}
