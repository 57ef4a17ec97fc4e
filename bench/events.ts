// The event endpoint: phones' Action URL GETs into a real `node-red` process, through
// snom-action-url-in and through Node-RED's core `http in` + `http response` pair, with 0 or
// thousands of snom-phone configs deployed. Both deliver each event to the same tiny counter node,
// so the bench can check that every answered event also reached the flow.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'undici';
import { nodeRedScript, prepareUserDir } from '../src/dev/userdir';
import { freePort, retryOnPortInUse } from '../test/support/node-red-process';
import { spawnNode, stopChild, tempDir, type Child } from './procs';
import { percentile } from './stats';

const COUNTER_JS = `module.exports = function (RED) {
  const counts = Object.create(null);
  function BenchCount(config) {
    RED.nodes.createNode(this, config);
    const key = String(config.key || this.id);
    counts[key] = counts[key] || 0;
    this.on('input', function () { counts[key]++; });
  }
  RED.nodes.registerType('bench-count', BenchCount);
  RED.httpNode.get('/bench/count', function (req, res) { res.json(counts); });
};
`;
const COUNTER_HTML = `<script type="text/javascript">
RED.nodes.registerType('bench-count', { category: 'function', color: '#ddd', defaults: { key: { value: '' } }, inputs: 1, outputs: 0, label: 'bench count' });
</script>
<script type="text/html" data-template-name="bench-count"></script>
`;

export interface EventRuntime {
  configs: number;
  url: string;
  token: string;
  child: Child;
  pool: Pool;
  stop(): Promise<void>;
}

function eventFlows(
  configs: number,
  token: string,
): { flows: unknown[]; credentials: Record<string, Record<string, string>> } {
  const flows: Array<Record<string, unknown>> = [
    { id: 'tab', type: 'tab', label: 'bench events', disabled: false, info: '' },
    {
      id: 'aui',
      z: 'tab',
      type: 'snom-action-url-in',
      name: '',
      path: '/snom/events',
      events: 'all',
      allowlist: '',
      holdMs: '10000',
      holdCount: '200',
      phones: [],
      x: 150,
      y: 60,
      wires: [['cnt-snom'], []],
    },
    { id: 'cnt-snom', z: 'tab', type: 'bench-count', key: 'snom', x: 400, y: 60, wires: [] },
    {
      id: 'hin',
      z: 'tab',
      type: 'http in',
      name: '',
      url: '/core/events',
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 150,
      y: 120,
      wires: [['hres', 'cnt-core']],
    },
    { id: 'hres', z: 'tab', type: 'http response', name: '', statusCode: '', headers: {}, x: 400, y: 120, wires: [] },
    { id: 'cnt-core', z: 'tab', type: 'bench-count', key: 'core', x: 400, y: 160, wires: [] },
  ];
  // a building full of phones; the one sending the events (127.0.0.1) is the last one listed
  for (let i = 0; i < configs; i++) {
    const host = i === configs - 1 ? '127.0.0.1' : `10.20.${(i >> 8) & 255}.${i & 255}`;
    flows.push({
      id: `cfg${i}`,
      type: 'snom-phone',
      name: '',
      host,
      port: '',
      protocol: 'http',
      model: 'D785',
      firmware: '10.1.33.33',
      auth: 'auto',
      timeout: '5000',
      queueSize: '100',
    });
  }
  return { flows, credentials: { aui: { token } } };
}

/** Another process (a simulator taking ephemeral ports) may take the free port first: try again. */
export async function startEventRuntime(
  configs: number,
  nodeArgs: string[],
  connections: number,
): Promise<EventRuntime> {
  return retryOnPortInUse(() => startOnce(configs, nodeArgs, connections));
}

