// Logins the client spends: one failed login per request with a wrong password (phones lock their
// web login after failed attempts), and no password in clear for a phone below the floor.
import assert from 'node:assert/strict';
import { PhoneClient } from '../../../src/lib/http';
import { startDigestPeer, startHttp, closedAfter } from './servers';
import { rejection } from '../../support/assert-error';

const PASSWORD = 'S3cret-Pa55word';

describe('http/client: one failed login per attempt', function () {
  const { peers, clients } = closedAfter();
  const client = (port: number, password: string, auth: 'auto' | 'digest' = 'digest') => {
    const c = new PhoneClient({ host: '127.0.0.1', port, auth, user: 'admin', password });
    clients.push(c);
    return c;
  };

  for (const auth of ['digest', 'auto'] as const) {
    it(`a wrong password costs exactly one rejected login per request, also after the first (auth ${auth})`, async () => {
      const peer = await startDigestPeer({ realm: 'snom', user: 'admin', password: 'the-real-one' });
      peers.push(peer);
      const c = client(peer.port, PASSWORD, auth);
      const perRequest: number[] = [];
      for (let i = 0; i < 5; i++) {
        const before = peer.seen.filter((s) => s.authorization).length;
        const err = await rejection(c.request({ command: 'key', path: `/command.htm?key=${i}` }));
        assert.equal(err.code, 'E_AUTH');
        assert.match(err.message, /user or password not accepted/);
        perRequest.push(peer.seen.filter((s) => s.authorization).length - before);
      }
      assert.deepEqual(perRequest, [1, 1, 1, 1, 1], 'signed (and refused) requests per command');
      assert.ok(peer.seen.every((s) => s.status === 401));
    });
  }

  it('a stale nonce is retried once and works', async () => {
    const peer = await startDigestPeer({ realm: 'snom', user: 'admin', password: PASSWORD, nonceUses: 1 });
    peers.push(peer);
    const c = client(peer.port, PASSWORD);
    for (let i = 0; i < 3; i++) assert.equal((await c.request({ command: 'key', path: `/k${i}` })).status, 200);
    assert.deepEqual(c.stats, { requests: 3, exchanges: 6, challenges: 3 });
  });

  it('a phone that forgot its nonce (a reboot: plain 401, no stale) is retried once when the nonce worked before', async () => {
    const peer = await startDigestPeer({
      realm: 'snom',
      user: 'admin',
      password: PASSWORD,
      staleOnUnknownNonce: false,
    });
    peers.push(peer);
    const c = client(peer.port, PASSWORD);
    assert.equal((await c.request({ command: 'key', path: '/a' })).status, 200);
    peer.forget();
    const r = await c.request({ command: 'key', path: '/b' });
    assert.equal(r.status, 200);
    assert.equal(r.exchanges, 2);
    // once a login was refused, the next request is not retried: the password is what is wrong
    const wrong = await startDigestPeer({ realm: 'snom', user: 'admin', password: 'changed-on-the-phone' });
    peers.push(wrong);
    const w = client(wrong.port, PASSWORD);
    await rejection(w.request({ command: 'key', path: '/c' }));
    await rejection(w.request({ command: 'key', path: '/d' }));
    assert.deepEqual(
      wrong.seen.map((s) => (s.authorization ? 'signed' : 'bare')),
      ['bare', 'signed', 'signed'],
    );
  });
});

describe('http/client: no downgrade below the configured phone', function () {
  const { peers, clients } = closedAfter();

  it('with a Digest floor a Basic-only phone gets no password; with a Basic floor it does', async () => {
    const seen: Array<string | undefined> = [];
    const peer = await startHttp((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="snom"' });
      res.end('no');
    });
    peers.push(peer);
    const asked: string[] = [];
    const mk = (floor: 'digest' | 'basic' | 'none') => {
      const c = new PhoneClient({
        host: '127.0.0.1',
        port: peer.port,
        auth: 'auto',
        user: 'admin',
        password: PASSWORD,
        authFloor: { label: 'the configured phone 10.0.0.1', scheme: async () => (asked.push(floor), floor) },
      });
      clients.push(c);
      return c;
    };
    const err = await rejection(mk('digest').request({ command: 'key', path: '/x' }));
    assert.equal(err.code, 'E_AUTH');
    assert.equal(err.details.status, 401);
    assert.match(
      err.message,
      /asks for Basic auth, but the configured phone 10\.0\.0\.1 uses Digest: the password is not sent in clear/,
    );
    assert.deepEqual(seen, [undefined]);
    await rejection(mk('basic').request({ command: 'key', path: '/y' }));
    assert.deepEqual(seen, [undefined, undefined, `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`]);
    assert.deepEqual(asked, ['digest', 'basic']);
  });

  it('the scheme a client signs with is known once the phone has answered', async () => {
    const peer = await startDigestPeer({ realm: 'snom', user: 'admin', password: PASSWORD });
    peers.push(peer);
    const c = new PhoneClient({ host: '127.0.0.1', port: peer.port, auth: 'auto', user: 'admin', password: PASSWORD });
    clients.push(c);
    assert.equal(c.scheme, undefined);
    await c.request({ command: 'key', path: '/a' });
    assert.equal(c.scheme, 'digest');
    const open = await startHttp((_req, res) => res.end('ok'));
    peers.push(open);
    const o = new PhoneClient({ host: '127.0.0.1', port: open.port, auth: 'auto', user: 'admin', password: PASSWORD });
    clients.push(o);
    await o.request({ command: 'key', path: '/a' });
    assert.equal(o.scheme, 'none');
    const b = new PhoneClient({ host: '127.0.0.1', auth: 'basic' });
    clients.push(b);
    assert.equal(b.scheme, 'basic');
  });
});
