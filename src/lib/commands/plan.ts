import type { PhoneRequest, PhoneResponse } from '../http/types';
import type { RunOptions, RunResult, SnomPhone } from '../phone';

/**
 * What a node will send for one message, fully validated before anything leaves: one or more
 * requests, run in order on one phone. `summary` is what msg.snom.request shows.
 */
export interface CommandPlan {
  command: string;
  requests: PhoneRequest[];
  summary: string;
  /**
   * How to read the phone's answers (all responses, in order): the data for msg.payload, or
   * undefined for none. Throws when an answer is a failure in disguise (a CSTA fault → E_CSTA).
   */
  read?(responses: PhoneResponse[], phone: string): unknown;
  /**
   * Sends the command some other way than the phone's HTTP requests (CSTA over SIP); its answers are
   * read by `read` as if they were HTTP responses. Without it, `requests` go to the phone.
   */
  execute?(phone: SnomPhone, run: RunOptions): Promise<RunResult>;
}

export function singlePlan(request: PhoneRequest): CommandPlan {
  return { command: request.command, requests: [request], summary: `${request.method ?? 'GET'} ${request.path}` };
}

export function multiPlan(command: string, requests: PhoneRequest[]): CommandPlan {
  return { command, requests, summary: requests.map((r) => `${r.method ?? 'GET'} ${r.path}`).join(' ; ') };
}

/**
 * Encode a query value as the phones expect: encodeURIComponent, plus `*` as %2A (Snom
 * recommends it, docs/protocol.md §3.2) — `#` would otherwise start a fragment and never reach
 * the phone.
 */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value)
    .replace(/\*/g, '%2A')
    .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
