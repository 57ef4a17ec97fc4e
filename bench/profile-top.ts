// `node dist/bench/profile-top.js FILE.cpuprofile [N]`: where a `node --cpu-prof` profile spent its
// time — self time by function and by file, and total (inclusive) time of this package's functions.
import * as fs from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length);
  const d = u.indexOf('/dist/');
  if (d >= 0) return u.slice(d + 1);
  return u;
}

function main(): void {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 25);
  // optional: only samples whose stack holds a function matching this (e.g. "execute.*client.js")
  const under = process.argv[4] ? new RegExp(process.argv[4]) : undefined;
  if (!file) throw new Error('usage: node dist/bench/profile-top.js FILE.cpuprofile [N] [STACK-REGEXP]');
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (f: CallFrame): string => `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
  const inStack = (id: number): boolean => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
      if (under!.test(label(byId.get(cur)!.callFrame))) return true;
    return false;
  };
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    if (under && !inStack(p.samples[i])) continue;
    selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs]
    .filter(([id]) => /^\(idle\)$/.test(byId.get(id)!.callFrame.functionName))
    .reduce((a, [, v]) => a + v, 0);

  const selfBy = new Map<string, number>();
  const fileBy = new Map<string, number>();
  const inclBy = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    selfBy.set(label(f), (selfBy.get(label(f)) ?? 0) + us);
    fileBy.set(shortUrl(f.url), (fileBy.get(shortUrl(f.url)) ?? 0) + us);
    // inclusive time of the package's own functions (each counted once per stack)
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      if (!/\/dist\/(src|bench)\//.test(cf.url)) continue;
      const l = label(cf);
      if (seen.has(l)) continue;
      seen.add(l);
      inclBy.set(l, (inclBy.get(l) ?? 0) + us);
    }
  }
  const pct = (us: number): string =>
    `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
  const busy = total - idle;
  const print = (title: string, m: Map<string, number>): void => {
    console.log(`\n${title}`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
  };
  console.log(
    `${file}: ${(total / 1000).toFixed(0)} ms sampled${under ? ` under /${under.source}/` : ''}, ${(busy / 1000).toFixed(0)} ms not idle`,
  );
  print('self time by function', selfBy);
  print('self time by file', fileBy);
  print("inclusive time of this package's functions", inclBy);
}

main();
