// Run in a fresh process: how long Node-RED's start-up costs this package — requiring the nine node
// files listed in package.json and calling each one's register function (with a stand-in RED that
// records what they register) — measured inside the process so Node's own start is not in it.
// Prints one JSON line: ms, files, modules loaded, node types registered, and which of the heavy
// dependencies got loaded (they should load on first use, not here; test/package/load.test.ts).
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
    hooks: { add: noop, remove: noop },
    settings: { httpNodeRoot: '/' },
    util: { cloneMessage: <T>(m: T): T => m },
    log: { info: noop, warn: noop, error: noop, debug: noop, trace: noop },
  };
}

const HEAVY = ['undici', 'fast-xml-parser'];
const before = Object.keys(require.cache).length;
const types: string[] = [];
const t0 = performance.now();
for (const f of files) (require(f) as (red: unknown) => void)(standInRed(types));
const ms = performance.now() - t0;
const loaded = Object.keys(require.cache);
const heavy = HEAVY.filter((m) => loaded.some((k) => k.includes(`${path.sep}node_modules${path.sep}${m}${path.sep}`)));
process.stdout.write(
  JSON.stringify({ ms, files: files.length, modules: loaded.length - before, types: types.length, heavy }) + '\n',
);
