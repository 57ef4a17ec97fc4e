// What `npm run bench` does, from the environment. Every loop the bench runs is bounded by these.

export type Group = 'press' | 'fanout' | 'events' | 'load' | 'memory';
export const GROUPS: readonly Group[] = ['press', 'fanout', 'events', 'load', 'memory'];

export interface BenchOptions {
  quick: boolean;
  /** rounds; each runs every row once, in a rotating order */
  rounds: number;
  /** presses per press row over all rounds (split evenly) */
  presses: number;
  /** untimed presses per row before each round's timed presses */
  pressWarmup: number;
  /** press rows take turns in chunks of this many presses within a round */
  pressChunk: number;
  /** fan-out sizes (targets of one msg.target command) */
  fanout: number[];
  /** phones in the fleet simulator(s); at least the largest fan-out and the memory row's N */
  fleet: number;
  /** simulator processes the fleet is split over (consecutive name ranges) */
  simProcs: number;
  /** latency the fleet phones add to every request (also to 401s) */
  latencyMs: number;
  /** one fan-out command must finish within this, else the row prints "timeout" */
  fanoutTimeoutMs: number;
  /** fixed event rate for the latency phase */
  eventRate: number;
  eventSeconds: number;
  /** events per closed-loop throughput phase */
  eventCount: number;
  eventConcurrency: number;
  /** snom and core paths take turns this many times per round */
  eventChunks: number;
  /** snom-phone config counts deployed in the event runtimes */
  eventConfigs: number[];
  /** fresh processes per round for the package load row */
  loadProcs: number;
  memoryPhones: number;
  /** idle time before the memory row's last reading */
  idleMs: number;
  only: Set<Group>;
  /** press rows to run (ids raw, digest, client, key, core), e.g. to profile one */
  pressRows: string[];
  /** event paths to run (snom, core) */
  eventPaths: Array<'snom' | 'core'>;
  /** extra node flags for the node-red processes (e.g. --cpu-prof) */
  nodeRedArgs: string[];
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number ${min}..${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function intList(env: NodeJS.ProcessEnv, name: string, dflt: number[], min: number, max: number): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.length > 10 || list.some((n) => !Number.isInteger(n) || n < min || n > max)) {
    throw new Error(
      `${name} must be a comma-separated list of whole numbers ${min}..${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return list;
}

function names(env: NodeJS.ProcessEnv, name: string, all: string[]): string[] {
  const list = (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of list) if (!all.includes(n)) throw new Error(`${name}: unknown ${n} (known: ${all.join(', ')})`);
  return list.length ? list : all;
}

export function readOptions(
  env: NodeJS.ProcessEnv = process.env,
  argv: string[] = process.argv.slice(2),
): BenchOptions {
  for (const a of argv)
    if (a !== '--quick')
      throw new Error(`unknown argument ${a} (only --quick; the rest is set through BENCH_* variables)`);
  const quick = argv.includes('--quick') || env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const fanout = intList(env, 'BENCH_FANOUT', [1, 100, 1000], 1, 5000);
  const memoryPhones = int(env, 'BENCH_MEMORY_PHONES', 1000, 1, 5000);
  // 2,000 so that the "2,000 targets accepted" goal can be tried against real phones
  const fleet = int(env, 'BENCH_FLEET', Math.max(quick ? 0 : 2000, ...fanout, memoryPhones), 1, 5000);
  if (fleet < Math.max(...fanout, memoryPhones))
    throw new Error('BENCH_FLEET must be at least the largest BENCH_FANOUT and BENCH_MEMORY_PHONES');
  const onlyRaw = (env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const g of onlyRaw)
    if (!(GROUPS as readonly string[]).includes(g))
      throw new Error(`BENCH_ONLY: unknown group ${g} (groups: ${GROUPS.join(', ')})`);
  return {
    quick,
    rounds: int(env, 'BENCH_ROUNDS', quick ? 3 : 8, 1, 100),
    presses: int(env, 'BENCH_PRESSES', quick ? 150 : 2400, 1, 1_000_000),
    pressWarmup: int(env, 'BENCH_PRESS_WARMUP', quick ? 10 : 30, 0, 10_000),
    pressChunk: int(env, 'BENCH_PRESS_CHUNK', 50, 1, 100_000),
    fanout,
    fleet,
    simProcs: int(env, 'BENCH_SIM_PROCS', 2, 1, 8),
    latencyMs: int(env, 'BENCH_LATENCY_MS', 20, 0, 10_000),
    fanoutTimeoutMs: int(env, 'BENCH_FANOUT_TIMEOUT_MS', 30_000, 100, 600_000),
    eventRate: int(env, 'BENCH_EVENT_RATE', 500, 1, 20_000),
    eventSeconds: Number(env.BENCH_EVENT_SECONDS ?? (quick ? 0.3 : 4)),
    eventCount: int(env, 'BENCH_EVENT_COUNT', quick ? 150 : 1000, 1, 1_000_000),
    eventConcurrency: int(env, 'BENCH_EVENT_CONCURRENCY', 8, 1, 256),
    eventChunks: int(env, 'BENCH_EVENT_CHUNKS', quick ? 1 : 8, 1, 100),
    eventConfigs: intList(env, 'BENCH_EVENT_CONFIGS', [0, 2000], 0, 20_000),
    loadProcs: int(env, 'BENCH_LOAD_PROCS', quick ? 1 : 3, 1, 50),
    memoryPhones,
    idleMs: int(env, 'BENCH_IDLE_MS', quick ? 4500 : 6000, 0, 600_000),
    only: new Set<Group>(onlyRaw.length ? (onlyRaw as Group[]) : GROUPS),
    pressRows: names(env, 'BENCH_PRESS_ROWS', ['raw', 'digest', 'client', 'key', 'core']),
    eventPaths: names(env, 'BENCH_EVENT_PATHS', ['snom', 'core']) as Array<'snom' | 'core'>,
    nodeRedArgs: (env.BENCH_NODE_RED_ARGS ?? '').split(/\s+/).filter(Boolean),
  };
}

export function checkSeconds(o: BenchOptions): void {
  if (!Number.isFinite(o.eventSeconds) || o.eventSeconds <= 0 || o.eventSeconds > 600)
    throw new Error('BENCH_EVENT_SECONDS must be a number of seconds 0..600');
}
