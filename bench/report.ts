// The table `npm run bench` prints, and the issue-9 goals as PASS/FAIL text (no exit code: the
// numbers are for reading).
import type { BenchOptions } from './options';
import type { Results } from './results';
import { median, percentile, ratios, summary } from './stats';

export const PRESS_ROWS: Array<{ id: string; label: string }> = [
  { id: 'raw', label: 'raw undici, no auth (transport floor)' },
  { id: 'digest', label: 'raw Digest loop on undici' },
  { id: 'client', label: 'library PhoneClient, Digest' },
  { id: 'key', label: 'snom-key node in Node-RED, Digest' },
  { id: 'core', label: 'core http request node, digest' },
];

function num(x: number, digits?: number): string {
  if (!Number.isFinite(x)) return '–';
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2);
  return x.toFixed(d);
}

function ratioCell(xs: number[]): string {
  const s = summary(xs);
  if (s.n === 0) return '';
  return `${num(s.median, 2)} (${num(s.min, 2)}–${num(s.max, 2)})`;
}

interface Row {
  row: string;
  unit: string;
  series: number[];
  digits?: number;
  vsRaw?: number[];
  vsDigest?: number[];
  vsCore?: number[];
  vsPair?: number[];
  vsOne?: number[];
  notes?: string;
}

function rowLine(r: Row): string {
  const s = summary(r.series);
  const cells = [
    r.row,
    r.unit,
    num(s.min, r.digits),
    num(s.median, r.digits),
    num(s.max, r.digits),
    r.vsRaw ? ratioCell(r.vsRaw) : '',
    r.vsDigest ? ratioCell(r.vsDigest) : '',
    r.vsCore ? ratioCell(r.vsCore) : '',
    r.vsPair ? ratioCell(r.vsPair) : '',
    r.vsOne ? ratioCell(r.vsOne) : '',
    r.notes ?? '',
  ];
  return `| ${cells.join(' | ')} |`;
}

const KIB = 1024;

/** Where a fan-out's time went: the CPU this process and the phones' processes used during it. */
function cpuRows(res: Results, key: string, raw: string, n: number, kind: string): Row[] {
  const rows: Row[] = [];
  const phones = `${n.toLocaleString('en')} phones, ${kind}`;
  const tick = 'read from /proc at 10 ms resolution';
  if (res.has(`${key}.cpu`)) {
    rows.push({
      row: `fan-out CPU, ${phones}: this process (Node-RED)`,
      unit: 'ms CPU',
      series: res.get(`${key}.cpu`),
      vsRaw: res.has(`${raw}.cpu`) ? ratios(res.get(`${key}.cpu`), res.get(`${raw}.cpu`)) : undefined,
      notes: 'user + system during the command; vs raw undici: the baseline CPU row below, same round',
    });
    rows.push({
      row: `fan-out CPU, ${phones}: the simulated phones' processes`,
      unit: 'ms CPU',
      series: res.get(`${key}.phonesCpu`),
      notes: `all fleet simulator processes together, on the same cores; ${tick}`,
    });
  }
  if (res.has(`${raw}.cpu`)) {
    rows.push({
      row: `fan-out CPU, baseline, ${phones}: this process (undici + hand Digest)`,
      unit: 'ms CPU',
      series: res.get(`${raw}.cpu`),
      notes: 'user + system during the baseline command',
    });
    rows.push({
      row: `fan-out CPU, baseline, ${phones}: the simulated phones' processes`,
      unit: 'ms CPU',
      series: res.get(`${raw}.phonesCpu`),
      notes: tick,
    });
  }
  return rows;
}

