import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SnomError } from '../../../src/lib/errors';
import { PhoneClient, phoneOrigin } from '../../../src/lib/http';
import { authParams, freePort, Peer, startDigestPeer, startHttp, startHttps, closedAfter } from './servers';
import { rejection } from '../../support/assert-error';

const PASSWORD = 'S3cret-Pa55word';

/** Every error path must keep the password and the Basic token out of message and JSON. */
function assertClean(err: SnomError, command: string, label: string): void {
  const text = err.message + JSON.stringify(err.toJSON()) + JSON.stringify(err.details);
  assert.ok(!text.includes(PASSWORD), `password leaked: ${text}`);
  assert.ok(!text.includes(Buffer.from(`admin:${PASSWORD}`).toString('base64')), `basic token leaked: ${text}`);
  assert.ok(err.message.startsWith(`Phone ${label}: ${command} failed: `), err.message);
  assert.equal(err.details.phone, label);
  assert.equal(err.details.command, command);
}

describe('http/client: order, queue, timeouts', function () {
  const { peers, clients } = closedAfter();
  const client = (port: number, extra: Partial<ConstructorParameters<typeof PhoneClient>[0]> = {}) => {
    const c = new PhoneClient({ host: '127.0.0.1', port, auth: 'none', ...extra });
    clients.push(c);
    return c;
  };
  /** Answers 'fine', except /hang, which it never answers. */
  const hangingPeer = async (): Promise<Peer> => {
    const peer = await startHttp((req, res) => {
      if (req.url !== '/hang') res.end('fine');
    });
    peers.push(peer);
    return peer;
  };

  it('runs 50 concurrent calls one at a time, in arrival order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const order: string[] = [];
    const peer = await startHttp((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      order.push(req.url ?? '');
      setTimeout(() => {
        inFlight--;
        res.end(`done ${req.url}`);
      }, 2);
    });
    peers.push(peer);
    const c = client(peer.port);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => c.request({ command: 'key', path: `/command.htm?key=${i}` })),
    );
    assert.equal(maxInFlight, 1);
    assert.deepEqual(
      order,
      Array.from({ length: 50 }, (_, i) => `/command.htm?key=${i}`),
    );
    results.forEach((r, i) => {
      assert.equal(r.status, 200);
      assert.equal(r.body, `done /command.htm?key=${i}`);
      assert.equal(r.exchanges, 1);
    });
    assert.deepEqual(c.stats, { requests: 50, exchanges: 50, challenges: 0 });
  });

  it('rejects with E_BUSY beyond queueSize, sending nothing for it', async () => {
    const arrived: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const peer = await startHttp((req, res) => {
      arrived.push(req.url ?? '');
      void gate.then(() => res.end('ok'));
    });
    peers.push(peer);
    const c = client(peer.port, { queueSize: 2 });
    const first = c.request({ command: 'key', path: '/a' });
    const waiting = [c.request({ command: 'key', path: '/b' }), c.request({ command: 'key', path: '/c' })];
    assert.equal(c.queued, 2);
    const busy = await rejection(c.request({ command: 'key', path: '/d' }));
    assert.equal(busy.code, 'E_BUSY');
    assert.match(busy.message, /^Phone 127\.0\.0\.1:\d+: key failed: 2 requests are already waiting/);
    release();
    const done = await Promise.all([first, ...waiting]);
    assert.deepEqual(
      done.map((r) => r.status),
      [200, 200, 200],
    );
    assert.deepEqual(arrived, ['/a', '/b', '/c']);
    assert.equal(c.queued, 0);
  });

  it('times out with E_TIMEOUT, frees the slot, and the next request works', async () => {
    const peer = await hangingPeer();
    const c = client(peer.port, { timeoutMs: 300 });
    // The answered requests get a generous timeout of their own: only /hang may time out.
    const queuedBehind = c.request({ command: 'after', path: '/ok', timeoutMs: 10000 });
    const err = await rejection(Promise.all([c.request({ command: 'hang', path: '/hang' }), queuedBehind]));
    assert.equal(err.code, 'E_TIMEOUT');
    assert.match(err.message, /hang failed: no answer within 300 ms/);
    assert.equal((await c.request({ command: 'after', path: '/ok', timeoutMs: 10000 })).body, 'fine');
    // per-request override
    const c2 = client(peer.port, { timeoutMs: 60000 });
    assert.equal((await rejection(c2.request({ command: 'hang', path: '/hang', timeoutMs: 200 }))).code, 'E_TIMEOUT');
  });

  it('one deadline timer per client: a short timeout after long ones fires at its own time, and later requests run', async () => {
    const peer = await hangingPeer();
    // the long requests leave the client's timer set far ahead: the short one must not wait for it
    const c = client(peer.port, { timeoutMs: 60000 });
    for (let i = 0; i < 3; i++) assert.equal((await c.request({ command: 'ok', path: '/ok' })).body, 'fine');
    for (let round = 0; round < 2; round++) {
      const err = await rejection(c.request({ command: 'hang', path: '/hang', timeoutMs: 200 }));
      assert.equal(err.code, 'E_TIMEOUT');
      assert.match(err.message, /hang failed: no answer within 200 ms/);
      // the fired deadline is not left behind for the next request
      assert.equal((await c.request({ command: 'ok', path: '/ok' })).body, 'fine');
    }
  });

  it('refused port gives E_UNREACHABLE', async () => {
    const c = client(await freePort());
    const err = await rejection(c.request({ command: 'key', path: '/command.htm?key=OFFHOOK' }));
    assert.equal(err.code, 'E_UNREACHABLE');
    assert.match(err.message, /connection refused/);
  });

  it('a destroyed socket gives E_UNREACHABLE, or success with closeIsSuccess', async () => {
    let hits = 0;
    const peer = await startHttp((req) => {
      hits++;
      req.socket.destroy();
    });
    peers.push(peer);
    const c = client(peer.port);
    const err = await rejection(c.request({ command: 'dial', path: '/command.htm?number=1' }));
    assert.equal(err.code, 'E_UNREACHABLE');
    assert.match(err.message, /closed the connection/);
    const ok = await c.request({ command: 'dial', path: '/command.htm?number=1', closeIsSuccess: true });
    assert.equal(ok.status, 0);
    assert.equal(ok.closed, true);
    assert.equal(hits, 2);
  });

  it('different clients run in parallel', async () => {
    let waiting: Array<() => void> = [];
    const peer = await startHttp((_req, res) => {
      waiting.push(() => res.end('both'));
      if (waiting.length === 2) {
        waiting.forEach((f) => f());
        waiting = [];
      }
    });
    peers.push(peer);
    // Each answer needs the other request to have arrived: serialising across clients would time out.
    const [a, b] = await Promise.all(
      [client(peer.port, { timeoutMs: 3000 }), client(peer.port, { timeoutMs: 3000 })].map((c) =>
        c.request({ command: 'x', path: '/' }),
      ),
    );
    assert.equal(a.body, 'both');
    assert.equal(b.body, 'both');
  });

  it('close() fails waiting and running requests with E_UNREACHABLE and is idempotent', async () => {
    const peer = await startHttp(() => undefined); // never answers
    peers.push(peer);
    const c = client(peer.port);
    const running = rejection(c.request({ command: 'one', path: '/1' }));
    const waiting = rejection(c.request({ command: 'two', path: '/2' }));
    await Promise.all([c.close(), c.close()]);
    for (const [err, cmd] of [
      [await running, 'one'],
      [await waiting, 'two'],
    ] as const) {
      assert.equal(err.code, 'E_UNREACHABLE');
      assert.equal(err.message, `Phone ${c.label}: ${cmd} failed: client closed`);
    }
    const later = await rejection(c.request({ command: 'three', path: '/3' }));
    assert.equal(later.code, 'E_UNREACHABLE');
    await c.close();
  });
});

