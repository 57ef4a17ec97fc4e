// Package load (issue 9: ≤ 100 ms for the nine node files). Node-RED requires every node file and
// calls its register function at start-up; the heavy dependencies (undici, fast-xml-parser) and every
// library area a node needs only once it is deployed, gets a message or answers an admin route load
// on first use instead (src/nodes/shared/lazy.ts). Checked in a fresh process through require.cache,
// never by timing: the child is the one `npm run bench` times (bench/child/load-time.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CHILD = path.resolve(__dirname, '..', '..', 'bench', 'child', 'load-time.js');

interface LoadReport {
  files: number;
  types: number;
  modules: number;
  heavy: string[];
}

/**
 * Modules the register step loaded: 114 before issue 9's lazy loading (the SIP stack, the CSTA,
 * settings and minibrowser builders, the phone client, the action-url receiving side), 25 after it
 * (the eleven node files, the node-side helpers, lib/errors and lib/util). A little room for a new
 * node-side helper; a library area loaded eagerly again goes far above it.
 */
const MAX_REGISTER_MODULES = 30;

/** Library areas only a deployed node, a message or an admin route needs: not loaded by registering. */
const NOT_AT_REGISTER =
  'sip csta action-url minibrowser settings commands profile http phone.js fleet.js detect.js detect-login.js diagnose.js fast-xml.js'.split(
    ' ',
  );

const SRC = path.resolve(__dirname, '..', '..', 'src');

/** Loaded source files as paths below src/ ("lib/sip/client.js"). */
const OWN_LOADED = `Object.keys(require.cache).filter((k) => k.startsWith(${JSON.stringify(SRC + path.sep)})).map((k) => k.slice(${SRC.length + 1}).split(require('path').sep).join('/'))`;

/** The lines `code` prints in a fresh process, each parsed. */
function jsonLines(code: string): unknown[] {
  const out = execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' }).trim().split('\n');
  return out.map((line) => JSON.parse(line) as unknown);
}

/** The bench child's report, the source files it left loaded, and what the nodes defer (shared/lazy onFirstUse). */
function register(): { report: LoadReport; loaded: string[]; deferred: string[] } {
  const lazy = path.join(SRC, 'nodes', 'shared', 'lazy.js');
  const code = [
    `require(${JSON.stringify(CHILD)});`,
    `console.log(JSON.stringify({ loaded: ${OWN_LOADED}, deferred: require(${JSON.stringify(lazy)}).deferredGroups() }));`,
  ].join('\n');
  const [report, rest] = jsonLines(code).slice(-2) as [LoadReport, { loaded: string[]; deferred: string[] }];
  return { report, ...rest };
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

  it('registering loads none of the library areas a node needs only once it runs, and few modules', () => {
    const { report, loaded, deferred } = register();
    assert.equal(report.types, NODE_FILES);
    const early = loaded.filter((f) => NOT_AT_REGISTER.some((a) => f === `lib/${a}` || f.startsWith(`lib/${a}/`)));
    assert.deepEqual(early, [], 'loaded by registering, though only a deployed node, a message or a route needs them');
    // what the nodes load on first use exists, and registering loads none of it
    const paths = [...new Set(deferred.flatMap((g) => g.split(' ')))];
    assert.ok(paths.length > 10, `the nodes defer ${paths.length} modules`);
    const files = paths.map((p) =>
      path
        .relative(SRC, require.resolve(path.join(SRC, p)))
        .split(path.sep)
        .join('/'),
    );
    assert.deepEqual(
      files.filter((f) => loaded.includes(f)),
      [],
    );
    assert.ok(
      report.modules <= MAX_REGISTER_MODULES,
      `registering loaded ${report.modules} modules (at most ${MAX_REGISTER_MODULES}): ${loaded.join(' ')}`,
    );
  });

  it('each first-use loader merges modules that export no name twice (none shadows another)', () => {
    const { deferred } = register();
    for (const group of deferred) {
      const seen = new Map<string, unknown>();
      for (const p of group.split(' ')) {
        for (const [name, value] of Object.entries(require(path.join(SRC, p)) as object)) {
          assert.ok(!seen.has(name) || seen.get(name) === value, `${name} twice in onFirstUse('${group}')`);
          seen.set(name, value);
        }
      }
    }
  });

  it("a phone config's first SIP client loads the SIP stack", () => {
    const endpoint = path.join(SRC, 'nodes', 'shared', 'sip-endpoint.js');
    const code = [
      `const { SipEndpoint } = require(${JSON.stringify(endpoint)});`,
      `const sip = () => ${OWN_LOADED}.includes('lib/sip/client.js');`,
      'const before = sip();',
      "const e = new SipEndpoint({ host: '127.0.0.1' });",
      'e.client();',
      'console.log(JSON.stringify([before, sip()]));',
      'e.close();',
    ].join('\n');
    assert.deepEqual(jsonLines(code).pop(), [false, true]);
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
