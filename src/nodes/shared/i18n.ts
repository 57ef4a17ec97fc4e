/**
 * Runtime texts in the runtime's language: status texts and the messages of our errors, through
 * Node-RED's i18n (`RED._`). Every runtime text lives under "runtime" in the snom-phone catalog
 * (nodes/locales/<lang>/snom-phone.json); the explicit namespace reaches it from every node set.
 * Where the runtime has no such entry (node-red-node-test-helper's `_` answers the key itself) the
 * English catalog of the package is read instead, so a text is never a bare key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SnomError, type TextKey } from '../../lib/errors';
import type { RED } from './red';
import { sayText } from './say-text';

export { sayText };

/** The catalog namespace Node-RED gives the snom-phone node set (`<module>/<set>`). */
export const NAMESPACE = '@snom-flows/node-red-contrib-snom/snom-phone';
const ROOT = 'runtime';

export type TextParams = Record<string, string | number>;
export type Translate = (key: string, params?: TextParams) => string;

/** nodes/locales/<lang>/snom-phone.json, its "runtime" part; compiled to dist/src/nodes/shared. */
export function runtimeCatalog(lang: string): Record<string, unknown> {
  try {
    const file = path.join(__dirname, '..', '..', '..', '..', 'nodes', 'locales', lang, 'snom-phone.json');
    const all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const runtime = all[ROOT];
    return runtime && typeof runtime === 'object' ? (runtime as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

let english: Record<string, unknown> | undefined;

/** A dotted key in a catalog part, own properties only. */
export function lookup(catalog: Record<string, unknown>, key: string): string | undefined {
  let at: unknown = catalog;
  for (const part of key.split('.')) {
    if (!at || typeof at !== 'object' || !Object.hasOwn(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'string' ? at : undefined;
}

/** Node-RED's interpolation (`__name__`), for the English fallback. */
function interpolate(text: string, params: TextParams): string {
  return text.replace(/__(\w+?)__/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The translator for a node module: `t('status.phoneReady')` in the runtime's language. */
export function translator(red: Pick<RED, '_'> | { _?: unknown }): Translate {
  const underscore = (red as { _?: unknown })._;
  return (key, params = {}) => {
    const full = `${NAMESPACE}:${ROOT}.${key}`;
    if (typeof underscore === 'function') {
      try {
        const out: unknown = underscore(full, params);
        // i18next answers the key (with or without namespace) for an entry it does not have
        if (typeof out === 'string' && out !== full && out !== `${ROOT}.${key}` && out !== key) return out;
      } catch {
        // the English text below
      }
    }
    return englishText(key, params);
  };
}

/** The package's English text for a key (the key itself where the catalog has none). */
export function englishText(key: string, params: TextParams = {}): string {
  english ??= runtimeCatalog('en-US');
  const text = lookup(english, key);
  return text === undefined ? key : interpolate(text, params);
}

/**
 * The error in the runtime's language, for done(err) and node.error: same class, code and details,
 * the message translated where the error carries a text key the catalog has; else the error itself.
 */
export function localise<E>(t: Translate, err: E): E | SnomError {
  if (!(err instanceof SnomError)) return err;
  const text: TextKey | undefined = err.text;
  if (!text) return err;
  const key = `errors.${text.key}`;
  const message = sayText(t, text);
  // in English (the runtime's, or its fallback for a language without the entry) the message stays as thrown
  if (message === key || message === englishText(key, text.params) || message === err.message) return err;
  const out = new SnomError(err.code, message, err.details);
  out.stack = err.stack;
  out.text = text;
  return out;
}
