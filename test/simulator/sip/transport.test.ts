// RFC 3261 behaviour of the simulated phone's SIP side, driven with literal SIP text over UDP and TCP.
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import fc from 'fast-check';
import type { SimPhone } from '../../../src/simulator/phone';
import { branch, one, parse, rand, sipRequest, TcpPeer, UdpPeer, type Msg } from './peer';
import { sim, sipPhone, sipState } from './helpers';

describe('simulator SIP: transport and transactions (RFC 3261)', () => {
  let phone: SimPhone;
  let udp: UdpPeer;

  before(async () => {
    phone = await sipPhone();
    udp = await UdpPeer.open(phone.sipPorts!.udp);
  });
  after(async () => {
    await udp.close();
    await phone.stop();
  });

  const options = (callId: string, via = udp.via(), extra: string[] = []): string =>
    sipRequest('OPTIONS sip:100@127.0.0.1 SIP/2.0', [
      via,
      'Max-Forwards: 70',
      'From: "Test" <sip:test@127.0.0.1>;tag=ft1',
      'To: <sip:100@127.0.0.1>',
      `Call-ID: ${callId}`,
      'CSeq: 7 OPTIONS',
      ...extra,
    ]);

  it('listens on UDP and TCP and reports the ports (phone.sipPorts, /sim/sip, /sim/state)', async () => {
    const s = await sipState(phone);
    assert.ok(phone.sipPorts && phone.sipPorts.udp > 0 && phone.sipPorts.tcp > 0);
    assert.deepEqual({ udp: s.udpPort, tcp: s.tcpPort }, phone.sipPorts);
    const st = await sim<{ sip: { udp: number; tcp: number } }>(phone, 'GET', 'state');
    assert.deepEqual(st.sip, phone.sipPorts);
  });

  it('answers OPTIONS over UDP: Via, From, Call-ID, CSeq copied, a To tag added, rport and received filled in', async () => {
    const b = branch();
    const r = await udp.ask(options('opt-1', `Via: SIP/2.0/UDP 127.0.0.1:${udp.port};branch=${b};rport`));
    assert.equal(r.startLine, 'SIP/2.0 200 OK');
    assert.equal(one(r, 'via'), `SIP/2.0/UDP 127.0.0.1:${udp.port};branch=${b};rport=${udp.port};received=127.0.0.1`);
    assert.equal(one(r, 'from'), '"Test" <sip:test@127.0.0.1>;tag=ft1');
    assert.match(one(r, 'to'), /^<sip:100@127\.0\.0\.1>;tag=[0-9a-f]+$/);
    assert.equal(one(r, 'call-id'), 'opt-1');
    assert.equal(one(r, 'cseq'), '7 OPTIONS');
    assert.match(one(r, 'allow'), /\bNOTIFY\b.*\bMESSAGE\b/);
    assert.equal(one(r, 'allow-events'), 'talk, hold, check-sync');
    assert.equal(one(r, 'content-length'), '0');
  });

  it('without rport answers to the Via sent-by port and adds received when sent-by is a name (RFC 3261 §18.2.2)', async () => {
    const r = await udp.ask(options('opt-2', `Via: SIP/2.0/UDP client.invalid:${udp.port};branch=${branch()}`));
    assert.equal(r.status, 200);
    assert.match(
      one(r, 'via'),
      new RegExp(`^SIP/2\\.0/UDP client\\.invalid:${udp.port};branch=z9hG4bK[0-9a-f]+;received=127\\.0\\.0\\.1$`),
    );
  });

  it('copies every Via in order and keeps only the top one changed', async () => {
    const b = branch();
    const text = sipRequest('OPTIONS sip:100@127.0.0.1 SIP/2.0', [
      `Via: SIP/2.0/UDP 127.0.0.1:${udp.port};branch=${b};rport`,
      'Via: SIP/2.0/UDP proxy.invalid:5070;branch=z9hG4bKp1, SIP/2.0/TCP edge.invalid;branch=z9hG4bKe1',
      'From: <sip:t@127.0.0.1>;tag=a',
      'To: <sip:100@127.0.0.1>',
      'Call-ID: opt-3',
      'CSeq: 1 OPTIONS',
    ]);
    const r = await udp.ask(text);
    assert.deepEqual(r.h.get('via'), [
      `SIP/2.0/UDP 127.0.0.1:${udp.port};branch=${b};rport=${udp.port};received=127.0.0.1`,
      'SIP/2.0/UDP proxy.invalid:5070;branch=z9hG4bKp1',
      'SIP/2.0/TCP edge.invalid;branch=z9hG4bKe1',
    ]);
  });

  it('reads compact header forms (v, f, t, i, l) and folded lines', async () => {
    const text = sipRequest('OPTIONS sip:100@127.0.0.1 SIP/2.0', [
      `v: SIP/2.0/UDP 127.0.0.1:${udp.port};branch=${branch()};rport`,
      'f: <sip:t@127.0.0.1>',
      '  ;tag=folded',
      't: <sip:100@127.0.0.1>',
      'i: opt-compact',
      'CSeq: 2 OPTIONS',
    ]).replace('Content-Length: 0', 'l: 0');
    const r = await udp.ask(text);
    assert.equal(r.status, 200);
    assert.equal(one(r, 'call-id'), 'opt-compact');
    assert.match(one(r, 'from'), /;tag=folded$/);
  });

  it('absorbs a retransmission: the same branch gets the same answer again, and the request acts once', async () => {
    const b = branch();
    const text = sipRequest('NOTIFY sip:100@127.0.0.1 SIP/2.0', [
      udp.via(b),
      'From: <sip:pbx@127.0.0.1>;tag=r1',
      'To: <sip:100@127.0.0.1>',
      'Call-ID: retrans-1',
      'CSeq: 20 NOTIFY',
      'Event: check-sync;reboot=false',
    ]);
    const first = await udp.ask(text);
    const second = await udp.ask(text);
    assert.equal(first.status, 200);
    assert.equal(second.raw, first.raw, 'the stored answer, byte for byte (same To tag)');
    const s = await sipState(phone);
    assert.equal(s.checkSyncs.filter((c) => c.from === `127.0.0.1:${udp.port}`).length, 1);
    const rec = s.messages.filter((m) => m.callId === 'retrans-1');
    assert.deepEqual(
      rec.map((m) => [m.answer, m.retransmission ?? false]),
      [
        [200, false],
        [200, true],
      ],
    );
    // A new branch is a new transaction: it acts again and gets a new To tag.
    const third = await udp.ask(text.replace(b, branch()).replace('CSeq: 20', 'CSeq: 21'));
    assert.notEqual(one(third, 'to'), one(first, 'to'));
    assert.equal((await sipState(phone)).checkSyncs.filter((c) => c.from === `127.0.0.1:${udp.port}`).length, 2);
  });

  const expectStatus = async (text: string, status: number, warning?: RegExp): Promise<Msg> => {
    const r = await udp.ask(text);
    assert.equal(r.status, status, r.raw);
    if (warning) assert.match(one(r, 'warning'), warning);
    return r;
  };

  it('400 for malformed requests, with a Warning saying why', async () => {
    const base = [udp.via(), 'From: <sip:t@127.0.0.1>;tag=m', 'To: <sip:100@127.0.0.1>'];
    await expectStatus(
      sipRequest('OPTIONS sip:100@127.0.0.1 SIP/2.0', [...base, 'CSeq: 1 OPTIONS']),
      400,
      /missing call-id/,
    );
    await expectStatus(
      sipRequest('OPTIONS sip:100@127.0.0.1 SIP/2.0', [...base, 'Call-ID: bad-2', 'CSeq: 1 INVITE']),
      400,
      /CSeq method INVITE is not the request method OPTIONS/,
    );
    await expectStatus(
      sipRequest(
        'MESSAGE sip:100@127.0.0.1 SIP/2.0',
        [...base, 'Call-ID: bad-3', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain'],
        'hi',
        50,
      ),
      400,
      /Content-Length 50 is larger than the body \(2 bytes\)/,
    );
    await expectStatus(
      sipRequest('OPTIONS sip:100@127.0.0.1 SIP/2.0', [...base, 'Call-ID: bad-4', 'CSeq: one OPTIONS']),
      400,
      /malformed CSeq/,
    );
    await expectStatus(
      sipRequest('OPTIONS sip:100@127.0.0.1 SIP/3.0', [...base, 'Call-ID: bad-5', 'CSeq: 1 OPTIONS']),
      505,
    );
  });

  it('405 with Allow for methods the phone does not take, 501 for unknown ones, 416 for tel:, 420 for Require', async () => {
    const req = (method: string, uri = 'sip:100@127.0.0.1', extra: string[] = []): string =>
      sipRequest(`${method} ${uri} SIP/2.0`, [
        udp.via(),
        'From: <sip:t@127.0.0.1>;tag=x',
        'To: <sip:100@127.0.0.1>',
        `Call-ID: m-${rand()}`,
        `CSeq: 1 ${method}`,
        ...extra,
      ]);
    for (const m of ['REGISTER', 'SUBSCRIBE', 'PUBLISH', 'REFER']) {
      const r = await expectStatus(req(m), 405);
      assert.match(one(r, 'allow'), /INVITE.*INFO.*NOTIFY/);
    }
    await expectStatus(req('FROBNICATE'), 501);
    await expectStatus(req('OPTIONS', 'tel:+4930123'), 416);
    const r = await expectStatus(req('OPTIONS', undefined, ['Require: 100rel, timer']), 420);
    assert.equal(one(r, 'unsupported'), '100rel, timer');
  });

  it('481 for BYE and INFO outside a dialog and for a To tag that names no dialog; CANCEL per RFC 3261 §9.2', async () => {
    const req = (method: string, toTag = '', callId = `d-${rand()}`, b = branch()): string =>
      sipRequest(`${method} sip:100@127.0.0.1 SIP/2.0`, [
        udp.via(b),
        'From: <sip:t@127.0.0.1>;tag=x',
        `To: <sip:100@127.0.0.1>${toTag}`,
        `Call-ID: ${callId}`,
        `CSeq: 1 ${method}`,
      ]);
    await expectStatus(req('BYE'), 481);
    await expectStatus(req('INFO'), 481);
    await expectStatus(req('OPTIONS', ';tag=nosuchdialog'), 481);
    await expectStatus(req('CANCEL'), 481);
    // An INVITE that was refused (here 488: SDP) is answered; a CANCEL of it then gets its own 200.
    const b = branch();
    const inv = sipRequest(
      'INVITE sip:100@127.0.0.1 SIP/2.0',
      [
        udp.via(b),
        'From: <sip:t@127.0.0.1>;tag=x',
        'To: <sip:100@127.0.0.1>',
        'Call-ID: cancel-1',
        'CSeq: 5 INVITE',
        `Contact: <sip:t@127.0.0.1:${udp.port}>`,
        'Content-Type: application/sdp',
      ],
      'v=0\r\n',
    );
    const r = await udp.ask(inv);
    assert.equal(r.status, 488);
    udp.send(
      sipRequest('ACK sip:100@127.0.0.1 SIP/2.0', [
        udp.via(b),
        'From: <sip:t@127.0.0.1>;tag=x',
        `To: ${one(r, 'to')}`,
        'Call-ID: cancel-1',
        'CSeq: 5 ACK',
      ]),
    );
    const c = await udp.ask(
      sipRequest('CANCEL sip:100@127.0.0.1 SIP/2.0', [
        udp.via(b),
        'From: <sip:t@127.0.0.1>;tag=x',
        'To: <sip:100@127.0.0.1>',
        'Call-ID: cancel-1',
        'CSeq: 5 CANCEL',
      ]),
    );
    assert.equal(c.status, 200);
  });

  it('resends a non-2xx answer to INVITE over UDP until the ACK comes (Timer G), then stops', async () => {
    const b = branch();
    const inv = sipRequest(
      'INVITE sip:100@127.0.0.1 SIP/2.0',
      [
        udp.via(b),
        'From: <sip:t@127.0.0.1>;tag=g',
        'To: <sip:100@127.0.0.1>',
        'Call-ID: timer-g',
        'CSeq: 1 INVITE',
        `Contact: <sip:t@127.0.0.1:${udp.port}>`,
        'Content-Type: application/sdp',
      ],
      'v=0\r\n',
    );
    udp.send(inv);
    const first = await udp.response('timer-g');
    const again = await udp.response('timer-g');
    assert.equal(again.raw, first.raw);
    udp.send(
      sipRequest('ACK sip:100@127.0.0.1 SIP/2.0', [
        udp.via(b),
        'From: <sip:t@127.0.0.1>;tag=g',
        `To: ${one(first, 'to')}`,
        'Call-ID: timer-g',
        'CSeq: 1 ACK',
      ]),
    );
    // After the ACK an OPTIONS round trip, then several T2 intervals: no more copies may arrive.
    await udp.ask(options('after-ack'));
    udp.inbox.length = 0;
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(udp.inbox.filter((m) => one(m, 'call-id') === 'timer-g').length, 0);
  });

  it('frames TCP by Content-Length: two requests in one write, one split across writes, answers on the connection', async () => {
    const tcp = await TcpPeer.open(phone.sipPorts!.tcp);
    try {
      const msg = (id: string, body = ''): string =>
        sipRequest(
          'MESSAGE sip:100@127.0.0.1 SIP/2.0',
          [
            tcp.via(),
            'From: <sip:t@127.0.0.1>;tag=t',
            'To: <sip:100@127.0.0.1>',
            `Call-ID: ${id}`,
            'CSeq: 1 MESSAGE',
            'Content-Type: text/plain',
          ],
          body,
        );
      tcp.send(msg('tcp-1', 'hello\r\n\r\nwith an empty line') + msg('tcp-2', 'second'));
      const a = await tcp.response('tcp-1');
      const b = await tcp.response('tcp-2');
      assert.equal(a.status, 200);
      assert.equal(b.status, 200);
      assert.match(
        one(a, 'via'),
        /^SIP\/2\.0\/TCP 127\.0\.0\.1:\d+;branch=z9hG4bK[0-9a-f]+;rport=\d+;received=127\.0\.0\.1$/,
      );
      const split = msg('tcp-3', 'in two parts');
      tcp.send(split.slice(0, 40));
      await new Promise((r) => setTimeout(r, 50));
      tcp.send(split.slice(40));
      assert.equal((await tcp.response('tcp-3')).status, 200);
      const s = await sipState(phone);
      assert.deepEqual(
        s.textMessages.filter((m) => m.from.endsWith(`:${tcp.port}`)).map((m) => m.body),
        ['hello\r\n\r\nwith an empty line', 'second', 'in two parts'],
      );
    } finally {
      await tcp.close();
    }
  });

  it('property: a random datagram gets a final answer or none, nothing is accepted without the mandatory headers, and the phone keeps answering', async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const port = s.address().port;
    const got: Msg[] = [];
    s.on('message', (b) => got.push(parse(b.toString('utf8'))));
    const lines = fc.array(
      fc.oneof(
        fc.constantFrom(
          `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKfc;rport`,
          'Via: SIP/2.0/UDP 127.0.0.1:0;branch=z9hG4bKp0',
          'Via: SIP/2.0/UDP 127.0.0.1:99999;branch=z9hG4bKp9',
          'Contact: <sip:x@127.0.0.1:0>',
          'From: <sip:a@b>;tag=1',
          'To: <sip:100@127.0.0.1>',
          'Call-ID: fc',
          'CSeq: 1 MESSAGE',
          'CSeq: x',
          'Content-Length: 99',
          'Content-Length: -1',
          'Content-Type: application/x-buttons',
          ': empty name',
          'no colon',
        ),
        fc.string({ maxLength: 40 }),
      ),
      { maxLength: 8 },
    );
    const start = fc.constantFrom(
      'MESSAGE sip:100@127.0.0.1 SIP/2.0',
      'NOTIFY sip:100@127.0.0.1 SIP/2.0',
      'INVITE x SIP/2.0',
      'GARBAGE',
      'SIP/2.0 200 OK',
      '',
      'OPTIONS sip:%zz@127.0.0.1 SIP/2.0',
    );
    try {
      await fc.assert(
        fc.asyncProperty(start, lines, fc.string({ maxLength: 60 }), async (st, hs, body) => {
          got.length = 0;
          s.send(Buffer.from([st, ...hs].join('\r\n') + '\r\n\r\n' + body), phone.sipPorts!.udp, '127.0.0.1');
          const probe = `probe-${rand()}`;
          const r = await udp.ask(options(probe));
          assert.equal(r.status, 200);
          const sent = [st, ...hs].join('\r\n');
          for (const m of got) {
            assert.ok(m.status >= 200 && m.status < 700, m.startLine);
            // Nothing is accepted without the mandatory headers (RFC 3261 §8.1.1).
            if (m.status < 300)
              for (const h of ['Call-ID: fc', 'From: ', 'To: ', 'CSeq: 1 '])
                assert.ok(sent.includes(h), `${m.startLine} without ${h}`);
          }
        }),
        { seed: 11, numRuns: 60 },
      );
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});