export function buildTable(res: Results, o: BenchOptions): string[] {
  const rows: Row[] = [];
  const rate = (id: string): number[] => res.get(`press.${id}.rate`);
  const cpu = (id: string): number[] => res.get(`press.${id}.cpu`);
  for (const p of PRESS_ROWS) {
    if (!res.has(`press.${p.id}.rate`)) continue;
    rows.push({
      row: p.label,
      unit: 'presses/s',
      series: rate(p.id),
      vsRaw: ratios(rate(p.id), rate('raw')),
      vsDigest: ratios(rate(p.id), rate('digest')),
      vsCore: ratios(rate(p.id), rate('core')),
      notes:
        `${num(median(res.get(`press.${p.id}.exch`)), 2)} HTTP exchanges/press (phone's count)` +
        (res.noteOf(`press.${p.id}`) ? `; ${res.noteOf(`press.${p.id}`)}` : ''),
    });
  }
  for (const p of PRESS_ROWS) {
    if (!res.has(`press.${p.id}.cpu`)) continue;
    rows.push({
      row: `CPU per press: ${p.label}`,
      unit: 'µs CPU/press',
      series: cpu(p.id),
      vsRaw: ratios(cpu(p.id), cpu('raw')),
      vsDigest: ratios(cpu(p.id), cpu('digest')),
      vsCore: ratios(cpu(p.id), cpu('core')),
      notes: 'bench process only (phones run elsewhere); ratios = × the CPU, lower is better',
    });
  }
  for (const n of o.fanout) {
    for (const kind of ['cold', 'warm'] as const) {
      const key = `fan.${n}.${kind}`;
      const raw = `fanraw.${n}.${kind}`;
      // like with like: a cold command against one phone's cold command, warm against warm
      const one = res.get(`fan.1.${kind}`);
      const note = res.noteOf(key);
      if (res.has(key) || note) {
        rows.push({
          row: `fan-out: one command to ${n.toLocaleString('en')} phone${n === 1 ? '' : 's'}, ${kind}`,
          unit: 'ms to last answer',
          series: res.get(key),
          vsRaw: res.has(raw) ? ratios(res.get(key), res.get(raw)) : undefined,
          vsOne: ratios(res.get(key), one),
          notes: [
            kind === 'cold' ? 'first after deploy: connect + Digest challenge' : 'same command again',
            `phone latency ${o.latencyMs} ms`,
            `vs 1 phone: the ${kind} one-phone command`,
            res.has(raw) ? 'vs raw undici: the baseline row below, same round' : '',
            note,
          ]
            .filter(Boolean)
            .join('; '),
        });
      }
      if (n === Math.max(...o.fanout)) rows.push(...cpuRows(res, key, raw, n, kind));
      const rawNote = res.noteOf(`fanraw.${n}`);
      if (res.has(raw) || rawNote) {
        rows.push({
          row: `fan-out baseline: undici + hand Digest, ${n.toLocaleString('en')} phone${n === 1 ? '' : 's'}, ${kind}`,
          unit: 'ms to last answer',
          series: res.get(raw),
          vsOne: ratios(res.get(raw), res.get(`fanraw.1.${kind}`)),
          notes: ['bench/fanout-raw.ts: one undici Client per phone, all at once, no library, no Node-RED', rawNote]
            .filter(Boolean)
            .join('; '),
        });
      }
    }
  }
  for (const c of o.eventConfigs) {
    for (const p of ['snom', 'core'] as const) {
      const base = `ev.${c}.${p}`;
      if (!res.has(`${base}.tput`)) continue;
      const label = p === 'snom' ? 'snom-action-url-in' : 'core http in + http response';
      const undelivered = summary(res.get(`${base}.undelivered`)).max;
      const errors = summary(res.get(`${base}.errors`)).max;
      const extra = [
        undelivered > 0 ? `${undelivered} answered but not delivered` : '',
        errors > 0 ? `${errors} errors` : '',
        res.noteOf(base) ?? '',
      ]
        .filter(Boolean)
        .join('; ');
      rows.push({
        row: `events: ${label}, ${c.toLocaleString('en')} snom-phone configs`,
        unit: 'events/s',
        series: res.get(`${base}.tput`),
        vsPair: ratios(res.get(`${base}.tput`), res.get(`ev.${c}.core.tput`)),
        notes: `closed loop, ${o.eventConcurrency} in flight` + (extra ? `; ${extra}` : ''),
      });
      rows.push({
        row: `events p99 at ${o.eventRate}/s: ${label}, ${c.toLocaleString('en')} configs`,
        unit: 'ms',
        series: res.get(`${base}.p99`),
        digits: 2,
        vsPair: ratios(res.get(`${base}.p99`), res.get(`ev.${c}.core.p99`)),
        notes: `p50 ${num(median(res.get(`${base}.p50`)), 2)} ms; achieved ${num(median(res.get(`${base}.achieved`)), 0)}/s; ratio lower is better`,
      });
    }
  }
  if (res.has('load.ms')) {
    rows.push({
      row: 'package load: require and register the node files (package.json node-red.nodes; the issue counted nine, there are eleven)',
      unit: 'ms',
      series: res.get('load.ms'),
      notes:
        `fresh process, a stand-in RED; median of ${o.loadProcs} per round` +
        (res.noteOf('load') ? `; ${res.noteOf('load')}` : ''),
    });
    rows.push({
      row: 'package load: CPU time of the same',
      unit: 'ms CPU',
      series: res.get('load.cpu'),
      notes: 'user + system CPU of the loading process: what a busy machine inflates least',
    });
  }
  if (res.has('mem.lib.rss') || res.has('mem.raw.rss')) {
    const n = o.memoryPhones.toLocaleString('en');
    const kib = (k: string): number[] => res.get(k).map((x) => x / KIB);
    for (const mode of ['lib', 'raw'] as const) {
      const k = `mem.${mode}`;
      if (!res.has(`${k}.rss`)) continue;
      const who = mode === 'lib' ? 'library (SnomPhone.forHost)' : 'baseline: undici + hand Digest';
      const failed = summary(res.get(`${k}.failed`)).max;
      const vs = (x: string): number[] | undefined =>
        mode === 'lib' && res.has(`mem.raw.${x}`) ? ratios(res.get(`${k}.${x}`), res.get(`mem.raw.${x}`)) : undefined;
      rows.push({
        row: `RSS per used phone, ${n} phones, ${who}`,
        unit: 'KiB',
        series: kib(`${k}.rss`),
        vsRaw: vs('rss'),
        notes:
          'second burst: after the first one was released (a process that has run before)' +
          (failed > 0 ? `; ${failed} commands failed` : ''),
      });
      rows.push({ row: `heap per used phone, ${who}`, unit: 'KiB', series: kib(`${k}.heap`), vsRaw: vs('heap') });
      rows.push({
        row: `sockets open after the second burst, ${who}`,
        unit: 'sockets',
        series: res.get(`${k}.sockets`),
        digits: 0,
      });
      rows.push({
        row: `RSS per used phone, first burst in a fresh process, ${who}`,
        unit: 'KiB',
        series: kib(`${k}.firstRss`),
        vsRaw: vs('firstRss'),
        notes: `V8's young generation grew by ${num(median(kib(`${k}.young`)), 1)} KiB per phone in it (committed, empty after the collection; once per process)`,
      });
    }
    if (res.has('mem.lib.idleRss')) {
      rows.push({
        row: `RSS per used phone after ${o.idleMs / 1000} s idle, library`,
        unit: 'KiB',
        series: kib('mem.lib.idleRss'),
      });
      rows.push({
        row: `heap per used phone after ${o.idleMs / 1000} s idle, library`,
        unit: 'KiB',
        series: kib('mem.lib.idleHeap'),
      });
      rows.push({
        row: `sockets open after ${o.idleMs / 1000} s idle, library`,
        unit: 'sockets',
        series: res.get('mem.lib.idleSockets'),
        digits: 0,
      });
    }
  }
  return [
    '| row | unit | min | median | max | vs raw undici | vs raw Digest | vs core http request | vs core pair | vs 1 phone | notes |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(rowLine),
  ];
}

