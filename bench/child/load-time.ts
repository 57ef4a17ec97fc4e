// Run in a fresh process: how long requiring the package's nine node files takes (what Node-RED
// does at start-up for this package), measured inside the process so Node's own start is not in it.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  'node-red': { nodes: Record<string, string> };
};
const files = Object.values(pkg['node-red'].nodes).map((f) => path.join(root, f));
const before = Object.keys(require.cache).length;
const t0 = performance.now();

for (const f of files) require(f);
const ms = performance.now() - t0;
process.stdout.write(
  JSON.stringify({ ms, files: files.length, modules: Object.keys(require.cache).length - before }) + '\n',
);
