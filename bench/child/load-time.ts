// Run in a fresh process: how long Node-RED's start-up costs this package — requiring the node
// files listed in package.json and calling each one's register function (with a stand-in RED that
// records what they register) — measured inside the process so Node's own start is not in it, and
// after the Node built-ins that Node-RED's runtime has loaded before it loads any node file (its
// HTTP server, credential crypto), so that their first load is not counted against this package.
// Prints one JSON line: wall ms, CPU ms, files, modules loaded, node types registered, and which of
// the heavy dependencies got loaded (they load on first use, not here; test/package/load.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  'node-red': { nodes: Record<string, string> };
};
const files = Object.values(pkg['node-red'].nodes).map((f) => path.join(root, f));

/** The parts of Node-RED's API the register functions touch; routes and handlers are only recorded. */
function standInRed(types: string[]): unknown {
  const noop = (): void => undefined;
  const router = { get: noop, post: noop, use: noop };
  return {
    nodes: { registerType: (t: string) => void types.push(t), createNode: noop, getNode: noop, addCredentials: noop },
    httpAdmin: router,
    httpNode: router,
    auth: { needsPermission: () => noop },
    events: { on: noop, off: noop, removeListener: noop },
    hooks: { add: noop, remove: noop, has: () => false },
    settings: { httpNodeRoot: '/' },
    util: { cloneMessage: <T>(m: T): T => m },
    log: { info: noop, warn: noop, error: noop, debug: noop, trace: noop },
  };
}

const HEAVY = ['undici', 'fast-xml-parser'];
for (const m of 'node:http node:https node:net node:crypto node:stream node:events node:url node:util'.split(' '))
  require(m);
const before = Object.keys(require.cache).length;
const types: string[] = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const f of files) (require(f) as (red: unknown) => void)(standInRed(types));
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const loaded = Object.keys(require.cache);
const heavy = HEAVY.filter((m) => loaded.some((k) => k.includes(`${path.sep}node_modules${path.sep}${m}${path.sep}`)));
process.stdout.write(
  JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    files: files.length,
    modules: loaded.length - before,
    types: types.length,
    heavy,
  }) + '\n',
);
