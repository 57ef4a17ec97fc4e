// Key presses, one at a time, through five paths to a phone of the simulator (own process):
// raw undici without auth (the transport floor), a hand-written raw Digest loop, the library's
// PhoneClient, a deployed snom-key node and Node-RED's core `http request` node with digest auth.
import { Client } from 'undici';
import { PhoneClient } from '../src/lib/http/client';
import { RawDigestLoop } from './raw-digest';
import type { InProcessRuntime, RedMsg, Sink } from './red';
import { simCounts, simReset, SIM_PASSWORD, SIM_USER, type SimEndpoint } from './sim';

export const KEYS = ['1', '2', '3', 'P1', 'ENTER'];

export interface PressPath {
  id: string;
  label: string;
  phone: SimEndpoint;
  press(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface PressSample {
  perSecond: number;
  cpuUsPerPress: number;
  exchangesPerPress: number;
}

const path = (key: string): string => `/command.htm?key=${encodeURIComponent(key)}`;

export function rawUndici(phone: SimEndpoint): PressPath {
  const c = new Client(phone.url, { pipelining: 1 });
  return {
    id: 'raw',
    label: 'raw undici, no auth (transport floor)',
    phone,
    async press(key) {
      const r = await c.request({ method: 'GET', path: path(key) });
      await r.body.text();
      if (r.statusCode !== 200) throw new Error(`raw undici: HTTP ${r.statusCode}`);
    },
    close: () => c.close(),
  };
}

export function rawDigest(phone: SimEndpoint): PressPath {
  const d = new RawDigestLoop(phone.url, SIM_USER, SIM_PASSWORD);
  return {
    id: 'digest',
    label: 'raw Digest loop on undici',
    phone,
    async press(key) {
      const s = await d.get(path(key));
      if (s !== 200) throw new Error(`raw digest: HTTP ${s}`);
    },
    close: () => d.close(),
  };
}

export function libraryClient(phone: SimEndpoint): PressPath {
  const c = new PhoneClient({
    host: '127.0.0.1',
    port: phone.port,
    auth: 'digest',
    user: SIM_USER,
    password: SIM_PASSWORD,
  });
  return {
    id: 'client',
    label: 'library PhoneClient, Digest',
    phone,
    async press(key) {
      await c.request({ command: 'key', path: path(key) });
    },
    close: () => c.close(),
  };
}

/**
 * Send one message into a deployed node and wait for what comes out of it (or of the Catch node),
 * one at a time like a user flow. No timer per message: a watchdog per segment bounds the wait.
 */
export class NodeDriver {
  private pending: { resolve: (m: RedMsg) => void; reject: (e: Error) => void } | undefined;

  constructor(outs: Sink[]) {
    for (const out of outs) out.on((m) => this.settle(m));
  }

  /** A Catch node saw an error of the node in flight. */
  caught(m: RedMsg): void {
    this.settle(undefined, new Error(`caught: ${m.error?.message ?? 'error'}`));
  }

  send(runtime: InProcessRuntime, nodeId: string, msg: Record<string, unknown>): Promise<RedMsg> {
    if (this.pending) return Promise.reject(new Error('one message at a time'));
    const got = new Promise<RedMsg>((resolve, reject) => (this.pending = { resolve, reject }));
    runtime.node(nodeId).receive(msg);
    return got;
  }

  /** Fails the message in flight (segment watchdog). */
  abort(err: Error): void {
    this.settle(undefined, err);
  }

  private settle(m: RedMsg | undefined, err?: Error): void {
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    if (err) p.reject(err);
    else p.resolve(m!);
  }
}

export function snomKeyNode(phone: SimEndpoint, runtime: InProcessRuntime, driver: NodeDriver): PressPath {
  return {
    id: 'key',
    label: 'snom-key node in Node-RED, Digest',
    phone,
    async press(key) {
      await driver.send(runtime, 'k1', { payload: key });
    },
    close: async () => undefined,
  };
}

export function coreHttpRequest(phone: SimEndpoint, runtime: InProcessRuntime, driver: NodeDriver): PressPath {
  return {
    id: 'core',
    label: 'core http request node, digest',
    phone,
    async press(key) {
      const m = await driver.send(runtime, 'h1', { url: `${phone.url}${path(key)}` });
      if (m.statusCode !== 200) throw new Error(`core http request: HTTP ${m.statusCode}`);
    },
    close: async () => undefined,
  };
}

/** The nodes the press rows drive, for the in-process runtime's flow. */
export function pressFlow(keyPhone: SimEndpoint): {
  nodes: Array<Record<string, unknown>>;
  credentials: Record<string, Record<string, string>>;
} {
  return {
    nodes: [
      {
        id: 'p1',
        type: 'snom-phone',
        name: '',
        host: '127.0.0.1',
        port: String(keyPhone.port),
        protocol: 'http',
        model: 'D785',
        firmware: '10.1.33.33',
        auth: 'digest',
        timeout: '5000',
        queueSize: '100',
        fleet: '127.0.0.0/8',
      },
      { id: 'k1', type: 'snom-key', phone: 'p1', keys: '', wires: [['out-key']] },
      { id: 'out-key', type: 'helper' },
      {
        id: 'h1',
        type: 'http request',
        method: 'GET',
        ret: 'txt',
        paytoqs: 'ignore',
        url: '',
        authType: 'digest',
        persist: true,
        wires: [['out-core']],
      },
      { id: 'out-core', type: 'helper' },
    ],
    credentials: { p1: { user: SIM_USER, password: SIM_PASSWORD }, h1: { user: SIM_USER, password: SIM_PASSWORD } },
  };
}

export interface PressTotals {
  presses: number;
  seconds: number;
  cpuUs: number;
}

/**
 * One round of all press rows, interleaved in chunks so that a burst of load elsewhere on the
 * machine hits every row alike: untimed warm-up per row, phone counters reset, then chunk after
 * chunk (row order rotating per chunk) of timed presses (wall clock and this process's CPU: the
 * phones run in another process), then each phone's own count of presses and HTTP exchanges.
 */
export async function pressRound(
  paths: PressPath[],
  perRow: number,
  chunk: number,
  warmup: number,
  round: number,
  watchdogMs: number,
  onTimeout: (e: Error) => void,
): Promise<Map<string, PressSample | Error>> {
  const totals = new Map<string, PressTotals>(paths.map((p) => [p.id, { presses: 0, seconds: 0, cpuUs: 0 }]));
  const failed = new Map<string, Error>();
  for (const p of paths) {
    try {
      for (let i = 0; i < warmup; i++) await p.press(KEYS[i % KEYS.length]);
      await simReset(p.phone.url);
    } catch (e) {
      failed.set(p.id, e as Error);
    }
  }
  const chunks = Math.ceil(perRow / chunk);
  for (let c = 0; c < chunks; c++) {
    const n = Math.min(chunk, perRow - c * chunk);
    for (let j = 0; j < paths.length; j++) {
      const p = paths[(j + round + c) % paths.length];
      if (failed.has(p.id)) continue;
      const dog = setTimeout(() => onTimeout(new Error(`${p.label}: no answer within ${watchdogMs} ms`)), watchdogMs);
      try {
        const cpu0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < n; i++) await p.press(KEYS[i % KEYS.length]);
        const t = totals.get(p.id)!;
        t.seconds += Number(process.hrtime.bigint() - t0) / 1e9;
        const cpu = process.cpuUsage(cpu0);
        t.cpuUs += cpu.user + cpu.system;
        t.presses += n;
      } catch (e) {
        failed.set(p.id, e as Error);
      } finally {
        clearTimeout(dog);
      }
    }
  }
  const out = new Map<string, PressSample | Error>();
  for (const p of paths) {
    const f = failed.get(p.id);
    if (f) {
      out.set(p.id, f);
      continue;
    }
    const t = totals.get(p.id)!;
    const st = await simCounts(p.phone.url);
    if (st.keys !== t.presses)
      out.set(p.id, new Error(`${p.label}: the phone saw ${st.keys} presses, expected ${t.presses}`));
    else
      out.set(p.id, {
        perSecond: t.presses / t.seconds,
        cpuUsPerPress: t.cpuUs / t.presses,
        exchangesPerPress: st.requests / t.presses,
      });
  }
  return out;
}
