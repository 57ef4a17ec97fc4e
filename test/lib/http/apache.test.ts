/**
 * Interop with an independent Digest implementation: Debian's Apache httpd with
 * mod_auth_digest (MD5, qop=auth), started on loopback with a config written here.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SnomError } from '../../../src/lib/errors';
import { PhoneClient } from '../../../src/lib/http';
import { freePort } from './servers';

const APACHE = process.env.APACHE2_BIN ?? '/usr/sbin/apache2'; // override only to try the skip path
const MODULES = '/usr/lib/apache2/modules';
const REALM = 'snom interop';
const USER = 'admin';
const PASSWORD = 'Apache-Pa55, "quoted"';

function config(dir: string, port: number): string {
  const mods = ['mpm_event', 'authn_core', 'authn_file', 'authz_core', 'authz_user', 'auth_digest'];
  // As root Apache must drop to an unprivileged user; otherwise it runs as us.
  const runAs = process.getuid?.() === 0 ? 'User daemon\nGroup daemon\n' : '';
  return `${mods.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`).join('\n')}
ServerRoot "${dir}"
DefaultRuntimeDir "${dir}"
Mutex file:${dir} default
PidFile "${dir}/httpd.pid"
ErrorLog "${dir}/error.log"
LogLevel warn auth_digest:debug
${runAs}ServerName 127.0.0.1
Listen 127.0.0.1:${port}
KeepAlive On
DocumentRoot "${dir}/www"
<Directory "${dir}/www">
  AuthType Digest
  AuthName "${REALM}"
  AuthDigestProvider file
  AuthUserFile "${dir}/digest.users"
  AuthDigestNonceLifetime 300
  # Makes Apache reject a repeated or skipped nc, so nonce reuse is really checked
  AuthDigestNcCheck On
  Require valid-user
</Directory>
`;
}

async function waitForPort(port: number, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`apache2 exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.end(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`apache2 did not listen on ${port} within ${ms} ms`);
}

describe('http/apache: Digest interop with Apache mod_auth_digest', function () {
  this.timeout(30000);
  let dir = '';
  let port = 0;
  let child: ChildProcess | undefined;
  const clients: PhoneClient[] = [];

  before(async function () {
    if (!existsSync(APACHE) || !existsSync(path.join(MODULES, 'mod_auth_digest.so'))) {
      if (process.env.REQUIRE_INTEROP === '1')
        throw new Error(`REQUIRE_INTEROP=1 but ${APACHE} or mod_auth_digest is missing`);
      console.warn('SKIPPED: Apache interop tests: apache2 is not installed (apt-get install apache2)');
      this.skip();
    }
    dir = mkdtempSync(path.join(tmpdir(), 'snom-apache-'));
    chmodSync(dir, 0o755); // the daemon user reads the docs and the user file
    mkdirSync(path.join(dir, 'www'));
    writeFileSync(path.join(dir, 'www', 'command.htm'), 'snom command page\n');
    const ha1 = createHash('md5').update(`${USER}:${REALM}:${PASSWORD}`).digest('hex');
    writeFileSync(path.join(dir, 'digest.users'), `${USER}:${REALM}:${ha1}\n`, { mode: 0o644 });
    port = await freePort();
    writeFileSync(path.join(dir, 'httpd.conf'), config(dir, port));
    child = spawn(APACHE, ['-f', path.join(dir, 'httpd.conf'), '-DFOREGROUND'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    try {
      await waitForPort(port, child, 15000);
    } catch (err) {
      const log = existsSync(path.join(dir, 'error.log'))
        ? readFileSync(path.join(dir, 'error.log'), 'utf8')
        : '(no log)';
      throw new Error(`${(err as Error).message}\n${log}`);
    }
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir && !process.env.KEEP_APACHE_DIR) rmSync(dir, { recursive: true, force: true });
  });

  const client = (password: string) => {
    const c = new PhoneClient({ host: '127.0.0.1', port, auth: 'digest', user: USER, password });
    clients.push(c);
    return c;
  };

  it('MD5 qop=auth GET succeeds', async () => {
    const c = client(PASSWORD);
    const r = await c.request({ command: 'key', path: '/command.htm?key=OFFHOOK' });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'snom command page\n');
    assert.equal(r.exchanges, 2);
  });

  it('5 sequential requests cost 6 exchanges: one challenge, then nonce reuse', async () => {
    const c = client(PASSWORD);
    const ex: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await c.request({ command: 'key', path: `/command.htm?key=${i}` });
      assert.equal(r.status, 200);
      ex.push(r.exchanges);
    }
    assert.deepEqual(ex, [2, 1, 1, 1, 1]);
    assert.deepEqual(c.stats, { requests: 5, exchanges: 6, challenges: 1 });
    // Apache (nc check on) found nothing wrong with our nonce counts or responses
    const log = readFileSync(path.join(dir, 'error.log'), 'utf8');
    assert.doesNotMatch(log, /\[auth_digest:error\]/);
  });

  it('a wrong password gives E_AUTH after at most 2 exchanges', async () => {
    const c = client('not-the-password');
    try {
      await c.request({ command: 'key', path: '/command.htm?key=1' });
      assert.fail('expected E_AUTH');
    } catch (err) {
      assert.ok(err instanceof SnomError);
      assert.equal(err.code, 'E_AUTH');
      assert.doesNotMatch(err.message, /not-the-password/);
    }
    assert.ok(c.stats.exchanges <= 2);
    assert.equal(c.stats.challenges, 2);
  });

  it("N presses with a wrong password cost N failed logins in Apache's own log, not 2N", async () => {
    const logFile = path.join(dir, 'error.log');
    const mismatches = () => (readFileSync(logFile, 'utf8').match(/password mismatch/g) ?? []).length;
    const before = mismatches();
    const c = client('still-not-the-password');
    const presses = 10;
    for (let i = 0; i < presses; i++) {
      await c.request({ command: 'key', path: `/command.htm?key=${i}` }).then(
        () => assert.fail('expected E_AUTH'),
        (err: SnomError) => assert.equal(err.code, 'E_AUTH'),
      );
    }
    // Apache writes its log line before it answers, so every mismatch is in the file by now
    const failed = mismatches() - before;
    assert.equal(failed, presses, `Apache logged ${failed} password mismatches for ${presses} presses`);
  });
});
