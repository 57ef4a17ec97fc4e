// `npm start` as a user runs it: dist/src/dev/start.js as a child process on spare ports, read back
// over HTTP (Node-RED's admin API, the phones' pages), then stopped with a signal.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEV_PHONES } from '../../src/dev/phones';
import { PACKAGE_ROOT, exampleNames } from '../../src/dev/userdir';
import { freeRun, tcpFree, udpFree } from './ports';

type FlowNode = Record<string, any>;

interface Started {
  child: ChildProcess;
  /** the process a signal goes to: the start script, or the shell around it */
  signalled: ChildProcess;
  out: () => string;
  nodeRed: number;
  phones: number;
  sip: number;
  dir: string;
}

/** Starts `node dist/src/dev/start.js` (through `sh -c` as npm does, when `viaShell`) on spare ports. */
async function start(viaShell: boolean): Promise<Started> {
  const nodeRed = await freeRun(1);
  const phones = await freeRun(3);
  const sip = await freeRun(3, true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snom-start-'));
  const env = {
    ...process.env,
    NODE_RED_PORT: String(nodeRed),
    SNOM_SIM_PORT: String(phones),
    SNOM_SIM_SIP_PORT: String(sip),
    SNOM_DEV_DIR: dir,
  };
  const script = path.join(PACKAGE_ROOT, 'dist', 'src', 'dev', 'start.js');
  const child = viaShell
    ? spawn('sh', ['-c', `"${process.execPath}" "${script}"`], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 45000;
  while (!/Started flows/.test(out)) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not start in 45 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, signalled: child, out: () => out, nodeRed, phones, sip, dir };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Every TCP and UDP port of the run: which are still taken. */
async function stillListening(s: Started): Promise<string[]> {
  const taken: string[] = [];
  const tcp = [s.nodeRed, s.phones, s.phones + 1, s.phones + 2, s.sip, s.sip + 1, s.sip + 2];
  for (const p of tcp) if (!(await tcpFree(p))) taken.push(`tcp ${p}`);
  for (const p of [s.sip, s.sip + 1, s.sip + 2]) if (!(await udpFree(p))) taken.push(`udp ${p}`);
  return taken;
}

/** Waits (bounded) until nothing listens: the processes may still be closing after the shell exits. */
async function allClosed(s: Started): Promise<string[]> {
  const deadline = Date.now() + 20000;
  for (;;) {
    const taken = await stillListening(s);
    if (taken.length === 0 || Date.now() > deadline) return taken;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('end to end: npm start (dist/src/dev/start.js)', function () {
  this.timeout(90000);
  let run: Started | undefined;
  afterEach(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    // the start script itself, should it outlive the shell around it (it prints its pid)
    const pid = run && /or kill (\d+) stops/.exec(run.out())?.[1];
    if (pid) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    if (run) fs.rmSync(run.dir, { recursive: true, force: true });
    run = undefined;
  });

  it('deploys every example with one named config per simulated phone and no first-run dialog; SIGTERM stops it all', async () => {
    const s = (run = await start(false));
    const nr = `http://127.0.0.1:${s.nodeRed}`;
    const flows = (await (await fetch(`${nr}/flows`)).json()) as FlowNode[];

    // every example on its own tab, every node of it deployed
    const tabs = flows.filter((n) => n.type === 'tab').map((n) => n.label);
    assert.deepEqual(tabs.sort(), exampleNames());
    const ids = new Set(flows.map((n) => n.id));
    for (const name of exampleNames()) {
      const file = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'examples', `${name}.json`), 'utf8'));
      for (const n of file as FlowNode[]) assert.ok(ids.has(n.id), `${name}: node ${n.id} (${n.type}) is deployed`);
    }
    assert.doesNotMatch(s.out(), /\[error\]/, 'Node-RED logged no error');

    // three configs: distinct ids, names and ports, each the port of its phone and named for it
    const configs = flows.filter((n) => n.type === 'snom-phone');
    assert.deepEqual(configs.map((c) => c.id).sort(), DEV_PHONES.map((p) => p.configId).sort());
    assert.equal(new Set(configs.map((c) => c.name)).size, 3);
    assert.deepEqual(configs.map((c) => Number(c.port)).sort(), [s.phones, s.phones + 1, s.phones + 2]);
    for (const c of configs) assert.match(c.name, new RegExp(`\\(simulator :${c.port}\\)$`));
    assert.equal(new Set(configs.map((c) => c.baseUrl)).size, 1);
    assert.equal(configs[0].baseUrl, nr);

    // behind them: a D785 with Digest, a D385 with Basic, a snom870 with touch firmware
    const schemes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`http://127.0.0.1:${s.phones + i}/info.htm`);
      assert.equal(res.status, 401);
      schemes.push((res.headers.get('www-authenticate') ?? '').split(' ')[0]);
    }
    assert.deepEqual(schemes, ['Digest', 'Basic', 'Digest']);
    const basic = `Basic ${Buffer.from('admin:snom-sim').toString('base64')}`;
    const office = await fetch(`http://127.0.0.1:${s.phones + 1}/info.htm`, { headers: { authorization: basic } });
    assert.match(await office.text(), /D385/);
    assert.match(s.out(), /snom870\s+8\.7\.5\.35/, 'the snom870 runs firmware with touch (8.7.2+)');
    for (const [i, model] of ['D785', 'D385', 'snom870'].entries()) {
      assert.match(s.out(), new RegExp(`${model}\\s.*http://127\\.0\\.0\\.1:${s.phones + i}`));
    }
    assert.match(s.out(), new RegExp(`Node-RED: http://127\\.0\\.0\\.1:${s.nodeRed}/`));

    // no first-run dialogs: the telemetry question is asked only while telemetryEnabled is undefined
    const settings = (await (await fetch(`${nr}/settings`)).json()) as FlowNode;
    // (Node-RED 4.1 asked first; 3.1 has no such question and reports nothing)
    const [major, minor] = String(settings.version).split('.').map(Number);
    assert.equal(settings.telemetryEnabled, major > 4 || (major === 4 && minor >= 1) ? false : undefined);
    assert.equal(settings.editorTheme?.tours, false);

    // the user directory is where it was told, outside the package
    assert.ok(fs.existsSync(path.join(s.dir, 'node-red', 'flows.json')));

    s.child.kill('SIGTERM');
    assert.equal(await exited(s.child), 0);
    assert.deepEqual(await stillListening(run), []);
  });

  it('stops everything on SIGINT (Ctrl-C)', async () => {
    run = await start(false);
    run.child.kill('SIGINT');
    assert.equal(await exited(run.child), 0);
    assert.deepEqual(await stillListening(run), []);
  });

  it('stops everything when SIGTERM goes to the shell around it, as npm forwards it', async () => {
    run = await start(true);
    assert.equal(await (await fetch(`http://127.0.0.1:${run.phones}/sim/state`)).status, 200);
    run.signalled.kill('SIGTERM');
    await exited(run.signalled);
    assert.deepEqual(await allClosed(run), []);
  });
});
