/** Test helpers: read generated XML back with fast-xml-parser, independent of our writer. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import assert from 'node:assert/strict';

/** Text that would break out of an element or attribute if it were not escaped. */
export const INJECTION = `</x><evil/>&amp;"'<`;

export function parseBack(xml: string): Record<string, unknown> {
  assert.equal(XMLValidator.validate(xml), true, `not well-formed: ${xml}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  });
  return parser.parse(xml) as Record<string, unknown>;
}

/** Every element name anywhere in a parsed tree (attributes and text left out). */
export function elementNames(tree: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(tree)) {
    for (const t of tree) elementNames(t, out);
  } else if (tree !== null && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
      if (k.startsWith('@') || k === '#text' || k.startsWith('?')) continue;
      out.add(k);
      elementNames(v, out);
    }
  }
  return out;
}

/** Follow a path of keys/indices through a parsed tree. */
export function at(tree: unknown, ...path: Array<string | number>): unknown {
  let cur: unknown = tree;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** The text of a parsed element, whether it had attributes or not. */
export function textOf(node: unknown): unknown {
  if (node !== null && typeof node === 'object' && '#text' in (node as object))
    return (node as { '#text': unknown })['#text'];
  return node;
}

/** Asserts `fn` throws a SnomError with `code` (and the field, when given). */
export function throwsCode(fn: () => unknown, code: string, field?: string): void {
  assert.throws(fn, (e: unknown) => {
    const err = e as { code?: string; details?: { field?: string }; message?: string };
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    if (field !== undefined) assert.equal(err.details?.field, field, `field in: ${err.message}`);
    return true;
  });
}
