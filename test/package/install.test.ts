// What `npm install` and `npm pack` see: a lock file in step with package.json (so `npm install`
// in a clean clone leaves it as it is) and a package file with everything Node-RED loads.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT, exampleNames } from '../../src/dev/userdir';

const read = (f: string) => JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, f), 'utf8'));

describe('package: install and pack', () => {
  it("package-lock.json's root entry is package.json's: npm install has nothing to rewrite", () => {
    const pkg = read('package.json');
    const root = read('package-lock.json').packages[''];
    for (const key of 'name version license dependencies devDependencies engines bin'.split(' '))
      assert.deepEqual(root[key], pkg[key], key);
  });

  it('the package file (package.json "files") holds the nodes, the library, the simulator, npm start and every example', () => {
    // what `npm pack` puts in: these entries, nothing from test/, src/ (TypeScript) or .dev/
    const files = read('package.json').files as string[];
    const packed = (f: string) => files.some((entry) => f === entry || f.startsWith(`${entry}/`));
    const nodes = read('package.json')['node-red'].nodes as Record<string, string>;
    const needed = [
      ...Object.entries(nodes).flatMap(([type, file]) => [file, `nodes/${type}.html`]),
      ...'dist/src/lib/index.js dist/src/simulator/cli.js dist/src/dev/start.js resources/snom-rules.js icons'.split(
        ' ',
      ),
      ...exampleNames().map((n) => `examples/${n}.json`),
    ];
    for (const f of needed) {
      assert.ok(fs.existsSync(path.join(PACKAGE_ROOT, f)), `${f} is built`);
      assert.ok(packed(f), `${f} is in the package`);
    }
    for (const f of 'test src/nodes .dev bench'.split(' ')) assert.ok(!packed(`${f}/x`), f);
  });
});
