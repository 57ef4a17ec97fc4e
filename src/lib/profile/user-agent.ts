import { normaliseModel } from './models';

/** What a Snom User-Agent tells about the phone (docs/protocol.md §1.2). */
export interface SnomUserAgent {
  /** normalised model id as the profile uses it: "D785", "snom710" */
  model: string;
  firmware?: string;
  /** 12 hex digits, upper case */
  mac?: string;
}

// `Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413922D24 SXM:0 UXM:0)`
// and the SIP form `snomD345/10.1.39.11`
const UA = /\bsnom([A-Za-z]*\d+[A-Za-z]*)(?:-SIP\s+|\/)(\d+(?:\.\d+)*)([^)]*)/i;

/** Parse a Snom User-Agent; undefined when it is not one. */
export function parseSnomUserAgent(ua: string | undefined): SnomUserAgent | undefined {
  if (!ua) return undefined;
  const m = UA.exec(ua);
  if (!m) return undefined;
  const out: SnomUserAgent = { model: normaliseModel(m[1]) ?? m[1], firmware: m[2] };
  const mac = /\b([0-9A-F]{12})\b/i.exec(m[3]);
  if (mac) out.mac = mac[1].toUpperCase();
  return out;
}