describe('http/client: statuses, headers, bodies', function () {
  let peer: Peer;
  const seen: Array<{
    url: string;
    method: string;
    connection?: string;
    contentType?: string;
    body: string;
    remotePort?: number;
  }> = [];
  let c: PhoneClient;
  before(async () => {
    peer = await startHttp((req, res, body) => {
      seen.push({
        url: req.url ?? '',
        method: req.method ?? '',
        connection: req.headers.connection,
        contentType: req.headers['content-type'],
        body,
        remotePort: req.socket.remotePort,
      });
      if (req.url?.startsWith('/command.htm?number=')) {
        res.writeHead(302, { Location: '/index.htm' });
        return res.end();
      }
      if (req.url === '/index.htm') return res.end('index');
      if (req.url === '/utf8') {
        // a BOM, then "Grüße ☎" sent in pieces that split its multi-byte characters
        const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Grüße ☎', 'utf8')]);
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Twice': ['a', 'b'] });
        for (const [from, to] of [
          [0, 2],
          [2, 6],
          [6, 12],
          [12, bytes.length],
        ])
          res.write(bytes.subarray(from, to));
        return res.end();
      }
      if (req.url === '/fail') {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        return res.end('<fault>\n  ' + 'x'.repeat(1000) + '</fault>');
      }
      res.end(`echo ${req.method} ${body}`);
    });
    c = new PhoneClient({ host: `127.0.0.1:${peer.port}`, auth: 'none', name: 'desk' });
  });
  after(async () => {
    await c.close();
    await peer.close();
  });

  it('reads a body sent in pieces as UTF-8 without its BOM, and repeated headers as a list', async () => {
    const r = await c.request({ command: 'utf8', path: '/utf8' });
    assert.equal(r.body, 'Grüße ☎');
    assert.deepEqual(r.headers['x-twice'], ['a', 'b']);
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
  });

  it('302 is success with okStatuses and is not followed; E_HTTP without', async () => {
    seen.length = 0;
    const r = await c.request({ command: 'dial', path: '/command.htm?number=123', okStatuses: [302] });
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, '/index.htm');
    const err = await rejection(c.request({ command: 'dial', path: '/command.htm?number=123' }));
    assert.equal(err.code, 'E_HTTP');
    assert.equal(err.details.status, 302);
    assert.deepEqual(
      seen.map((s) => s.url),
      ['/command.htm?number=123', '/command.htm?number=123'],
    );
  });

  it('500 gives E_HTTP with status and a short excerpt, unless errorBodyOk accepts it', async () => {
    const err = await rejection(c.request({ command: 'csta MakeCall', path: '/fail' }));
    assert.equal(err.code, 'E_HTTP');
    assert.equal(err.details.status, 500);
    assert.ok(
      err.message.startsWith('Phone desk: csta MakeCall failed: the phone answered HTTP 500: <fault> xxx'),
      err.message,
    );
    assert.ok(String(err.details.body).length <= 200);
    const r = await c.request({
      command: 'csta MakeCall',
      path: '/fail',
      errorBodyOk: (status, body) => status === 500 && body.includes('<fault>'),
    });
    assert.equal(r.status, 500);
    const thrower = () => {
      throw new Error('bug in a parser');
    };
    assert.equal((await rejection(c.request({ command: 'csta', path: '/fail', errorBodyOk: thrower }))).code, 'E_HTTP');
    assert.equal(r.body.length, 1000 + '<fault>\n  </fault>'.length);
  });

  it('keeps the connection alive by default; noKeepAlive sends connection: close', async () => {
    seen.length = 0;
    await c.request({ command: 'a', path: '/a' });
    await c.request({ command: 'b', path: '/b' });
    await c.request({ command: 'minibrowser', path: '/minibrowser.htm?url=x', noKeepAlive: true });
    assert.notEqual(seen[0].connection, 'close');
    assert.notEqual(seen[1].connection, 'close');
    assert.equal(seen[0].remotePort, seen[1].remotePort, 'second request reused the connection');
    assert.equal(seen[2].connection, 'close');
    await c.request({ command: 'c', path: '/c' }); // the closed connection is replaced
    assert.equal(seen[3].url, '/c');
  });

  it('POSTs a body with its content type', async () => {
    seen.length = 0;
    const r = await c.request({
      command: 'csta',
      method: 'POST',
      path: '/csta',
      body: '<x/>',
      contentType: 'text/xml',
    });
    assert.equal(r.body, 'echo POST <x/>');
    assert.equal(seen[0].contentType, 'text/xml');
  });

  it('refuses bad input with E_INPUT before sending', async () => {
    seen.length = 0;
    for (const p of ['command.htm', '/a b', '/a\r\nX: y']) {
      const err = await rejection(c.request({ command: 'key', path: p }));
      assert.equal(err.code, 'E_INPUT');
    }
    assert.equal(seen.length, 0);
  });
});

