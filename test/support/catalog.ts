// The runtime part of the package's catalogs (nodes/locales/<lang>/snom-phone.json "runtime"), for tests.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LANGS = ['en-US', 'de'] as const;
export const LOCALES = path.resolve(__dirname, '..', '..', '..', 'nodes', 'locales');

export function runtimePart(lang: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(LOCALES, lang, 'snom-phone.json'), 'utf8')).runtime;
}

/** Every dotted key of a catalog part with its text. */
export function flatten(part: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(part)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else if (v && typeof v === 'object')
      for (const [kk, vv] of flatten(v as Record<string, unknown>, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

/** The __name__ parameters a text uses. */
export function paramsOf(text: string): string[] {
  return [...new Set([...text.matchAll(/__(\w+?)__/g)].map((m) => m[1]))].sort();
}

/** Node-RED's interpolation: __name__ → value. */
export function render(text: string, params: Record<string, string | number>): string {
  return text.replace(/__(\w+?)__/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
