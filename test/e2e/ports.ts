// Spare ports on 127.0.0.1 for the end-to-end runs of npm start and the examples.
import * as dgram from 'node:dgram';
import * as net from 'node:net';

export function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** The first of `n` consecutive ports free for TCP (and UDP when asked), from a random start. */
export async function freeRun(n: number, udp = false): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    let ok = true;
    for (let p = base; p < base + n && ok; p++) ok = (await tcpFree(p)) && (!udp || (await udpFree(p)));
    if (ok) return base;
  }
  throw new Error('no free ports');
}
