/**
 * Small XML helpers shared by the CSTA, settings and minibrowser modules:
 * an escaping writer (we never build XML by string-pasting user text) and
 * the parser settings used to read what the phone sends.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escape text or an attribute value: & < > " ' become entities, nothing else changes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** One element to write: either text (escaped on output) or child elements. */
export interface XmlNode {
  name: string;
  attrs?: Array<[string, string]>;
  text?: string;
  children?: XmlNode[];
}

/** Serialise nodes; `prefix` (e.g. "csta:") goes before every element name. */
export function writeXml(node: XmlNode, prefix = ''): string {
  const name = prefix + node.name;
  const attrs = (node.attrs ?? []).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  let inner = '';
  if (node.children && node.children.length > 0) {
    inner = node.children.map((c) => writeXml(c, prefix)).join('');
  } else if (node.text !== undefined) {
    inner = escapeXml(node.text);
  }
  // Open and close tags even when empty: the seed's own templates do this.
  return `<${name}${attrs}>${inner}</${name}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Characters XML 1.0 cannot carry at all (tab, LF and CR are allowed). */
export const XML_ILLEGAL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Any control character, for single-line fields. */
export const CONTROL_CHARS = /[\u0000-\u001F\u007F]/;

/** Well-formedness check; returns the parser's message or undefined when fine. */
export function wellFormedError(xml: string): string | undefined {
  const r = XMLValidator.validate(xml);
  if (r === true) return undefined;
  return `${r.err.msg} (line ${r.err.line}, column ${r.err.col})`;
}

/**
 * Parser for phone replies: namespace prefixes and attributes dropped,
 * values kept as strings (a call id "-12" must stay "-12"), numeric
 * character references decoded.
 */
export function contentParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: true,
    htmlEntities: true,
  });
}

/** Names of the top-level elements, in order (the validator accepts several roots). */
export function topLevelElements(xml: string): string[] {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, commentPropName: '#comment' });
  const nodes = parser.parse(xml) as Array<Record<string, unknown>>;
  const names: string[] = [];
  for (const n of nodes) {
    for (const k of Object.keys(n)) {
      if (k === ':@' || k === '#text' || k === '#comment' || k.startsWith('?')) continue;
      names.push(k);
    }
  }
  return names;
}

/** True when non-blank text sits outside the root element (the validator lets it pass). */
export function hasTextOutsideRoot(xml: string): boolean {
  const stripped = xml
    .replace(/^\uFEFF/, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .trim();
  return !(stripped.startsWith('<') && stripped.endsWith('>'));
}

/** Short one-line excerpt of a body for error details. */
export function excerpt(body: string, max = 200): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1) + '…';
}
