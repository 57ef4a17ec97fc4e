// The /sim control API: JSON, no auth, not counted in requests or concurrency.
import type { SimPhone } from './phone';
import { sendJson } from './http-util';
import type { SimRequest } from './types';

function parseJson(req: SimRequest): { ok: true; value: unknown } | { ok: false; error: string } {
  if (req.body.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(req.body) };
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
}

/** What GET /sim/state answers: the phone's identity plus its state. */
export function stateSnapshot(phone: SimPhone): object {
  return {
    name: phone.config.name,
    url: phone.url,
    model: phone.config.model,
    firmware: phone.config.firmware,
    mac: phone.mac,
    auth: phone.config.auth,
    faults: phone.faults.active,
    sip: phone.sipPorts,
    ...phone.state,
  };
}

export function registerControlApi(phone: SimPhone): void {
  phone.addControlRoute('GET', 'state', (_req, res) => sendJson(res, 200, stateSnapshot(phone)));
  phone.addControlRoute('POST', 'reset', (_req, res) => {
    phone.resetState();
    sendJson(res, 200, { ok: true });
  });
  phone.addControlRoute('GET', 'received', (_req, res) => sendJson(res, 200, phone.received));
  phone.addControlRoute('GET', 'faults', (_req, res) => sendJson(res, 200, { faults: phone.faults.active }));
  phone.addControlRoute('POST', 'faults', (req, res) => {
    const body = parseJson(req);
    if (!body.ok) return sendJson(res, 400, { error: body.error });
    const err = phone.faults.set(body.value);
    if (err) return sendJson(res, 400, { error: err });
    phone.log('faults', { faults: phone.faults.active });
    sendJson(res, 200, { ok: true, faults: phone.faults.active });
  });
  phone.addControlRoute('DELETE', 'faults', (_req, res) => {
    phone.faults.clear();
    phone.log('faults', { faults: null });
    sendJson(res, 200, { ok: true });
  });
  phone.addControlRoute('GET', 'settings', (_req, res) => sendJson(res, 200, Object.fromEntries(phone.settings)));
  // PUT merges: the control API may set anything, read-only settings included (test setup).
  phone.addControlRoute('PUT', 'settings', (req, res) => {
    const body = parseJson(req);
    if (!body.ok) return sendJson(res, 400, { error: body.error });
    const v = body.value;
    if (!v || typeof v !== 'object' || Array.isArray(v))
      return sendJson(res, 400, { error: 'settings must be a JSON object of strings' });
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.some(([, x]) => typeof x !== 'string'))
      return sendJson(res, 400, { error: 'setting values must be strings' });
    for (const [k, x] of entries) phone.settings.set(k, x as string);
    phone.log('settings-put', { names: entries.map(([k]) => k) });
    sendJson(res, 200, Object.fromEntries(phone.settings));
  });
}
