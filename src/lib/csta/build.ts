/**
 * Builds CSTA-over-HTTP request bodies in the dialect the phone's firmware
 * speaks (docs/protocol.md §8.3, §8.5, §9.1). Pure: no I/O.
 */
import { briefText, inputError, quoteInput, unsupportedError } from '../errors';
import type { CstaCaps } from '../profile/types';
import { cstaSettingInfo, validateSettingName } from '../settings/names';
import { validateMinibrowserXml } from '../minibrowser/validate';
import {
  checkBoolean,
  checkCallId,
  checkDestination,
  checkDevice,
  checkDigits,
  checkOneOf,
  checkSnapshotObject,
} from './params';
import {
  EXTENDED_OPERATIONS,
  FORWARDING_TYPES,
  LEGACY_OPERATIONS,
  PROPRIETARY_OPERATIONS,
  isCstaOperation,
  type CstaOperation,
  type CstaParams,
  type CstaRequest,
} from './types';
import {
  CONTROL_CHARS,
  LONE_SURROGATE,
  XML_DECLARATION,
  hasTextOutsideRoot,
  topLevelElements,
  userXmlProblem,
  writeXml,
  type XmlNode,
} from './xml';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const CSTA_ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
export const CSTA_ED4 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed4';
export const CSTA_ED5 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed5';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Root attributes of bare 8.7.3+ requests. Where Snom published a working
 * request (docs/protocol.md §8.3) we send exactly that form; the rest use the
 * MakeCall form with double quotes (our choice, §11.1 C7).
 */
function bareRootAttrs(op: CstaOperation): string {
  switch (op) {
    case 'RequestSystemStatus':
      return ` xmlns="${CSTA_ED3}" xmlns:xsi="${XSI_NS}"`;
    case 'SnapshotDevice':
      return ` xmlns="${CSTA_ED5}"`;
    case 'MakeCall':
      return ` xmlns='${CSTA_ED5}' xmlns:xsi='${XSI_NS}'`;
    default:
      return ` xmlns="${CSTA_ED5}" xmlns:xsi="${XSI_NS}"`;
  }
}

