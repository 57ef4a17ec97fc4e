// The simulator's own small XML reader (on fast-xml-parser) and writer for CSTA bodies.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const CSTA_ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
export const CSTA_ED4 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed4';
export const CSTA_ED5 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed5';

/** An element with its namespace resolved. */
export interface XNode {
  /** local name, prefix stripped */
  local: string;
  prefix: string;
  /** namespace URI ('' when none is in scope) */
  ns: string;
  attrs: Record<string, string>;
  children: XNode[];
  /** text content (entities decoded, CDATA kept as is), trimmed */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes entities in one pass, so "&amp;lt;" stays "&lt;". */
export function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e];
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
  cdataPropName: '#cdata',
});

type Raw = Record<string, unknown>;

function toNode(tag: string, item: Raw, scope: Record<string, string>): XNode {
  const rawAttrs = (item[':@'] ?? {}) as Record<string, string>;
  const attrs: Record<string, string> = {};
  const inner = { ...scope };
  for (const [k, v] of Object.entries(rawAttrs)) {
    attrs[k] = decodeEntities(String(v));
    if (k === 'xmlns') inner[''] = attrs[k];
    else if (k.startsWith('xmlns:')) inner[k.slice(6)] = attrs[k];
  }
  const colon = tag.indexOf(':');
  const prefix = colon < 0 ? '' : tag.slice(0, colon);
  const node: XNode = { local: tag.slice(colon + 1), prefix, ns: inner[prefix] ?? '', attrs, children: [], text: '' };
  let text = '';
  for (const c of (item[tag] ?? []) as Raw[]) {
    const key = Object.keys(c).find((k) => k !== ':@');
    if (key === undefined) continue;
    if (key === '#text') text += decodeEntities(String(c[key]));
    else if (key === '#cdata') for (const t of c[key] as Raw[]) text += String(t['#text'] ?? '');
    else if (!key.startsWith('?')) node.children.push(toNode(key, c, inner));
  }
  node.text = text.trim();
  return node;
}

/** The root element of a document, or why it is not well-formed XML. */
export function parseXml(text: string): XNode | string {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return valid.err.msg;
  const items = parser.parse(text) as Raw[];
  for (const item of items) {
    const tag = Object.keys(item).find((k) => k !== ':@' && !k.startsWith('?') && !k.startsWith('#'));
    if (tag) return toNode(tag, item, {});
  }
  return 'no root element';
}

export function child(n: XNode | undefined, local: string): XNode | undefined {
  return n?.children.find((c) => c.local === local);
}

/** An element to write: text or children (neither = empty). */
export interface Out {
  name: string;
  text?: string;
  children?: Out[];
}

/** Writes `n` with `prefix` on every element name (e.g. 'csta:'); empty elements self-close. */
export function writeXml(n: Out, prefix = '', rootAttrs = ''): string {
  const name = prefix + n.name;
  const inner = n.children?.length
    ? n.children.map((c) => writeXml(c, prefix)).join('')
    : n.text !== undefined
      ? escapeXml(n.text)
      : '';
  return inner === '' ? `<${name}${rootAttrs}/>` : `<${name}${rootAttrs}>${inner}</${name}>`;
}

/** Writes a parsed element back (for a minibrowser document sent as elements instead of text). */
export function serialise(n: XNode): string {
  const name = n.prefix ? `${n.prefix}:${n.local}` : n.local;
  const attrs = Object.entries(n.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const inner = n.children.length ? n.children.map(serialise).join('') : escapeXml(n.text);
  return `<${name}${attrs}>${inner}</${name}>`;
}

export function isWellFormed(text: string): boolean {
  return XMLValidator.validate(text) === true;
}
