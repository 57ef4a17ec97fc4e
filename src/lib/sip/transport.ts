/**
 * The socket layer: one UDP socket, or one TCP listener plus connections,
 * bound where the user says. It moves whole SIP messages and knows nothing of
 * transactions. Errors become SnomError E_UNREACHABLE.
 */
import * as dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { SnomError } from '../errors';
import { FramingError, StreamFramer } from './framing';
import { parseMessage, type SipMessage } from './message';

export type SipTransportName = 'udp' | 'tcp';

export interface Remote {
  host: string;
  port: number;
}

export interface InboundMessage {
  message: SipMessage;
  /** Source address of the packet or connection. */
  remote: Remote;
  /** TCP: the connection it came on (responses go back on it). */
  connection?: net.Socket;
}

export interface TransportOptions {
  transport: SipTransportName;
  localAddress: string;
  localPort: number;
  maxMessageBytes: number;
}

/** What failed, in English and as its catalog key (runtime.errors.sip.<key>) with the address it names. */
const FAILED = {
  openUdp: (at: string) => `cannot open the local SIP UDP port ${at}`,
  openTcp: (at: string) => `cannot open the local SIP TCP port ${at}`,
  connectTcp: (at: string) => `cannot connect to ${at} over TCP`,
  send: (at: string) => `cannot send SIP to ${at}`,
};

function unreachable(
  what: keyof typeof FAILED,
  at: string,
  err: NodeJS.ErrnoException,
  details: Record<string, unknown> = {},
): SnomError {
  const reason = err.code ?? err.message;
  return new SnomError('E_UNREACHABLE', `${FAILED[what](at)}: ${reason}`, { errno: err.code, ...details }).withText(
    `sip.${what}`,
    { at, reason },
  );
}

/** The catalog keys of transport failures, for the catalog test. */
export const TRANSPORT_FAILURE_KEYS = Object.keys(FAILED);

export class SipTransport extends EventEmitter<{
  message: [InboundMessage];
  connectionClosed: [string];
  malformed: [Remote];
}> {
  private udp?: dgram.Socket;
  private server?: net.Server;
  private readonly conns = new Map<string, net.Socket>();
  private readonly connecting = new Map<string, Promise<net.Socket>>();
  private readonly accepted = new Set<net.Socket>();
  private closed = false;
  private port = 0;

  constructor(readonly options: TransportOptions) {
    super();
  }

  get name(): SipTransportName {
    return this.options.transport;
  }

  get reliable(): boolean {
    return this.options.transport === 'tcp';
  }

  /** The bound port (the ephemeral one when 0 was asked for). */
  get localPort(): number {
    return this.port;
  }

  async open(): Promise<void> {
    const { localAddress, localPort } = this.options;
    const where = `${localAddress}:${localPort}`;
    if (this.options.transport === 'udp') {
      const sock = dgram.createSocket({ type: net.isIPv6(localAddress) ? 'udp6' : 'udp4' });
      await new Promise<void>((resolve, reject) => {
        sock.once('error', (e) => reject(unreachable('openUdp', where, e)));
        sock.bind(localPort, localAddress, () => resolve());
      });
      sock.on('error', () => undefined); // per-send errors come through the send callback
      sock.on('message', (data, rinfo) => this.inbound(data, { host: rinfo.address, port: rinfo.port }));
      this.udp = sock;
      this.port = sock.address().port;
      return;
    }
    const server = net.createServer((c) => this.adopt(c, true));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(unreachable('openTcp', where, e)));
      server.listen(localPort, localAddress, () => resolve());
    });
    server.on('error', () => undefined);
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  private inbound(data: Buffer, remote: Remote, connection?: net.Socket): void {
    if (this.closed) return;
    const message = parseMessage(data);
    if (!message) {
      this.emit('malformed', remote);
      return;
    }
    this.emit('message', { message, remote, connection });
  }

  private adopt(c: net.Socket, incoming: boolean, key?: string): void {
    const remote: Remote = { host: c.remoteAddress ?? '', port: c.remotePort ?? 0 };
    key ??= `${remote.host}:${remote.port}`;
    const framer = new StreamFramer(this.options.maxMessageBytes);
    if (incoming) {
      this.accepted.add(c);
      if (this.closed) c.destroy();
    }
    c.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = framer.push(chunk);
      } catch (e) {
        // A stream that lost its framing cannot be resynchronised: drop it.
        if (e instanceof FramingError) this.emit('malformed', remote);
        c.destroy();
        return;
      }
      for (const m of messages) this.inbound(m, remote, c);
    });
    c.on('error', () => undefined); // 'close' follows and reports
    const closedKey = key;
    c.on('close', () => {
      this.accepted.delete(c);
      if (this.conns.get(closedKey) === c) this.conns.delete(closedKey);
      this.emit('connectionClosed', closedKey);
    });
  }

  /** The TCP connection to host:port, opened on first use. */
  private connection(host: string, port: number): Promise<net.Socket> {
    const key = `${host}:${port}`;
    const open = this.conns.get(key);
    if (open && !open.destroyed) return Promise.resolve(open);
    const pending = this.connecting.get(key);
    if (pending) return pending;
    const p = new Promise<net.Socket>((resolve, reject) => {
      const local = this.options.localAddress;
      const wildcard = local === '0.0.0.0' || local === '::';
      const c = net.connect({ host, port, localAddress: wildcard ? undefined : local });
      c.once('connect', () => {
        c.removeAllListeners('error');
        this.conns.set(key, c);
        this.adopt(c, false, key);
        resolve(c);
      });
      c.once('error', (e) => reject(unreachable('connectTcp', key, e, { phone: key })));
    }).finally(() => this.connecting.delete(key));
    this.connecting.set(key, p);
    return p;
  }

  /** Key of the connection a request to host:port travels on (TCP), for failure tracking. */
  connectionKey(host: string, port: number): string {
    return `${host}:${port}`;
  }

  /**
   * Sends one message. TCP: on `via` when given (a response on the connection
   * its request came on), else on the connection to the target.
   */
  async send(target: Remote, data: Buffer, via?: net.Socket): Promise<void> {
    if (this.closed) throw new SnomError('E_UNREACHABLE', 'the SIP client is closed').withText('sip.closedLower');
    if (this.udp) {
      const sock = this.udp;
      await new Promise<void>((resolve, reject) => {
        sock.send(data, target.port, target.host, (err) => {
          if (err)
            reject(
              unreachable('send', `${target.host}:${target.port}`, err, {
                phone: `${target.host}:${target.port}`,
              }),
            );
          else resolve();
        });
      });
      return;
    }
    const c = via && !via.destroyed ? via : await this.connection(target.host, target.port);
    await new Promise<void>((resolve, reject) => {
      c.write(data, (err) => {
        if (err)
          reject(
            unreachable('send', `${target.host}:${target.port}`, err, {
              phone: `${target.host}:${target.port}`,
            }),
          );
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.conns.values(), ...this.accepted]) c.destroy();
    this.conns.clear();
    const udp = this.udp;
    if (udp) await new Promise<void>((r) => udp.close(() => r()));
    const server = this.server;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}
