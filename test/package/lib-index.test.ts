// The library's entry (src/lib/index.ts, package.json "main") exports every part of the library:
// a new folder under src/lib with an index.ts is forgotten here, not by its users.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const LIB = path.join(ROOT, 'src', 'lib');

describe('package: the library entry', () => {
  it('re-exports every library folder and the fleet', () => {
    const index = fs.readFileSync(path.join(LIB, 'index.ts'), 'utf8');
    const exported = new Set([...index.matchAll(/^export \* from '\.\/([\w-]+)';$/gm)].map((m) => m[1]));
    const parts = fs
      .readdirSync(LIB, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(LIB, e.name, 'index.ts')))
      .map((e) => e.name);
    assert.ok(parts.includes('sip'), 'src/lib/sip is a library folder');
    for (const p of [...parts, 'fleet', 'errors'])
      assert.ok(exported.has(p), `src/lib/index.ts does not export ./${p}`);
  });

  it('hands the fleet and the SIP client to users of the package main', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };

    const lib = require(path.join(ROOT, pkg.main)) as Record<string, unknown>;
    for (const name of [
      'Fleet',
      'canonicalHost',
      'SipClient',
      'UaCstaSession',
      'SipDialog',
      'SnomPhone',
      'ActionUrlRouter',
      'hasCstaOverHttp',
      'provisionPhones',
    ]) {
      assert.equal(typeof lib[name], 'function', name);
    }
  });
});
