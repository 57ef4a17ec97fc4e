import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/simulator/cli';
import { stopAll } from '../../src/simulator/cluster';
import { request } from './helpers';

const CLI = path.join(__dirname, '..', '..', 'src', 'simulator', 'cli.js');

describe('snom-sim CLI', () => {
  it('--help exits 0 and explains the pages and the /sim API with curl examples', async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, [CLI, '--help'], (err, out) =>
        resolve({ code: err ? (err.code as number) : 0, stdout: out }),
      );
    });
    assert.equal(code, 0);
    for (const s of [
      'virtual Snom',
      '/command.htm?key=',
      '/minibrowser.htm',
      'GET    /sim/state',
      'POST   /sim/faults',
      'curl',
      '--phones',
      'SNOM_SIM_PASSWORD',
    ]) {
      assert.ok(stdout.includes(s), s);
    }
  });

  it('main() starts phones on consecutive settings, prints their URLs, and they answer', async () => {
    const lines: string[] = [];
    const { code, phones } = await main(
      ['--phones', '2', '--model', 'snom870', '--firmware', '8.7.5.35', '--auth', 'basic'],
      (l) => lines.push(l),
      { SNOM_SIM_PASSWORD: 'fromenv' },
    );
    try {
      assert.equal(code, 0);
      assert.equal(phones.length, 2);
      assert.notEqual(phones[0].port, phones[1].port);
      assert.ok(lines.some((l) => l.includes(phones[0].url)) && lines.some((l) => l.includes(phones[1].url)));
      const auth = 'Basic ' + Buffer.from('admin:fromenv').toString('base64');
      const r = await request(`${phones[1].url}/info.htm`, { headers: { Authorization: auth } });
      assert.equal(r.status, 200);
      assert.match(r.body, /<title>snom 870<\/title>/);
      assert.match(r.body, /sip:101@sim\.local/);
    } finally {
      await stopAll(phones);
    }
  });

  it('main() reads --config and refuses unknown options and bad values', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'snom-sim-')), 'phones.json');
    fs.writeFileSync(file, JSON.stringify([{ name: 'desk', model: 'D735', firmware: '10.1.33.33', auth: 'none' }]));
    const out: string[] = [];
    const res = await main(['--config', file], (l) => out.push(l));
    try {
      assert.equal(res.code, 0);
      assert.equal(res.phones[0].config.name, 'desk');
      assert.ok(out[0].startsWith('desk: http://127.0.0.1:'));
    } finally {
      await stopAll(res.phones);
    }
    assert.equal((await main(['--bogus'], () => undefined)).code, 2);
    assert.equal((await main(['--auth', 'ntlm'], () => undefined)).code, 2);
    assert.equal((await main(['--phones', 'x'], () => undefined)).code, 2);
  });

  it('starts 2,000 phones in one process (the fan-out bench needs 1,000+), and stopping frees their sockets', async function () {
    this.timeout(120000);
    const fds = () => fs.readdirSync('/proc/self/fd').length;
    const before = fds();
    const lines: string[] = [];
    const { code, phones } = await main(['--phones', '2000', '--auth', 'none'], (l) => lines.push(l));
    try {
      assert.equal(code, 0, lines.join('\n'));
      assert.equal(phones.length, 2000);
      assert.equal(new Set(phones.map((p) => p.port)).size, 2000, 'one port each');
      assert.equal(lines.filter((l) => /^phone\d+: http:\/\/127\.0\.0\.1:\d+ /.test(l)).length, 2000);
      for (const p of [phones[0], phones[999], phones[1999]])
        assert.equal((await request(`${p.url}/command.htm?key=ENTER`)).status, 200, p.config.name);
    } finally {
      await stopAll(phones);
    }
    assert.ok(fds() < before + 50, `file descriptors back near ${before} after stop, not ${fds()}`);
  });

  it('refuses more phones than one process takes, and port ranges past 65535', async () => {
    const quiet = () => undefined;
    assert.equal((await main(['--phones', '5001'], quiet)).code, 2);
    const lines: string[] = [];
    assert.equal((await main(['--phones', '100', '--port', '65500'], (l) => lines.push(l))).code, 2);
    assert.match(lines.join(''), /--port 65500 with --phones 100 runs past port 65535/);
    assert.equal((await main(['--phones', '10', '--sip-port', '65530'], quiet)).code, 2);
  });

  it('the bin prints the URL, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
        if (m) resolve(m[1]);
      });
      child.on('exit', (c) => reject(new Error(`exited early with ${c}`)));
    });
    assert.equal((await request(`${url}/command.htm?key=ENTER`)).status, 200);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
  });
});
