import { BlockList, isIP } from 'node:net';
import { inputError, type SnomError } from '../errors';

/** Source addresses allowed to send events; no entries means everyone. */
export interface Allowlist {
  /** entries as written, normalised (mapped IPv6 → IPv4) */
  readonly entries: readonly string[];
  /** node:net BlockList used as an allow list */
  readonly list: BlockList;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; drops an IPv6 zone (`fe80::1%eth0`) and brackets. */
export function normalizeAddress(address: string): string {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a);
  if (mapped) return mapped[1];
  return a;
}

function bad(entry: string, why: string): SnomError {
  return inputError(`The allowlist entry "${entry}" is not valid: ${why}`, { command: 'action-url allowlist' });
}

/** Parse `10.0.0.5, 192.168.1.0/24 2001:db8::/32` (commas, semicolons or spaces between). */
export function parseAllowlist(text: string | undefined | null): Allowlist {
  const list = new BlockList();
  const entries: string[] = [];
  for (const raw of (text ?? '').split(/[\s,;]+/)) {
    if (!raw) continue;
    const slash = raw.indexOf('/');
    const written = slash < 0 ? raw : raw.slice(0, slash);
    const addr = normalizeAddress(written);
    const wasMapped = /^\[?::ffff:\d/i.test(written);
    const family = isIP(addr);
    if (family === 0) throw bad(raw, 'not an IPv4 or IPv6 address').withText('actionUrl.allowAddress', { entry: raw });
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash < 0) {
      list.addAddress(addr, type);
      entries.push(addr);
      continue;
    }
    const prefixText = raw.slice(slash + 1);
    let prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    // a mapped IPv6 range written as ::ffff:a.b.c.d/120 becomes an IPv4 /24
    if (wasMapped) prefix -= 96;
    const max = family === 4 ? 32 : 128;
    if (!(prefix >= 0 && prefix <= max))
      throw bad(raw, `prefix length must be 0..${max}`).withText('actionUrl.allowPrefix', { entry: raw, max });
    list.addSubnet(addr, prefix, type);
    entries.push(`${addr}/${prefix}`);
  }
  return { entries, list };
}

/** True when the list is empty or holds the address (IPv4-mapped IPv6 counts as IPv4). */
export function isAllowed(allow: Allowlist, remoteAddress: string | undefined): boolean {
  if (allow.entries.length === 0) return true;
  if (!remoteAddress) return false;
  const addr = normalizeAddress(remoteAddress);
  const family = isIP(addr);
  if (family === 0) return false;
  return allow.list.check(addr, family === 4 ? 'ipv4' : 'ipv6');
}
