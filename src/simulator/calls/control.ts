// /sim/calls: inject incoming calls and play the far end (JSON, no auth, like the rest of /sim).
import { sendJson } from '../http-util';
import type { SimHandler, SimRequest } from '../types';
import type { CallModel } from './model';
import type { SimCall } from './types';

function body(req: SimRequest): Record<string, unknown> | string {
  if (req.body.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(req.body);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return 'body must be a JSON object';
    return v as Record<string, unknown>;
  } catch {
    return 'body is not valid JSON';
  }
}

/** The far end answers an outgoing call, or hangs up; 409 when the call is in the wrong state. */
function farEnd(model: CallModel, action: 'answer-remote' | 'hangup-remote', fixedId?: string): SimHandler {
  return (req, res) => {
    const b = body(req);
    if (typeof b === 'string') return sendJson(res, 400, { error: b });
    const id = fixedId ?? (typeof b.cstaId === 'string' || typeof b.cstaId === 'number' ? String(b.cstaId) : '');
    const call = model.find(id);
    if (!call) return sendJson(res, 404, { error: `no ongoing call with cstaId ${JSON.stringify(id)}` });
    if (action === 'answer-remote') {
      if (call.direction !== 'outgoing' || call.state !== 'dialing') {
        return sendJson(res, 409, {
          error: `call ${id} is ${call.state}: only a dialling outgoing call can be answered by the far end`,
        });
      }
      model.remoteAnswer(call);
    } else {
      model.remoteHangup(call);
    }
    sendJson(res, 200, call);
  };
}

export function registerCallControl(model: CallModel): void {
  const phone = model.phone;
  phone.addControlRoute('GET', 'calls', (_req, res) => {
    const e = model.ext;
    sendJson(res, 200, { calls: e.calls, dnd: e.dnd, forwarding: e.forwarding });
  });
  phone.addControlRoute('POST', 'calls', (req, res) => {
    const b = body(req);
    if (typeof b === 'string') return sendJson(res, 400, { error: b });
    const { remote, displayName, identity, ringTimeoutMs, sipHeaders } = b;
    if (typeof remote !== 'string' || remote.trim() === '') {
      return sendJson(res, 400, { error: 'remote is required: the caller, e.g. "sip:200@sim.local" or "200"' });
    }
    if (displayName !== undefined && typeof displayName !== 'string')
      return sendJson(res, 400, { error: 'displayName must be a string' });
    const n = model.identities.length;
    if (
      identity !== undefined &&
      !(Number.isInteger(identity) && (identity as number) >= 1 && (identity as number) <= n)
    ) {
      return sendJson(res, 400, { error: `identity must be 1..${n}` });
    }
    if (
      ringTimeoutMs !== undefined &&
      !(Number.isInteger(ringTimeoutMs) && (ringTimeoutMs as number) >= 1 && (ringTimeoutMs as number) <= 3600000)
    ) {
      return sendJson(res, 400, { error: 'ringTimeoutMs must be an integer 1..3600000' });
    }
    const headersOk = (h: unknown): h is Record<string, string> =>
      !!h && typeof h === 'object' && !Array.isArray(h) && Object.values(h).every((v) => typeof v === 'string');
    if (sipHeaders !== undefined && !headersOk(sipHeaders))
      return sendJson(res, 400, { error: 'sipHeaders must be an object of header name → text' });
    const call = model.inject({
      remote,
      ...(sipHeaders !== undefined ? { sipHeaders } : {}),
      ...(displayName ? { displayName } : {}),
      ...(identity !== undefined ? { identity: identity as number } : {}),
      ...(ringTimeoutMs !== undefined ? { ringTimeoutMs: ringTimeoutMs as number } : {}),
    });
    sendJson(res, 200, { cstaId: call.cstaId, sipCallId: call.sipCallId });
  });
  // The cstaId can also go in the body, for clients that cannot build the per-call path.
  phone.addControlRoute('POST', 'calls/answer-remote', farEnd(model, 'answer-remote'));
  phone.addControlRoute('POST', 'calls/hangup-remote', farEnd(model, 'hangup-remote'));
  // Control routes match exact paths, so each call gets its own two routes when it appears.
  model.onNewCall = (call: SimCall) => {
    phone.addControlRoute('POST', `calls/${call.cstaId}/answer-remote`, farEnd(model, 'answer-remote', call.cstaId));
    phone.addControlRoute('POST', `calls/${call.cstaId}/hangup-remote`, farEnd(model, 'hangup-remote', call.cstaId));
  };
}
