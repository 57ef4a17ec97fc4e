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
    editorTheme: { projects: { enabled: false }, tours: false },
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

/** Every examples/*.json on its own tab, config nodes global, as an import would place them. */
export function exampleFlows(names?: string[]): unknown[] {
  const dir = path.join(PACKAGE_ROOT, 'examples');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && (!names || names.includes(f.replace(/\.json$/, ''))));
  const flows: unknown[] = [];
  files.sort().forEach((f, i) => {
    const tab = `ex-tab-${i}`;
    flows.push({ id: tab, type: 'tab', label: f.replace(/\.json$/, ''), disabled: false, info: '' });
    const nodes = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Array<Record<string, unknown>>;
    for (const n of nodes) flows.push(n.type === 'snom-phone' || n.x === undefined ? n : { ...n, z: tab });
  });
  return flows;
}

/** The path of Node-RED's own start script (the dev dependency). */
export function nodeRedScript(): string {
  return require.resolve('node-red/red.js');
}
