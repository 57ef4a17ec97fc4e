// The SIP side's control API (faults, dropping associations), other MESSAGE bodies, and the CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { main } from '../../../src/simulator/cli';
import { stopAll } from '../../../src/simulator/cluster';
import type { SimPhone } from '../../../src/simulator/phone';
import { request } from '../helpers';
import { CstaClient, MONITOR_START } from './csta-client';
import { branch, one, rand, sipRequest, UdpPeer } from './peer';
import { calls, ring, settings, sim, sipPhone, sipState } from './helpers';

describe('simulator SIP: control API, faults and CLI', () => {
  let phone: SimPhone;
  let udp: UdpPeer;

  beforeEach(async () => {
    phone = await sipPhone({ firmware: '8.7.5.35' });
    udp = await UdpPeer.open(phone.sipPorts!.udp);
  });
  afterEach(async () => {
    await udp.close();
    await phone.stop();
  });

  const talk = (b = branch(), callId = `f-${rand()}`): string =>
    sipRequest('NOTIFY sip:100@127.0.0.1 SIP/2.0', [
      udp.via(b),
      'From: <sip:pbx@127.0.0.1>;tag=f',
      'To: <sip:100@127.0.0.1>',
      `Call-ID: ${callId}`,
      'CSeq: 1 NOTIFY',
      'Event: talk',
    ]);

  it('drop: the first request is lost, its retransmission (same branch) is taken as new and answered', async () => {
    await sim(phone, 'POST', 'sip/faults', { drop: 1 });
    const id = await ring(phone);
    const text = talk();
    udp.send(text);
    udp.send(text);
    const r = await udp.response();
    assert.equal(r.status, 200);
    assert.equal((await calls(phone)).find((c) => c.cstaId === id)?.state, 'connected');
    const notes = (await sipState(phone)).messages.filter((m) => m.method === 'NOTIFY').map((m) => m.note ?? m.answer);
    assert.deepEqual(notes, ['lost (SIP fault)', 200]);
  });

  it('latencyMs: retransmissions while the phone works are absorbed; it acts once and answers each copy alike', async () => {
    await sim(phone, 'POST', 'sip/faults', { latencyMs: 300 });
    await ring(phone);
    await ring(phone, '201');
    const text = talk();
    udp.send(text);
    udp.send(text);
    udp.send(text);
    const first = await udp.response();
    assert.equal(first.status, 200);
    // One talk answered one ringing call; the other still rings.
    assert.deepEqual((await calls(phone)).map((c) => c.state).sort(), ['connected', 'ringing']);
    const s = await sipState(phone);
    assert.deepEqual(
      s.talkHold.map((t) => t.action),
      ['answered'],
    );
    assert.deepEqual(
      s.messages.filter((m) => m.method === 'NOTIFY').map((m) => m.retransmission ?? false),
      [false, true, true],
    );
    udp.send(text);
    assert.equal((await udp.response()).raw, first.raw);
  });

  it('silent: nothing is answered until the faults are cleared; a CANCEL of a waiting INVITE ends it with 487', async () => {
    await sim(phone, 'POST', 'sip/faults', { silent: true });
    await ring(phone);
    const t = talk(branch(), 'silent-1');
    udp.send(t);
    await assert.rejects(
      udp.next((m) => one(m, 'call-id') === 'silent-1', 300),
      /no matching SIP message/,
    );
    await sim(phone, 'DELETE', 'sip/faults');
    udp.send(t);
    assert.equal((await udp.response('silent-1')).status, 200);
    await sim(phone, 'POST', 'sip/faults', { latencyMs: 400 });
    const b = branch();
    udp.send(
      sipRequest(
        'INVITE sip:100@127.0.0.1 SIP/2.0',
        [
          udp.via(b),
          'From: <sip:t@127.0.0.1>;tag=c',
          'To: <sip:100@127.0.0.1>',
          'Call-ID: cancel-487',
          'CSeq: 1 INVITE',
          `Contact: <sip:t@127.0.0.1:${udp.port}>`,
          'Content-Type: application/csta+xml',
        ],
        '',
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    udp.send(
      sipRequest('CANCEL sip:100@127.0.0.1 SIP/2.0', [
        udp.via(b),
        'From: <sip:t@127.0.0.1>;tag=c',
        'To: <sip:100@127.0.0.1>',
        'Call-ID: cancel-487',
        'CSeq: 1 CANCEL',
      ]),
    );
    const answers = [await udp.response('cancel-487'), await udp.response('cancel-487')];
    assert.deepEqual(answers.map((a) => `${one(a, 'cseq')} ${a.status}`).sort(), ['1 CANCEL 200', '1 INVITE 487']);
    assert.equal((await sipState(phone)).associations.length, 0);
  });

  it('refuses unknown or bad faults with 400', async () => {
    for (const bad of [{ dorp: 1 }, { drop: -1 }, { latencyMs: 'x' }, { silent: 1 }]) {
      const r = await request(`${phone.url}/sim/sip/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(bad),
      });
      assert.equal(r.status, 400, JSON.stringify(bad));
    }
    assert.deepEqual((await sim<{ faults: unknown }>(phone, 'GET', 'sip/faults')).faults, {
      drop: 0,
      latencyMs: 0,
      silent: false,
    });
  });

  it('DELETE /sim/sip/associations {"bye":true}: the phone sends BYE and forgets; the client then gets 481', async () => {
    await settings(phone, { csta_control: 'on' });
    const c = new CstaClient(udp, 'sip:100@127.0.0.1');
    assert.equal((await c.open()).status, 200);
    assert.equal((await c.info(MONITOR_START('sip:100@sim.local'))).status, 200);
    assert.deepEqual(await sim(phone, 'DELETE', 'sip/associations', { bye: true }), { ended: 1 });
    const bye = await udp.request('BYE');
    assert.equal(one(bye, 'call-id'), c.callId);
    assert.equal(
      (await c.info('<RequestSystemStatus xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5"/>'))
        .status,
      481,
    );
  });

  it('other MESSAGE bodies get 200; XML actions count only with allow_sip_xml_action=on (8.7.4.7+)', async () => {
    const msg = (type: string, extra: string[], body: string): string =>
      sipRequest(
        'MESSAGE sip:100@127.0.0.1 SIP/2.0',
        [
          udp.via(),
          'From: <sip:pbx@127.0.0.1>;tag=m',
          'To: <sip:100@127.0.0.1>',
          `Call-ID: m-${rand()}`,
          'CSeq: 1 MESSAGE',
          ...extra,
          `Content-Type: ${type}`,
        ],
        body,
      );
    const action = '<settings><action><url target="http://x/" when="on notify"/></action></settings>';
    assert.equal((await udp.ask(msg('text/plain', [], 'hello'))).status, 200);
    assert.equal((await udp.ask(msg('application/xml', ['Event: snom-action'], action))).status, 200);
    await settings(phone, { allow_sip_xml_action: 'on' });
    assert.equal((await udp.ask(msg('application/xml', ['Event: snom-action'], action))).status, 200);
    const s = await sipState(phone);
    assert.deepEqual(
      s.textMessages.map((m) => [m.contentType, m.event, m.applied]),
      [
        ['text/plain', '', false],
        ['application/xml', 'snom-action', false],
        ['application/xml', 'snom-action', true],
      ],
    );
  });

  it('config.sip: fixed ports are used, a bad value is refused, enabled:false means no SIP', async () => {
    const free = await freePair();
    const fixed = await sipPhone({ sip: { udpPort: free, tcpPort: free } });
    try {
      assert.deepEqual(fixed.sipPorts, { udp: free, tcp: free });
    } finally {
      await fixed.stop();
    }
    await assert.rejects(sipPhone({ sip: { t1Ms: 0 } }), /sip\.t1Ms must be 1\.\.60000 ms/);
    const none = await sipPhone({ sip: { enabled: false } });
    try {
      assert.equal(none.sipPorts, null);
      assert.equal((await request(`${none.url}/sim/sip`)).status, 404);
    } finally {
      await none.stop();
    }
  });
});

describe('snom-sim CLI: SIP', () => {
  it('--help documents the SIP side and its control routes', async () => {
    const cli = path.join(__dirname, '..', '..', '..', 'src', 'simulator', 'cli.js');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [cli, '--help'], (err, o) => (err ? reject(err) : resolve(o))),
    );
    for (const s of [
      '--sip-port',
      'application/snomxml',
      'mb_trusted_hosts',
      'Event: talk | hold',
      'check-sync;reboot=false|true',
      'challenge_checksync',
      'application/x-buttons',
      'application/csta+xml',
      'csta_challenge',
      'GET    /sim/sip',
      '/sim/sip/faults',
    ])
      assert.ok(out.includes(s), s);
  });

  it("prints each phone's SIP ports; --sip-port P gives phone i the port P+i for UDP and TCP", async () => {
    const lines: string[] = [];
    const first = await main(['--phones', '2'], (l) => lines.push(l));
    try {
      assert.equal(first.code, 0);
      for (const p of first.phones)
        assert.ok(
          lines.some((l) => l.includes(`SIP 127.0.0.1 udp:${p.sipPorts!.udp} tcp:${p.sipPorts!.tcp}`)),
          lines.join('\n'),
        );
    } finally {
      await stopAll(first.phones);
    }
    const base = await freePair();
    const second = await main(['--phones', '2', '--sip-port', String(base)], () => undefined);
    try {
      assert.equal(second.code, 0);
      assert.deepEqual(
        second.phones.map((p) => p.sipPorts),
        [
          { udp: base, tcp: base },
          { udp: base + 1, tcp: base + 1 },
        ],
      );
    } finally {
      await stopAll(second.phones);
    }
    assert.equal((await main(['--sip-port', '70000'], () => undefined)).code, 2);
  });
});

/** A port P with P and P+1 free for TCP and UDP on 127.0.0.1 (just checked, then released). */
async function freePair(): Promise<number> {
  const dgram = await import('node:dgram');
  const tryPort = async (p: number): Promise<boolean> => {
    const tcp = net.createServer();
    const okTcp = await new Promise<boolean>((r) =>
      tcp.once('error', () => r(false)).listen(p, '127.0.0.1', () => r(true)),
    );
    const udp = dgram.createSocket('udp4');
    const okUdp = await new Promise<boolean>((r) => {
      udp.once('error', () => r(false));
      udp.bind(p, '127.0.0.1', () => r(true));
    });
    if (okTcp) await new Promise((r) => tcp.close(r));
    await new Promise<void>((r) => (okUdp ? udp.close(() => r()) : r()));
    return okTcp && okUdp;
  };
  for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 30000);
    if ((await tryPort(p)) && (await tryPort(p + 1))) return p;
  }
  throw new Error('no two free ports in a row');
}
