import * as fs from 'node:fs';
import * as path from 'node:path';

/** Package root (where package.json is), from dist/src/dev or src/dev. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface UserDirOptions {
  dir: string;
  port: number;
  /** node id → credentials written to flows_cred.json (plain text: credentialSecret false, dev only) */
  credentials?: Record<string, Record<string, string>>;
  flows: unknown[];
  /** keep an existing flows.json (the user's edits) */
  keepFlows?: boolean;
  /** extra settings.js properties */
  settings?: Record<string, unknown>;
}

/**
 * Lay out a Node-RED user directory that loads this package through a node_modules symlink,
 * the way `npm install <path>` in ~/.node-red does.
 */
export function prepareUserDir(o: UserDirOptions): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string };
  const modDir = path.join(o.dir, 'node_modules', ...pkg.name.split('/'));
  fs.mkdirSync(path.dirname(modDir), { recursive: true });
  if (!fs.existsSync(modDir)) fs.symlinkSync(PACKAGE_ROOT, modDir, 'dir');
  fs.writeFileSync(
    path.join(o.dir, 'package.json'),
    JSON.stringify(
      { name: 'snom-dev-userdir', private: true, dependencies: { [pkg.name]: 'file:' + PACKAGE_ROOT } },
      null,
      2,
    ),
  );
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: o.port,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpNodeRoot: '/',
    // no first-run dialogs: the welcome tour, and Node-RED 4.1's "Enable update notifications?"
    // (the editor asks while the runtime reports telemetryEnabled undefined)
    editorTheme: { projects: { enabled: false }, tours: false },
    telemetry: { enabled: false, updateNotification: false },
    logging: { console: { level: 'info', metrics: false, audit: false } },
    ...o.settings,
  };
  const settingsFile = path.join(o.dir, 'settings.js');
  fs.writeFileSync(settingsFile, `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
  const flowFile = path.join(o.dir, 'flows.json');
  if (!(o.keepFlows && fs.existsSync(flowFile))) {
    fs.writeFileSync(flowFile, JSON.stringify(o.flows, null, 2));
    fs.writeFileSync(path.join(o.dir, 'flows_cred.json'), JSON.stringify(o.credentials ?? {}, null, 2));
  }
  return settingsFile;
}

/** The example files (names without .json), sorted: one tab each. */
export function exampleNames(): string[] {
  return fs
    .readdirSync(path.join(PACKAGE_ROOT, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/**
 * Every examples/*.json (or the named ones) on its own tab, config nodes global and each config
 * node once (the examples share the phones' configs by id), as importing them one by one would
 * leave them.
 */
export function exampleFlows(names?: string[]): unknown[] {
  const dir = path.join(PACKAGE_ROOT, 'examples');
  const flows: unknown[] = [];
  const configs = new Set<string>();
  exampleNames()
    .filter((name) => !names || names.includes(name))
    .forEach((name, i) => {
      const tab = `ex-tab-${i}`;
      flows.push({ id: tab, type: 'tab', label: name, disabled: false, info: '' });
      const nodes = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Array<
        Record<string, unknown>
      >;
      for (const n of nodes) {
        const isConfig = n.x === undefined;
        if (isConfig && configs.has(n.id as string)) continue;
        if (isConfig) configs.add(n.id as string);
        flows.push(isConfig ? n : { ...n, z: tab });
      }
    });
  return flows;
}

const ADDRESS = /(127\.0\.0\.1:|localhost:|simulator :)(\d{1,5})\b/g;

/**
 * The flows with every default port moved (`map`: default → in use): addresses in any text
 * (`127.0.0.1:8081`, a config's name "… (simulator :8081)") and the `port` fields of this
 * package's nodes. The examples are written for the default ports; tests and busy machines move them.
 */
export function movePorts<T>(flows: T[], map: Map<number, number>): T[] {
  const text = (s: string) =>
    s.replace(ADDRESS, (all, pre: string, port: string) => {
      const to = map.get(Number(port));
      return to === undefined ? all : `${pre}${to}`;
    });
  const walk = (v: unknown, key: string, snom: boolean): unknown => {
    if (typeof v === 'string') {
      const to = snom && /^(?:port|\w+Port)$/.test(key) && /^\d+$/.test(v) ? map.get(Number(v)) : undefined;
      return to === undefined ? text(v) : String(to);
    }
    if (typeof v === 'number' && snom && /^(?:port|\w+Port)$/.test(key)) return map.get(v) ?? v;
    if (Array.isArray(v)) return v.map((x) => walk(x, '', snom));
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k, snom)]));
    return v;
  };
  return flows.map((n) => {
    const type = (n as { type?: unknown }).type;
    return walk(n, '', typeof type === 'string' && type.startsWith('snom-')) as T;
  });
}

/**
 * The path of Node-RED's own start script: the dev dependency, or the one in SNOM_NODE_RED_DIR
 * (a folder whose node_modules holds another Node-RED: the version matrix, scripts/test-matrix.sh).
 */
export function nodeRedScript(): string {
  const dir = process.env.SNOM_NODE_RED_DIR;
  return dir ? require.resolve('node-red/red.js', { paths: [dir] }) : require.resolve('node-red/red.js');
}
