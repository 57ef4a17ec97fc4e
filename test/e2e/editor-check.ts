// Would the editor mark a node of an imported flow as "not properly configured"? The check the
// editor makes (RED.nodes validateNodeProperty, Node-RED 4.1): every property of the type's
// `defaults` that is required must not be empty, and its validator must return true. The
// definitions are the real ones: this package's editors (test/nodes/editor/editor-vm) and
// Node-RED's own core node .html files, run in a vm with Node-RED's own RED.validators.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { loadEditors, type Definition } from '../nodes/editor/editor-vm';

type FlowNode = Record<string, any>;

function nodeRedFile(rel: string): string {
  return path.join(path.dirname(require.resolve('node-red/package.json')), '..', rel);
}

/** Node-RED's RED.validators, cut from the editor's red.js (number, regex, typedInput). */
function validatorsSource(): string {
  const red = fs.readFileSync(nodeRedFile('@node-red/editor-client/public/red/red.js'), 'utf8');
  const start = red.indexOf('RED.validators = {');
  const end = red.indexOf('};;', start);
  if (start < 0 || end < 0) throw new Error('RED.validators not found in red.js');
  return red.slice(start, end + 2);
}

/** The core types' definitions as their .html files register them. */
function coreDefinitions(configs: Map<string, FlowNode>): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  const $ = () => ({ val: () => undefined, length: 0 });
  const RED: Record<string, any> = {
    nodes: {
      registerType: (type: string, def: Definition) => definitions.set(type, def),
      node: (id: string) => configs.get(id) ?? null,
    },
    _: (key: string) => key,
    // typed values (payload types, msg properties) are not what this check is about
    utils: { validateTypedProperty: () => true },
  };
  const context = vm.createContext({ RED, $, console });
  vm.runInContext(validatorsSource(), context);
  const dir = nodeRedFile('@node-red/nodes/core');
  for (const group of fs.readdirSync(dir)) {
    if (!fs.statSync(path.join(dir, group)).isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(dir, group)).filter((x) => x.endsWith('.html'))) {
      const html = fs.readFileSync(path.join(dir, group, f), 'utf8');
      for (const m of html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)) {
        try {
          vm.runInContext(m[1], context, { filename: `${group}/${f}` });
        } catch {
          // a script that needs more of the editor than this stand-in; its types stay unknown
        }
      }
    }
  }
  return definitions;
}

export interface EditorProblem {
  id: string;
  type: string;
  property: string;
  reason: unknown;
}

/** What the editor would mark invalid in these flows (an empty list: nothing). */
export function editorProblems(flows: FlowNode[]): EditorProblem[] {
  const snom = loadEditors();
  const configs = new Map<string, FlowNode>();
  for (const n of flows) if (n.x === undefined) configs.set(n.id, n);
  for (const [id, n] of configs) snom.configs.set(id, n);
  const core = coreDefinitions(configs);
  const problems: EditorProblem[] = [];
  for (const n of flows) {
    if (n.type === 'tab') continue;
    // the function node's editor script needs the whole editor (Monaco, its libs): left unchecked
    if (n.type === 'function') continue;
    const def = snom.definitions.get(n.type) ?? core.get(n.type);
    if (!def) {
      problems.push({ id: n.id, type: n.type, property: '(type)', reason: 'no editor definition found' });
      continue;
    }
    for (const [prop, d] of Object.entries(def.defaults)) {
      const value = n[prop];
      // ${ENV} and $(ENV) values are always valid
      if (typeof value === 'string' && /^\$[({][a-zA-Z_][a-zA-Z0-9_]*[)}]$/.test(value)) continue;
      if (d.required && (value === '' || value === undefined)) {
        problems.push({ id: n.id, type: n.type, property: prop, reason: 'required' });
        continue;
      }
      if (!d.validate) continue;
      if (d.required === false && value === '') continue;
      let result: unknown;
      try {
        result = d.validate.call(n, value, {});
      } catch (err) {
        result = `validator threw ${(err as Error).message}`;
      }
      // as the editor reads it: a 3.x validator (two arguments) may return its reason as text
      const ok = (d.validate.length === 2 && typeof result === 'string') || Array.isArray(result) ? false : !!result;
      if (!ok) problems.push({ id: n.id, type: n.type, property: prop, reason: result });
    }
  }
  return problems;
}