export interface Extra {
  /** fan-out to the whole fleet once: accepted or the refusal */
  probe?: { targets: number; ms?: number; refused?: string; ok: number; failed: number; timedOut?: boolean };
  /** highest concurrency any fleet phone saw */
  fleetMaxConcurrent?: number;
  fleetKeys?: { expected: number; seen: number };
  /** every fixed-rate event latency of the run (ms) by "<configs>.<path>": percentiles over all rounds */
  eventLatencies: Record<string, number[]>;
}

function mmm(xs: number[], digits = 2): string {
  const s = summary(xs);
  return s.n
    ? `min ${num(s.min, digits)} / median ${num(s.median, digits)} / max ${num(s.max, digits)}`
    : 'not measured';
}

/** The p99 of every fixed-rate event of the run together, per path: steadier than one round's 10 slowest. */
function pooledP99(x: Extra, configs: number): string {
  const snom = x.eventLatencies[`${configs}.snom`] ?? [];
  const core = x.eventLatencies[`${configs}.core`] ?? [];
  if (!snom.length || !core.length) return '';
  const a = percentile(snom, 99);
  const b = percentile(core, 99);
  return `; all rounds pooled (${snom.length} and ${core.length} events): p99 ${num(a, 1)} ms and ${num(b, 1)} ms, ratio ${num(a / b, 2)}`;
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'n/a ' : ok ? 'PASS' : 'FAIL';
}

