// The package's shape (README "Development"): every node type in package.json has its runtime file,
// its compiled file where Node-RED loads it, its editor and its help and catalog in both languages,
// and the two catalogs have the same keys. Forgetting one of these when adding a node fails here.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  files: string[];
  'node-red': { nodes: Record<string, string> };
};
const LANGS = ['en-US', 'de'];

function keys(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('package: shape', () => {
  const types = Object.keys(pkg['node-red'].nodes);

  it('names every node type once, loaded from nodes/', () => {
    assert.ok(types.length >= 9, `${types.length} node types`);
    for (const t of types) assert.equal(pkg['node-red'].nodes[t], `nodes/${t}.js`);
    for (const f of ['nodes', 'icons', 'examples']) assert.ok(pkg.files.includes(f), `files lacks ${f}`);
  });

  for (const t of types) {
    it(`${t}: runtime source, compiled file, editor, help and catalog in en-US and de`, () => {
      for (const f of [`src/nodes/${t}.ts`, `nodes/${t}.js`, `nodes/${t}.html`]) {
        assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} is missing`);
      }
      const catalogs = LANGS.map((l) => {
        for (const ext of ['html', 'json']) {
          const f = `nodes/locales/${l}/${t}.${ext}`;
          assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} is missing`);
        }
        const help = fs.readFileSync(path.join(ROOT, `nodes/locales/${l}/${t}.html`), 'utf8');
        assert.match(help, new RegExp(`data-help-name="${t}"`), `${l} help is not for ${t}`);
        return JSON.parse(fs.readFileSync(path.join(ROOT, `nodes/locales/${l}/${t}.json`), 'utf8'));
      });
      assert.deepEqual(
        keys(catalogs[1]).sort(),
        keys(catalogs[0]).sort(),
        `de and en-US catalogs of ${t} differ in keys`,
      );
      const editor = fs.readFileSync(path.join(ROOT, `nodes/${t}.html`), 'utf8');
      assert.match(editor, new RegExp(`registerType\\(\\s*'${t}'`), `nodes/${t}.html does not register ${t}`);
    });
  }

  it('compiled node files load the library from dist/src (one copy of every module)', () => {
    for (const t of types) {
      const code = fs.readFileSync(path.join(ROOT, `nodes/${t}.js`), 'utf8');
      for (const m of code.matchAll(/require\("(\.[^"]+)"\)/g)) {
        assert.ok(m[1].startsWith('../dist/src/'), `nodes/${t}.js requires ${m[1]}`);
        const base = path.join(ROOT, 'nodes', m[1]);
        assert.ok(
          fs.existsSync(base + '.js') || fs.existsSync(path.join(base, 'index.js')),
          `nodes/${t}.js: ${m[1]} does not exist`,
        );
      }
    }
  });
});
