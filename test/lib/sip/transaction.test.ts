/**
 * Client transactions over real UDP/TCP sockets on 127.0.0.1 against a raw
 * peer that answers (or not) as each test says: retransmission, timeouts,
 * matching, Digest challenges, status mapping.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { buildCheckSyncNotify, buildMinibrowserNotify, SipClient, type SipClientOptions } from '../../../src/lib/sip';
import { branchOf, digestParams, expectedDigest, freeUdpPort, h, RawPeer, tagOf, type PeerMessage } from './peer';

const XML = '<SnomIPPhoneText><Text>Grüße</Text></SnomIPPhoneText>';
const T1 = 20;
/** For tests that count requests: no retransmission can sneak in while the peer answers. */
const SLOW = { t1: 5000 };

describe('lib/sip transactions', function () {
  this.timeout(15000);
  const peers: RawPeer[] = [];
  const clients: SipClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });

  async function setup(transport: 'udp' | 'tcp', o: SipClientOptions = {}) {
    const peer = transport === 'udp' ? await RawPeer.udp() : await RawPeer.tcp();
    const client = new SipClient({ transport, localAddress: '127.0.0.1', timers: { t1: T1 }, ...o });
    peers.push(peer);
    clients.push(client);
    return { peer, client, target: { host: '127.0.0.1', port: peer.port, user: '101' } };
  }

  it('UDP request: Via with z9hG4bK branch and rport, From tag, To, Call-ID, CSeq, Max-Forwards, Contact, UA, Content-Length', async () => {
    const { peer, client, target } = await setup('udp', { userAgent: 'test-agent/1' });
    peer.onMessage = (m) => m.method && peer.reply(m, 200, 'OK');
    const res = await client.send(buildMinibrowserNotify({ xml: XML }), { target });
    assert.equal(res.status, 200);
    const [m] = peer.requests('NOTIFY');
    assert.equal(m.startLine, `NOTIFY sip:101@127.0.0.1:${peer.port} SIP/2.0`);
    assert.match(
      h(m, 'via'),
      new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${client.localPort};branch=z9hG4bK[0-9a-f]+;rport$`),
    );
    assert.equal(m.remote.port, client.localPort, 'sent from the bound port');
    assert.match(h(m, 'from'), /^<sip:node-red@127\.0\.0\.1>;tag=[0-9a-f]{16}$/);
    assert.equal(h(m, 'to'), `<sip:101@127.0.0.1:${peer.port}>`);
    assert.match(h(m, 'call-id'), /^[0-9a-f]{32}$/);
    assert.equal(h(m, 'cseq'), '1 NOTIFY');
    assert.equal(h(m, 'max-forwards'), '70');
    assert.equal(h(m, 'contact'), `<sip:node-red@127.0.0.1:${client.localPort}>`);
    assert.equal(h(m, 'user-agent'), 'test-agent/1');
    assert.equal(h(m, 'content-type'), 'application/snomxml');
    assert.equal(h(m, 'content-length'), String(Buffer.byteLength(XML)), 'bytes, not characters');
    assert.equal(m.body, XML);
  });

  it('bound to all addresses, Via/Contact name the address the OS uses toward the phone; advertisedAddress overrides', async () => {
    const peer = await RawPeer.udp();
    peers.push(peer);
    const wild = new SipClient({ timers: { t1: T1 } });
    const adv = new SipClient({ localAddress: '127.0.0.1', advertisedAddress: 'pbx.example.net', timers: { t1: T1 } });
    clients.push(wild, adv);
    peer.onMessage = (m) => m.method && peer.reply(m, 200, 'OK');
    const target = { host: '127.0.0.1', port: peer.port };
    await wild.send(buildCheckSyncNotify(), { target });
    await adv.send(buildCheckSyncNotify(), { target });
    const [a, b] = peer.requests();
    assert.match(h(a, 'via'), new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${wild.localPort};`));
    assert.match(h(b, 'via'), new RegExp(`^SIP/2\\.0/UDP pbx\\.example\\.net:${adv.localPort};`));
    assert.equal(h(b, 'contact'), `<sip:node-red@pbx.example.net:${adv.localPort}>`);
  });

  it('a local port already in use → E_UNREACHABLE naming it', async () => {
    const port = await freeUdpPort();
    const a = new SipClient({ localAddress: '127.0.0.1', localPort: port });
    const b = new SipClient({ localAddress: '127.0.0.1', localPort: port });
    clients.push(a, b);
    await a.open();
    await assert.rejects(
      b.open(),
      (e: Error & { code: string }) => e.code === 'E_UNREACHABLE' && e.message.includes(`127.0.0.1:${port}`),
    );
  });

  it('binds the local port the user chooses', async () => {
    const port = await freeUdpPort();
    const { peer, client, target } = await setup('udp', { localPort: port });
    peer.onMessage = (m) => m.method && peer.reply(m, 200, 'OK');
    await client.send(buildCheckSyncNotify(), { target });
    assert.equal(client.localPort, port);
    assert.equal(peer.received[0].remote.port, port);
    assert.match(h(peer.received[0], 'via'), new RegExp(`:${port};`));
  });

  it('UDP: the first request is dropped → timer E retransmits it (same branch) and the 200 resolves', async () => {
    const { peer, client, target } = await setup('udp');
    peer.onMessage = (m) => {
      if (m.method && peer.requests().length >= 2) peer.reply(m, 200, 'OK');
    };
    const res = await client.send(buildCheckSyncNotify(), { target });
    assert.equal(res.status, 200);
    const sent = peer.requests('NOTIFY');
    assert.ok(sent.length >= 2);
    assert.equal(branchOf(sent[1]), branchOf(sent[0]));
    assert.equal(sent[1].raw, sent[0].raw, 'a retransmission is the same message');
    assert.ok(client.stats.retransmissions >= 1);
  });

  it('UDP: no answer → E_TIMEOUT at timer F; retransmissions back off (T1 doubling, capped at T2)', async () => {
    const { peer, client, target } = await setup('udp', { timers: { t1: T1, t2: 4 * T1 } });
    await assert.rejects(
      client.send(buildCheckSyncNotify(), { target, phone: 'desk' }),
      (e: Error & { code: string; details: Record<string, unknown> }) => {
        assert.equal(e.code, 'E_TIMEOUT');
        assert.match(e.message, /NOTIFY to desk/);
        assert.equal(e.details.command, 'sip check-sync');
        return true;
      },
    );
    const n = peer.requests('NOTIFY').length;
    // Without back-off there would be 64 copies in 64·T1; capped doubling allows at most 1+3+15.
    assert.ok(n >= 2 && n <= 19, `copies: ${n}`);
    assert.equal(new Set(peer.requests().map(branchOf)).size, 1);
  });

  it('TCP: no retransmission, timer F still ends the request with E_TIMEOUT', async () => {
    const { peer, client, target } = await setup('tcp');
    await assert.rejects(client.send(buildCheckSyncNotify(), { target }), { code: 'E_TIMEOUT' });
    assert.equal(peer.requests().length, 1);
    const m = peer.requests()[0];
    assert.match(
      h(m, 'via'),
      new RegExp(`^SIP/2\\.0/TCP 127\\.0\\.0\\.1:${client.localPort};branch=z9hG4bK[0-9a-f]+$`),
    );
    assert.equal(m.startLine, `NOTIFY sip:101@127.0.0.1:${peer.port};transport=tcp SIP/2.0`);
    assert.equal(h(m, 'contact'), `<sip:node-red@127.0.0.1:${client.localPort};transport=tcp>`);
  });

  it('TCP: a response split into pieces and a provisional coalesced with the final are framed', async () => {
    const { peer, client, target } = await setup('tcp');
    const provisional: number[] = [];
    peer.onMessage = (m) => {
      if (!m.method) return;
      const text =
        peer.responseText(m, 100, 'Trying') +
        peer.responseText(m, 200, 'OK', { body: 'done', headers: ['Content-Type: text/plain'] });
      const sock = m.socket!;
      const cut = [0, 7, 30, 31, text.length - 3, text.length];
      cut.slice(1).forEach((end, i) => setTimeout(() => sock.write(text.slice(cut[i], end)), i * 5));
    };
    const res = await client.send(buildCheckSyncNotify(), { target, onProvisional: (r) => provisional.push(r.status) });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'done');
    assert.deepEqual(provisional, [100]);
  });

  it('TCP: connection refused → E_UNREACHABLE', async () => {
    const closed = await new Promise<number>((r) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const client = new SipClient({ transport: 'tcp', localAddress: '127.0.0.1', timers: { t1: T1 } });
    clients.push(client);
    await assert.rejects(client.send(buildCheckSyncNotify(), { target: { host: '127.0.0.1', port: closed } }), {
      code: 'E_UNREACHABLE',
    });
  });

  it('responses match by Via branch + CSeq method; strays and copies are ignored', async () => {
    const { peer, client, target } = await setup('udp', { timers: SLOW });
    peer.onMessage = (m) => {
      if (!m.method) return;
      const stray = peer.responseText(m, 500, 'Stray').replace(/branch=[^;\r\n]+/, 'branch=z9hG4bKother');
      const wrongMethod = peer.responseText(m, 500, 'Wrong method').replace(/CSeq: (\d+) NOTIFY/, 'CSeq: $1 INFO');
      peer.send(stray, m.remote);
      peer.send(wrongMethod, m.remote);
      peer.reply(m, 202, 'Accepted');
      peer.reply(m, 603, 'Late copy'); // a second final after the first: ignored
    };
    const res = await client.send(buildCheckSyncNotify(), { target });
    assert.equal(res.status, 202);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(client.stats.strayResponses, 2);
    // The client still works for the next request.
    peer.onMessage = (m) => m.method && peer.reply(m, 200, 'OK');
    assert.equal((await client.send(buildCheckSyncNotify(), { target })).status, 200);
  });

  it('a non-2xx final → E_SIP with status and reason in details and message', async () => {
    const { peer, client, target } = await setup('udp');
    peer.onMessage = (m) => m.method && peer.reply(m, 403, 'Forbidden (not in mb_trusted_hosts)');
    await assert.rejects(
      client.send(buildMinibrowserNotify({ xml: XML }), { target }),
      (e: Error & { code: string; details: Record<string, unknown> }) => {
        assert.equal(e.code, 'E_SIP');
        assert.equal(e.details.status, 403);
        assert.equal(e.details.reason, 'Forbidden (not in mb_trusted_hosts)');
        assert.equal(e.details.command, 'sip minibrowser');
        assert.match(e.message, /403 Forbidden/);
        return true;
      },
    );
  });

  function challenge(peer: RawPeer, m: PeerMessage, status: 401 | 407, nonce: string) {
    const name = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    peer.reply(m, status, status === 401 ? 'Unauthorized' : 'Proxy Authentication Required', {
      headers: [`${name}: Digest realm="snom", nonce="${nonce}", qop="auth", algorithm=MD5`],
    });
  }

  for (const status of [401, 407] as const) {
    it(`${status} then 200: answered once with Digest (uri = Request-URI, qop=auth), new CSeq, same Call-ID and From tag`, async () => {
      const { peer, client, target } = await setup('udp', { timers: SLOW });
      peer.onMessage = (m) => {
        if (!m.method) return;
        if (peer.requests().length === 1) challenge(peer, m, status, 'n0nce');
        else peer.reply(m, 200, 'OK');
      };
      const res = await client.send(buildCheckSyncNotify(), {
        target,
        credentials: { user: '101', password: 's3cr"et' },
      });
      assert.equal(res.status, 200);
      const [first, second] = peer.requests();
      assert.equal(peer.requests().length, 2);
      assert.equal(h(second, 'call-id'), h(first, 'call-id'));
      assert.equal(tagOf(h(second, 'from')), tagOf(h(first, 'from')));
      assert.equal(h(first, 'cseq'), '1 NOTIFY');
      assert.equal(h(second, 'cseq'), '2 NOTIFY');
      assert.notEqual(branchOf(second), branchOf(first));
      const header = status === 401 ? 'authorization' : 'proxy-authorization';
      assert.equal(second.headers.has(status === 401 ? 'proxy-authorization' : 'authorization'), false);
      const p = digestParams(h(second, header));
      assert.equal(p.get('username'), '101');
      assert.equal(p.get('realm'), 'snom');
      assert.equal(p.get('uri'), second.uri);
      assert.equal(p.get('qop'), 'auth');
      assert.equal(p.get('nc'), '00000001');
      assert.equal(p.get('response'), expectedDigest('101', 'snom', 's3cr"et', 'NOTIFY', p));
    });
  }

  it('a second 401 is a failed login: E_AUTH after exactly two requests (no loop)', async () => {
    const { peer, client, target } = await setup('udp', { timers: SLOW });
    let n = 0;
    peer.onMessage = (m) => m.method && challenge(peer, m, 401, `n${++n}`);
    await assert.rejects(
      client.send(buildCheckSyncNotify(), { target, credentials: { user: 'u', password: 'wrong' } }),
      (e: Error & { code: string; details: Record<string, unknown> }) => {
        assert.equal(e.code, 'E_AUTH');
        assert.equal(e.details.status, 401);
        assert.doesNotMatch(e.message, /wrong/);
        return true;
      },
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(peer.requests().length, 2);
  });

  it('401 without credentials → E_AUTH after one request', async () => {
    const { peer, client, target } = await setup('udp', { timers: SLOW });
    peer.onMessage = (m) => m.method && challenge(peer, m, 401, 'x');
    await assert.rejects(client.send(buildCheckSyncNotify(), { target }), { code: 'E_AUTH' });
    assert.equal(peer.requests().length, 1);
  });

  it('a 481 to an out-of-dialog request is E_SIP 481', async () => {
    const { peer, client, target } = await setup('tcp');
    peer.onMessage = (m) => m.method && peer.reply(m, 481, 'Call/Transaction Does Not Exist');
    await assert.rejects(
      client.send(buildCheckSyncNotify(), { target }),
      (e: Error & { code: string; details: Record<string, unknown> }) => {
        assert.equal(e.code, 'E_SIP');
        assert.equal(e.details.status, 481);
        return true;
      },
    );
  });

  it('UDP provisional (1xx) then final: retransmissions continue at T2 until the final', async () => {
    const { peer, client, target } = await setup('udp', { timers: { t1: T1, t2: 2 * T1 } });
    peer.onMessage = (m) => {
      if (!m.method) return;
      const count = peer.requests().length;
      if (count === 1) peer.reply(m, 180, 'Ringing');
      if (count === 3) peer.reply(m, 200, 'OK');
    };
    const seen: number[] = [];
    const res = await client.send(buildCheckSyncNotify(), { target, onProvisional: (r) => seen.push(r.status) });
    assert.equal(res.status, 200);
    assert.deepEqual(seen, [180]);
    assert.ok(peer.requests().length >= 3, 'retransmitted after the 180');
  });
});
