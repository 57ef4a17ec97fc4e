/**
 * The web route for settings: writing through dummy.htm (docs/protocol.md §5.1, values encoded
 * as §5.2 says) and reading settings.xml (§5.3; its shape is a guess, §11.4 S1).
 */
import { fastXmlParser } from '../fast-xml';
import { SnomError, inputError } from '../errors';
import { LONE_SURROGATE, excerpt, markTag, unmarkTag, wellFormedError } from '../csta/xml';
import { cstaSettingInfo, isReadOnly, validateSettingName } from './names';
import { isObj } from '../util';

/**
 * Percent-encode a value so that the phone's query decoding gives it back
 * exactly. encodeURIComponent turns space into %20 (not "+", which the phone
 * reads as space) and always encodes & # + = % ?. We then put `$` back as a
 * literal: it is not a query delimiter, and keeping it leaves action URL
 * templates ($remote, $csta_id) readable, as snom-dialer sends them.
 */
export function encodeSettingValue(value: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw inputError('A setting value contains broken Unicode (an unpaired surrogate) and cannot be sent.', {
      field: 'value',
    }).withText('settings.unpaired');
  }
  return encodeURIComponent(value).replace(/%24/g, '$');
}

/**
 * `/dummy.htm?settings=save[&store_settings=save]&name=value&…`.
 * store (default true) makes the phone keep the values across reboots.
 * Read-only names, the hidden action_fwtest_url (CSTA only), invalid names
 * and values with control characters are refused with E_INPUT.
 */
export function buildWebSettingsWrite(values: Record<string, string>, opts: { store?: boolean } = {}): string {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw inputError('Settings to write must be an object of name → value.', { field: 'settings' }).withText(
      'settings.shape',
    );
  }
  const entries = Object.entries(values);
  if (entries.length === 0)
    throw inputError('There are no settings to write.', { field: 'settings' }).withText('settings.none');
  const parts = ['settings=save'];
  if (opts.store !== false) parts.push('store_settings=save');
  for (const [name, value] of entries) {
    validateSettingName(name);
    const at = { field: 'settings', setting: name };
    if (isReadOnly(name))
      throw inputError(`Setting "${name}" is read-only.`, at).withText('settings.readOnly', { name });
    if (cstaSettingInfo(name)?.hidden) {
      throw inputError(
        `Setting "${name}" is hidden from the web interface; write it with CSTA SetSettings.`,
        at,
      ).withText('settings.hidden', { name });
    }
    if (typeof value !== 'string') {
      throw inputError(`The value of setting "${name}" must be a string.`, at).withText('settings.notString', { name });
    }
    if (/[\u0000-\u001F\u007F]/.test(value)) {
      throw inputError(
        `The value of setting "${name}" contains control characters (line breaks, tabs, …).`,
        at,
      ).withText('settings.controlChars', { name });
    }
    parts.push(`${name}=${encodeSettingValue(value)}`);
  }
  return `/dummy.htm?${parts.join('&')}`;
}

type Obj = Record<string, unknown>;
const ATTR = '@_';

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isObj(v) && typeof v['#text'] === 'string') return v['#text'];
  return '';
}

function attrOf(v: unknown, name: string): string | undefined {
  if (!isObj(v)) return undefined;
  const a = v[ATTR + name];
  return typeof a === 'string' ? a : undefined;
}

/** Sections of the provisioning format that are not plain name → value settings. */
const NOT_SETTINGS = new Set(['functionKeys', 'tbook', 'dialplan', 'uploads', 'firmware-settings']);

/**
 * settings.xml → { name: value }. `<name idx="1">v</name>` becomes name1;
 * function keys `<fkey idx="0">…</fkey>` become fkey0. Accepts the
 * `<settings><phone-settings>` wrappers or either of them missing.
 * Surrounding whitespace of values is trimmed. Not XML → E_HTTP.
 * Any setting name reads back, `constructor` and `__proto__` included: element
 * names are marked while parsing (csta/xml markTag) and the result holds only
 * own properties.
 */
export function parseSettingsXml(body: string): Record<string, string> {
  const text = typeof body === 'string' ? body : '';
  if (text.trim() === '' || wellFormedError(text) !== undefined) {
    throw new SnomError('E_HTTP', 'The phone did not answer settings.xml with XML.', {
      excerpt: excerpt(text),
    }).withText('settings.notXml');
  }
  const parser = new (fastXmlParser().XMLParser)({
    ignoreAttributes: false,
    attributeNamePrefix: ATTR,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    htmlEntities: true,
    // Every element an array so one and many settings of a name read alike.
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
    transformTagName: markTag,
  });
  const doc = unmarkKeys(parser.parse(text)) as Obj;
  const rootName = Object.keys(doc).find((k) => !k.startsWith('?'));
  if (!rootName || /^html$/i.test(rootName)) {
    throw new SnomError('E_HTTP', 'The phone answered settings.xml with something that is not a settings document.', {
      excerpt: excerpt(text),
    }).withText('settings.notDocument');
  }
  const root = doc[rootName];
  const found = new Map<string, string>();
  const out = { set: (k: string, v: string) => found.set(k, v) };
  const first = (v: unknown): Obj | undefined => (Array.isArray(v) && isObj(v[0]) ? v[0] : isObj(v) ? v : undefined);

  const readContainer = (container: Obj): void => {
    for (const [name, items] of Object.entries(container)) {
      if (name.startsWith(ATTR) || name === '#text' || NOT_SETTINGS.has(name)) continue;
      if (name === 'phone-settings') continue;
      for (const item of Array.isArray(items) ? items : [items]) {
        const idx = attrOf(item, 'idx');
        out.set(idx !== undefined && idx !== '' ? name + idx : name, textOf(item));
      }
    }
  };

  const rootObj = first(root) ?? {};
  if (rootName === 'phone-settings') {
    readContainer(rootObj);
  } else {
    const phone = first(rootObj['phone-settings']);
    readContainer(phone ?? rootObj);
    const fkeys = first(rootObj.functionKeys);
    if (fkeys) {
      const list = fkeys.fkey;
      for (const item of Array.isArray(list) ? list : list === undefined ? [] : [list]) {
        const idx = attrOf(item, 'idx');
        if (idx !== undefined) out.set(`fkey${idx}`, textOf(item));
      }
    }
  }
  // fromEntries defines own properties: a setting named __proto__ stays a setting
  return Object.fromEntries(found);
}

/** The parsed tree with the element marks taken off again (into null-prototype objects). */
function unmarkKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unmarkKeys);
  if (!isObj(v)) return v;
  const o = Object.create(null) as Obj;
  for (const [k, x] of Object.entries(v)) o[unmarkTag(k)] = unmarkKeys(x);
  return o;
}
