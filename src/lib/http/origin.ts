/** Builds the origin URL and the label of a phone from its host option. */
import { briefText, inputError } from '../errors';

/** Host text quoted in errors: a pasted megabyte must not make a megabyte error. */
const brief = (h: string): string => briefText(h, 80);

const notAHost = (h: string) =>
  inputError(`Phone host "${brief(h)}" is not a host name or IP address`, { phone: brief(h) }).withText(
    'phone.notAHost',
    { host: brief(h) },
  );

export interface PhoneOrigin {
  origin: string;
  label: string;
  protocol: 'http' | 'https';
}

/**
 * Accepts "name", "1.2.3.4", "name:8080", "[fe80::1]:8080", a bare IPv6 address,
 * and tolerates a pasted "http://host/" (its scheme is used when `protocol` is unset).
 */
export function phoneOrigin(host: string, port?: number, protocol?: 'http' | 'https'): PhoneOrigin {
  let h = (host ?? '').trim();
  const scheme = /^(https?):\/\//i.exec(h);
  if (scheme) {
    protocol ??= scheme[1].toLowerCase() as 'http' | 'https';
    h = h.slice(scheme[0].length).replace(/\/+$/, '');
  }
  const proto = protocol ?? 'http';
  if (!h || /[\s/@?#]/.test(h)) throw notAHost(h);
  let hostname: string;
  let hostPort: string | undefined;
  const bracketed = /^\[([0-9A-Fa-f:.%\w]+)\](?::(\d+))?$/.exec(h);
  if (bracketed) {
    hostname = bracketed[1];
    hostPort = bracketed[2];
  } else if ((h.match(/:/g) ?? []).length === 1) {
    [hostname, hostPort] = h.split(':');
    if (!/^\d+$/.test(hostPort))
      throw inputError(`Phone host "${brief(h)}" has an invalid port`, { phone: brief(h) }).withText('phone.badPort', {
        host: brief(h),
      });
  } else {
    hostname = h; // name, IPv4, or a bare IPv6 address
  }
  const p = port ?? (hostPort !== undefined ? Number(hostPort) : undefined);
  if (p !== undefined && (!Number.isInteger(p) || p < 1 || p > 65535)) {
    throw inputError(`Phone ${brief(h)}: port ${p} is not between 1 and 65535`, { phone: brief(h) }).withText(
      'phone.portRange',
      { host: brief(h), port: p },
    );
  }
  const urlHost = hostname.includes(':') ? `[${hostname}]` : hostname;
  const origin = `${proto}://${urlHost}${p !== undefined ? `:${p}` : ''}`;
  try {
    new URL(origin);
  } catch {
    throw notAHost(h);
  }
  const label = `${urlHost}${p !== undefined ? `:${p}` : ''}`;
  return { origin, label, protocol: proto };
}
