// The typed configs (src/nodes/shared/node-config.ts) hold the same fields as the editors: each
// node's `defaults` and `credentials` in nodes/<type>.html, read by running the editor's script
// against a stand-in RED that records registerType.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { loadEditors, type EditorVm } from '../editor/editor-vm';
import {
  NODE_CREDENTIALS,
  NODE_FIELDS,
  type ConfigOf,
  type FieldKind,
  type NodeType,
} from '../../../src/nodes/shared/node-config';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

interface EditorDef {
  defaults?: Record<string, { value?: unknown }>;
  credentials?: Record<string, { type?: string }>;
}

/** Anything the editor script touches at its top level beyond registerType: callable, indexable, empty. */
function anything(): unknown {
  const stub: unknown = new Proxy(function () {}, {
    get: (_t, k) => (k === Symbol.toPrimitive ? () => '' : stub),
    apply: () => stub,
    construct: () => stub as object,
  });
  return stub;
}

/** The definitions an editor file (nodes/<type>.html) registers, by type. */
export function editorDefinitions(file: string): Map<string, EditorDef> {
  const html = fs.readFileSync(file, 'utf8');
  const defs = new Map<string, EditorDef>();
  const stub = anything();
  const nodes = new Proxy(
    {},
    { get: (_t, k) => (k === 'registerType' ? (type: string, def: EditorDef) => defs.set(type, def) : stub) },
  );
  const RED = new Proxy({}, { get: (_t, k) => (k === 'nodes' ? nodes : stub) });
  for (const m of html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)) {
    vm.runInNewContext(
      m[1],
      { RED, $: stub, jQuery: stub, window: stub, document: stub },
      { filename: path.basename(file) },
    );
  }
  return defs;
}

const admits: Record<FieldKind, (v: unknown) => boolean> = {
  text: (v) => typeof v === 'string',
  flag: (v) => typeof v === 'boolean',
  number: (v) => typeof v === 'number' || typeof v === 'string',
  list: (v) => Array.isArray(v),
};

describe("node configs: the typed fields are the editors' fields", () => {
  const types = Object.keys(NODE_FIELDS) as NodeType[];
  let editors: EditorVm;
  before(() => {
    editors = loadEditors();
  });

  it('covers every node the package registers', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      'node-red': { nodes: Record<string, string> };
    };
    assert.deepEqual(types.slice().sort(), Object.keys(pkg['node-red'].nodes).sort());
  });

  for (const type of types) {
    it(`${type}: defaults and credentials keys equal nodes/${type}.html's, each default of its kind`, () => {
      // the editors register through the shared resources/ code: load them as the browser does
      const def = editors.definitions.get(type) as EditorDef | undefined;
      assert.ok(def?.defaults, `nodes/${type}.html registers ${type} with defaults`);
      const fields: Record<string, FieldKind> = NODE_FIELDS[type];
      assert.deepEqual(Object.keys(def.defaults).sort(), Object.keys(fields).sort(), 'defaults');
      for (const [k, d] of Object.entries(def.defaults)) {
        assert.ok(admits[fields[k]](d.value), `${type}.${k}: default ${JSON.stringify(d.value)} is no ${fields[k]}`);
      }
      const creds: Record<string, string> =
        (NODE_CREDENTIALS as Partial<Record<NodeType, Record<string, string>>>)[type] ?? {};
      const editorCreds = Object.fromEntries(Object.entries(def.credentials ?? {}).map(([k, c]) => [k, c.type]));
      assert.deepEqual(editorCreds, creds, 'credentials');
    });
  }

  it('reads the fields the editor script defines, whatever their validators hold', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-config-'));
    const file = path.join(dir, 'x.html');
    fs.writeFileSync(
      file,
      [
        '<script type="text/javascript">',
        '  var LIST = RED.settings.xList || [];',
        "  RED.nodes.registerType('x', { category: 'Snom', defaults: {",
        "    a: { value: '', validate: function (v) { return /^[0-9]{1,3}'\"$/.test(v) || RED._('x'); } },",
        '    b: { value: LIST.slice() }',
        "  }, credentials: { c: { type: 'password' } } });",
        '</script>',
        '<script type="text/html" data-template-name="x"><input id="node-input-a"></script>',
      ].join('\n'),
    );
    try {
      const def = editorDefinitions(file).get('x');
      assert.deepEqual(Object.keys(def?.defaults ?? {}), ['a', 'b']);
      assert.deepEqual(Object.keys(def?.credentials ?? {}), ['c']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a field the form does not have is a compile error', () => {
    const config = { id: 'k', type: 'snom-key', name: '', z: '', keys: 'F1' } satisfies ConfigOf<'snom-key'>;
    // @ts-expect-error a renamed or unknown form field does not compile (this line fails the build if it did)
    const renamed: unknown = ({} as ConfigOf<'snom-key'>).keyz;
    assert.equal(config.keys, 'F1');
    assert.equal(renamed, undefined);
  });
});
