/**
 * Detect: what a phone says about itself on /info.htm (model, firmware, MAC; docs/protocol.md §1.2),
 * read with the login the user configured. The answer holds nothing secret: no credentials, no body.
 */
import { PhoneClient } from './http/client';
import type { AuthScheme, PhoneClientOptions } from './http/types';
import { parseInfoPage } from './profile/detect';
import { seriesOf } from './profile/models';

export interface PhoneInfo {
  /** table id ("D785", "snom870"), when the page names one */
  model?: string;
  /** version text, e.g. "10.1.33.33" */
  firmware?: string;
  /** 12 upper-case hex digits */
  mac?: string;
  /** a D8xx: no HTTP remote control (docs/protocol.md §1.1) */
  d8xx: boolean;
  /** the answer came from a Snom web server */
  snom: boolean;
  /** the scheme the login used ('none' when the phone asked for none) */
  scheme?: AuthScheme;
}

/** GET /info.htm through `client` (its queue, its login) and read the page; throws the client's SnomError. */
export async function readPhoneInfo(client: PhoneClient, timeoutMs?: number): Promise<PhoneInfo> {
  const res = await client.request({ command: 'detect', path: '/info.htm', timeoutMs });
  const fp = parseInfoPage(res.body, res.headers);
  const d8xx = fp.d8xx || (fp.model !== undefined && seriesOf(fp.model) === 'D8');
  return {
    ...(fp.model ? { model: fp.model } : {}),
    ...(fp.firmware ? { firmware: fp.firmware } : {}),
    ...(fp.mac ? { mac: fp.mac } : {}),
    d8xx,
    snom: fp.snom,
    scheme: client.scheme ?? 'none',
  };
}

/** Detect with a client of its own (closed afterwards): for a phone that is not deployed yet. */
export async function detectPhone(options: PhoneClientOptions): Promise<PhoneInfo> {
  const client = new PhoneClient(options);
  try {
    return await readPhoneInfo(client);
  } finally {
    await client.close();
  }
}
