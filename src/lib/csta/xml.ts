/**
 * Small XML helpers shared by the CSTA, settings and minibrowser modules:
 * an escaping writer (we never build XML by string-pasting user text) and
 * the parser settings used to read what the phone sends.
 */
import type { XMLParser } from 'fast-xml-parser';
import { fastXmlParser } from '../fast-xml';
import { briefLine, briefText, inputError, type SnomError } from '../errors';

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

/** Text XML can carry: no illegal control characters, no lone surrogates (they would reach the phone as U+FFFD). */
function carried(text: string, where: string): string {
  if (XML_ILLEGAL_CHARS.test(text) || LONE_SURROGATE.test(text)) {
    throw inputError(
      `The ${where} contains control characters or broken Unicode (a lone surrogate) that XML cannot carry.`,
      { field: where },
    ).withText('xml.notCarried', { where });
  }
  return escapeXml(text);
}

/** Serialise nodes; `prefix` (e.g. "csta:") goes before every element name. */
export function writeXml(node: XmlNode, prefix = ''): string {
  const name = prefix + node.name;
  const attrs = (node.attrs ?? []).map(([k, v]) => ` ${k}="${carried(v, node.name)}"`).join('');
  let inner = '';
  if (node.children && node.children.length > 0) {
    inner = node.children.map((c) => writeXml(c, prefix)).join('');
  } else if (node.text !== undefined) {
    inner = carried(node.text, node.name);
  }
  // Open and close tags even when empty, as Snom's own templates do (docs/protocol.md §8.3).
  return `<${name}${attrs}>${inner}</${name}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Characters XML 1.0 cannot carry at all (tab, LF and CR are allowed). */
export const XML_ILLEGAL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Any control character, for single-line fields. */
export const CONTROL_CHARS = /[\u0000-\u001F\u007F]/;

/** A high surrogate without its low half, or a low one without its high half: not Unicode text. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A document type declaration: it can declare entities (a "billion laughs" document expands to
 * gigabytes in the phone's parser) and no Snom document needs one, so documents with it are refused.
 */
export const DOCTYPE = /<!DOCTYPE|<!ENTITY/i;

/** Well-formedness check; returns the parser's message (briefly: it quotes the input) or undefined when fine. */
export function wellFormedError(xml: string): string | undefined {
  const r = fastXmlParser().XMLValidator.validate(xml);
  if (r === true) return undefined;
  const msg = briefText(String(r.err.msg)).replace(
    new RegExp(`${LONE_SURROGATE.source}|${CONTROL_CHARS.source}`, 'g'),
    '?',
  );
  return `${msg} (line ${r.err.line}, column ${r.err.col})`;
}

/**
 * Why user XML cannot go to the phone as it is (E_INPUT, not thrown: the caller throws), or undefined:
 * broken Unicode, characters XML cannot carry, a DOCTYPE or entity declaration, not well-formed.
 * `what` names it ("The raw CSTA request"; the catalogs say it in words as `fields.<what>`), `field`
 * is the error's field.
 */
export function userXmlProblem(xml: string, what: string, field: string): SnomError | undefined {
  const said = { field: what };
  if (LONE_SURROGATE.test(xml))
    return inputError(`${what} contains broken Unicode (a lone surrogate).`, { field }).withText('xml.lone', said);
  if (XML_ILLEGAL_CHARS.test(xml))
    return inputError(`${what} contains control characters that XML cannot carry.`, { field }).withText(
      'xml.illegal',
      said,
    );
  if (DOCTYPE.test(xml))
    return inputError(
      `${what} has a DOCTYPE or entity declaration; the phone takes none (they can blow up its parser).`,
      { field },
    ).withText('xml.doctype', said);
  const problem = wellFormedError(xml);
  if (problem)
    return inputError(`${what} is not well-formed XML: ${problem}.`, { field }).withText('xml.notWellFormed', {
      ...said,
      problem,
    });
  return undefined;
}

/**
 * Parser for phone replies: namespace prefixes and attributes dropped,
 * values kept as strings (a call id "-12" must stay "-12"), numeric
 * character references decoded.
 */
export function contentParser(): XMLParser {
  return new (fastXmlParser().XMLParser)({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: true,
    htmlEntities: true,
  });
}

/**
 * fast-xml-parser refuses element names such as `constructor` and renames `toString` (they would
 * be object keys). Parsers of user and phone documents put this mark before every element name
 * instead, so any name reads back as written: "-" cannot start an XML name, nor any of those keys.
 */
export const TAG_MARK = '-';
export const markTag = (name: string): string => TAG_MARK + name;
// fast-xml-parser 5 marks self-closing tags twice, so every leading mark goes
export const unmarkTag = (key: string): string => key.replace(/^-+/, '');

/** Names of the top-level elements, in order (the validator accepts several roots). */
export function topLevelElements(xml: string): string[] {
  const parser = new (fastXmlParser().XMLParser)({
    preserveOrder: true,
    ignoreAttributes: true,
    commentPropName: '#comment',
    transformTagName: markTag,
  });
  const nodes = parser.parse(xml) as Array<Record<string, unknown>>;
  const names: string[] = [];
  for (const n of nodes) {
    for (const k of Object.keys(n)) {
      if (!k.startsWith(TAG_MARK)) continue; // ':@', '#text', '#comment', '?xml'
      names.push(unmarkTag(k));
    }
  }
  return names;
}

/**
 * True when non-blank text sits outside the root element `root` (the validator lets text after
 * the root pass and the parser drops it, so the tail is checked here: after the root's end only
 * blanks, comments and processing instructions may follow).
 */
export function hasTextOutsideRoot(xml: string, root = topLevelElements(xml)[0] ?? ''): boolean {
  let t = xml.replace(/^\uFEFF/, '').trim();
  for (;;) {
    const cut = t.endsWith('-->') ? t.lastIndexOf('<!--') : t.endsWith('?>') ? t.lastIndexOf('<?') : -1;
    if (cut < 0) break;
    t = t.slice(0, cut).trimEnd();
  }
  const close = `</${root}`;
  const end = t.lastIndexOf(close);
  if (end >= 0 && /^\s*>$/.test(t.slice(end + close.length))) return false;
  // a self-closing root: the whole rest is that one tag (attribute values are quoted and hold no quote of their kind)
  const open = t.lastIndexOf(`<${root}`);
  return !(open >= 0 && SELF_CLOSING_REST.test(t.slice(open + 1 + root.length)));
}

/** What follows the name in a self-closing tag: attributes, then />, then nothing. */
const SELF_CLOSING_REST = /^(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*\/>$/;

/** Short one-line excerpt of a body for error details. */
export function excerpt(body: string, max = 200): string {
  return briefLine(body, max);
}
