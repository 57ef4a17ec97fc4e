/**
 * `npm run bench` (issue 9): figures that can be trusted on a noisy 2-core machine.
 * - phones run in their own simulator processes, the event runtimes in their own `node-red`
 *   processes; the press and fan-out nodes in a Node-RED runtime in this process;
 * - every row runs once per round, rounds rotate the order, and each ratio is taken within a round,
 *   then reported as min/median/max over the rounds;
 * - bounded loops, loopback only; everything started is stopped, also on Ctrl-C / SIGTERM.
 * Environment: see bench/options.ts and docs/performance.md (BENCH_QUICK=1 for a smoke run).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SimPhoneConfig } from '../src/simulator/types';
import { eventRound, startEventRuntime, type EventRuntime } from './events';
import { FanoutDriver, fanoutFlow, targetsOf } from './fanout';
import { rawFanout } from './fanout-raw';
import { checkSeconds, readOptions, type Group } from './options';
import {
  coreHttpRequest,
  libraryClient,
  NodeDriver,
  pressFlow,
  pressRound,
  rawDigest,
  rawUndici,
  snomKeyNode,
  type PressPath,
} from './press';
import {
  cleanupAll,
  installSignalHandlers,
  interrupted,
  onCleanup,
  ownCpuMs,
  processCpuMs,
  spawnNode,
  tempDir,
  type Child,
} from './procs';
import { InProcessRuntime, Sink, type RuntimeFlows } from './red';
import { buildGoals, buildTable, type Extra } from './report';
import { Results } from './results';
import {
  closeControl,
  eachLimit,
  phoneConfig,
  simCall,
  simCounts,
  SIM_PASSWORD,
  SIM_USER,
  startSim,
  type SimEndpoint,
} from './sim';
import { median } from './stats';

interface Slot {
  group: Group;
  name: string;
  /** where an error of this row is noted in the table */
  noteKey: string;
  run(round: number): Promise<void>;
}

const log = (line: string): void => void process.stderr.write(line + '\n');
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);

