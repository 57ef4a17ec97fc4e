import { normaliseModel } from './models';
import { parseSnomUserAgent } from './user-agent';

export interface PhoneFingerprint {
  model?: string;
  firmware?: string;
  mac?: string;
  /** the page looks like a new D8xx "Phone Manager" */
  d8xx: boolean;
  /** the answer came from a Snom web server at all */
  snom: boolean;
}

/**
 * Read model, firmware and MAC from /info.htm and the response headers (docs/protocol.md §1.2;
 * where the page shows the firmware is our guess, §11.3 K9):
 * `Server: snom embedded`, `<title>snom D785</title>`, `Hardware: D785`, `Mac:000413...`,
 * user-agent style `snomD785-SIP 10.1.33.33`, and `<title>Phone Manager</title>` on D8xx.
 */
export function parseInfoPage(body: string, headers: Record<string, unknown> = {}): PhoneFingerprint {
  const server = String(headers['server'] ?? '');
  const d8xx = /<title>\s*Phone Manager\s*<\/title>/i.test(body);
  let model: string | undefined;
  let firmware: string | undefined;
  const ua = parseSnomUserAgent(body);
  if (ua) {
    model = normaliseModel(ua.model);
    firmware = ua.firmware;
  }
  model ??= normaliseModel(/Hardware:\s*(D\d{3}|snom\s?\d{3}|\d{3})/i.exec(body)?.[1]);
  model ??= normaliseModel(/<title>\s*snom\s?(D?\d{3})/i.exec(body)?.[1]);
  firmware ??= /(?:firmware|version)[^0-9<]{0,40}(?:<[^>]*>\s*)*[^0-9<]{0,20}(\d+\.\d+\.\d+(?:\.\d+)?)/i.exec(
    body,
  )?.[1];
  const mac = /Mac(?:\s*Address)?\s*:?\s*(?:<[^>]*>\s*)*([0-9A-F]{12})/i.exec(body)?.[1]?.toUpperCase();
  const snom = /snom/i.test(server) || /snom/i.test(body) || d8xx;
  return { model, firmware, mac, d8xx, snom };
}
