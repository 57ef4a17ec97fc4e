// /sim/sip: the phone's SIP side as tests and users read it (JSON, no auth, like the rest of /sim).
import { sendJson } from '../http-util';
import type { SipService } from './service';

export function registerSipControl(sip: SipService): void {
  const phone = sip.phone;
  phone.addControlRoute('GET', 'sip', (_req, res) =>
    sendJson(res, 200, {
      udpPort: sip.udpPort,
      tcpPort: sip.tcpPort,
      associations: sip.uacsta.views(),
      ...sip.ext,
    }),
  );
  phone.addControlRoute('GET', 'sip/leds', (_req, res) =>
    sendJson(res, 200, { leds: sip.ext.leds, ignoredLamps: sip.ext.ignoredLamps }),
  );
  phone.addControlRoute('GET', 'sip/associations', (_req, res) =>
    sendJson(res, 200, { associations: sip.uacsta.views(), ended: sip.ext.ended }),
  );
  phone.addControlRoute('GET', 'sip/messages', (_req, res) => sendJson(res, 200, { messages: sip.ext.messages }));
  phone.addControlRoute('DELETE', 'sip/messages', (_req, res) => {
    sip.ext.messages.length = 0;
    sendJson(res, 200, { ok: true });
  });
  phone.addControlRoute('GET', 'sip/faults', (_req, res) => sendJson(res, 200, { faults: sip.core.faults }));
  phone.addControlRoute('POST', 'sip/faults', (req, res) => {
    let v: unknown;
    try {
      v = req.body.trim() === '' ? {} : JSON.parse(req.body);
    } catch {
      return sendJson(res, 400, { error: 'body is not valid JSON' });
    }
    const err = checkFaults(v);
    if (err) return sendJson(res, 400, { error: err });
    const f = v as { drop?: number; latencyMs?: number; silent?: boolean };
    Object.assign(sip.core.faults, { drop: f.drop ?? 0, latencyMs: f.latencyMs ?? 0, silent: f.silent ?? false });
    phone.log('sip-faults', { ...sip.core.faults });
    sendJson(res, 200, { ok: true, faults: sip.core.faults });
  });
  phone.addControlRoute('DELETE', 'sip/faults', (_req, res) => {
    Object.assign(sip.core.faults, { drop: 0, latencyMs: 0, silent: false });
    sendJson(res, 200, { ok: true });
  });
  // The phone forgets its associations as after a crash ({"bye":true}: it sends BYE first).
  phone.addControlRoute('DELETE', 'sip/associations', (req, res) => {
    let bye = false;
    try {
      bye = req.body.trim() !== '' && (JSON.parse(req.body) as { bye?: unknown }).bye === true;
    } catch {
      return sendJson(res, 400, { error: 'body is not valid JSON' });
    }
    sendJson(res, 200, { ended: sip.uacsta.endAll('dropped through DELETE /sim/sip/associations', bye) });
  });
}

function checkFaults(v: unknown): string | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'faults must be a JSON object';
  const known = ['drop', 'latencyMs', 'silent'];
  const extra = Object.keys(v).filter((k) => !known.includes(k));
  if (extra.length) return `unknown fault ${JSON.stringify(extra[0].slice(0, 40))}: use drop, latencyMs or silent`;
  const f = v as Record<string, unknown>;
  if (f.drop !== undefined && !(Number.isInteger(f.drop) && (f.drop as number) >= 0 && (f.drop as number) <= 1000))
    return 'drop must be a whole number 0..1000';
  if (
    f.latencyMs !== undefined &&
    !(Number.isInteger(f.latencyMs) && (f.latencyMs as number) >= 0 && (f.latencyMs as number) <= 60000)
  )
    return 'latencyMs must be 0..60000';
  if (f.silent !== undefined && typeof f.silent !== 'boolean') return 'silent must be true or false';
  return null;
}
