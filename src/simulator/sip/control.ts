// /sim/sip: the phone's SIP side as tests and users read it (JSON, no auth, like the rest of /sim).
import { sendJson } from '../http-util';
import type { SipService } from './service';

export function registerSipControl(sip: SipService): void {
  const phone = sip.phone;
  phone.addControlRoute('GET', 'sip', (_req, res) => sendJson(res, 200, {
    udpPort: sip.udpPort, tcpPort: sip.tcpPort, associations: sip.uacsta.views(), ...sip.ext,
  }));
  phone.addControlRoute('GET', 'sip/leds', (_req, res) => sendJson(res, 200, { leds: sip.ext.leds, ignoredLamps: sip.ext.ignoredLamps }));
  phone.addControlRoute('GET', 'sip/associations', (_req, res) => sendJson(res, 200, { associations: sip.uacsta.views(), ended: sip.ext.ended }));
  phone.addControlRoute('GET', 'sip/messages', (_req, res) => sendJson(res, 200, { messages: sip.ext.messages }));
  phone.addControlRoute('DELETE', 'sip/messages', (_req, res) => {
    sip.ext.messages.length = 0;
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
