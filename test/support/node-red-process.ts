// A real `node-red` process with this package loaded through its user directory, for end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeRedScript, prepareUserDir } from '../../src/dev/userdir';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface NodeRedProcess {
  url: string;
  port: number;
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * `flows` may be a function of Node-RED's port, for flows that must know where Node-RED listens.
 * The free port can be taken by another process while Node-RED starts (seconds on a busy machine):
 * then it is tried again on another port.
 */
export async function startNodeRed(
  flows: unknown[] | ((port: number) => unknown[]),
  credentials: Record<string, Record<string, string>>,
  settings: Record<string, unknown> = {},
  /** dir: a user directory that already holds the package (e.g. installed from `npm pack` output) */
  options: { dir?: string } = {},
): Promise<NodeRedProcess> {
  return retryOnPortInUse(() => startOnce(flows, credentials, settings, options.dir));
}

/** Runs `start` again (up to 4 times in all) while it fails because its free port was taken meanwhile. */
export async function retryOnPortInUse<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (e) {
      if (attempt >= 4 || !/port in use/i.test(String((e as Error).message))) throw e;
    }
  }
}

async function startOnce(
  flows: unknown[] | ((port: number) => unknown[]),
  credentials: Record<string, Record<string, string>>,
  settings: Record<string, unknown>,
  given?: string,
): Promise<NodeRedProcess> {
  const dir = given ?? fs.mkdtempSync(path.join(os.tmpdir(), 'snom-e2e-'));
  const port = await freePort();
  const settingsFile = prepareUserDir({
    dir,
    port,
    flows: typeof flows === 'function' ? flows(port) : flows,
    credentials,
    settings,
  });
  // SNOM_NODE_RED_DIR: the version matrix in .ci/run runs another Node-RED (see test/support/red.ts)
  const nrDir = process.env.SNOM_NODE_RED_DIR;
  const script = nrDir ? require.resolve('node-red/red.js', { paths: [nrDir] }) : nodeRedScript();
  const child: ChildProcess = spawn(process.execPath, [script, '--settings', settingsFile, '--userDir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) {
      if (!given) fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`node-red exited early:\n${out}`);
    }
    // the log speaks the runtime's language (settings lang)
    if (/Started flows|Flows sind gestartet/.test(out)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`node-red did not start in 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dir,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/**
 * Test hooks for a flow: a function node `rec` that keeps `record` (a JS expression of msg) in flow
 * context, and GET /seen that returns what it kept. Wire any output to 'rec'.
 */
export function recorderNodes(tab: string, record: string): Array<Record<string, unknown>> {
  return [
    {
      id: 'rec',
      z: tab,
      type: 'function',
      x: 1,
      y: 1,
      func: `const s = flow.get('seen') || []; s.push(${record}); flow.set('seen', s); return null;`,
      outputs: 1,
      wires: [[]],
    },
    { id: 'seenIn', z: tab, type: 'http in', x: 1, y: 1, url: '/seen', method: 'get', wires: [['seenFn']] },
    {
      id: 'seenFn',
      z: tab,
      type: 'function',
      x: 1,
      y: 1,
      func: "msg.payload = flow.get('seen') || []; return msg;",
      outputs: 1,
      wires: [['seenOut']],
    },
    { id: 'seenOut', z: tab, type: 'http response', x: 1, y: 1, wires: [] },
  ];
}
