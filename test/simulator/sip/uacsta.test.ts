// uaCSTA (docs/protocol.md §10.7): the association by INVITE, CSTA requests in INFO with the response in
// the 200 OK, and CSTA events as INFO from the phone as its calls change, however they were driven.
import assert from 'node:assert/strict';
import type { SimPhone } from '../../../src/simulator/phone';
import { digest, request, waitState } from '../helpers';
import { CstaClient, ED5, el, MONITOR_START, root, RSS_ED3 } from './csta-client';
import { answerTo, branch, one, sipRequest, TcpPeer, UdpPeer, type Msg, type Peer } from './peer';
import { calls, ring, settings, sim, sipPhone, sipState } from './helpers';

const DEVICE = 'sip:455455@ser.intern.snom.de';
const conn = (name: string, id: string): string =>
  `<${name}><callID>${id}</callID><deviceID>${DEVICE}</deviceID></${name}>`;
const bare = (op: string, inner: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><${op} xmlns="${ED5}">${inner}</${op}>`;

async function cstaPhone(firmware: string, more: Record<string, string> = {}): Promise<SimPhone> {
  const p = await sipPhone({ firmware, identities: [DEVICE, 'sip:455456@ser.intern.snom.de'] });
  await settings(p, { csta_control: 'on', ...more });
  return p;
}

describe('simulator SIP: uaCSTA', () => {
  const phones: SimPhone[] = [];
  const peers: Peer[] = [];
  const open = async (
    firmware: string,
    more: Record<string, string> = {},
    tcp = false,
  ): Promise<{ phone: SimPhone; peer: Peer; c: CstaClient }> => {
    const phone = await cstaPhone(firmware, more);
    phones.push(phone);
    const peer = tcp ? await TcpPeer.open(phone.sipPorts!.tcp) : await UdpPeer.open(phone.sipPorts!.udp);
    peers.push(peer);
    return { phone, peer, c: new CstaClient(peer) };
  };
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
    await Promise.all(phones.splice(0).map((p) => p.stop()));
  });

  /** Opens the association and starts monitoring the first identity; returns the monitorCrossRefID. */
  const monitor = async (c: CstaClient): Promise<string> => {
    assert.equal((await c.open()).status, 200);
    const r = await c.info(MONITOR_START(DEVICE));
    assert.equal(r.status, 200);
    return el(r.body, 'monitorCrossRefID');
  };

  it('INVITE with RequestSystemStatus (ed3) sets up the association: 200 with Contact and To tag, the response in its body, resent until the ACK', async () => {
    const { phone, peer, c } = await open('8.7.1');
    peer.send(c.inviteText(RSS_ED3));
    const r = await peer.response(c.callId);
    assert.equal(r.startLine, 'SIP/2.0 200 OK');
    assert.match(one(r, 'to'), /^<sip:455455@127\.0\.0\.1>;tag=[0-9a-f]+$/);
    assert.match(one(r, 'contact'), /^<sip:455455@127\.0\.0\.1:\d+;transport=udp>$/);
    assert.equal(one(r, 'content-type'), 'application/csta+xml');
    assert.equal(one(r, 'content-disposition'), 'signal;handling=required');
    assert.match(
      r.body,
      new RegExp(
        `^<\\?xml version="1\\.0" encoding="utf-8"\\?>\\s*<RequestSystemStatusResponse xmlns="${ED5}"><systemStatus>normal</systemStatus></RequestSystemStatusResponse>$`,
      ),
    );
    // No ACK yet: the same 200 comes again (RFC 3261 §13.3.1.4), and the association is early.
    const again = await peer.response(c.callId);
    assert.equal(again.raw, r.raw);
    let s = await sipState(phone);
    assert.deepEqual(
      s.associations.map((a) => [a.state, a.identity, a.remote, a.transport]),
      [['early', 1, 'sip:cti@127.0.0.1', 'udp']],
    );
    c.to = one(r, 'to');
    c.ack();
    s = await waitSip(phone, (x) => x.associations[0]?.state === 'confirmed');
    assert.equal(s.associations[0].target, `sip:cti@127.0.0.1:${peer.port};transport=udp`);
  });

  it('8.7.1 (no HTTP CSTA): MonitorStart (the published example, docs/protocol.md §10.7), a call rings → DeliveredEvent; AnswerCall → EstablishedEvent; ClearConnection → ConnectionClearedEvent', async () => {
    const { phone, c } = await open('8.7.1');
    assert.equal(
      (await request(`${phone.url}/csta`, { method: 'POST', body: bare('RequestSystemStatus', '') })).status,
      500,
      'HTTP CSTA is broken on 8.7.1',
    );
    assert.equal((await c.open()).status, 200);
    const ms = await c.info(MONITOR_START(DEVICE));
    assert.equal(ms.status, 200);
    assert.match(
      ms.body,
      new RegExp(
        `<MonitorStartResponse xmlns="${ED5}"><monitorCrossRefID>(\\d+)</monitorCrossRefID><monitorExistingCalls>true</monitorExistingCalls></MonitorStartResponse>`,
      ),
    );
    const ref = el(ms.body, 'monitorCrossRefID');

    const id = await ring(phone, 'sip:200@pbx.local');
    const [delivered] = await c.waitEvents(1);
    assert.equal(delivered.startLine, `INFO sip:cti@127.0.0.1:${c.peer.port};transport=udp SIP/2.0`);
    assert.equal(one(delivered, 'content-type'), 'application/csta+xml');
    assert.equal(one(delivered, 'call-id'), c.callId);
    assert.match(
      one(delivered, 'from'),
      new RegExp(`^<sip:455455@127\\.0\\.0\\.1>;tag=${/tag=(\w+)/.exec(c.to)![1]}$`),
    );
    assert.equal(one(delivered, 'to'), `"CTI" <sip:cti@127.0.0.1>;tag=${c.tag}`);
    assert.equal(root(delivered.body), 'DeliveredEvent');
    assert.match(delivered.body, new RegExp(`xmlns="${ED5}"`));
    assert.equal(el(delivered.body, 'monitorCrossRefID'), ref);
    assert.ok(delivered.body.includes(conn('connection', id)), delivered.body);
    assert.equal(el(el(delivered.body, 'callingDevice'), 'deviceIdentifier'), 'sip:200@pbx.local');
    assert.equal(el(el(delivered.body, 'alertingDevice'), 'deviceIdentifier'), DEVICE);
    assert.equal(el(delivered.body, 'localConnectionInfo'), 'alerting');

    const ans = await c.info(bare('AnswerCall', conn('callToBeAnswered', id)));
    assert.equal(ans.status, 200);
    assert.match(ans.body, new RegExp(`<AnswerCallResponse xmlns="${ED5}"/>`));
    const events = await c.waitEvents(2);
    assert.equal(root(events[1].body), 'EstablishedEvent');
    assert.ok(events[1].body.includes(conn('establishedConnection', id)));
    assert.equal(el(el(events[1].body, 'answeringDevice'), 'deviceIdentifier'), DEVICE);
    assert.equal((await calls(phone)).find((x) => x.cstaId === id)?.state, 'connected');

    const clr = await c.info(bare('ClearConnection', conn('connectionToBeCleared', id)));
    assert.match(clr.body, /<ClearConnectionResponse/);
    await c.waitEvents(3);
    assert.equal(root(c.events[2].body), 'ConnectionClearedEvent');
    assert.ok(c.events[2].body.includes(conn('droppedConnection', id)));
    assert.equal(el(c.events[2].body, 'cause'), 'normalClearing');
    // Each event went in its own INFO with a rising CSeq.
    const seqs = c.events.map((e) => Number(one(e, 'cseq').split(' ')[0]));
    assert.deepEqual(
      c.events.map((e) => one(e, 'cseq').split(' ')[1]),
      ['INFO', 'INFO', 'INFO'],
    );
    assert.ok(seqs[0] < seqs[1] && seqs[1] < seqs[2]);
    const s = await sipState(phone);
    assert.deepEqual(
      s.events.map((e) => [e.event, e.cstaId, e.status]),
      [
        ['DeliveredEvent', id, 200],
        ['EstablishedEvent', id, 200],
        ['ConnectionClearedEvent', id, 200],
      ],
    );
  });

  it('reports calls driven by dialling, keys, the far end and HTTP CSTA (8.7.5)', async () => {
    const { phone, c } = await open('8.7.5.35');
    await monitor(c);
    // dial: the phone originates a call
    assert.equal((await request(`${phone.url}/command.htm?number=0301234`)).status, 302);
    await c.waitEvents(3);
    assert.deepEqual(c.names(), ['ServiceInitiatedEvent', 'OriginatedEvent', 'DeliveredEvent']);
    const id = el(el(c.events[1].body, 'originatedConnection'), 'callID');
    assert.equal(el(el(c.events[1].body, 'calledDevice'), 'deviceIdentifier'), 'sip:0301234@ser.intern.snom.de');
    // the far end answers
    await sim(phone, 'POST', `calls/${id}/answer-remote`);
    await c.waitEvents(4);
    assert.equal(root(c.events[3].body), 'EstablishedEvent');
    assert.equal(el(el(c.events[3].body, 'answeringDevice'), 'deviceIdentifier'), 'sip:0301234@ser.intern.snom.de');
    // keys: F_HOLD twice
    await request(`${phone.url}/command.htm?key=F_HOLD`);
    await c.waitEvents(5);
    await request(`${phone.url}/command.htm?key=F_HOLD`);
    await c.waitEvents(6);
    assert.deepEqual(c.names().slice(4), ['HeldEvent', 'RetrievedEvent']);
    assert.ok(c.events[4].body.includes(conn('heldConnection', id)));
    assert.equal(el(c.events[4].body, 'localConnectionInfo'), 'hold');
    // HTTP CSTA clears it
    const http = await request(`${phone.url}/csta`, {
      method: 'POST',
      body: bare('ClearConnection', conn('connectionToBeCleared', id)),
    });
    assert.equal(http.status, 200);
    await c.waitEvents(7);
    assert.equal(root(c.events[6].body), 'ConnectionClearedEvent');
    assert.equal(el(el(c.events[6].body, 'releasingDevice'), 'deviceIdentifier'), DEVICE);
    // a call the far end hangs up is released by the far end
    const id2 = await ring(phone, '777');
    await sim(phone, 'POST', `calls/${id2}/hangup-remote`);
    await c.waitEvents(9);
    assert.deepEqual(c.names().slice(7), ['DeliveredEvent', 'ConnectionClearedEvent']);
    assert.equal(el(el(c.events[8].body, 'releasingDevice'), 'deviceIdentifier'), 'sip:777@ser.intern.snom.de');
  });

  it('DoNotDisturbEvent and ForwardingEvent, from uaCSTA SetDoNotDisturb/SetForwarding and the DND key', async () => {
    const { phone, c } = await open('8.7.5.35');
    const ref = await monitor(c);
    const dnd = await c.info(
      bare('SetDoNotDisturb', `<device>${DEVICE}</device><doNotDisturbOn>true</doNotDisturbOn>`),
    );
    assert.match(dnd.body, /<SetDoNotDisturbResponse/);
    await c.waitEvents(1);
    assert.equal(root(c.events[0].body), 'DoNotDisturbEvent');
    assert.equal(el(c.events[0].body, 'monitorCrossRefID'), ref);
    assert.equal(el(el(c.events[0].body, 'device'), 'deviceIdentifier'), DEVICE);
    assert.equal(el(c.events[0].body, 'doNotDisturbOn'), 'true');
    await request(`${phone.url}/command.htm?key=DND`);
    await c.waitEvents(2);
    assert.equal(el(c.events[1].body, 'doNotDisturbOn'), 'false');
    await c.info(
      bare(
        'SetForwarding',
        `<device>${DEVICE}</device><forwardingType>forwardImmediate</forwardingType><activateForward>true</activateForward><forwardDN>sip:900@pbx.local</forwardDN>`,
      ),
    );
    await c.waitEvents(3);
    assert.equal(root(c.events[2].body), 'ForwardingEvent');
    assert.deepEqual(
      ['forwardingType', 'forwardStatus', 'forwardTo'].map((n) => el(c.events[2].body, n)),
      ['forwardImmediate', 'true', 'sip:900@pbx.local'],
    );
  });

  it('8.7.4: MonitorStop and SystemRegister in the published forms (docs/protocol.md §10.7); after MonitorStop no events come', async () => {
    const { phone, c } = await open('8.7.4');
    const ref = await monitor(c);
    const sr = await c.info(
      `<SystemRegister xmlns='${ED5}'><requestTypes><switchingFunctionDevicesChanged>true</switchingFunctionDevicesChanged></requestTypes></SystemRegister>`,
    );
    assert.match(
      sr.body,
      new RegExp(
        `<SystemRegisterResponse xmlns="${ED5}"><sysStatRegisterID>\\d+</sysStatRegisterID></SystemRegisterResponse>`,
      ),
    );
    const stop = await c.info(
      `<MonitorStop xmlns='${ED5}'><monitorCrossRefID>${ref}</monitorCrossRefID></MonitorStop>`,
    );
    assert.match(stop.body, new RegExp(`<MonitorStopResponse xmlns="${ED5}"/>`));
    const again = await c.info(
      `<MonitorStop xmlns='${ED5}'><monitorCrossRefID>${ref}</monitorCrossRefID></MonitorStop>`,
    );
    assert.equal(el(again.body, 'operation'), 'invalidCrossRefID');
    await ring(phone);
    // A request after the ring: its answer comes after any event the ring would have caused.
    await c.info(bare('RequestSystemStatus', ''));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(c.names(), []);
    assert.deepEqual((await sipState(phone)).associations[0].monitors, []);
  });

  it('before 8.7.4 MonitorStop and SystemRegister are not offered: a CSTAErrorCode serviceNotSupported in the 200', async () => {
    const { c } = await open('8.7.3');
    const ref = await monitor(c);
    const r = await c.info(`<MonitorStop xmlns='${ED5}'><monitorCrossRefID>${ref}</monitorCrossRefID></MonitorStop>`);
    assert.equal(r.status, 200);
    assert.match(
      r.body,
      new RegExp(`<CSTAErrorCode xmlns="${ED5}"><operation>serviceNotSupported</operation></CSTAErrorCode>`),
    );
  });

  it('SnapshotDevice, and CSTA errors in the 200: wrong namespace, unknown call, unknown device', async () => {
    const { phone, c } = await open('8.7.5.35');
    await monitor(c);
    const id = await ring(phone);
    const snap = await c.info(bare('SnapshotDevice', `<snapshotObject>455455@ser.intern.snom.de</snapshotObject>`));
    assert.ok(snap.body.includes(conn('connectionIdentifier', id)), snap.body);
    assert.equal(el(snap.body, 'localConnectionState'), 'alerting');
    const wrongNs = await c.info(
      `<AnswerCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4">${conn('callToBeAnswered', id)}</AnswerCall>`,
    );
    assert.equal(el(wrongNs.body, 'operation'), 'generic');
    assert.equal(
      el((await c.info(bare('AnswerCall', conn('callToBeAnswered', '-99')))).body, 'operation'),
      'invalidCallID',
    );
    assert.equal(el((await c.info(MONITOR_START('sip:999@elsewhere'))).body, 'operation'), 'invalidDeviceID');
    assert.equal((await calls(phone)).find((x) => x.cstaId === id)?.state, 'ringing');
    const s = await sipState(phone);
    assert.deepEqual(
      s.cstaRequests.slice(-4).map((r) => [r.operation, r.error ?? '']),
      [
        ['SnapshotDevice', ''],
        ['AnswerCall', 'generic'],
        ['AnswerCall', 'invalidCallID'],
        ['MonitorStart', 'invalidDeviceID'],
      ],
    );
  });

  it('refuses: 415 before 8.7.1, 488 for SDP, 403 with csta_control off, 404 for another user, 415/400 for bad INFO bodies', async () => {
    const old = await open('8.7.0');
    const r870 = await old.c.open();
    assert.equal(r870.status, 415);
    assert.equal(one(r870, 'accept'), 'application/sdp');
    const { phone, peer, c } = await open('8.7.5.35');
    const sdp = await peer.ask(
      sipRequest(
        'INVITE sip:455455@127.0.0.1 SIP/2.0',
        [
          peer.via(),
          'From: <sip:x@127.0.0.1>;tag=1',
          'To: <sip:455455@127.0.0.1>',
          'Call-ID: sdp-1',
          'CSeq: 1 INVITE',
          `Contact: <sip:x@127.0.0.1:${peer.port}>`,
          'Content-Type: application/sdp',
        ],
        'v=0\r\n',
      ),
    );
    assert.equal(sdp.status, 488);
    assert.equal((await new CstaClient(peer, 'sip:999@127.0.0.1').open()).status, 404);
    await settings(phone, { csta_control: 'off' });
    const off = await new CstaClient(peer).open();
    assert.equal(off.status, 403);
    assert.match(one(off, 'warning'), /csta_control is off/);
    await settings(phone, { csta_control: 'off', csta_control2: 'on' });
    assert.equal(
      (await new CstaClient(peer, 'sip:455456@127.0.0.1').open()).status,
      200,
      'csta_control2 controls identity 2',
    );
    await settings(phone, { csta_control: 'on' });
    assert.equal((await c.open()).status, 200);
    const text = await peer.ask(c.infoText('hello', branch(), c.cseq++, 'text/plain'));
    assert.equal(text.status, 415);
    assert.equal(one(text, 'accept'), 'application/csta+xml');
    assert.equal((await c.info('<AnswerCall xmlns="x"><unclosed>')).status, 400);
    assert.equal((await sipState(phone)).associations.length, 2);
  });

  it('csta_challenge=1: the first INVITE gets a Digest challenge (user_name1/user_pass1), the answered one 200; INFO is not challenged', async () => {
    const { phone, peer, c } = await open('8.7.5.35', { csta_challenge: '1', user_pass1: 'cti-pass' });
    const first = await c.open();
    assert.equal(first.status, 401);
    const h = one(first, 'www-authenticate');
    const ch: Record<string, string> = {};
    for (const m of h.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) ch[m[1]] = m[2] ?? m[3];
    assert.equal(ch.realm, 'ser.intern.snom.de');
    // the 401 is ACKed in its own transaction (same branch); the new INVITE carries the answer
    const auth = digest(ch, { user: '455455', password: 'cti-pass', method: 'INVITE', uri: c.uri });
    const ok = await c.open(RSS_ED3, [`Authorization: ${auth}`]);
    assert.equal(ok.status, 200);
    assert.equal((await c.info(MONITOR_START(DEVICE))).status, 200);
    assert.deepEqual(
      (await sipState(phone)).associations.map((a) => a.authenticated),
      [true],
    );
    const wrong = await new CstaClient(peer).open(RSS_ED3, [
      `Authorization: ${digest(ch, { user: '455455', password: 'guess', method: 'INVITE', uri: c.uri, nc: 9 })}`,
    ]);
    assert.equal(wrong.status, 401);
  });

  it('BYE ends the association; a later INFO gets 481 and no more events come', async () => {
    const { phone, c } = await open('8.7.5.35');
    await monitor(c);
    assert.equal((await c.bye()).status, 200);
    assert.equal((await c.info(bare('RequestSystemStatus', ''))).status, 481);
    await ring(phone);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(c.names(), []);
    const s = await sim<{ associations: unknown[]; ended: Array<{ why: string }> }>(phone, 'GET', 'sip/associations');
    assert.deepEqual([s.associations.length, s.ended.map((e) => e.why)], [0, ['BYE from the client']]);
  });

  it('a reboot (check-sync reboot=true) loses the association: no events for the dropped calls, later INFO 481', async () => {
    const { phone, peer, c } = await open('8.7.5.35');
    await monitor(c);
    const id = await ring(phone);
    await c.waitEvents(1);
    const r = await peer.ask(
      sipRequest('NOTIFY sip:455455@127.0.0.1 SIP/2.0', [
        peer.via(),
        'From: <sip:prov@127.0.0.1>;tag=p',
        'To: <sip:455455@127.0.0.1>',
        'Call-ID: reboot-1',
        'CSeq: 1 NOTIFY',
        'Event: check-sync;reboot=true',
      ]),
    );
    assert.equal(r.status, 200);
    await waitState(phone, (s) => s.reboots === 1);
    assert.equal((await calls(phone)).find((x) => x.cstaId === id)?.state, 'disconnected');
    assert.equal((await c.info(bare('RequestSystemStatus', ''))).status, 481);
    assert.deepEqual(c.names(), ['DeliveredEvent']);
    const s = await sipState(phone);
    assert.deepEqual([s.associations.length, s.ended.map((e) => e.why)], [0, ['the phone rebooted']]);
  });

  it('an event the client answers with 481 ends the association', async () => {
    const { phone, c } = await open('8.7.5.35');
    await monitor(c);
    c.answerWith = 481;
    await ring(phone);
    await c.waitEvents(1);
    const s = await waitSip(phone, (x) => x.associations.length === 0);
    assert.match(s.ended[0].why, /481/);
    assert.equal(s.events[0].status, 481);
  });

  it('resends an unanswered event over UDP with the same branch (Timer E), and sends the next only after the answer', async () => {
    const { phone, peer, c } = await open('8.7.5.35');
    await monitor(c);
    c.answerWith = null;
    peer.intercept = null;
    await ring(phone);
    const a = await peer.request('INFO');
    const b = await peer.request('INFO');
    assert.equal(b.raw, a.raw, 'a retransmission, byte for byte');
    assert.equal(root(a.body), 'DeliveredEvent');
    await sim(phone, 'POST', 'calls', { remote: '333' });
    // Until the first is answered the second event waits: only copies of the first arrive.
    const c3 = await peer.request('INFO');
    assert.equal(c3.raw, a.raw);
    peer.send(answerTo(a, 200));
    const next = await peer.next((m) => m.method === 'INFO' && m.raw !== a.raw);
    assert.equal(root(next.body), 'DeliveredEvent');
    assert.ok(next.body.includes('sip:333@'));
  });

  it("works over TCP: the answers and the events come on the client's connection", async () => {
    const { phone, peer, c } = await open('8.7.5.35', {}, true);
    const r = await c.open();
    assert.match(one(r, 'contact'), /transport=tcp>$/);
    assert.equal((await c.info(MONITOR_START(DEVICE))).status, 200);
    const id = await ring(phone);
    await c.waitEvents(1);
    assert.match(one(c.events[0], 'via'), /^SIP\/2\.0\/TCP 127\.0\.0\.1:\d+;branch=z9hG4bK/);
    assert.ok(c.events[0].body.includes(conn('connection', id)));
    assert.equal((await sipState(phone)).associations[0].transport, 'tcp');
    void peer;
  });

  it('a retransmitted INFO gets the same 200 and MakeCall runs once; a lower CSeq is out of order (500)', async () => {
    const { phone, peer, c } = await open('8.7.5.35');
    assert.equal((await c.open()).status, 200);
    const make = bare(
      'MakeCall',
      `<callingDevice>${DEVICE}</callingDevice><calledDirectoryNumber>455360</calledDirectoryNumber><autoOriginate>doNotPrompt</autoOriginate>`,
    );
    const text = c.infoText(make, branch(), 10);
    const first = await peer.ask(text);
    const second = await peer.ask(text);
    assert.equal(second.raw, first.raw);
    assert.equal(el(el(first.body, 'callingDevice'), 'callID'), '-1');
    assert.equal((await calls(phone)).length, 1);
    const old = await peer.ask(c.infoText(bare('RequestSystemStatus', ''), branch(), 9));
    assert.equal(old.status, 500);
  });

  it('without an ACK the 200 is resent for 64*T1, then the phone sends BYE and forgets the association', async () => {
    const { phone, peer, c } = await open('8.7.5.35');
    peer.send(c.inviteText(RSS_ED3));
    const bye: Msg = await peer.request('BYE');
    assert.equal(one(bye, 'call-id'), c.callId);
    assert.match(one(bye, 'cseq'), /^\d+ BYE$/);
    const s = await sipState(phone);
    assert.deepEqual([s.associations.length, s.ended[0]?.why], [0, 'no ACK for the 200 to INVITE']);
  });
});

async function waitSip(
  phone: SimPhone,
  cond: (s: Awaited<ReturnType<typeof sipState>>) => boolean,
): Promise<Awaited<ReturnType<typeof sipState>>> {
  for (let i = 0; i < 200; i++) {
    const s = await sipState(phone);
    if (cond(s)) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('SIP state condition never held');
}