describe('http/client: authentication against small servers', function () {
  const { peers, clients } = closedAfter();
  const client = (port: number, auth: 'auto' | 'basic' | 'digest' | 'none', password = PASSWORD) => {
    const c = new PhoneClient({ host: '127.0.0.1', port, auth, user: 'admin', password });
    clients.push(c);
    return c;
  };

  it('digest: one challenge, then one exchange per request with increasing nc', async () => {
    const peer = await startDigestPeer({ realm: 'snom', user: 'admin', password: PASSWORD, algorithm: 'SHA-256' });
    peers.push(peer);
    const c = client(peer.port, 'digest');
    const ex: number[] = [];
    for (let i = 0; i < 4; i++) ex.push((await c.request({ command: 'key', path: `/command.htm?key=${i}` })).exchanges);
    assert.deepEqual(ex, [2, 1, 1, 1]);
    assert.deepEqual(c.stats, { requests: 4, exchanges: 5, challenges: 1 });
    const ncs = peer.seen.filter((s) => s.status === 200).map((s) => /nc=(\w+)/.exec(s.authorization ?? '')?.[1]);
    assert.deepEqual(ncs, ['00000001', '00000002', '00000003', '00000004']);
  });

  for (const algorithm of ['MD5-sess', 'SHA-256-sess'] as const) {
    it(`digest ${algorithm}: one challenge, then the session's HA1 and cnonce for every request on the nonce`, async () => {
      const peer = await startDigestPeer({ realm: 'snom', user: 'admin', password: PASSWORD, algorithm, nonceUses: 4 });
      peers.push(peer);
      const c = client(peer.port, 'digest');
      const ex: number[] = [];
      for (let i = 0; i < 6; i++)
        ex.push((await c.request({ command: 'key', path: `/command.htm?key=${i}` })).exchanges);
      // nonce used up after 4 → stale, new session on the 5th
      assert.deepEqual(ex, [2, 1, 1, 1, 2, 1]);
      const ok = peer.seen.filter((s) => s.status === 200).map((s) => authParams(s.authorization ?? ''));
      assert.deepEqual(
        ok.map((p) => p.algorithm),
        Array(6).fill(algorithm),
      );
      assert.deepEqual(
        ok.map((p) => p.nc),
        ['00000001', '00000002', '00000003', '00000004', '00000001', '00000002'],
      );
      assert.equal(new Set(ok.slice(0, 4).map((p) => p.cnonce)).size, 1, 'one cnonce for the first nonce');
      assert.equal(new Set(ok.slice(4).map((p) => p.cnonce)).size, 1, 'one cnonce for the second nonce');
      assert.notEqual(ok[0].cnonce, ok[4].cnonce);
    });
  }

  it('a -sess challenge without qop is not signed (it cannot be right): E_AUTH after one exchange, no failed login', async () => {
    const auths: Array<string | undefined> = [];
    const peer = await startHttp((req, res) => {
      auths.push(req.headers.authorization);
      res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="snom", nonce="abc", algorithm=MD5-sess' });
      res.end();
    });
    peers.push(peer);
    const c = client(peer.port, 'digest');
    const err = await rejection(c.request({ command: 'key', path: '/k' }));
    assert.equal(err.code, 'E_AUTH');
    assert.match(err.message, /no usable Digest challenge/);
    assert.deepEqual(auths, [undefined]);
  });

  it('auth retries do not interleave with queued requests', async () => {
    const peer = await startDigestPeer({ realm: 'snom', user: 'admin', password: PASSWORD });
    peers.push(peer);
    const c = client(peer.port, 'digest');
    const paths = Array.from({ length: 20 }, (_, i) => `/k${i}`);
    const res = await Promise.all(paths.map((p) => c.request({ command: 'key', path: p })));
    assert.deepEqual(
      res.map((r) => r.exchanges),
      [2, ...Array(19).fill(1)],
    );
    // the challenged first request is retried before the second one starts
    assert.deepEqual(
      peer.seen.map((s) => `${s.url} ${s.status}`),
      ['/k0 401', ...paths.map((p) => `${p} 200`)],
    );
  });

  it('stale=true costs one retry and no E_AUTH', async () => {
    const peer = await startDigestPeer({ realm: 'snom', user: 'admin', password: PASSWORD, nonceUses: 2 });
    peers.push(peer);
    const c = client(peer.port, 'digest');
    const ex: number[] = [];
    for (let i = 0; i < 6; i++) ex.push((await c.request({ command: 'key', path: `/k${i}` })).exchanges);
    // 1st: challenge; 3rd: nonce used up → stale; 5th again
    assert.deepEqual(ex, [2, 1, 2, 1, 2, 1]);
    assert.equal(c.stats.challenges, 3);
    assert.ok(
      peer.seen.some((s) => s.status === 401 && s.authorization),
      'a stale answer to a signed request happened',
    );
  });

  it('wrong password: E_AUTH after 2 exchanges, no loop', async () => {
    const peer = await startDigestPeer({ realm: 'snom', user: 'admin', password: 'other-password' });
    peers.push(peer);
    const c = client(peer.port, 'digest');
    const err = await rejection(c.request({ command: 'key', path: '/x' }));
    assert.equal(err.code, 'E_AUTH');
    assert.equal(err.details.status, 401);
    assertClean(err, 'key', c.label);
    assert.equal(c.stats.exchanges, 2);
    assert.equal(peer.seen.length, 2);
  });

  it('auto picks Digest when offered (even after Basic) and remembers it', async () => {
    const peer = await startDigestPeer({ realm: 'snom', user: 'admin', password: PASSWORD, offerBasic: true });
    peers.push(peer);
    const c = client(peer.port, 'auto');
    assert.equal((await c.request({ command: 'a', path: '/a' })).exchanges, 2);
    assert.equal((await c.request({ command: 'b', path: '/b' })).exchanges, 1);
    assert.equal(peer.seen[0].authorization, undefined);
    assert.match(peer.seen[1].authorization ?? '', /^Digest /);
    assert.match(peer.seen[2].authorization ?? '', /^Digest /);
  });

  it('auto picks Basic when only Basic is offered and then sends it preemptively', async () => {
    const auths: Array<string | undefined> = [];
    const good = 'Basic ' + Buffer.from(`admin:${PASSWORD}`).toString('base64');
    const peer = await startHttp((req, res) => {
      auths.push(req.headers.authorization);
      if (req.headers.authorization === good) return res.end('in');
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="snom D715"' });
      res.end();
    });
    peers.push(peer);
    const c = client(peer.port, 'auto');
    assert.equal((await c.request({ command: 'a', path: '/a' })).exchanges, 2);
    assert.equal((await c.request({ command: 'b', path: '/b' })).exchanges, 1);
    assert.deepEqual(auths, [undefined, good, good]);
    // basic mode: preemptive from the first request
    const b = client(peer.port, 'basic');
    assert.equal((await b.request({ command: 'c', path: '/c' })).exchanges, 1);
    // digest mode refuses to send Basic
    const d = client(peer.port, 'digest');
    const err = await rejection(d.request({ command: 'key', path: '/d' }));
    assert.equal(err.code, 'E_AUTH');
    assert.match(err.message, /only Basic/);
    assert.equal(auths.at(-1), undefined);
    // wrong password in auto mode: E_AUTH after 2 exchanges, then 1 (Basic is not resent)
    const w = client(peer.port, 'auto', 'nope-wrong');
    const werr = await rejection(w.request({ command: 'key', path: '/e' }));
    assert.equal(werr.code, 'E_AUTH');
    assert.equal(w.stats.exchanges, 2);
    assert.equal((await rejection(w.request({ command: 'key', path: '/f' }))).code, 'E_AUTH');
    assert.equal(w.stats.exchanges, 3);
  });

  it('403, a 401 without usable challenge, and 401 in none mode give E_AUTH', async () => {
    const peer = await startHttp((req, res) => {
      if (req.url === '/forbidden') res.writeHead(403);
      else res.writeHead(401, { 'WWW-Authenticate': 'Negotiate' });
      res.end('no');
    });
    peers.push(peer);
    const c = client(peer.port, 'auto');
    const e403 = await rejection(c.request({ command: 'reboot', path: '/forbidden' }));
    assert.equal(e403.code, 'E_AUTH');
    assert.equal(e403.details.status, 403);
    const e401 = await rejection(c.request({ command: 'reboot', path: '/other' }));
    assert.equal(e401.code, 'E_AUTH');
    assert.match(e401.message, /no usable auth challenge/);
    assert.equal(e401.details.status, 401);
    const none = await rejection(client(peer.port, 'none').request({ command: 'key', path: '/x' }));
    assert.equal(none.code, 'E_AUTH');
    assert.equal(c.stats.exchanges, 2);
  });
});