function soapEnvelope(cstaNs: string, op: XmlNode): string {
  return (
    `${XML_DECLARATION}\n` +
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}" xmlns:csta="${cstaNs}">` +
    `<SOAP-ENV:Body>${writeXml(op, 'csta:')}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
  );
}

function bareDocument(op: CstaOperation, children: XmlNode[]): string {
  const inner = children.map((c) => writeXml(c)).join('');
  // Self-closing when empty, as Snom's RequestSystemStatus example is.
  const el = inner === '' ? `<${op}${bareRootAttrs(op)}/>` : `<${op}${bareRootAttrs(op)}>${inner}</${op}>`;
  return `${XML_DECLARATION}\n${el}`;
}

/** dialectRefusal's texts as catalog keys ("runtime.errors.csta.<key>"), by dialect. */
export const REFUSAL_KEYS: Record<string, string> = {
  none: 'noCsta',
  gap: 'gap',
  legacy: 'legacy',
  current: 'needs874',
};

/** The firmware rule that refuses `op`, or undefined when the phone can do it. */
function dialectRefusal(op: CstaOperation, caps: CstaCaps): string | undefined {
  switch (caps.dialect) {
    case 'none':
      return `CSTA ${op} is not possible: firmware before 7.3.4 has no CSTA over HTTP.`;
    case 'gap':
      return `CSTA ${op} is not possible: firmware 8.7.0 to 8.7.2 cannot do CSTA over HTTP; update the phone to 8.7.3 or later.`;
    case 'legacy':
      if (!LEGACY_OPERATIONS.includes(op)) {
        return `CSTA ${op} is not possible on firmware before 8.7 (legacy CSTA knows only MakeCall, AnswerCall, ClearConnection, ClearCall, HoldCall, RetrieveCall, TransferCall, SingleStepTransferCall and the Snom messages); update to ${
          EXTENDED_OPERATIONS.includes(op) ? '8.7.4' : '8.7.3'
        } or later.`;
      }
      return undefined;
    case 'current':
      if (EXTENDED_OPERATIONS.includes(op) && !caps.extendedOps) {
        return `CSTA ${op} needs firmware 8.7.4 or later.`;
      }
      return undefined;
    default:
      return `CSTA ${op} is not possible: unknown CSTA dialect "${String(caps.dialect)}".`;
  }
}

/** Builds the operation element's children; `legacy` selects bare call ids. */
function operationChildren(op: CstaOperation, p: CstaParams, caps: CstaCaps): XmlNode[] {
  const legacy = caps.dialect === 'legacy';
  const idx = caps.identityIndex;
  // The phone's own device, only needed when present (8.7.3+ ConnectionIDs).
  const ownDevice = (): string | undefined =>
    legacy || p.deviceId === undefined || p.deviceId === '' ? undefined : checkDevice('deviceId', p.deviceId, idx);

  const conn = (name: string, field: string, value: CstaParams['callId']): XmlNode => {
    const callId = checkCallId(field, value);
    if (legacy) return { name, text: callId };
    const kids: XmlNode[] = [{ name: 'callID', text: callId }];
    const dev = ownDevice();
    if (dev !== undefined) kids.push({ name: 'deviceID', text: dev });
    return { name, children: kids };
  };
  const device = (): XmlNode => ({ name: 'device', text: checkDevice('deviceId', p.deviceId, idx) });

  switch (op) {
    case 'MakeCall': {
      const callingField = p.callingDevice !== undefined ? 'callingDevice' : 'deviceId';
      if (p.callingDevice === undefined && p.deviceId === undefined) {
        throw inputError('callingDevice is missing: give the identity that places the call (e.g. sip:100@pbx).', {
          field: 'callingDevice',
        }).withText('csta.callingMissing');
      }
      return [
        { name: 'callingDevice', text: checkDevice(callingField, p.callingDevice ?? p.deviceId, idx) },
        { name: 'calledDirectoryNumber', text: checkDestination('calledDirectoryNumber', p.calledDirectoryNumber) },
        {
          name: 'autoOriginate',
          text: checkOneOf('autoOriginate', p.autoOriginate ?? 'doNotPrompt', ['doNotPrompt', 'prompt'] as const),
        },
      ];
    }
    case 'AnswerCall':
      return [conn('callToBeAnswered', 'callId', p.callId)];
    case 'ClearConnection':
      return [conn('connectionToBeCleared', 'callId', p.callId)];
    case 'ClearCall':
      return [conn('callToBeCleared', 'callId', p.callId)];
    case 'HoldCall':
      return [conn('callToBeHeld', 'callId', p.callId)];
    case 'RetrieveCall':
      return [conn('callToBeRetrieved', 'callId', p.callId)];
    case 'ConsultationCall':
      return [
        conn('existingCall', 'callId', p.callId),
        { name: 'consultedDevice', text: checkDestination('consultedDevice', p.consultedDevice) },
      ];
    case 'TransferCall':
    case 'ConferenceCall':
      return [conn('heldCall', 'heldCallId', p.heldCallId), conn('activeCall', 'activeCallId', p.activeCallId)];
    case 'SingleStepTransferCall':
      return [
        conn('activeCall', 'callId', p.callId),
        { name: 'transferredTo', text: checkDestination('transferredTo', p.transferredTo) },
      ];
    case 'DeflectCall':
      return [
        conn('callToBeDiverted', 'callId', p.callId),
        { name: 'newDestination', text: checkDestination('newDestination', p.newDestination) },
      ];
    case 'GenerateDigits':
      return [
        conn('connectionToSendDigits', 'callId', p.callId),
        { name: 'charactersToSend', text: checkDigits('digits', p.digits) },
      ];
    case 'SnapshotDevice': {
      if (p.snapshotObject === undefined && p.deviceId === undefined) {
        throw inputError('snapshotObject is missing: give the device to query (e.g. 100@pbx).', {
          field: 'snapshotObject',
        }).withText('csta.snapshotMissing');
      }
      const text =
        p.snapshotObject !== undefined
          ? checkSnapshotObject('snapshotObject', p.snapshotObject, idx)
          : checkDevice('deviceId', p.deviceId, idx);
      return [{ name: 'snapshotObject', text }];
    }
    case 'RequestSystemStatus':
    case 'GetDoNotDisturb':
    case 'GetForwarding':
      return op === 'RequestSystemStatus' ? [] : [device()];
    case 'SetDoNotDisturb':
      return [device(), { name: 'doNotDisturbOn', text: String(checkBoolean('doNotDisturbOn', p.doNotDisturbOn)) }];
    case 'SetForwarding': {
      // ECMA-323 order: device, forwardingType, activateForward, forwardDN.
      const dev = device();
      const type = checkOneOf('forwardingType', p.forwardingType, FORWARDING_TYPES);
      const on = checkBoolean('activateForward', p.activateForward);
      const kids: XmlNode[] = [
        dev,
        { name: 'forwardingType', text: type },
        { name: 'activateForward', text: String(on) },
      ];
      if (on || (p.forwardDN !== undefined && p.forwardDN !== '')) {
        kids.push({ name: 'forwardDN', text: checkDestination('forwardDN', p.forwardDN) });
      }
      return kids;
    }
    case 'GetSettings':
    case 'FireTest':
      return [];
    case 'SetSettings':
      return settingsChildren(p.settings);
    case 'XmlPush': {
      validateMinibrowserXml(p.document);
      return [{ name: 'document', text: p.document as string }];
    }
  }
}

function settingsChildren(settings: unknown): XmlNode[] {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw inputError('settings must be an object of setting name → value.', { field: 'settings' }).withText(
      'csta.settingsShape',
    );
  }
  const entries = Object.entries(settings as Record<string, unknown>);
  if (entries.length === 0)
    throw inputError('settings is empty: SetSettings needs at least one setting.', { field: 'settings' }).withText(
      'csta.settingsEmpty',
    );
  return entries.map(([name, value]) => {
    validateSettingName(name);
    const info = cstaSettingInfo(name);
    if (!info) {
      throw inputError(
        `Setting "${name}" cannot be written with CSTA SetSettings (only the action URLs and user_name/realname/hostN are); write it through the web route instead.`,
        { field: 'settings', setting: name },
      ).withText('csta.settingNotCsta', { name });
    }
    if (info.readOnly)
      throw inputError(`Setting "${name}" is read-only.`, { field: 'settings', setting: name }).withText(
        'settings.readOnly',
        { name },
      );
    if (typeof value !== 'string') {
      throw inputError(`The value of setting "${name}" must be a string.`, {
        field: 'settings',
        setting: name,
      }).withText('settings.notString', { name });
    }
    if (CONTROL_CHARS.test(value) || LONE_SURROGATE.test(value)) {
      throw inputError(
        `The value of setting "${name}" contains control characters or broken Unicode (a lone surrogate).`,
        { field: 'settings', setting: name },
      ).withText('csta.settingChars', { name });
    }
    return {
      name: 'Setting',
      children: [
        { name: 'name', text: name },
        { name: 'value', text: value },
      ],
    };
  });
}

/**
 * The request body for `operation` in the dialect of `caps`. Throws E_INPUT
 * for a missing/invalid parameter and E_UNSUPPORTED when the firmware cannot
 * do it; nothing is built then. `bare` (uaCSTA, whose requests are bare ed5: docs/protocol.md §10.7)
 * leaves out the SOAP envelope that CSTA over HTTP needs for ClearCall.
 */
export function buildCstaRequest(
  operation: CstaOperation,
  params: CstaParams,
  caps: CstaCaps,
  opts: { bare?: boolean } = {},
): CstaRequest {
  if (!isCstaOperation(operation)) {
    throw inputError(`${quoteInput(operation)} is not a CSTA operation this node can build.`, {
      field: 'operation',
    }).withText('csta.unknownOperation', { op: quoteInput(operation) });
  }
  const refusal = dialectRefusal(operation, caps);
  if (refusal) {
    const key = Object.hasOwn(REFUSAL_KEYS, caps.dialect) ? REFUSAL_KEYS[caps.dialect] : undefined;
    const e = unsupportedError(refusal, { command: `csta ${operation}` });
    const version = EXTENDED_OPERATIONS.includes(operation) ? '8.7.4' : '8.7.3';
    throw key ? e.withText(`csta.${key}`, { op: operation, version }) : e;
  }
  const children = operationChildren(operation, params ?? {}, caps);

  // Legacy firmware needs SOAP for everything; 8.7.3+ only for the Snom messages and ClearCall.
  const soap =
    !opts.bare &&
    (caps.dialect === 'legacy' || PROPRIETARY_OPERATIONS.includes(operation) || operation === 'ClearCall');
  const body = soap
    ? soapEnvelope(caps.dialect === 'legacy' ? CSTA_ED4 : CSTA_ED5, { name: operation, children })
    : bareDocument(operation, children);
  return { operation, body, contentType: 'text/xml', soap };
}

/**
 * Raw XML from the user: one well-formed document (a single root element, nothing but comments and
 * processing instructions around it, no DOCTYPE); operation = the request element's local name.
 */
export function buildRawCsta(xml: string): CstaRequest {
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw inputError('The raw CSTA request is empty: give the XML to send.', { field: 'xml' }).withText(
      'csta.rawEmpty',
    );
  }
  const problem = userXmlProblem(xml, 'The raw CSTA request', 'xml');
  if (problem) throw problem;
  const roots = topLevelElements(xml);
  if (roots.length !== 1) {
    throw inputError(`The raw CSTA request must have exactly one root element, not ${roots.length}.`, {
      field: 'xml',
    }).withText('csta.rawRoots', { n: roots.length });
  }
  if (hasTextOutsideRoot(xml, roots[0])) {
    throw inputError('The raw CSTA request has text outside its root element.', { field: 'xml' }).withText(
      'csta.rawOutside',
    );
  }
  const local = (n: string): string => n.slice(n.indexOf(':') + 1);
  const soap = local(roots[0]) === 'Envelope';
  let operation = local(roots[0]);
  if (soap) {
    // First element inside the Body, e.g. "csta:AnswerCall" → "AnswerCall".
    const m = /<(?:[\w.-]+:)?Body\b[^>]*>\s*<([\w.:-]+)/.exec(xml);
    operation = m ? local(m[1]) : 'Envelope';
  }
  return { operation: briefText(operation, 60), body: xml, contentType: 'text/xml', soap };
}
