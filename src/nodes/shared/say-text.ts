/**
 * How a text key is said, browser-safe: the runtime (shared/i18n.ts) and the editor's checks
 * (editor/rules.ts) say an error's text this way, each with its own catalog lookup (`Say`).
 */
import type { TextKey } from '../../lib/errors';

/** A catalog's text for a key under "runtime" ("fields.…", "errors.…"), or the key itself where it has none. */
export type Say = (key: string, params?: Record<string, string | number>) => string;

/** A text key in the catalog's language, the messages it quotes (`inner`) said in it too. */
export function sayText(say: Say, text: TextKey, depth = 0): string {
  const params = { ...text.params };
  if (text.inner && depth < 3)
    for (const [name, inner] of Object.entries(text.inner)) {
      const said = sayText(say, inner, depth + 1);
      if (said !== `errors.${inner.key}`) params[name] = said;
    }
  return say(`errors.${text.key}`, withField(say, params));
}

/** A field named in words ("The number to dial") in the catalog's language, where the catalog has it. */
function withField(say: Say, params: Record<string, string | number>): Record<string, string | number> {
  const field = params.field;
  if (typeof field !== 'string' || !/\s/.test(field)) return params;
  const key = `fields.${field}`;
  const said = say(key);
  return said === key ? params : { ...params, field: said };
}