export function buildGoals(res: Results, o: BenchOptions, x: Extra): string[] {
  const lines: string[] = [];
  const g = (ok: boolean | undefined, text: string): void => void lines.push(`- ${verdict(ok)} ${text}`);
  const big = Math.max(...o.fanout);
  const refused = res.noteOf(`fan.${big}.cold`);
  for (const kind of ['warm', 'cold'] as const) {
    const key = `fan.${big}.${kind}`;
    if (!res.has(key) && !refused) continue;
    const one = res.get(`fan.1.${kind}`);
    const budget = one.map((l) => 2 * l + 200);
    const within = ratios(res.get(key), budget);
    const raw = `fanraw.${big}.${kind}`;
    g(
      res.has(key) ? median(within) <= 1 : false,
      `one command to ${big.toLocaleString('en')} phones within 2× one phone's latency + 200 ms, ${kind} (${
        kind === 'warm' ? 'clients and nonces from an earlier command' : 'first after deploy: connect + challenge each'
      }): ` +
        (res.has(key) ? `${mmm(res.get(key), 0)} ms` : 'not measured') +
        `; budget (2 × the ${kind} one-phone ${num(median(one), 1)} ms + 200) ${num(median(budget), 0)} ms` +
        (res.has(raw) ? `; the undici baseline to the same phones: ${mmm(res.get(raw), 0)} ms` : '') +
        (res.has(`${key}.cpu`)
          ? `; CPU during it, median: this process ${num(median(res.get(`${key}.cpu`)), 0)} ms, the phones' processes ${num(median(res.get(`${key}.phonesCpu`)), 0)} ms`
          : '') +
        (refused ? `; ${refused}` : ''),
    );
  }
  if (res.has(`fan.${big}.cold`) || refused) {
    g(
      x.fleetMaxConcurrent === undefined ? undefined : x.fleetMaxConcurrent <= 1,
      `one request at a time per phone: highest concurrency any fleet phone saw = ${x.fleetMaxConcurrent ?? '–'}`,
    );
  }
  if (!x.probe && (res.has(`fan.${big}.cold`) || refused)) {
    g(
      undefined,
      `2,000 targets accepted: not tried (the fleet has no more phones than the largest fan-out; BENCH_FLEET=2000)`,
    );
  }
  if (x.probe) {
    const p = x.probe;
    g(
      !p.refused && !p.timedOut && p.failed === 0,
      `${p.targets.toLocaleString('en')} targets accepted: ` +
        (p.refused
          ? `refused: ${p.refused}`
          : p.timedOut
            ? 'timed out'
            : `${p.ok} answered, ${p.failed} failed in ${num(p.ms ?? NaN, 0)} ms (cold)`),
    );
  }
  const c = Math.max(...o.eventConfigs);
  if (res.has(`ev.${c}.snom.tput`) && res.has(`ev.${c}.core.tput`)) {
    const t = ratios(res.get(`ev.${c}.snom.tput`), res.get(`ev.${c}.core.tput`));
    const p = ratios(res.get(`ev.${c}.snom.p99`), res.get(`ev.${c}.core.p99`));
    g(
      median(t) >= 1,
      `event endpoint ≥ 1.0× core http in + http response with ${c.toLocaleString('en')} configs: ${mmm(t)}`,
    );
    g(
      median(p) <= 1,
      `event p99 at ${o.eventRate}/s no worse than the core pair's (${c.toLocaleString('en')} configs, snom/core): ${mmm(p)}` +
        pooledP99(x, c),
    );
  }
  if (res.has('mem.lib.rss')) {
    const rss = res.get('mem.lib.rss').map((v) => v / KIB);
    const heap = res.get('mem.lib.heap').map((v) => v / KIB);
    const first = res.get('mem.lib.firstRss').map((v) => v / KIB);
    const young = res.get('mem.lib.young').map((v) => v / KIB);
    g(
      median(rss) <= 20 && median(heap) <= 20,
      `≤ 20 KiB RSS per used phone at ${o.memoryPhones.toLocaleString('en')} phones (and ≤ 20 KiB heap), in a process that has run before: RSS ${mmm(rss, 1)} KiB, heap ${mmm(heap, 1)} KiB` +
        (res.has('mem.raw.rss')
          ? `; the undici baseline: RSS ${mmm(
              res.get('mem.raw.rss').map((v) => v / KIB),
              1,
            )}, heap ${mmm(
              res.get('mem.raw.heap').map((v) => v / KIB),
              1,
            )} KiB`
          : ''),
    );
    lines.push(
      `- info first burst in a fresh process: RSS per phone ${mmm(first, 1)} KiB, of it V8's young generation (grown once per process) ${mmm(young, 1)} KiB` +
        (res.has('mem.raw.firstRss')
          ? `; the undici baseline: RSS ${mmm(
              res.get('mem.raw.firstRss').map((v) => v / KIB),
              1,
            )} KiB`
          : ''),
    );
    if (res.has('mem.lib.idleRss')) {
      const idleHeap = res.get('mem.lib.idleHeap').map((v) => v / KIB);
      const sockets = res.get('mem.lib.idleSockets');
      g(
        median(sockets) === 0 && median(idleHeap) <= 2,
        `idle connections and clients released after ${o.idleMs / 1000} s: sockets ${mmm(sockets, 0)}; heap still held per phone ${mmm(idleHeap, 1)} KiB (pass: 0 sockets, ≤ 2 KiB)`,
      );
    }
  }
  if (res.has('press.client.rate') && res.has('press.digest.rate')) {
    const r = ratios(res.get('press.client.rate'), res.get('press.digest.rate'));
    g(median(r) >= 0.85, `library Digest client ≥ 0.85× the raw Digest loop: ${mmm(r)}`);
  }
  if (res.has('load.ms')) {
    g(
      median(res.get('load.ms')) <= 100,
      `package load ≤ 100 ms for the node files (all eleven): ${mmm(res.get('load.ms'), 0)} ms (CPU ${mmm(res.get('load.cpu'), 0)} ms)`,
    );
  }
  // what the issue says must stay
  for (const id of ['client', 'key']) {
    if (!res.has(`press.${id}.exch`)) continue;
    const e = res.get(`press.${id}.exch`);
    g(
      summary(e).max <= 1.0001,
      `(kept) ${id === 'client' ? 'library client' : 'snom-key node'}: 1.00 HTTP exchange per command in Digest steady state: ${mmm(e)}`,
    );
  }
  if (res.has('press.key.rate') && res.has('press.core.rate')) {
    const r = ratios(res.get('press.key.rate'), res.get('press.core.rate'));
    g(median(r) >= 4, `(kept) snom-key node ≥ 4× the core http request node's presses/s (4–7× when filed): ${mmm(r)}`);
  }
  if (x.fleetKeys) {
    g(
      x.fleetKeys.expected === x.fleetKeys.seen,
      `(check) fleet phones saw every answered command: ${x.fleetKeys.seen} key presses seen, ${x.fleetKeys.expected} answered`,
    );
  }
  return lines;
}
