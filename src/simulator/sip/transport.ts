// The phone's SIP sockets: one UDP socket and one TCP listener on 127.0.0.1 (RFC 3261 §18).
// TCP streams are framed by Content-Length; double-CRLF keep-alives get a CRLF back (RFC 5626).
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { frameStream } from './message';

/** Where a message came from, and where an answer or a request goes. */
export interface Peer {
  transport: 'udp' | 'tcp';
  address: string;
  port: number;
  /** the TCP connection the message came on (answers go back on it) */
  socket?: net.Socket;
}

const MAX_TCP_BUFFER = 256 * 1024;
/** The simulator sends only on loopback: nothing leaves this machine. */
export const isLoopback = (a: string): boolean =>
  /^127\.\d+\.\d+\.\d+$/.test(a) || a === '::1' || a === '::ffff:127.0.0.1';
const v4 = (a: string): string => a.replace(/^::ffff:/, '');

export class SipTransport {
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private readonly conns = new Set<net.Socket>();
  udpPort = 0;
  tcpPort = 0;

  constructor(
    private readonly onMessage: (buf: Buffer, peer: Peer) => void,
    private readonly onStreamError: (peer: Peer, why: string) => void,
  ) {}

  /** Binds TCP and UDP; with both ports 0 it tries to get the same number for both, as SIP's 5060 is. */
  async start(udpPort: number, tcpPort: number): Promise<void> {
    this.tcp = net.createServer((s) => this.accept(s));
    await new Promise<void>((resolve, reject) => {
      this.tcp!.once('error', reject);
      this.tcp!.listen(tcpPort, '127.0.0.1', () => {
        this.tcp!.off('error', reject);
        resolve();
      });
    });
    this.tcpPort = (this.tcp.address() as net.AddressInfo).port;
    const wanted = udpPort === 0 && tcpPort === 0 ? this.tcpPort : udpPort;
    try {
      await this.bindUdp(wanted);
    } catch (err) {
      if (wanted === udpPort) {
        await this.stop();
        throw err;
      }
      await this.bindUdp(0);
    }
  }

  private async bindUdp(port: number): Promise<void> {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(port, '127.0.0.1', () => {
        sock.off('error', reject);
        resolve();
      });
    });
    sock.on('message', (buf, rinfo) =>
      this.onMessage(buf, { transport: 'udp', address: v4(rinfo.address), port: rinfo.port }),
    );
    sock.on('error', () => undefined);
    this.udp = sock;
    this.udpPort = sock.address().port;
  }

  private accept(s: net.Socket): void {
    this.conns.add(s);
    let buf: Buffer = Buffer.alloc(0);
    const peer: Peer = {
      transport: 'tcp',
      address: v4(s.remoteAddress ?? '127.0.0.1'),
      port: s.remotePort ?? 0,
      socket: s,
    };
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > MAX_TCP_BUFFER) {
        this.onStreamError(peer, 'message larger than 256 KB');
        s.destroy();
        return;
      }
      const framed = frameStream(buf);
      buf = framed.rest;
      for (let i = 0; i < framed.pings; i++) s.write('\r\n');
      for (const m of framed.messages) this.onMessage(m, peer);
      if (framed.error) {
        // The stream cannot be framed any more: say why, then close it (RFC 3261 §18.3).
        this.onStreamError(peer, framed.error);
        s.end();
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => this.conns.delete(s));
  }

  /** Sends on the peer's connection, or a new one (TCP), or a datagram (UDP); loopback only. */
  send(peer: Peer, buf: Buffer): boolean {
    if (!isLoopback(peer.address)) return false;
    if (peer.transport === 'tcp' && peer.socket && !peer.socket.destroyed && peer.socket.writable) {
      peer.socket.write(buf);
      return true;
    }
    // A port from a Via or Contact may be anything: 0 or 70000 cannot be sent to.
    if (!(Number.isInteger(peer.port) && peer.port >= 1 && peer.port <= 65535)) return false;
    try {
      if (peer.transport === 'udp') {
        if (!this.udp) return false;
        this.udp.send(buf, peer.port, v4(peer.address));
        return true;
      }
      if (!this.tcp) return false;
      const s = net.connect({ host: v4(peer.address), port: peer.port });
      this.accept(s);
      peer.socket = s;
      s.write(buf);
      return true;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    for (const s of this.conns) s.destroy();
    this.conns.clear();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = null;
    this.tcp = null;
    if (udp) await new Promise<void>((r) => udp.close(() => r()));
    if (tcp) await new Promise<void>((r) => tcp.close(() => r()));
  }
}
