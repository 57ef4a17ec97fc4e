/** Checks that a string is a minibrowser document the phone can show. */
import { inputError, quoteInput } from '../errors';
import { hasTextOutsideRoot, topLevelElements, userXmlProblem } from '../csta/xml';

/** The objects of docs/protocol.md §7.1; the phone also takes them without the "Snom" prefix. */
const OBJECTS = ['Text', 'Menu', 'Directory', 'Input', 'Image', 'ImageFile', 'Batch', 'Silent'];

/** lower-case name → spelling Snom documents, for both long and short forms. */
const KNOWN_ROOTS = new Map<string, string>();
for (const o of OBJECTS) {
  KNOWN_ROOTS.set(`snomipphone${o.toLowerCase()}`, `SnomIPPhone${o}`);
  KNOWN_ROOTS.set(`ipphone${o.toLowerCase()}`, `IPPhone${o}`);
}

/** Every root element name the phone accepts, in Snom's spelling. */
export const MINIBROWSER_ROOTS: readonly string[] = Object.freeze([...KNOWN_ROOTS.values()]);

/**
 * Well-formed, no DOCTYPE or entity declarations (no Snom document has them; a "billion laughs"
 * document would blow up the phone's parser), exactly one root element and nothing outside it,
 * and that root a known object.
 * Matching is case-insensitive as the phone's parser is; `root` is returned
 * in Snom's spelling (e.g. "snomipphonetext" → "SnomIPPhoneText").
 */
export function validateMinibrowserXml(xml: unknown): { root: string } {
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw inputError(
      'The minibrowser document is empty: give an XML string such as <SnomIPPhoneText>…</SnomIPPhoneText>.',
      { field: 'document' },
    ).withText('xml.docEmpty');
  }
  const problem = userXmlProblem(xml, 'The minibrowser document', 'document');
  if (problem) throw problem;
  const roots = topLevelElements(xml);
  if (roots.length === 0) {
    throw inputError('The minibrowser document has no root element.', { field: 'document' }).withText('xml.noRoot');
  }
  if (roots.length > 1) {
    const names = roots
      .slice(0, 4)
      .map((r) => quoteInput(r, 60))
      .join(', ');
    throw inputError(
      `The minibrowser document has ${roots.length} root elements (${names}); the phone shows one object per document — wrap several in SnomIPPhoneBatch.`,
      { field: 'document' },
    ).withText('xml.roots', { n: roots.length, names });
  }
  if (hasTextOutsideRoot(xml, roots[0])) {
    throw inputError('The minibrowser document has text outside its root element.', { field: 'document' }).withText(
      'xml.outside',
    );
  }
  const root = KNOWN_ROOTS.get(roots[0].toLowerCase());
  if (!root) {
    throw inputError(
      `${quoteInput(roots[0], 60)} is not a minibrowser object; the root must be one of SnomIPPhoneText, SnomIPPhoneMenu, SnomIPPhoneDirectory, SnomIPPhoneInput, SnomIPPhoneImage, SnomIPPhoneImageFile, SnomIPPhoneBatch, SnomIPPhoneSilent (or the IPPhone… short forms).`,
      { field: 'document' },
    ).withText('xml.notObject', { root: quoteInput(roots[0], 60) });
  }
  return { root };
}
