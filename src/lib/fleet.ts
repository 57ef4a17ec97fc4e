/**
 * The fleet (README.md, "The nodes": msg.target): the other phones that may receive a phone's credentials
 * through msg.target, and the one canonical spelling of a host, so that the aliases of one phone
 * (LOCALHOST, 127.0.0.1., 2130706433, 0x7f.1, [::ffff:127.0.0.1]) are one phone with one queue.
 *
 * Hosts are canonicalised with the WHATWG URL host parser, the parser undici uses to connect, so
 * the host that is checked against the fleet is the host that is connected to. Names are not
 * resolved: DNS answers can change and could be forged, so ranges match addresses only.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { inputError, quoteInput, SnomError } from './errors';

export type EndpointKind = 'name' | 'ipv4' | 'ipv6';

/** A host in canonical form plus an optional port. */
export interface Endpoint {
  /** lower-case name without trailing dot, dotted-quad IPv4, or compressed IPv6 without brackets */
  host: string;
  kind: EndpointKind;
  /** explicit port; undefined means the protocol's default */
  port?: number;
}

/** At most this many entries in one fleet. */
export const MAX_FLEET_ENTRIES = 10000;
/** allows() remembers this many answers (then starts over): a bound, not a leak */
const MAX_VERDICTS = 8192;

// ASCII labels only: no percent escapes, userinfo or paths that the URL parser would rewrite
const NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/** Why an entry is refused: the catalog key (runtime.errors.fleet.<key>) and its English words. */
const WHY = {
  notHost: () => 'is not a host name or IP address',
  unspecified: () => 'is the unspecified address, not a phone',
  portNotNumber: () => 'has a port that is not a number',
  portRange: (port: number) => `has port ${port}, not between 1 and 65535`,
  brackets: () => 'has brackets around something that is not an IPv6 address',
  notRangeNoPort: () => 'is not a CIDR range such as 192.168.1.0/24 or fd00::/64 (ranges take no port)',
  ipv4Prefix: () => 'has an IPv4 prefix above 32',
  ipv6Prefix: () => 'has an IPv6 prefix above 128',
  notRange: () => 'is not a CIDR range such as 192.168.1.0/24 or fd00::/64',
} satisfies Record<string, (port: number) => string>;

/** The catalog keys of the reasons (runtime.errors.fleet.<key>), for the catalog test. */
export const FLEET_REASON_KEYS = Object.keys(WHY);

function bad(what: string, raw: string, why: keyof typeof WHY, port = 0): SnomError {
  return inputError(`${what} ${quoteInput(raw)} ${WHY[why](port)}`, {
    field: what.startsWith('fleet') ? 'fleet' : 'target',
  }).withText(`fleet.${why}`, { field: what, value: quoteInput(raw), port });
}

