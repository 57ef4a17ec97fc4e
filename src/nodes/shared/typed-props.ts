/**
 * Form fields whose value may come from the message, the flow or global context or an environment
 * variable instead of the form (Node-RED's typedInput). A typed field `f` is saved with its source
 * in `fType`: 'str' is the form's own text, as in every flow saved before `fType` existed, so an old
 * flow reads as it always did (an empty text: the message decides, the node's usual rule). Any
 * other source is evaluated per message with RED.util.evaluateNodeProperty, and the value it gives
 * (of any type: every builder takes unknown and checks it) stands in the field's place.
 *
 * The editor reads TYPED_FIELDS through resources/snom-rules.js: it adds the `fType` default and
 * the typedInput with these sources to each listed field, so the two cannot drift apart.
 */
import { briefText, inputError, quoteInput } from '../../lib/errors';
import type { Node, NodeMessage, RED } from './red';

const TEXT = ['str', 'msg', 'flow', 'global', 'env'] as const;

/** The typed fields of each node and the sources each offers (the first is the default). */
export const TYPED_FIELDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'snom-key': { keys: TEXT },
  'snom-touch': { touch: TEXT },
  'snom-dial': { number: TEXT, identity: TEXT },
  'snom-command': { identity: TEXT, ringer: TEXT, url: TEXT, transferTarget: TEXT },
  'snom-csta': {
    callId: TEXT,
    heldCallId: TEXT,
    activeCallId: TEXT,
    device: TEXT,
    destination: TEXT,
    digits: TEXT,
  },
  'snom-settings': {
    names: TEXT,
    setName: TEXT,
    setValue: ['str', 'num', 'bool', 'json', 'msg', 'flow', 'global', 'env'],
  },
  'snom-xml-push': { document: ['str', 'json', 'msg', 'flow', 'global', 'env'] },
};

/** Fields for which an empty text from elsewhere is a value (writing a setting empty); for any other, it is none. */
const EMPTY_IS_VALUE = new Set(['snom-settings.setValue']);

/** The fields of `type` that may come from elsewhere, each with its sources. */
export function typedFields(type: string): Readonly<Record<string, readonly string[]>> {
  return Object.hasOwn(TYPED_FIELDS, type) ? TYPED_FIELDS[type] : {};
}

/** Where a field's value comes from: its saved `<field>Type`, 'str' when there is none. */
export function sourceOf(config: object, field: string): string {
  const t = (config as Record<string, unknown>)[`${field}Type`];
  return typeof t === 'string' && t !== '' ? t : 'str';
}

/** How a source and its property read in an error: msg.keys, flow.x, env PHONE. */
function where(source: string, property: string): string {
  return source === 'env' ? `env ${quoteInput(property, 60)}` : `${source}.${briefProp(property)}`;
}

// the library's one cut for excerpts (lib/errors): it never leaves half a character
const briefProp = (text: string): string => briefText(text, 60);

function evaluate(red: RED, node: Node, property: string, source: string, msg: NodeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    try {
      // the callback form: flow and global may live in an asynchronous context store
      red.util.evaluateNodeProperty(property, source, node, msg, (err: Error | null | undefined, value: unknown) =>
        err ? reject(err) : resolve(value),
      );
    } catch (err) {
      reject(err);
    }
  });
}

/**
 * The config with every typed field that has another source than 'str' replaced by its value for
 * this message. Throws E_INPUT (field: the field) for an unknown source, a property that cannot be
 * read, bad JSON or a number that is none, and for a source that holds no value (nothing, or an empty
 * text: an unset environment variable reads as one), so an empty source never falls back to msg.payload.
 */
export async function resolveTyped<C extends object>(
  red: RED,
  node: Node,
  type: string,
  config: C,
  msg: NodeMessage,
): Promise<C> {
  let out = config;
  for (const [field, sources] of Object.entries(typedFields(type))) {
    const source = sourceOf(config, field);
    if (source === 'str') continue;
    if (!sources.includes(source)) {
      throw inputError(
        `${field}: ${quoteInput(source, 20)} is no source for this field; use one of ${sources.join(', ')}.`,
        {
          field,
        },
      );
    }
    const raw = (config as Record<string, unknown>)[field];
    const property = typeof raw === 'string' ? raw.trim() : String(raw ?? '');
    let value: unknown;
    try {
      value = await evaluate(red, node, property, source, msg);
    } catch (err) {
      throw inputError(
        `${field}: cannot read ${where(source, property)}: ${briefProp(String((err as Error)?.message ?? err))}`,
        {
          field,
        },
      );
    }
    if (source === 'num' && !Number.isFinite(value))
      throw inputError(`${field}: ${quoteInput(property, 40)} is not a number.`, { field });
    // an unset environment variable reads as ''
    if (value === undefined || value === null || (value === '' && !EMPTY_IS_VALUE.has(`${type}.${field}`)))
      throw inputError(`${field}: ${where(source, property)} holds no value.`, { field });
    out = { ...out, [field]: value };
  }
  return out;
}
