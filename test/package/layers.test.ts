// The layer rules (README "Development"): src/lib never imports the nodes, the dev tools or Node-RED;
// src/simulator never imports src/lib (it follows the documents, not our client). ESLint holds the
// same rules (eslint.config.js); this test makes a break fail `npm test` too.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SRC = path.join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports or requires (static, dynamic, `import x = require`). */
export function importsOf(code: string): string[] {
  const specs: string[] = [];
  const re = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
  for (let m = re.exec(code); m; m = re.exec(code)) specs.push(m[2]);
  return specs;
}

/** The import's target as a path below src/ (e.g. "nodes/shared/x"), or the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return path
    .relative(SRC, path.resolve(path.dirname(file), spec))
    .split(path.sep)
    .join('/');
}

function violations(dir: string, forbidden: (t: string) => boolean): string[] {
  const bad: string[] = [];
  for (const f of tsFiles(path.join(SRC, dir))) {
    for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) {
      const t = target(f, spec);
      if (forbidden(t)) bad.push(`${path.relative(ROOT, f)} imports ${spec}`);
    }
  }
  return bad;
}

describe('package: layer rules', () => {
  it('finds the imports the rule reads, in every form', () => {
    const code = [
      "import { a } from '../nodes/x';",
      'import type { B } from "node-red";',
      "import c = require('../dev/start');",
      "const d = require('@node-red/util');",
      "const e = await import('../lib/phone');",
      "import '../side-effect';",
    ].join('\n');
    assert.deepEqual(importsOf(code), [
      '../nodes/x',
      'node-red',
      '../dev/start',
      '@node-red/util',
      '../lib/phone',
      '../side-effect',
    ]);
  });

  it('src/lib imports nothing from src/nodes, src/dev, src/simulator or Node-RED', () => {
    const bad = violations('lib', (t) => /^(nodes|dev|simulator)(\/|$)/.test(t) || /^(node-red|@node-red\/)/.test(t));
    assert.deepEqual(bad, []);
  });

  it('src/simulator imports nothing from src/lib', () => {
    assert.deepEqual(
      violations('simulator', (t) => /^lib(\/|$)/.test(t)),
      [],
    );
  });
});
