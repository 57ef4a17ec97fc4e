// The editors as the browser runs them, in Node's vm: resources/snom-rules.js (the runtime's checks,
// as the build bundles them), resources/snom-editor.js and the inline scripts of every
// nodes/<type>.html, with a tiny RED and jQuery that keep what the scripts register. A sandbox
// with browser globals only: no require, process, Buffer or module.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const MODULE = '@snom-flows/node-red-contrib-snom';
export const TYPES: string[] = Object.keys(
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))['node-red'].nodes,
);

export type Validator = (this: Record<string, unknown>, value: unknown, opt: object) => unknown;
export interface Definition {
  category: string;
  color: string;
  icon: string;
  defaults: Record<string, { value: unknown; validate?: Validator; required?: boolean; type?: string }>;
  [key: string]: unknown;
}

export interface EditorVm {
  context: vm.Context;
  /** what each nodes/<type>.html registered */
  definitions: Map<string, Definition>;
  /** each node's template after the shared code wrote out its rows */
  templates: Map<string, string>;
  /** window.SnomRules */
  rules: any;
  /** the config nodes RED.nodes.node() finds, by id */
  configs: Map<string, Record<string, unknown>>;
  /**
   * The node's validator for `field` on a node with these saved fields (its dialog closed): true,
   * or the reason (a string), or false.
   */
  validate(type: string, field: string, value: unknown, node?: Record<string, unknown>): unknown;
}

export function locale(lang: string, type: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes', 'locales', lang, `${type}.json`), 'utf8'));
}

/** The value of "a.b.c" in a locale catalogue, or undefined. */
export function lookup(catalogue: Record<string, any>, key: string): unknown {
  return key
    .split('.')
    .reduce<any>((o, k) => (o !== null && typeof o === 'object' && Object.hasOwn(o, k) ? o[k] : undefined), catalogue);
}

/** The `<script type="text/javascript">` blocks and the template of a node's .html. */
export function htmlParts(type: string): { scripts: string[]; srcs: string[]; template?: string } {
  const html = fs.readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8');
  const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const srcs = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]);
  const template = new RegExp(`<script type="text/html" data-template-name="${type}">([\\s\\S]*?)</script>`).exec(
    html,
  )?.[1];
  return { scripts, srcs, template };
}

function jqueryStub(templates: Map<string, string>) {
  // only what the shared code touches while the scripts load: the node's template script
  return (selector: unknown) => {
    const m = typeof selector === 'string' ? /^script\[data-template-name="([\w-]+)"\]$/.exec(selector) : null;
    if (!m || !templates.has(m[1])) return { length: 0 };
    const type = m[1];
    return {
      length: 1,
      text(value?: string) {
        if (value === undefined) return templates.get(type);
        templates.set(type, value);
        return this;
      },
    };
  };
}

export function loadEditors(lang = 'en-US'): EditorVm {
  const definitions = new Map<string, Definition>();
  const templates = new Map<string, string>();
  const configs = new Map<string, Record<string, unknown>>();
  const catalogues = new Map(TYPES.map((t) => [t, locale(lang, t)]));
  const RED = {
    nodes: {
      registerType(type: string, def: Definition) {
        definitions.set(type, def);
      },
      node(id: string) {
        return configs.get(id) ?? null;
      },
    },
    _(key: string, subs?: Record<string, unknown>) {
      const m = /^(?:[^:]*\/([\w-]+):)?(.*)$/.exec(key)!;
      const type = m[1] ?? m[2].split('.')[0];
      const text = catalogues.has(type) ? lookup(catalogues.get(type)!, m[2]) : undefined;
      if (typeof text !== 'string') return m[2];
      return text.replace(/__(\w+)__/g, (_x, k) => String(subs?.[k] ?? ''));
    },
  };
  const context = vm.createContext({ RED, $: jqueryStub(templates), console, URL });
  // the browser's window is the global object
  vm.runInContext('globalThis.window = globalThis;', context);
  const run = (file: string) =>
    vm.runInContext(fs.readFileSync(path.join(ROOT, file), 'utf8'), context, { filename: file });
  run('resources/snom-rules.js');
  run('resources/snom-editor.js');
  for (const type of TYPES) {
    const { scripts, template } = htmlParts(type);
    if (template !== undefined) templates.set(type, template);
    scripts.forEach((s, i) => vm.runInContext(s, context, { filename: `nodes/${type}.html#script${i + 1}` }));
  }
  const rules = vm.runInContext('window.SnomRules', context);
  return {
    context,
    definitions,
    templates,
    rules,
    configs,
    validate(type, field, value, node = {}) {
      const def = definitions.get(type);
      const v = def?.defaults[field]?.validate;
      if (!v) return true;
      return v.call({ ...node }, value, {});
    },
  };
}