describe('http/client: HTTPS with the simulator certificate', function () {
  const assets = path.join(__dirname, '..', '..', '..', 'src', 'simulator', 'assets');
  let peer: Peer;
  const clients: PhoneClient[] = [];
  before(async () => {
    peer = await startHttps(
      (_req, res) => res.end('secure'),
      readFileSync(path.join(assets, 'sim-key.pem')),
      readFileSync(path.join(assets, 'sim-cert.pem')),
    );
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await peer.close();
  });

  it('fails verification by default, works with allowSelfSigned for that client only', async () => {
    const strict = new PhoneClient({ host: '127.0.0.1', port: peer.port, protocol: 'https', auth: 'none' });
    const lax = new PhoneClient({
      host: '127.0.0.1',
      port: peer.port,
      protocol: 'https',
      auth: 'none',
      allowSelfSigned: true,
    });
    const strictAgain = new PhoneClient({ host: '127.0.0.1', port: peer.port, protocol: 'https', auth: 'none' });
    clients.push(strict, lax, strictAgain);
    const err = await rejection(strict.request({ command: 'key', path: '/' }));
    assert.equal(err.code, 'E_UNREACHABLE');
    assert.match(err.message, /TLS certificate not accepted.*self-signed/);
    assert.equal((await lax.request({ command: 'key', path: '/' })).body, 'secure');
    assert.equal((await rejection(strictAgain.request({ command: 'key', path: '/' }))).code, 'E_UNREACHABLE');
    assert.equal(process.env.NODE_TLS_REJECT_UNAUTHORIZED, undefined);
  });
});

