// Answer bodies in the three styles Snom's page shows (success and fault, docs/protocol.md §8.6,
// §8.7), one per firmware family (our choice, §11.6): legacy (before 8.7, or csta_legacy_control=0),
// current bare (8.7.3+, §8.3), current SOAP.
import { CSTA_ED4, CSTA_ED5, SOAP_NS, writeXml, type Out } from './xml';

export type ReplyStyle = 'legacy' | 'bare' | 'soap';

const DECL = '<?xml version="1.0" encoding="utf-8"?>';

export function successBody(style: ReplyStyle, operation: string, children: Out[]): string {
  const el: Out = { name: `${operation}Response`, children };
  switch (style) {
    case 'legacy':
      return (
        `${DECL}\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}"><SOAP-ENV:Header/><SOAP-ENV:Body>` +
        `${writeXml(el, 'csta:', ` xmlns:csta="${CSTA_ED4}"`)}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
      );
    case 'bare':
      return `${DECL}\n${writeXml(el, '', ` xmlns="${CSTA_ED5}"`)}`;
    case 'soap':
      return (
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}" xmlns:csta="${CSTA_ED5}"><SOAP-ENV:Body>` +
        `${writeXml(el, 'csta:')}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
      );
  }
}

/** "invalidCallID" → "Invalid CallID", the wording of Snom's third fault form (docs/protocol.md §8.7). */
export function faultWords(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').split(' ');
  return words
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ')
    .replace(/ ID\b/, 'ID');
}

export function faultBody(style: ReplyStyle, code: string): string {
  switch (style) {
    case 'legacy':
      return (
        `${DECL}\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}"><SOAP-ENV:Header/><SOAP-ENV:Body><SOAP-ENV:Fault>` +
        '<SOAP-ENV:faultcode>Client</SOAP-ENV:faultcode><SOAP-ENV:faultstring>CSTA Error</SOAP-ENV:faultstring>' +
        `<SOAP-ENV:detail><csta:CSTAErrorCode xmlns:csta="${CSTA_ED4}"><csta:operation>${code}</csta:operation></csta:CSTAErrorCode>` +
        '</SOAP-ENV:detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>'
      );
    case 'bare':
      // Exactly as Snom's page prints it (docs/protocol.md §8.7), closing tag prefix included (not well-formed).
      return `${DECL}\n<CSTAErrorCode xmlns:csta="${CSTA_ED5}"><operation>${code}</csta:operation></CSTAErrorCode>`;
    case 'soap':
      return (
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}" xmlns:csta="${CSTA_ED5}"><SOAP-ENV:Body><SOAP-ENV:Fault>` +
        '<SOAP-ENV:faultcode>Client</SOAP-ENV:faultcode><SOAP-ENV:faultstring>CSTA Error</SOAP-ENV:faultstring>' +
        `<SOAP-ENV:detail><csta:CSTAErrorCode xmlns:csta="${CSTA_ED5}"><csta:operation>${faultWords(code)}</csta:operation></csta:CSTAErrorCode>` +
        '</SOAP-ENV:detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>'
      );
  }
}

/** A CSTA error the handlers throw; `code` is the ECMA-323 style value, e.g. invalidCallID. */
export class CstaFault extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
  }
}