async function startOnce(configs: number, nodeArgs: string[], connections: number): Promise<EventRuntime> {
  const dir = tempDir(`snom-bench-nr${configs}-`);
  const nodesDir = path.join(dir, 'bench-nodes');
  fs.mkdirSync(nodesDir);
  fs.writeFileSync(path.join(nodesDir, 'bench-count.js'), COUNTER_JS);
  fs.writeFileSync(path.join(nodesDir, 'bench-count.html'), COUNTER_HTML);
  const token = randomBytes(24).toString('base64url');
  const port = await freePort();
  const { flows, credentials } = eventFlows(configs, token);
  const settingsFile = prepareUserDir({ dir, port, flows, credentials, settings: { nodesDir: [nodesDir] } });
  const child = spawnNode(nodeArgs, nodeRedScript(), ['--settings', settingsFile, '--userDir', dir]);
  const deadline = Date.now() + 120_000;
  while (!/Started flows/.test(child.output())) {
    if (child.proc.exitCode !== null || /Unable to listen/.test(child.output())) {
      await stopChild(child, 'SIGKILL');
      throw new Error(`node-red (${configs} configs) exited early:\n${child.output().slice(-3000)}`);
    }
    if (Date.now() > deadline) {
      await stopChild(child, 'SIGKILL');
      throw new Error(`node-red (${configs} configs) did not start within 120 s:\n${child.output().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `http://127.0.0.1:${port}`;
  const pool = new Pool(url, { connections, pipelining: 1 });
  return {
    configs,
    url,
    token,
    child,
    pool,
    async stop() {
      await pool.close().catch(() => undefined);
      // SIGINT: Node-RED's own clean shutdown (and --cpu-prof writes its profile)
      await stopChild(child, 'SIGINT', 10_000);
    },
  };
}

export type EventPath = 'snom' | 'core';

export interface EventSample {
  /** closed-loop events per second */
  throughput: number;
  /** at the fixed rate, ms from the scheduled send to the answer */
  p50: number;
  p99: number;
  max: number;
  /** every fixed-rate latency of the round (ms), for the run's pooled percentiles */
  latencies: number[];
  /** events/s the fixed-rate phase actually completed */
  achievedRate: number;
  errors: number;
  /** answered events that did not reach the flow's counter node */
  undelivered: number;
}

const UA = 'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 1.1.5-IFX-05.01.12)';

function eventPath(p: EventPath, token: string, i: number): string {
  const route = p === 'snom' ? '/snom/events' : '/core/events';
  // what a provisioned phone sends for an incoming call ($variables filled in)
  return (
    `${route}?t=${token}&e=incoming&local=sip%3A100%40sim.local&remote=sip%3A0301234567%40pbx.local&cid=${(0x3c2e1f00 + i).toString(16)}` +
    `&csta=-1&dloc=Reception&drem=Ada%20Lovelace&akey=P1&calls=1&mac=000413A1B2C3`
  );
}

async function get(rt: EventRuntime, path: string): Promise<void> {
  const res = await rt.pool.request({
    method: 'GET',
    path,
    headers: { 'user-agent': UA },
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
}

async function counts(rt: EventRuntime): Promise<Record<string, number>> {
  const res = await rt.pool.request({ method: 'GET', path: '/bench/count' });
  return (await res.body.json()) as Record<string, number>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends at a fixed rate (open loop): latency counts from the scheduled time, so falling behind shows. */
async function fixedRate(
  rt: EventRuntime,
  p: EventPath,
  rate: number,
  seconds: number,
  seq: { i: number },
): Promise<{ lat: Float64Array; errors: number; seconds: number }> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const lat = new Float64Array(total).fill(NaN);
  let errors = 0;
  const inflight: Array<Promise<void>> = [];
  const t0 = performance.now() + 2;
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && t0 + sent * interval <= now) {
      const due = t0 + sent * interval;
      const idx = sent++;
      inflight.push(
        get(rt, eventPath(p, rt.token, seq.i++)).then(
          () => void (lat[idx] = performance.now() - due),
          () => void errors++,
        ),
      );
    }
    if (sent < total) await sleep(Math.max(0, t0 + sent * interval - performance.now()));
  }
  await Promise.all(inflight);
  return { lat, errors, seconds: (performance.now() - t0) / 1000 };
}

/** Sends `count` events with `concurrency` requests in flight (closed loop). */
async function closedLoop(
  rt: EventRuntime,
  p: EventPath,
  count: number,
  concurrency: number,
  seq: { i: number },
): Promise<{ perSecond: number; errors: number }> {
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await get(rt, eventPath(p, rt.token, seq.i++)).catch(() => void errors++);
      }
    }),
  );
  return { perSecond: count / ((performance.now() - t0) / 1000), errors };
}

export interface EventLoad {
  rate: number;
  seconds: number;
  count: number;
  concurrency: number;
  /** the two paths take turns this many times per round */
  chunks: number;
}

/**
 * One round of both paths against one runtime, taking turns in chunks (order alternating) so that
 * load elsewhere on the machine hits both alike: fixed-rate latency, then closed-loop throughput,
 * then a check that every answered event reached the flow's counter node.
 */
export async function eventRound(
  rt: EventRuntime,
  paths: EventPath[],
  o: EventLoad,
  round: number,
  seq: { i: number },
): Promise<Partial<Record<EventPath, EventSample>>> {
  const before = await counts(rt);
  const acc = new Map(
    paths.map((p) => [
      p,
      { lat: [] as number[], errors: 0, fixedSeconds: 0, closedSeconds: 0, closedCount: 0, sent: 0 },
    ]),
  );
  // a short warm-up so that each round starts from the same state
  for (const p of paths) {
    await closedLoop(rt, p, 50, o.concurrency, seq);
    acc.get(p)!.sent += 50;
  }
  for (let c = 0; c < o.chunks; c++) {
    const order = (round + c) % 2 === 0 ? paths : [...paths].reverse();
    for (const p of order) {
      const a = acc.get(p)!;
      const f = await fixedRate(rt, p, o.rate, o.seconds / o.chunks, seq);
      a.lat.push(...f.lat);
      a.errors += f.errors;
      a.fixedSeconds += f.seconds;
      a.sent += f.lat.length;
    }
    for (const p of order) {
      const a = acc.get(p)!;
      const n = Math.max(1, Math.round(o.count / o.chunks));
      const t0 = performance.now();
      const r = await closedLoop(rt, p, n, o.concurrency, seq);
      a.closedSeconds += (performance.now() - t0) / 1000;
      a.closedCount += n;
      a.errors += r.errors;
      a.sent += n;
    }
  }
  const out: Partial<Record<EventPath, EventSample>> = {};
  for (const p of paths) {
    const a = acc.get(p)!;
    const answered = a.sent - a.errors;
    // snom-action-url-in answers first and delivers right after: allow the flow a moment
    let delivered = 0;
    for (let i = 0; i < 40; i++) {
      delivered = ((await counts(rt))[p] ?? 0) - (before[p] ?? 0);
      if (delivered >= answered) break;
      await sleep(50);
    }
    const fixedDone = a.lat.filter((x) => Number.isFinite(x)).length;
    out[p] = {
      throughput: a.closedCount / a.closedSeconds,
      p50: percentile(a.lat, 50),
      p99: percentile(a.lat, 99),
      max: percentile(a.lat, 100),
      latencies: a.lat.filter((x) => Number.isFinite(x)),
      achievedRate: fixedDone / a.fixedSeconds,
      errors: a.errors,
      undelivered: Math.max(0, answered - delivered),
    };
  }
  return out;
}