describe('http/client: error messages never hold the password', function () {
  const { peers, clients } = closedAfter();

  it('checks every error path', async () => {
    const basicToken = Buffer.from(`admin:${PASSWORD}`).toString('base64');
    const peer = await startHttp((req, res) => {
      const u = req.url ?? '';
      if (u === '/hang') return;
      if (u === '/reset') return req.socket.destroy();
      if (u === '/403') {
        res.writeHead(403);
        return res.end(`forbidden for ${PASSWORD}`);
      }
      // a phone that echoes the credentials in its error page
      res.writeHead(500);
      res.end(`error: ${req.headers.authorization} ${PASSWORD} ${basicToken}`);
    });
    peers.push(peer);
    const mk = (extra: Partial<ConstructorParameters<typeof PhoneClient>[0]> = {}) => {
      const c = new PhoneClient({
        host: '127.0.0.1',
        port: peer.port,
        auth: 'basic',
        user: 'admin',
        password: PASSWORD,
        timeoutMs: 10000,
        ...extra,
      });
      clients.push(c);
      return c;
    };
    const errors: Array<[SnomError, string, string]> = [];
    const c = mk();
    const add = async (cl: PhoneClient, command: string, p: Promise<unknown>) =>
      errors.push([await rejection(p), command, cl.label]);
    await add(c, 'echo', c.request({ command: 'echo', path: '/500' }));
    await add(c, 'hang', c.request({ command: 'hang', path: '/hang', timeoutMs: 300 }));
    await add(c, 'reset', c.request({ command: 'reset', path: '/reset' }));
    await add(c, 'forbid', c.request({ command: 'forbid', path: '/403' }));
    await add(c, 'bad', c.request({ command: 'bad', path: 'nope' }));
    const refused = mk({ port: await freePort() });
    await add(refused, 'refused', refused.request({ command: 'refused', path: '/' }));
    const wrong = await startDigestPeer({ realm: 'r', user: 'admin', password: 'different' });
    peers.push(wrong);
    const dg = mk({ port: wrong.port, auth: 'digest' });
    await add(dg, 'digest', dg.request({ command: 'digest', path: '/' }));
    const busy = mk({ queueSize: 0 });
    const held = busy.request({ command: 'held', path: '/hang', timeoutMs: 300 }).catch(() => undefined);
    await add(busy, 'busy', busy.request({ command: 'busy', path: '/' }));
    await held;
    const closed = mk();
    await closed.close();
    await add(closed, 'closed', closed.request({ command: 'closed', path: '/' }));
    assert.deepEqual(
      errors.map(([e]) => e.code),
      [
        'E_HTTP',
        'E_TIMEOUT',
        'E_UNREACHABLE',
        'E_AUTH',
        'E_INPUT',
        'E_UNREACHABLE',
        'E_AUTH',
        'E_BUSY',
        'E_UNREACHABLE',
      ],
    );
    for (const [err, command, label] of errors) assertClean(err, command, label);
    assert.match(errors[0][0].message, /\*\*\*/);
  });
});

describe('http/client: phone origin', () => {
  it('accepts name, name:port, bracketed and bare IPv6, pasted URLs', () => {
    assert.deepEqual(phoneOrigin('phone.local'), {
      origin: 'http://phone.local',
      label: 'phone.local',
      protocol: 'http',
    });
    assert.equal(phoneOrigin('10.0.0.5:8080').origin, 'http://10.0.0.5:8080');
    assert.equal(phoneOrigin('[fe80::1]:81').origin, 'http://[fe80::1]:81');
    assert.equal(phoneOrigin('::1', 80).origin, 'http://[::1]:80');
    assert.equal(phoneOrigin('https://10.0.0.5/').origin, 'https://10.0.0.5');
    assert.equal(phoneOrigin('10.0.0.5:8080', 9090).label, '10.0.0.5:9090');
  });

  it('rejects garbage with E_INPUT', () => {
    for (const bad of ['', 'a b', 'user@host', 'host:port', 'x/y']) {
      assert.throws(
        () => phoneOrigin(bad),
        (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT',
        bad,
      );
    }
    assert.throws(
      () => phoneOrigin('h', 70000),
      (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT',
    );
  });
});
