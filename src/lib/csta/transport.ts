/** How a built CSTA request travels to the phone, and how its reply is read (docs/protocol.md §8.1: POST /csta, text/xml). */
import { singlePlan, type CommandPlan } from '../commands/plan';
import { unsupportedError } from '../errors';
import type { PhoneRequest, PhoneResponse } from '../http/types';
import { findCstaFault, parseCstaResponse, type CstaRequest, type CstaResult } from './';

/**
 * POST /csta. A non-2xx reply that carries a CSTA fault is handed back instead of
 * becoming E_HTTP, so that parseCstaReply turns it into E_CSTA with the phone's error value.
 */
export function cstaPhoneRequest(req: CstaRequest): PhoneRequest {
  return {
    command: `csta ${req.operation}`,
    method: 'POST',
    path: '/csta',
    body: req.body,
    contentType: req.contentType,
    headers: { accept: 'text/xml' },
    errorBodyOk: (_status, body) => findCstaFault(body) !== undefined,
  };
}

/**
 * A one-request plan for a built CSTA request whose reply is parsed: a fault becomes E_CSTA.
 * `data: false` checks the reply but leaves msg.payload alone (XmlPush, FireTest).
 */
export function cstaPlan(req: CstaRequest, opts: { command?: string; data?: boolean } = {}): CommandPlan {
  const request = cstaPhoneRequest(req);
  const plan = singlePlan(opts.command ? { ...request, command: opts.command } : request);
  plan.read = (responses, phone) => {
    const result = parseCstaReply(responses[0], phone, `csta ${req.operation}`);
    return opts.data === false ? undefined : result;
  };
  return plan;
}

/** The reply as a CstaResult; faults throw E_CSTA (details.cstaError), junk throws E_HTTP. */
export function parseCstaReply(response: PhoneResponse, phone: string, command: string): CstaResult {
  return parseCstaResponse(response.status, response.body, { phone, command });
}

/** Raw XML goes to /csta as is, so only the firmware's CSTA support is checked (the builders check the rest). */
export function requireCstaOverHttp(dialect: string, what: string): void {
  if (dialect === 'none') throw unsupportedError(`${what} is not possible: this phone has no CSTA over HTTP (firmware before 7.3.4, or a model without it).`);
  if (dialect === 'gap') throw unsupportedError(`${what} is not possible: firmware 8.7.0 to 8.7.2 cannot do CSTA over HTTP; update the phone to 8.7.3 or later.`);
}
