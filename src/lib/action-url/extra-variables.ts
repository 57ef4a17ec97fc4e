/**
 * Variables asked for beyond an event's own list: any runtime variable of docs/protocol.md §6.2, a header
 * of the call's first INVITE (`$sip_header(NAME)`), or any phone setting (`$user_uid[1]`, reference
 * §5.1). Each gets a query name in the URL that says how to deliver it, so parsing needs no config:
 * a runtime variable keeps its short name (`ahost`), a SIP header travels as `h.NAME`, a setting
 * as `v.NAME`.
 */
import { briefText, inputError, type SnomError } from '../errors';
import { variableByKey, variableByQueryName } from './variables';

export interface ExtraVariable {
  /** query parameter name in our URL (not yet percent-encoded) */
  query: string;
  /** what the phone fills in, e.g. `$sip_header(X-Foo)` */
  placeholder: string;
}

/** Query name prefixes of SIP headers and phone settings (short: phones store the whole URL). */
export const SIP_HEADER_PREFIX = 'h.';
export const PHONE_VARIABLE_PREFIX = 'v.';

/** Headers the phone cannot report through $sip_header (docs/protocol.md §6.2). */
const UNREPORTABLE_HEADERS = new Set([
  'via',
  'to',
  'from',
  'call-id',
  'expires',
  'route',
  'record-route',
  'contact',
  'content-type',
  'cseq',
  'content-length',
  'max-forwards',
]);

/** RFC 3261 token characters, less `%`, `+` and backtick (which would change meaning in a URL). */
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9._!*~'-]{0,63}$/;
/** A setting name, optionally indexed: `language`, `user_name1`, `user_uid[1]`. */
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}(\[\d{1,3}\])?$/;
const SIP_HEADER = /^\$?sip_header\((.*)\)$/i;
const MAX_EXTRA = 16;

const quote = (s: string): string => briefText(s, 64);

function bad(entry: string, why: string): SnomError {
  return inputError(`The extra variable "${quote(entry)}" cannot be used: ${why}`, {
    command: 'action-url',
    field: 'variables',
  });
}

function one(entry: string): ExtraVariable {
  const header = SIP_HEADER.exec(entry);
  if (header) {
    const name = header[1].trim();
    if (!HEADER_NAME.test(name))
      throw bad(entry, "a SIP header name is letters, digits and - . _ ! * ~ ' (up to 64)").withText(
        'actionUrl.headerName',
        { entry: quote(entry) },
      );
    if (UNREPORTABLE_HEADERS.has(name.toLowerCase())) {
      throw bad(
        entry,
        `phones cannot report the ${name} header (not Via, To, From, Call-ID, Expires, Route, Record-Route, Contact, Content-Type, CSeq, Content-Length, Max-Forwards)`,
      ).withText('actionUrl.headerUnreportable', { entry: quote(entry), name });
    }
    return { query: SIP_HEADER_PREFIX + name, placeholder: `$sip_header(${name})` };
  }
  const name = entry.startsWith('$') ? entry.slice(1) : entry;
  const known = variableByKey(name) ?? variableByQueryName(name);
  if (known) return { query: known.query, placeholder: `$${known.phoneVar}` };
  if (!SETTING_NAME.test(name)) {
    throw bad(
      entry,
      'use $sip_header(NAME), a runtime variable such as activeUser, or a setting name such as user_uid[1]',
    ).withText('actionUrl.unknownVariable', { entry: quote(entry) });
  }
  // the phone blanks private settings (docs/protocol.md §6.1): asking would only ever deliver ""
  if (/pass/i.test(name))
    throw bad(entry, 'phones send private settings such as passwords as empty text').withText(
      'actionUrl.privateSetting',
      { entry: quote(entry) },
    );
  return { query: PHONE_VARIABLE_PREFIX + name, placeholder: `$${name}` };
}

/**
 * `"$sip_header(X-Foo), user_uid[1] activeUser"` or an array of such names → the variables, in
 * order, without repeats. Throws E_INPUT naming the first bad entry.
 */
export function parseExtraVariables(input: unknown): ExtraVariable[] {
  if (input === undefined || input === null || input === '') return [];
  let list: unknown[];
  if (Array.isArray(input)) list = input;
  else if (typeof input === 'string') list = input.split(/[\s,;]+/);
  else
    throw inputError('Extra variables must be text ("$sip_header(X-Foo), user_uid[1]") or an array of names', {
      command: 'action-url',
      field: 'variables',
    }).withText('actionUrl.variablesShape');
  const out: ExtraVariable[] = [];
  const seen = new Set<string>();
  for (const raw of list) {
    if (typeof raw !== 'string')
      throw inputError('Each extra variable must be text, e.g. "$sip_header(X-Foo)"', {
        command: 'action-url',
        field: 'variables',
      }).withText('actionUrl.variableNotText');
    const entry = raw.trim();
    if (!entry) continue;
    const v = one(entry);
    if (seen.has(v.query)) continue;
    seen.add(v.query);
    out.push(v);
  }
  if (out.length > MAX_EXTRA)
    throw inputError(
      `At most ${MAX_EXTRA} extra variables (got ${out.length}): phones store the whole URL in one setting`,
      { command: 'action-url', field: 'variables' },
    ).withText('actionUrl.tooManyVariables', { max: MAX_EXTRA, n: out.length });
  return out;
}
