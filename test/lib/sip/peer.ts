/**
 * A raw SIP peer for the client tests: a UDP socket or TCP listener on
 * 127.0.0.1 that records what arrives and answers only when a test tells it
 * to. Its parsing is its own (a few regexps), not the client's, so a parser
 * bug in src/lib/sip cannot hide itself here.
 */
import { createHash } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as net from 'node:net';

export interface PeerMessage {
  raw: string;
  startLine: string;
  /** Request method, or undefined for a response. */
  method?: string;
  uri?: string;
  status?: number;
  /** Lower-case long header names → values in order. */
  headers: Map<string, string[]>;
  body: string;
  remote: { address: string; port: number };
  socket?: net.Socket;
}

const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  l: 'content-length',
  m: 'contact',
  c: 'content-type',
};

export function parsePeer(raw: string, remote: { address: string; port: number }, socket?: net.Socket): PeerMessage {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const [startLine, ...lines] = head.split('\r\n');
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const i = line.indexOf(':');
    let name = line.slice(0, i).trim().toLowerCase();
    name = Object.hasOwn(COMPACT, name) ? COMPACT[name] : name;
    const list = headers.get(name) ?? [];
    list.push(line.slice(i + 1).trim());
    headers.set(name, list);
  }
  const m = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  const r = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(startLine);
  return {
    raw,
    startLine,
    method: r?.[1],
    uri: r?.[2],
    status: m ? Number(m[1]) : undefined,
    headers,
    body,
    remote,
    socket,
  };
}

export function h(m: PeerMessage, name: string): string {
  return m.headers.get(name)?.[0] ?? '';
}

export function branchOf(m: PeerMessage): string {
  return /branch=([^;\s,]+)/.exec(h(m, 'via'))?.[1] ?? '';
}

export function tagOf(value: string): string | undefined {
  return /;\s*tag=([^;\s]+)/.exec(value)?.[1];
}

export function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

/** Digest params of an Authorization header, by a plain regexp. */
export function digestParams(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of value.replace(/^Digest\s+/i, '').matchAll(/([a-z-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/gi)) {
    out.set(m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]);
  }
  return out;
}

/** RFC 2617 MD5 with qop=auth (or none), computed here, not by src/lib/http/digest.ts. */
export function expectedDigest(
  user: string,
  realm: string,
  password: string,
  method: string,
  p: Map<string, string>,
): string {
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${p.get('uri')}`);
  return p.has('qop')
    ? md5(`${ha1}:${p.get('nonce')}:${p.get('nc')}:${p.get('cnonce')}:${p.get('qop')}:${ha2}`)
    : md5(`${ha1}:${p.get('nonce')}:${ha2}`);
}

export class RawPeer {
  readonly received: PeerMessage[] = [];
  private readonly taken = new Set<PeerMessage>();
  private waiters: Array<{ pred: (m: PeerMessage) => boolean; resolve: (m: PeerMessage) => void }> = [];
  /** Called for each message after it is recorded (answer from here). */
  onMessage?: (m: PeerMessage) => void;
  private conns = new Set<net.Socket>();

  private constructor(
    readonly transport: 'udp' | 'tcp',
    readonly port: number,
    private readonly udp?: dgram.Socket,
    private readonly server?: net.Server,
  ) {}

  static async udp(port = 0): Promise<RawPeer> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(port, '127.0.0.1', () => r()));
    const p = new RawPeer('udp', s.address().port, s);
    s.on('message', (data, rinfo) => p.record(data.toString('utf8'), { address: rinfo.address, port: rinfo.port }));
    return p;
  }

  static async tcp(port = 0): Promise<RawPeer> {
    const box: { peer?: RawPeer } = {};
    const server = net.createServer((c) => box.peer?.adopt(c));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    box.peer = new RawPeer('tcp', (server.address() as net.AddressInfo).port, undefined, server);
    return box.peer;
  }

  /** TCP: frames by Content-Length (its own code, not the client's). */
  adopt(c: net.Socket): void {
    this.conns.add(c);
    let buf = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => {
      buf += d;
      for (;;) {
        buf = buf.replace(/^(\r\n)+/, '');
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        const len = Number(/\r\n(?:content-length|l)\s*:\s*(\d+)/i.exec(buf.slice(0, end + 2))?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        const raw = buf.slice(0, end + 4 + len);
        buf = buf.slice(end + 4 + len);
        this.record(raw, { address: c.remoteAddress ?? '', port: c.remotePort ?? 0 }, c);
      }
    });
    c.on('error', () => undefined);
    c.on('close', () => this.conns.delete(c));
  }

  private record(raw: string, remote: { address: string; port: number }, socket?: net.Socket): void {
    const m = parsePeer(raw, remote, socket);
    this.received.push(m);
    const w = this.waiters.find((x) => x.pred(m));
    if (w) {
      this.taken.add(m);
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(m);
    }
    this.onMessage?.(m);
  }

  /** Next message (already received or future) matching pred, not yet taken. */
  next(pred: (m: PeerMessage) => boolean = () => true, ms = 5000): Promise<PeerMessage> {
    const ready = this.received.find((m) => !this.taken.has(m) && pred(m));
    if (ready) {
      this.taken.add(ready);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x.resolve !== done);
        reject(new Error(`peer: no matching message within ${ms} ms`));
      }, ms);
      const done = (m: PeerMessage) => {
        clearTimeout(t);
        resolve(m);
      };
      this.waiters.push({ pred, resolve: done });
    });
  }

  requests(method?: string): PeerMessage[] {
    return this.received.filter((m) => m.method !== undefined && (method === undefined || m.method === method));
  }

  private closed = false;

  send(text: string, to: { address: string; port: number }, socket?: net.Socket): void {
    if (this.closed) return; // a test's late timer after the peer stopped
    if (this.udp) this.udp.send(Buffer.from(text, 'utf8'), to.port, to.address);
    else if (socket) socket.write(text);
    else {
      const c = net.connect(to.port, to.address);
      this.adopt(c);
      c.write(text);
    }
  }

  /** A response echoing the request's Via, From, To (tag added), Call-ID and CSeq. */
  responseText(
    req: PeerMessage,
    status: number,
    reason: string,
    o: { toTag?: string; headers?: string[]; body?: string } = {},
  ): string {
    const to = h(req, 'to');
    const lines = [`SIP/2.0 ${status} ${reason}`];
    for (const v of req.headers.get('via') ?? []) lines.push(`Via: ${v}`);
    lines.push(`From: ${h(req, 'from')}`);
    lines.push(`To: ${tagOf(to) || status === 100 ? to : `${to};tag=${o.toTag ?? 'peer1'}`}`);
    lines.push(`Call-ID: ${h(req, 'call-id')}`, `CSeq: ${h(req, 'cseq')}`);
    lines.push(...(o.headers ?? []));
    const body = o.body ?? '';
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    return `${lines.join('\r\n')}\r\n\r\n${body}`;
  }

  /** Where a UDP response goes: the source (the client asks for rport). */
  reply(
    req: PeerMessage,
    status: number,
    reason: string,
    o: { toTag?: string; headers?: string[]; body?: string } = {},
  ): void {
    this.send(this.responseText(req, status, reason, o), req.remote, req.socket);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.conns) c.destroy();
    if (this.udp) await new Promise<void>((r) => this.udp!.close(() => r()));
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
  }
}

/** A free port on 127.0.0.1 (for binding the client to a chosen one). */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