/** An IPv4 address hidden in an IPv4-mapped IPv6 address, else undefined. */
function mappedIPv4(v6: string): string | undefined {
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!m) return undefined;
  const hi = parseInt(m[1], 16);
  const lo = parseInt(m[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Canonical form of a bare host (no port). Throws E_INPUT naming `what`. */
export function canonicalHost(raw: string, what: string): Pick<Endpoint, 'host' | 'kind'> {
  // the common case of a fan-out, without a URL parse per phone: a dotted quad as Node's isIPv4 takes it
  // (no leading zeros) is already in the URL parser's canonical form
  if (isIPv4(raw)) {
    if (raw === '0.0.0.0') throw bad(what, raw, 'unspecified');
    return { host: raw, kind: 'ipv4' };
  }
  const v6 = raw.includes(':');
  if (v6 ? !IPV6.test(raw) : !NAME.test(raw)) throw bad(what, raw, 'notHost');
  let hostname: string;
  try {
    hostname = new URL(`http://${v6 ? `[${raw}]` : raw}/`).hostname;
  } catch {
    throw bad(what, raw, 'notHost');
  }
  let host: string;
  let kind: EndpointKind;
  if (hostname.startsWith('[')) {
    host = hostname.slice(1, -1);
    kind = 'ipv6';
    const v4 = mappedIPv4(host);
    if (v4) {
      host = v4;
      kind = 'ipv4';
    }
  } else if (isIPv4(hostname)) {
    host = hostname;
    kind = 'ipv4';
  } else {
    host = hostname.replace(/\.$/, '');
    kind = 'name';
    // localhost is the loopback address: one socket, so one phone and one queue
    if (host === 'localhost') {
      host = '127.0.0.1';
      kind = 'ipv4';
    }
  }
  if (host === '0.0.0.0' || host === '::') throw bad(what, raw, 'unspecified');
  return { host, kind };
}

function parsePort(raw: string, text: string, what: string): number {
  if (!/^\d{1,6}$/.test(text)) throw bad(what, raw, 'portNotNumber');
  const port = Number(text);
  if (port < 1 || port > 65535) throw bad(what, raw, 'portRange', port);
  return port;
}

/**
 * "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address → canonical endpoint.
 * Throws E_INPUT naming `what` (e.g. "msg.target[2]").
 */
export function parseEndpoint(value: unknown, what: string): Endpoint {
  if (typeof value !== 'string')
    throw inputError(`${what} is not a host name or address (a string, optionally with :port)`, {
      field: 'target',
    }).withText('target.notText', { what });
  const raw = value.trim();
  if (!raw) throw inputError(`${what} is empty`, { field: 'target' }).withText('target.blank', { what });
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(raw);
  let hostText: string;
  let portText: string | undefined;
  if (bracketed) {
    hostText = bracketed[1];
    portText = bracketed[2];
    if (!hostText.includes(':')) throw bad(what, raw, 'brackets');
  } else if ((raw.match(/:/g) ?? []).length === 1) {
    [hostText, portText] = raw.split(':');
  } else {
    hostText = raw; // a name, IPv4, or a bare IPv6 address (no port)
  }
  const { host, kind } = canonicalHost(hostText, what);
  return portText === undefined ? { host, kind } : { host, kind, port: parsePort(raw, portText, what) };
}

/** The identity of a phone: canonical host and effective port (one key, one queue). */
export function endpointKey(ep: Endpoint, defaultPort: number): string {
  return `${ep.kind === 'ipv6' ? `[${ep.host}]` : ep.host}:${ep.port ?? defaultPort}`;
}

/** The host as a client option (IPv6 in brackets). */
export function endpointHost(ep: Endpoint): string {
  return ep.kind === 'ipv6' ? `[${ep.host}]` : ep.host;
}

interface Range {
  text: string;
}

/** A canonical dotted quad as an unsigned 32-bit number. */
function ipv4Number(host: string): number {
  const p = host.split('.');
  return ((+p[0] << 24) | (+p[1] << 16) | (+p[2] << 8) | +p[3]) >>> 0;
}

/**
 * The parsed fleet. Entries: host names (case-insensitive), IPv4/IPv6 addresses, each with an
 * optional :port (without one, any port of that host), and CIDR ranges (any port). Parsing never
 * throws: an invalid fleet carries `error` and allows no other phone (fail closed).
 */
export class Fleet {
  readonly hosts: Endpoint[] = [];
  readonly ranges: Range[] = [];
  readonly error?: SnomError;
  /** IPv6 ranges; IPv4 ranges are checked as numbers below (a BlockList check builds a SocketAddress per call) */
  private readonly blocks = new BlockList();
  private readonly v4: Array<{ net: number; mask: number }> = [];
  /** answers of allows() by endpoint key: a fan-out asks for the same phones again and again */
  private readonly verdicts = new Map<string, boolean>();

  private constructor(error?: SnomError) {
    if (error) this.error = error;
  }

  /** Text (one entry per line or comma separated, # starts a comment) or a list of entries. */
  static parse(value: unknown): Fleet {
    try {
      return Fleet.build(value);
    } catch (err) {
      const e = err instanceof SnomError ? err : inputError(String((err as Error)?.message ?? err));
      return new Fleet(
        inputError(`The fleet is invalid: ${e.message}`, { field: 'fleet' }).withText(
          'fleet.invalid',
          { reason: e.message },
          { reason: e.text },
        ),
      );
    }
  }

  private static build(value: unknown): Fleet {
    let entries: string[];
    if (value === undefined || value === null || value === '') entries = [];
    else if (typeof value === 'string') {
      entries = value.split(/\r?\n|\r/).flatMap((line) => line.replace(/#.*$/, '').split(','));
    } else if (Array.isArray(value)) {
      entries = value.map((v, i) => {
        if (typeof v !== 'string')
          throw inputError(`entry ${i + 1} is not text`).withText('fleet.entryNotText', { n: i + 1 });
        return v;
      });
    } else throw inputError('it must be text or a list of entries').withText('fleet.shape');
    entries = entries.map((e) => e.trim()).filter((e) => e !== '');
    if (entries.length > MAX_FLEET_ENTRIES)
      throw inputError(`it has ${entries.length} entries; at most ${MAX_FLEET_ENTRIES}`).withText('fleet.tooMany', {
        n: entries.length,
        max: MAX_FLEET_ENTRIES,
      });
    const f = new Fleet();
    for (const entry of entries) {
      if (entry.includes('/')) f.addRange(entry);
      else f.hosts.push(parseEndpoint(entry, 'fleet entry'));
    }
    return f;
  }

  private addRange(entry: string): void {
    const m = /^\[?([0-9A-Fa-f:.]+)\]?\/(\d{1,3})$/.exec(entry);
    if (!m) throw bad('fleet entry', entry, 'notRangeNoPort');
    const [, addr, bits] = m;
    const prefix = Number(bits);
    if (isIPv4(addr)) {
      if (prefix > 32) throw bad('fleet entry', entry, 'ipv4Prefix');
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      this.v4.push({ net: (ipv4Number(addr) & mask) >>> 0, mask });
    } else if (isIPv6(addr)) {
      if (prefix > 128) throw bad('fleet entry', entry, 'ipv6Prefix');
      this.blocks.addSubnet(addr, prefix, 'ipv6');
    } else {
      throw bad('fleet entry', entry, 'notRange');
    }
    this.ranges.push({ text: entry });
  }

  /** No entries (and valid). */
  get empty(): boolean {
    return !this.error && this.hosts.length === 0 && this.ranges.length === 0;
  }

  /** Whether `ep` (canonical) may get the credentials; `defaultPort` is the protocol's port. */
  allows(ep: Endpoint, defaultPort: number): boolean {
    if (this.error) return false;
    const port = ep.port ?? defaultPort;
    const key = `${ep.kind} ${ep.host} ${port}`;
    let ok = this.verdicts.get(key);
    if (ok === undefined) {
      ok = this.decide(ep, port);
      if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.clear();
      this.verdicts.set(key, ok);
    }
    return ok;
  }

  private decide(ep: Endpoint, port: number): boolean {
    for (const h of this.hosts) {
      if (h.host === ep.host && h.kind === ep.kind && (h.port === undefined || h.port === port)) return true;
    }
    if (ep.kind === 'name') return false; // ranges match addresses, never names
    if (ep.kind === 'ipv6') return this.blocks.check(ep.host, 'ipv6');
    const ip = ipv4Number(ep.host);
    return this.v4.some((r) => (ip & r.mask) >>> 0 === r.net);
  }

  /** The hosts (not ranges) listed: what msg.target = "*" sends to. */
  listed(): Endpoint[] {
    return this.error ? [] : this.hosts.map((h) => ({ ...h }));
  }
}
