/** Reads the phone's reply to a CSTA request: every success and fault form Snom publishes (docs/protocol.md §8.6, §8.7). */
import { SnomError, type SnomErrorDetails } from '../errors';
import { cstaFaultError, findCstaFault } from './fault';
import type { CstaResult } from './types';
import { contentParser, excerpt, wellFormedError } from './xml';
import { isObj } from '../util';

type Obj = Record<string, unknown>;

/** What is wrong with a reply, as the message says it. */
const WHY = {
  empty: 'was empty',
  notCsta: 'is not CSTA XML',
  emptySoap: 'has an empty SOAP body',
  noFault: 'is an error without a CSTA fault',
} as const;

function httpError(status: number, body: string, why: keyof typeof WHY, context: SnomErrorDetails): SnomError {
  const who = context.phone ? `phone ${context.phone}` : 'the phone';
  const code = status === 401 || status === 403 ? 'E_AUTH' : 'E_HTTP';
  const e = new SnomError(
    code,
    `The reply of ${who} to ${context.command ?? 'the CSTA request'} ${WHY[why]} (HTTP ${status}).`,
    {
      ...context,
      status,
      excerpt: excerpt(body),
    },
  );
  // the catalog's sentence names both
  if (!context.phone || !context.command) return e;
  const params = { phone: context.phone, command: context.command, status };
  if (why === 'empty') return e.withText('csta.replyEmpty', params);
  if (why === 'emptySoap') return e.withText('csta.replyEmptySoap', params);
  if (why === 'noFault') return e.withText('csta.replyNoFault', params);
  return e.withText('csta.replyNotCsta', params);
}

/** First element child of `o` that is not the SOAP Header, with its name. */
function firstElement(o: Obj, skip: string[] = []): [string, unknown] | undefined {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('?') || k === '#text' || skip.includes(k)) continue;
    return [k, v];
  }
  return undefined;
}

/** "Setting" entries → { name: value } (Snom's template pads names and values with spaces; trimmed here, docs/protocol.md §9.2). */
function collectSettings(data: Obj): Record<string, string> {
  const raw = data.Setting;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out: Record<string, string> = {};
  for (const s of list) {
    if (!isObj(s)) continue;
    const name = typeof s.name === 'string' ? s.name.trim() : '';
    if (!name) continue;
    out[name] = typeof s.value === 'string' ? s.value.trim() : '';
  }
  return out;
}

function callIdFrom(data: Obj): string | undefined {
  for (const key of ['callingDevice', 'initiatedCall']) {
    const c = data[key];
    if (isObj(c) && (typeof c.callID === 'string' || typeof c.callID === 'number')) return String(c.callID);
  }
  return undefined;
}

/**
 * Parse a reply. Faults (in a 500 or even a 200) throw E_CSTA with
 * details.cstaError/cstaText/status; a body that is not a CSTA reply
 * (HTML error page, garbage) throws E_HTTP (E_AUTH for 401/403) with an
 * excerpt. `context` (phone, command) is copied into error details.
 */
export function parseCstaResponse(status: number, body: string, context: SnomErrorDetails = {}): CstaResult {
  const text = typeof body === 'string' ? body : '';
  const fault = findCstaFault(text);
  if (fault) throw cstaFaultError(fault, status, context);

  const ok = status >= 200 && status < 300;
  if (text.trim() === '') {
    if (ok) return { operation: '', data: {}, raw: text };
    throw httpError(status, text, 'empty', context);
  }
  if (wellFormedError(text) !== undefined) throw httpError(status, text, 'notCsta', context);

  let doc: Obj;
  try {
    doc = contentParser().parse(text) as Obj;
  } catch {
    throw httpError(status, text, 'notCsta', context);
  }
  let top = firstElement(doc);
  if (top && top[0] === 'Envelope' && isObj(top[1])) {
    const bodyEl = (top[1] as Obj).Body;
    top = isObj(bodyEl) ? firstElement(bodyEl) : undefined;
    if (!top) throw httpError(status, text, 'emptySoap', context);
  }
  if (!top || /^html$/i.test(top[0])) throw httpError(status, text, 'notCsta', context);
  if (!ok) throw httpError(status, text, 'noFault', context);

  const [operation, content] = top;
  let data: Obj = isObj(content) ? content : typeof content === 'string' && content !== '' ? { value: content } : {};
  if (operation === 'GetSettingsResponse') {
    data = { settings: collectSettings(data) };
  }
  const result: CstaResult = { operation, data, raw: text };
  const callId = callIdFrom(data);
  if (callId !== undefined) result.callId = callId;
  return result;
}
