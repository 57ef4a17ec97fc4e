// NOTIFY to the simulated phone: minibrowser documents (docs/protocol.md §10.3), talk/hold (§10.2) and
// check-sync (§10.6), written out literally and sent over UDP.
import assert from 'node:assert/strict';
import type { SimPhone } from '../../../src/simulator/phone';
import { digest, getState, waitState } from '../helpers';
import { branch, one, rand, sipRequest, UdpPeer } from './peer';
import { calls, ring, settings, sim, sipPhone, sipState } from './helpers';
import { NOTIFY_EXAMPLE, NOTIFY_EXAMPLE_BODY } from '../../support/sip-examples';

describe('simulator SIP: NOTIFY', () => {
  let phone: SimPhone;
  let udp: UdpPeer;

  beforeEach(async () => {
    phone = await sipPhone();
    udp = await UdpPeer.open(phone.sipPorts!.udp);
  });
  afterEach(async () => {
    await udp.close();
    await phone.stop();
  });

  describe('minibrowser (application/snomxml)', () => {
    it('the example of docs/protocol.md §10.3 byte for byte: its Content-Length exceeds the datagram, so 400 (RFC 3261 §18.3), answered by rport', async () => {
      await settings(phone, { mb_trusted_hosts: '127.0.0.1' });
      assert.equal(Buffer.byteLength(NOTIFY_EXAMPLE_BODY), 167);
      const r = await udp.ask(NOTIFY_EXAMPLE);
      assert.equal(r.startLine, 'SIP/2.0 400 Bad Request');
      assert.equal(
        one(r, 'via'),
        `SIP/2.0/UDP 192.168.88.8:5060;branch=z9hG4bK001b84f6;rport=${udp.port};received=127.0.0.1`,
      );
      assert.match(one(r, 'warning'), /Content-Length 186 is larger than the body \(167 bytes\)/);
      assert.equal((await getState(phone)).minibrowser.length, 0);
    });

    it('the same example with its Content-Length corrected: 200 from a trusted host, shown as a minibrowser push', async () => {
      await settings(phone, { mb_trusted_hosts: '192.168.1.10, 127.0.0.1' });
      const r = await udp.ask(NOTIFY_EXAMPLE.replace('Content-Length: 186', 'Content-Length: 167'));
      assert.equal(r.startLine, 'SIP/2.0 200 OK');
      assert.equal(one(r, 'from'), 'sip:info@192.168.89.193');
      assert.match(one(r, 'to'), /^sip:500@domain;tag=[0-9a-f]+$/);
      assert.equal(one(r, 'call-id'), '1234@192.168.91.254');
      assert.equal(one(r, 'cseq'), '10 NOTIFY');
      const s = await getState(phone);
      assert.equal(s.minibrowser.length, 1);
      assert.equal(s.minibrowser[0].via, 'sip-notify');
      assert.deepEqual(s.minibrowser[0].fetched, {
        status: 200,
        contentType: 'application/snomxml',
        body: NOTIFY_EXAMPLE_BODY,
      });
      const screen = (s.ext as { screen: { via: string; document: string } }).screen;
      assert.deepEqual([screen.via, screen.document], ['minibrowser', NOTIFY_EXAMPLE_BODY]);
    });

    const notify = (body: string, extra: string[] = []): string =>
      sipRequest(
        'NOTIFY sip:100@127.0.0.1 SIP/2.0',
        [
          udp.via(),
          'From: <sip:pbx@127.0.0.1>;tag=mb',
          'To: <sip:100@127.0.0.1>',
          `Call-ID: mb-${rand()}`,
          'CSeq: 1 NOTIFY',
          ...extra,
          'Content-Type: application/snomxml',
        ],
        body,
      );

    it('403 from a host not in mb_trusted_hosts (127.0.0.1 untrusted by default); nothing is shown', async () => {
      const r = await udp.ask(notify('<SnomIPPhoneText><Text>x</Text></SnomIPPhoneText>'));
      assert.equal(r.status, 403);
      assert.match(one(r, 'warning'), /127\.0\.0\.1 is not in mb_trusted_hosts/);
      await settings(phone, { mb_trusted_hosts: '10.0.0.1 192.168.1.1' });
      assert.equal((await udp.ask(notify('<SnomIPPhoneText><Text>x</Text></SnomIPPhoneText>'))).status, 403);
      const s = await getState(phone);
      assert.equal(s.minibrowser.length, 0);
      assert.equal((s.ext as { screen: unknown }).screen, null);
    });

    it('trusts the registrar of a registered identity without mb_trusted_hosts', async () => {
      await settings(phone, { user_host1: '127.0.0.1:5060' });
      assert.equal(
        (await udp.ask(notify('<SnomIPPhoneText><Text>from registrar</Text></SnomIPPhoneText>'))).status,
        200,
      );
    });

    it('takes the kettenbach form (Event: xml, SnomIPPhoneText); 400 for a body that is not XML', async () => {
      await settings(phone, { mb_trusted_hosts: '127.0.0.1' });
      const doc = '<SnomIPPhoneText><Title>Call</Title><Text>Ada</Text></SnomIPPhoneText>';
      assert.equal((await udp.ask(notify(doc, ['Event: xml']))).status, 200);
      const bad = await udp.ask(notify('<SnomIPPhoneText><Text>unclosed'));
      assert.equal(bad.status, 400);
      assert.match(one(bad, 'warning'), /not well-formed XML/);
      const s = await getState(phone);
      assert.deepEqual(
        s.minibrowser.map((m) => m.fetched?.body),
        [doc],
      );
    });

    it('489 for a NOTIFY of an unknown event package, with Allow-Events', async () => {
      const r = await udp.ask(
        sipRequest('NOTIFY sip:100@127.0.0.1 SIP/2.0', [
          udp.via(),
          'From: <sip:p@127.0.0.1>;tag=e',
          'To: <sip:100@127.0.0.1>',
          'Call-ID: ev-1',
          'CSeq: 1 NOTIFY',
          'Event: dialog',
          'Subscription-State: active',
        ]),
      );
      assert.equal(r.status, 489);
      assert.equal(one(r, 'allow-events'), 'talk, hold, check-sync');
    });
  });

  describe('talk and hold', () => {
    const event = (ev: string, callId = `th-${rand()}`, toTag = ''): string =>
      sipRequest('NOTIFY sip:100@127.0.0.1 SIP/2.0', [
        udp.via(),
        'From: <sip:pbx@127.0.0.1>;tag=th',
        `To: <sip:100@127.0.0.1>${toTag}`,
        `Call-ID: ${callId}`,
        'CSeq: 2 NOTIFY',
        `Event: ${ev}`,
      ]);
    const stateOf = async (id: string): Promise<string | undefined> =>
      (await calls(phone)).find((c) => c.cstaId === id)?.state;

    it('talk answers the ringing call, hold holds it, talk retrieves it; each 200', async () => {
      const id = await ring(phone);
      assert.equal((await udp.ask(event('talk'))).status, 200);
      assert.equal(await stateOf(id), 'connected');
      assert.equal((await udp.ask(event('hold'))).status, 200);
      assert.equal(await stateOf(id), 'held');
      assert.equal((await udp.ask(event('talk'))).status, 200);
      assert.equal(await stateOf(id), 'connected');
      const s = await sipState(phone);
      assert.deepEqual(
        s.talkHold.map((t) => [t.event, t.action, t.cstaId]),
        [
          ['talk', 'answered', id],
          ['hold', 'held', id],
          ['talk', 'retrieved', id],
        ],
      );
      // The action URL of the answer fired as for a key press: the call model did the work.
      const st = await getState(phone);
      assert.deepEqual(st.lists.received, ['sip:200@pbx.local']);
    });

    it('481 when there is no call to act on (talk with none, hold with only a ringing call)', async () => {
      assert.equal((await udp.ask(event('talk'))).status, 481);
      const id = await ring(phone);
      assert.equal((await udp.ask(event('hold'))).status, 481);
      assert.equal(await stateOf(id), 'ringing');
    });

    it("a talk NOTIFY in a call's dialog (its Call-ID, a To tag) answers that call, not the newer one", async () => {
      const first = await sim<{ cstaId: string; sipCallId: string }>(phone, 'POST', 'calls', { remote: '201' });
      const second = await ring(phone, '202');
      const r = await udp.ask(event('talk', first.sipCallId, ';tag=phone-side'));
      assert.equal(r.status, 200);
      assert.equal(await stateOf(first.cstaId), 'connected');
      assert.equal(await stateOf(second), 'ringing');
    });
  });

  describe('check-sync', () => {
    const checkSync = (ev: string, extra: string[] = [], b = branch(), cseq = 1): string =>
      sipRequest('NOTIFY sip:100@127.0.0.1 SIP/2.0', [
        udp.via(b),
        'From: <sip:prov@127.0.0.1>;tag=cs',
        'To: <sip:100@127.0.0.1>',
        'Call-ID: cs-1',
        `CSeq: ${cseq} NOTIFY`,
        `Event: ${ev}`,
        ...extra,
      ]);

    it('reboot=false: 200, a re-provision is recorded and calls go on', async () => {
      const id = await ring(phone);
      assert.equal((await udp.ask(checkSync('check-sync;reboot=false'))).status, 200);
      const s = await sipState(phone);
      assert.deepEqual(
        s.checkSyncs.map((c) => [c.reboot, c.identity, c.authenticated]),
        [[false, 1, false]],
      );
      assert.equal((await calls(phone)).find((c) => c.cstaId === id)?.state, 'ringing');
      assert.equal((await getState(phone)).reboots, 0);
    });

    it('reboot=true: 200, then the phone reboots and its calls drop', async () => {
      const id = await ring(phone);
      assert.equal((await udp.ask(checkSync('check-sync;reboot=true'))).status, 200);
      const st = await waitState(phone, (x) => x.reboots === 1);
      assert.ok(st.commands.some((c) => c.name === 'reboot'));
      assert.equal((await calls(phone)).find((c) => c.cstaId === id)?.state, 'disconnected');
    });

    it('challenge_checksync=on: 401 Digest (realm user_host1); the right answer with user_pass1 gets 200, a wrong one 401', async () => {
      await settings(phone, { challenge_checksync: 'on', user_pass1: 's1p-secret' });
      const first = await udp.ask(checkSync('check-sync;reboot=false'));
      assert.equal(first.status, 401);
      const ch = parseChallenge(one(first, 'www-authenticate'));
      assert.equal(ch.realm, 'sim.local');
      assert.equal(ch.qop, 'auth');
      const uri = 'sip:100@127.0.0.1';
      const wrong = await udp.ask(
        checkSync(
          'check-sync;reboot=false',
          [`Authorization: ${digest(ch, { user: '100', password: 'nope', method: 'NOTIFY', uri })}`],
          branch(),
          2,
        ),
      );
      assert.equal(wrong.status, 401);
      const ok = await udp.ask(
        checkSync(
          'check-sync;reboot=false',
          [`Authorization: ${digest(ch, { user: '100', password: 's1p-secret', method: 'NOTIFY', uri, nc: 2 })}`],
          branch(),
          3,
        ),
      );
      assert.equal(ok.status, 200);
      assert.deepEqual(
        (await sipState(phone)).checkSyncs.map((c) => c.authenticated),
        [true],
      );
    });
  });
});

function parseChallenge(h: string): Record<string, string> {
  const out: Record<string, string> = { scheme: h.split(' ')[0] };
  const re = /(\w+)=(?:"([^"]*)"|([^,\s]+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(h.slice(h.indexOf(' ') + 1)))) out[m[1].toLowerCase()] = m[2] ?? m[3];
  return out;
}
