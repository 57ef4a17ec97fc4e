/**
 * A CSTA request as a command plan that travels in a uaCSTA association (docs/protocol.md §10.7)
 * instead of POST /csta: the same request bodies (bare ed5) and the same reply parser, so a node's
 * msg.payload and its errors (E_CSTA with the phone's error value) are those of the HTTP route.
 */
import { SnomError } from '../errors';
import type { CommandPlan } from '../commands/plan';
import type { PhoneResponse } from '../http/types';
import type { RunOptions } from '../phone';
import { parseCstaReply } from './transport';
import type { CstaRequest } from './types';

/** Sends one CSTA body and resolves with the phone's CSTA response body (UaCstaLink.request). */
export type CstaSender = (xml: string, command: string) => Promise<{ body: string }>;

function withDeadline<T>(p: Promise<T>, run: RunOptions, phone: string, command: string): Promise<T> {
  if (run.timeoutMs === undefined) return p;
  const left = run.timeoutMs - (performance.now() - (run.acceptedAt ?? performance.now()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SnomError('E_TIMEOUT', `Phone ${phone}: ${command} over SIP timed out after ${run.timeoutMs} ms.`, {
            phone,
            command,
            timeoutMs: run.timeoutMs,
          }).withText('csta.sipTimeout', { phone, command, ms: run.timeoutMs ?? 0 }),
        ),
      Math.max(0, left),
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function cstaSipPlan(req: CstaRequest, send: CstaSender): CommandPlan {
  const command = `csta ${req.operation}`;
  return {
    command,
    requests: [],
    summary: `SIP INFO ${req.operation}`,
    async execute(phone, run) {
      const started = performance.now();
      const reply = await withDeadline(send(req.body, command), run, phone.label, command);
      const durationMs = Math.round(performance.now() - started);
      // the CSTA response as if it had come in an HTTP 200: the parser finds faults in any status
      const response: PhoneResponse = { status: 200, headers: {}, body: reply.body, durationMs, exchanges: 1 };
      return { response, responses: [response], durationMs };
    },
    read: (responses, phone) => parseCstaReply(responses[0], phone, command),
  };
}
