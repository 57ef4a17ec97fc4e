/**
 * CSTA error replies. Snom's page shows three forms (docs/protocol.md §8.7): a SOAP Fault whose detail
 * holds CSTAErrorCode, a bare CSTAErrorCode whose closing tag does not match
 * (`<operation>invalidCallID</csta:operation>`, not well-formed), and the
 * "Invalid CallID" wording. So faults are found by tolerant matching on the
 * raw text, never by requiring well-formed XML.
 */
import { SnomError, type SnomErrorDetails } from '../errors';

export interface CstaFault {
  /** normalised value, e.g. "invalidCallID" */
  cstaError: string;
  /** the phone's own text, e.g. "Invalid CallID" */
  cstaText: string;
  /** ECMA-323 error category element, e.g. "operation" (when present) */
  cstaCategory?: string;
}

/** ECMA-323 values (and Snom's) in their canonical spelling, found case-insensitively. */
const KNOWN_VALUES = [
  'invalidCallID',
  'invalidConnectionID',
  'invalidDeviceID',
  'invalidCallIdentifier',
  'invalidConnectionIdentifier',
  'invalidDeviceIdentifier',
  'invalidConnectionState',
  'invalidObjectState',
  'invalidCallingDevice',
  'invalidCalledDevice',
  'invalidDestination',
  'invalidForwardingDestination',
  'invalidFeature',
  'invalidObjectType',
  'invalidCrossRefID',
  'invalidMonitorObject',
  'requestIncompatibleWithObject',
  'valueOutOfRange',
  'objectNotKnown',
  'serviceNotSupported',
  'serviceBusy',
  'resourceBusy',
  'resourceOutOfService',
  'noActiveCall',
  'noHeldCall',
  'noCallToClear',
  'noConnectionToClear',
  'noCallToAnswer',
  'noCallToComplete',
  'generic',
  'unspecified',
];
const KNOWN = new Map(KNOWN_VALUES.map((v) => [v.toLowerCase(), v]));

/** "Invalid Connection State" → "invalidConnectionState"; known values get their canonical case. */
export function normaliseCstaError(text: string): string {
  const words = text
    .trim()
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return 'unspecified';
  const cap = (w: string): string => {
    // "CALL" → "Call", but keep short acronyms such as "ID" as they are.
    const body = w.length > 2 && w === w.toUpperCase() ? w.toLowerCase() : w;
    return body[0].toUpperCase() + body.slice(1);
  };
  const first =
    words[0] === words[0].toUpperCase() ? words[0].toLowerCase() : words[0][0].toLowerCase() + words[0].slice(1);
  const camel = first + words.slice(1).map(cap).join('');
  return KNOWN.get(camel.toLowerCase()) ?? camel;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

const ERROR_CODE_RE = /<(?:[\w.-]+:)?CSTAErrorCode\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?CSTAErrorCode\s*>)/;
/** First child: its name, then either its text up to any closing tag (prefix may not match), or self-closing. */
const CHILD_RE = /<(?:[\w.-]+:)?([\w.-]+)\b[^>]*?(?:\/>|>([^<]*)<\/)/;
const FAULT_RE = /<(?:[\w.-]+:)?Fault\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?Fault\s*>/;
const FAULTSTRING_RE = /<(?:[\w.-]+:)?faultstring\b[^>]*>([^<]*)</;

/** The fault in a reply body, or undefined when there is none. */
export function findCstaFault(body: string): CstaFault | undefined {
  const code = ERROR_CODE_RE.exec(body);
  if (code) {
    const inner = code[1] ?? '';
    const child = CHILD_RE.exec(inner);
    if (child) {
      const category = child[1];
      const text = decodeEntities((child[2] ?? '').trim());
      // <unspecified/> carries its meaning in the element name.
      const value = text === '' ? category : text;
      return { cstaError: normaliseCstaError(value), cstaText: value, cstaCategory: category };
    }
    const text = decodeEntities(inner.trim());
    return { cstaError: normaliseCstaError(text), cstaText: text };
  }
  const fault = FAULT_RE.exec(body);
  if (fault) {
    const fs = FAULTSTRING_RE.exec(fault[1]);
    const text = fs ? decodeEntities(fs[1].trim()) : '';
    return { cstaError: text ? normaliseCstaError(text) : 'unspecified', cstaText: text };
  }
  return undefined;
}

/** The E_CSTA error for a fault. */
export function cstaFaultError(fault: CstaFault, status: number, context: SnomErrorDetails = {}): SnomError {
  const who = context.phone ? `Phone ${context.phone}` : 'The phone';
  const what = context.command ? ` ${context.command}` : ' CSTA request';
  const said = fault.cstaText && fault.cstaText !== fault.cstaError ? ` ("${fault.cstaText}")` : '';
  const e = new SnomError('E_CSTA', `${who} rejected the${what}: ${fault.cstaError}${said}.`, {
    ...context,
    status,
    cstaError: fault.cstaError,
    cstaText: fault.cstaText,
    ...(fault.cstaCategory ? { cstaCategory: fault.cstaCategory } : {}),
  });
  // the catalog's sentence names both
  if (!context.phone || !context.command) return e;
  return e.withText('csta.rejected', {
    phone: context.phone,
    command: context.command,
    cstaError: fault.cstaError,
    said,
  });
}