async function waitJsonLine(child: Child, phase: string, timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const line of child.output().split('\n')) {
      if (line.startsWith('{') && line.includes(`"phase":"${phase}"`))
        return JSON.parse(line) as Record<string, number>;
    }
    if (child.proc.exitCode !== null)
      throw new Error(`child exited (${child.proc.exitCode}) before "${phase}": ${child.output().slice(-500)}`);
    if (Date.now() > deadline) throw new Error(`no "${phase}" reading within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const o = readOptions();
  checkSeconds(o);
  installSignalHandlers();
  const want = (g: Group): boolean => o.only.has(g);
  const res = new Results(o.rounds);
  const extra: Extra = { eventLatencies: {} };
  log(
    `bench: ${o.quick ? 'quick' : 'full'} run, ${o.rounds} rounds, groups ${[...o.only].join(', ')}; Node ${process.version}, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  // --- phones and runtimes, started in parallel -------------------------------------------------
  const needFleet = want('fanout') || want('memory');
  const pressNames = ['raw', 'digest', 'client', 'key', 'core'];
  const pressSimP = want('press')
    ? startSim(
        'press',
        pressNames.map((n) => phoneConfig(`press-${n}`, n === 'raw' ? 'none' : 'digest')),
      )
    : Promise.resolve(undefined);
  const fleetSimsP = needFleet
    ? Promise.all(
        Array.from({ length: o.simProcs }, (_, k) => {
          // phone i lives in process i mod P, so that any fan-out's first N phones are spread over
          // every simulator process (in a building each phone has its own CPU)
          const configs: SimPhoneConfig[] = [];
          for (let i = k; i < o.fleet; i += o.simProcs) configs.push(phoneConfig(`fleet${i}`, 'digest'));
          return startSim(`fleet${k}`, configs);
        }),
      )
    : Promise.resolve([]);
  const eventRuntimesP = want('events')
    ? Promise.all(o.eventConfigs.map((c) => startEventRuntime(c, o.nodeRedArgs, o.eventConcurrency)))
    : Promise.resolve([] as EventRuntime[]);
  const [pressSim, fleetSims, eventRuntimes] = await Promise.all([pressSimP, fleetSimsP, eventRuntimesP]);
  for (const rt of eventRuntimes) onCleanup(() => rt.stop());
  for (const s of [pressSim, ...fleetSims]) if (s) onCleanup(() => s.stop());
  onCleanup(() => closeControl());
  // back in fleet order: fleet[i] is phone fleet<i>
  const fleet: SimEndpoint[] = [];
  for (let i = 0; fleetSims.length && i < o.fleet; i++) {
    fleet.push(fleetSims[i % fleetSims.length].phones[Math.floor(i / fleetSims.length)]);
  }
  /** CPU ms all fleet simulator processes have used so far: what the phones cost the machine */
  const phonesCpuMs = (): number => fleetSims.reduce((t, f) => t + processCpuMs(f.child.proc.pid ?? -1), 0);
  if (o.latencyMs > 0)
    await eachLimit(fleet, 32, (p) =>
      simCall(p.url, 'POST', 'faults', { latencyMs: o.latencyMs }).then(() => undefined),
    );
  log(
    `bench: started ${pressSim?.phones.length ?? 0} press phones, ${fleet.length} fleet phones in ${fleetSims.length} processes, ${eventRuntimes.length} node-red processes (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );

  // --- the in-process Node-RED runtime -------------------------------------------------------------
  const runtime = new InProcessRuntime();
  const sinks = { key: new Sink(), core: new Sink(), fan: new Sink(), caught: new Sink() };
  const driver = new NodeDriver([sinks.key, sinks.core]);
  const fanDriver = new FanoutDriver(sinks.fan);
  sinks.caught.on((m) => (m.error?.source?.id === 'fan-k' ? fanDriver.caught(m) : driver.caught(m)));
  let generation = 0;
  const flows = (): RuntimeFlows => {
    const press = pressSim ? pressFlow(pressSim.phones[3]) : { nodes: [], credentials: {} };
    const fan = fleet.length ? fanoutFlow(fleet[0], generation) : { nodes: [], credentials: {} };
    return {
      flows: [
        { id: 'bench-tab', type: 'tab', label: 'bench' },
        // flow nodes on the tab, config nodes global
        ...[...press.nodes, ...fan.nodes].map((n) => (n.type === 'snom-phone' ? n : { ...n, z: 'bench-tab' })),
        { id: 'catcher', z: 'bench-tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', z: 'bench-tab', type: 'helper' },
      ],
      credentials: { ...press.credentials, ...fan.credentials },
    };
  };
  const attachSinks = (): void => {
    for (const [id, sink] of [
      ['out-key', sinks.key],
      ['out-core', sinks.core],
      ['fan-out', sinks.fan],
      ['caught', sinks.caught],
    ] as const) {
      try {
        sink.attach(runtime.node(id));
      } catch {
        // not deployed in this run (BENCH_ONLY)
      }
    }
  };
  if (want('press') || want('fanout')) {
    await runtime.start(flows());
    onCleanup(() => runtime.stop());
    attachSinks();
  }

  // --- rows ----------------------------------------------------------------------------------------
  const slots: Slot[] = [];
  const perRound = Math.ceil(o.presses / o.rounds);
  if (pressSim) {
    const ph = pressSim.phones;
    const paths: PressPath[] = [
      rawUndici(ph[0]),
      rawDigest(ph[1]),
      libraryClient(ph[2]),
      snomKeyNode(ph[3], runtime, driver),
      coreHttpRequest(ph[4], runtime, driver),
    ].filter((p) => o.pressRows.includes(p.id));
    for (const p of paths) {
      onCleanup(() => p.close());
      // first contact (connect, Digest challenge) before any round
      for (let i = 0; i < 3; i++) await p.press('1');
    }
    slots.push({
      group: 'press',
      name: 'press rows',
      noteKey: 'press',
      run: async (r) => {
        const got = await pressRound(paths, perRound, o.pressChunk, o.pressWarmup, r, 60_000, (e) => driver.abort(e));
        for (const [id, s] of got) {
          if (s instanceof Error) {
            log(`bench: round ${r + 1}, ${id}: ${errText(s)}`);
            res.note(`press.${id}`, `error: ${errText(s)}`);
            continue;
          }
          res.set(`press.${id}.rate`, r, s.perSecond);
          res.set(`press.${id}.cpu`, r, s.cpuUsPerPress);
          res.set(`press.${id}.exch`, r, s.exchangesPerPress);
        }
      },
    });
  }

  let fleetAnswered = 0;
  if (want('fanout') && fleet.length) {
    for (const n of o.fanout) {
      const targets = targetsOf(fleet, n);
      slots.push({
        group: 'fanout',
        name: `fan-out ${n}`,
        noteKey: `fan.${n}.cold`,
        run: async (r) => {
          // the baseline and the node take turns going first
          const baseline = async (): Promise<void> => {
            const s = await rawFanout(fleet.slice(0, n), phonesCpuMs);
            fleetAnswered += s.ok;
            if (s.failed) {
              res.note(`fanraw.${n}`, `${s.failed} of ${2 * n} failed`);
              log(`bench: round ${r + 1}, raw fan-out ${n}: ${s.failed} failed, first: ${s.firstError?.slice(0, 160)}`);
            } else {
              for (const b of [s.cold, s.warm]) {
                res.set(`fanraw.${n}.${b.kind}`, r, b.ms);
                res.set(`fanraw.${n}.${b.kind}.cpu`, r, b.cpuMs);
                res.set(`fanraw.${n}.${b.kind}.phonesCpu`, r, b.phonesCpuMs);
              }
            }
          };
          if (r % 2 === 1) await baseline();
          generation++;
          await runtime.redeployChanged(flows()); // new clients: the next command is cold
          attachSinks();
          for (const kind of ['cold', 'warm'] as const) {
            const cpu0 = ownCpuMs();
            const phones0 = phonesCpuMs();
            const s = await fanDriver.command(runtime, targets, o.fanoutTimeoutMs);
            const cpuMs = ownCpuMs() - cpu0;
            const phonesMs = phonesCpuMs() - phones0;
            fleetAnswered += s.ok;
            const key = `fan.${n}.${kind}`;
            if (s.refused) res.note(key, `refused: ${s.refused}`);
            else if (s.timedOut) res.note(key, `timeout after ${o.fanoutTimeoutMs} ms (${s.ok} answered)`);
            else {
              res.set(key, r, s.ms);
              res.set(`${key}.cpu`, r, cpuMs);
              res.set(`${key}.phonesCpu`, r, phonesMs);
              if (s.failed) {
                res.note(key, `${s.failed} of ${n} failed`);
                log(`bench: round ${r + 1}, ${key}: ${s.failed} of ${n} failed, first: ${s.firstError?.slice(0, 160)}`);
              }
            }
            if (s.refused || s.timedOut) break;
          }
          if (r % 2 === 0) await baseline();
        },
      });
    }
  }

  if (want('events')) {
    const seq = { i: 0 };
    for (const rt of eventRuntimes) {
      slots.push({
        group: 'events',
        name: `events, ${rt.configs} configs`,
        noteKey: `ev.${rt.configs}.snom`,
        run: async (r) => {
          const got = await eventRound(
            rt,
            o.eventPaths,
            {
              rate: o.eventRate,
              seconds: o.eventSeconds,
              count: o.eventCount,
              concurrency: o.eventConcurrency,
              chunks: o.eventChunks,
            },
            r,
            seq,
          );
          for (const p of o.eventPaths) {
            const s = got[p];
            if (!s) continue;
            const b = `ev.${rt.configs}.${p}`;
            res.set(`${b}.tput`, r, s.throughput);
            res.set(`${b}.p99`, r, s.p99);
            const pool = (extra.eventLatencies[`${rt.configs}.${p}`] ??= []);
            for (const v of s.latencies) pool.push(v);
            res.set(`${b}.p50`, r, s.p50);
            res.set(`${b}.achieved`, r, s.achievedRate);
            res.set(`${b}.errors`, r, s.errors);
            res.set(`${b}.undelivered`, r, s.undelivered);
          }
        },
      });
    }
  }

  if (want('load')) {
    const script = path.join(__dirname, 'child', 'load-time.js');
    slots.push({
      group: 'load',
      name: 'package load',
      noteKey: 'load',
      run: async (r) => {
        const ms: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < o.loadProcs; i++) {
          const c = spawnNode([], script);
          const code = await c.exited;
          if (code !== 0) throw new Error(`load-time child failed: ${c.output().slice(-300)}`);
          const got = JSON.parse(c.output().trim().split('\n').pop()!) as {
            ms: number;
            cpuMs: number;
            heavy: string[];
          };
          ms.push(got.ms);
          cpu.push(got.cpuMs);
          if (got.heavy.length) res.note('load', `loaded at start: ${got.heavy.join(', ')}`);
        }
        res.set('load.ms', r, median(ms));
        res.set('load.cpu', r, median(cpu));
      },
    });
  }

  // the memory child idles while the next rows run (it uses no CPU then); its last reading is
  // collected before the next memory row starts, or at the end
  let idleReading: Promise<void> | undefined;
  const collectIdle = async (): Promise<void> => {
    const p = idleReading;
    idleReading = undefined;
    await p?.catch((e) => log(`bench: memory idle reading: ${errText(e)}`));
  };
  if (want('memory') && fleet.length) {
    const dir = tempDir('snom-bench-mem-');
    const inputFor = (mode: 'lib' | 'raw'): string => {
      const file = path.join(dir, `input-${mode}.json`);
      fs.writeFileSync(
        file,
        JSON.stringify({
          ports: fleet.slice(0, o.memoryPhones).map((p) => p.port),
          user: SIM_USER,
          password: SIM_PASSWORD,
          idleMs: o.idleMs,
          mode,
        }),
      );
      return file;
    };
    const inputs = { lib: inputFor('lib'), raw: inputFor('raw') };
    const script = path.join(__dirname, 'child', 'memory.js');
    const n = o.memoryPhones;
    /** One child: the readings per phone of the first burst (fresh process) and of the second (steady state). */
    const measure = async (mode: 'lib' | 'raw', r: number): Promise<Child> => {
      const c = spawnNode(['--expose-gc'], script, [inputs[mode]]);
      const fresh = await waitJsonLine(c, 'fresh', 30_000);
      const first = await waitJsonLine(c, 'first', 60_000);
      const before = await waitJsonLine(c, 'before', o.idleMs * 3 + 60_000);
      const after = await waitJsonLine(c, 'after', 60_000);
      const k = `mem.${mode}`;
      res.set(`${k}.firstRss`, r, (first.rss - fresh.rss) / n);
      res.set(`${k}.firstHeap`, r, (first.heapUsed - fresh.heapUsed) / n);
      res.set(`${k}.young`, r, (first.youngFree - fresh.youngFree) / n);
      res.set(`${k}.rss`, r, (after.rss - before.rss) / n);
      res.set(`${k}.heap`, r, (after.heapUsed - before.heapUsed) / n);
      res.set(`${k}.sockets`, r, after.sockets - before.sockets);
      const failed = Number(first.failed) + Number(after.failed);
      res.set(`${k}.failed`, r, failed);
      const firstError = after.firstError ?? first.firstError;
      if (firstError) log(`bench: round ${r + 1}, memory ${mode}: ${failed} failed, first: ${String(firstError)}`);
      fleetAnswered += 2 * n - failed;
      return c;
    };
    slots.push({
      group: 'memory',
      name: 'memory per phone',
      noteKey: 'mem',
      run: async (r) => {
        await collectIdle();
        // the baseline and the library take turns going first
        const lib = async (): Promise<void> => {
          const c = await measure('lib', r);
          idleReading = (async () => {
            const idle = await waitJsonLine(c, 'idle', o.idleMs + 60_000);
            const before = await waitJsonLine(c, 'before', 1000);
            res.set('mem.lib.idleRss', r, (idle.rss - before.rss) / n);
            res.set('mem.lib.idleHeap', r, (idle.heapUsed - before.heapUsed) / n);
            res.set('mem.lib.idleSockets', r, idle.sockets - before.sockets);
            await c.exited;
          })();
        };
        const raw = async (): Promise<void> => {
          const c = await measure('raw', r);
          await c.exited;
        };
        if (r % 2 === 0) {
          await raw();
          await lib();
        } else {
          await lib();
          await raw();
        }
      },
    });
  }

  // --- rounds --------------------------------------------------------------------------------------
  for (let r = 0; r < o.rounds; r++) {
    const t0 = performance.now();
    const order = slots.map((_, i) => slots[(i + r) % slots.length]);
    const took: string[] = [];
    for (const s of order) {
      const ts = performance.now();
      try {
        await s.run(r);
      } catch (e) {
        log(`bench: round ${r + 1}, ${s.name}: ${errText(e)}`);
        res.note(s.noteKey, `error: ${errText(e)}`);
      }
      took.push(`${s.name} ${((performance.now() - ts) / 1000).toFixed(1)}`);
    }
    log(
      `bench: round ${r + 1}/${o.rounds} done in ${((performance.now() - t0) / 1000).toFixed(1)} s (${took.join(', ')})`,
    );
  }

  await collectIdle();

  // --- once: the whole fleet in one message, then the phones' own counts --------------------------
  if (want('fanout') && fleet.length > Math.max(...o.fanout)) {
    generation++;
    await runtime.redeployChanged(flows());
    attachSinks();
    const s = await fanDriver.command(runtime, targetsOf(fleet, fleet.length), o.fanoutTimeoutMs);
    fleetAnswered += s.ok;
    extra.probe = {
      targets: fleet.length,
      ms: s.ms,
      refused: s.refused,
      ok: s.ok,
      failed: s.failed,
      timedOut: s.timedOut,
    };
  }
  if (fleet.length) {
    let seen = 0;
    let maxConcurrent = 0;
    await eachLimit(fleet, 16, async (p) => {
      const c = await simCounts(p.url);
      seen += c.keys;
      maxConcurrent = Math.max(maxConcurrent, c.maxConcurrent);
    });
    extra.fleetMaxConcurrent = maxConcurrent;
    extra.fleetKeys = { expected: fleetAnswered, seen };
  }

  const seconds = (performance.now() - started) / 1000;
  const out = [
    '',
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `${o.quick ? 'BENCH_QUICK=1, ' : ''}${o.rounds} rounds; ${perRound} timed presses per press row per round (${perRound * o.rounds} in all, after ${o.pressWarmup} untimed); ` +
      `events: ${o.eventRate}/s for ${o.eventSeconds} s then ${o.eventCount} closed-loop; fleet phone latency ${o.latencyMs} ms; run time ${seconds.toFixed(0)} s`,
    'Cells: min / median / max over the rounds; ratio columns: median (min–max) of the per-round ratios.',
    '',
    ...buildTable(res, o),
    '',
    'Goals (issue 9):',
    ...buildGoals(res, o, extra),
    '',
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main().then(
  () => cleanupAll().then(() => process.exit(0)),
  (err) => {
    if (interrupted()) return; // the signal handler stops everything and exits
    log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return cleanupAll().then(() => process.exit(1));
  },
);
