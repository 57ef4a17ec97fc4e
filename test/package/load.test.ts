// Package load (issue 9: ≤ 100 ms for the nine node files). Node-RED requires every node file and
// calls its register function at start-up; the heavy dependencies (undici, fast-xml-parser) must
// load on first use instead. Checked in a fresh process through require.cache, never by timing:
// the child is the one `npm run bench` times (bench/child/load-time.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CHILD = path.resolve(__dirname, '..', '..', 'bench', 'child', 'load-time.js');

interface LoadReport {
  files: number;
  types: number;
  heavy: string[];
}

describe('package: load', function () {
  this.timeout(20000);

  // the package's node files (nine when the issue was written; the SIP nodes made eleven)
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const NODE_FILES = Object.keys(pkg['node-red'].nodes).length;

  it('requiring every node file and registering it loads neither undici nor fast-xml-parser', () => {
    const out = execFileSync(process.execPath, [CHILD], { encoding: 'utf8' }).trim().split('\n').pop()!;
    const r = JSON.parse(out) as LoadReport;
    assert.equal(r.files, NODE_FILES);
    assert.equal(r.types, NODE_FILES, 'every node file registered its node type with the stand-in RED');
    assert.deepEqual(r.heavy, []);
  });

  it('the first phone client loads undici', () => {
    const lib = path.resolve(__dirname, '..', '..', 'src', 'lib', 'http', 'client.js');
    const code = [
      `const { PhoneClient } = require(${JSON.stringify(lib)});`,
      'const loaded = () => Object.keys(require.cache).some((k) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(k));',
      'const before = loaded();',
      "const c = new PhoneClient({ host: '127.0.0.1', port: 9 });",
      'console.log(JSON.stringify([before, loaded()]));',
      'c.close();',
    ].join('\n');
    const out = execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' }).trim();
    assert.deepEqual(JSON.parse(out), [false, true]);
  });
});
