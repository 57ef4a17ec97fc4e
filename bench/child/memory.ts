// Run in a fresh process (node --expose-gc): one key command to each of N phones, twice. Mode "lib":
// through the library (SnomPhone.forHost, the msg.target path); mode "raw": the baseline, one undici
// Client per phone with the hand-written Digest loop (bench/raw-digest.ts). Readings: "fresh" (before
// anything), "first" (after the first burst: what a fresh process pays, V8's young generation growing
// included), "before" (the first burst's clients released), "after" (the second burst: what the phones
// hold in a process that has run before — the steady state of a long-running Node-RED) and, for "lib",
// "idle" (after the idle time). Input: a JSON file { ports, user, password, idleMs, mode }.
// Output: one JSON line per reading.
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { SnomPhone } from '../../src/lib/phone';
import { RawDigestLoop } from '../raw-digest';

interface Input {
  ports: number[];
  user: string;
  password: string;
  idleMs: number;
  mode?: 'lib' | 'raw';
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Open sockets of this process: Linux's fd table (idle keep-alive sockets are unref'd, so Node's own lists miss them). */
function openSockets(): number {
  try {
    return fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
      } catch {
        return false;
      }
    }).length;
  } catch {
    return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
  }
}

function reading(phase: string): Record<string, number | string> {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const sockets = openSockets();
  // the young generation V8 grew in a burst: committed (resident) but empty after the collection
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  const youngFree = young ? young.space_size - young.space_used_size : 0;
  return { phase, rss: m.rss, heapUsed: m.heapUsed, external: m.external, sockets, youngFree };
}

async function main(): Promise<void> {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Input;
  if (!gc) throw new Error('run with --expose-gc');
  const base = new SnomPhone({
    host: '127.0.0.1',
    port: input.ports[0],
    auth: 'digest',
    user: input.user,
    password: input.password,
    model: 'D785',
    firmware: '10.1.33.33',
    timeoutMs: 20000,
    // every loopback phone may get these credentials (msg.target's fleet check)
    fleet: '127.0.0.0/8',
    // released well before the idle reading (the default is 60 s)
    targetIdleMs: Math.max(100, Math.floor(input.idleMs / 2)),
  });
  await base.profile();
  const out = (o: object): void => void process.stdout.write(JSON.stringify(o) + '\n');
  const raw = input.mode === 'raw';
  const held: RawDigestLoop[] = [];
  // no reference to the library's phones is kept here: whatever stays alive, the library keeps
  const burst = async (): Promise<PromiseSettledResult<unknown>[]> =>
    Promise.allSettled(
      input.ports.map(async (p) => {
        if (raw) {
          const loop = new RawDigestLoop(`http://127.0.0.1:${p}`, input.user, input.password);
          held.push(loop);
          const status = await loop.get('/command.htm?key=P1');
          if (status !== 200) throw new Error(`HTTP ${status}`);
          return;
        }
        const lease = base.forHost(`127.0.0.1:${p}`);
        try {
          return await lease.phone.run([{ command: 'key', path: '/command.htm?key=P1' }]);
        } finally {
          lease.release(); // idle release (lib/phone.ts) starts from here
        }
      }),
    );
  const failures = (settled: PromiseSettledResult<unknown>[]): Record<string, unknown> => {
    const rejected = settled.filter((r) => r.status === 'rejected');
    const firstError = rejected.length
      ? String((rejected[0] as PromiseRejectedResult).reason).slice(0, 160)
      : undefined;
    return { phones: input.ports.length, failed: rejected.length, firstError };
  };
  const fresh = reading('fresh');
  out(fresh);
  // the readings after the burst (an object literal would read the memory before the await)
  const firstBurst = await burst();
  out({ ...reading('first'), ...failures(firstBurst) });
  // release the first burst's clients: the library after its idle time, the baseline by closing
  if (raw) await Promise.all(held.splice(0).map((l) => l.close()));
  const until = Date.now() + input.idleMs * 3;
  while ((openSockets() > Number(fresh.sockets) || base.targetClients > 0) && Date.now() < until) await sleep(100);
  out(reading('before'));
  const secondBurst = await burst();
  out({ ...reading('after'), ...failures(secondBurst) });
  if (!raw) {
    await sleep(input.idleMs);
    out(reading('idle'));
  }
  await Promise.all(held.map((l) => l.close()));
  await base.close();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(String(err?.stack ?? err) + '\n');
    process.exit(1);
  },
);
