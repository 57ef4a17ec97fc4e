// snom-sip-notify in a real Node-RED runtime against simulated phones over real SIP (UDP and TCP on
// 127.0.0.1): each kind as the phone receives it, the phone's refusals (403 from an untrusted host,
// 481, Digest on check-sync), timeouts, the profile's refusals, Prepare phone through the settings
// route, and "nothing is sent on bad input" as a property.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildMinibrowserXml } from '../../src/lib/minibrowser';
import type { SimPhone } from '../../src/simulator/phone';
import { helper, nodeModule } from '../support/red';
import { simJson, simReset, simState, startPhones, stopAll } from '../support/sim';
import { ok, openFlow as openCstaFlow, type Flow, type Result } from './csta-harness';

const sipNode = nodeModule('snom-sip-notify');

const TEXT = '<SnomIPPhoneText><Title>Door</Title><Text>Someone is at the door</Text></SnomIPPhoneText>';

/** Phone config with its SIP section on the simulated phone + the node + a catch. */
function openFlow(
  phone: SimPhone,
  node: Record<string, unknown>,
  phoneExtra: Record<string, unknown> = {},
  sipPassword?: string,
): Promise<Flow> {
  const tcp = phoneExtra.sipTransport === 'tcp';
  return openCstaFlow(
    phone,
    { type: 'snom-sip-notify', ...node },
    {
      sipPort: tcp ? phone.sipPorts!.tcp : phone.sipPorts!.udp,
      sipLocalAddress: '127.0.0.1',
      sipUser: '100',
      timeout: '1500',
      ...phoneExtra,
    },
    { modules: [sipNode], credentials: sipPassword ? { sipPassword } : {} },
  );
}

function failed(r: Result, code: string): any {
  if (!r.err) throw new Error(`expected ${code}, got ${JSON.stringify(r.out?.snom)}`);
  assert.equal(r.err.error?.code, code, r.err.error?.message);
  return r.err;
}

const sip = (p: SimPhone): Promise<any> => simJson(p, 'GET', 'sip');
const settings = (p: SimPhone, s: Record<string, string>): Promise<unknown> => simJson(p, 'PUT', 'settings', s);
const ring = async (p: SimPhone): Promise<string> =>
  (await simJson(p, 'POST', 'calls', { remote: 'sip:200@pbx.local' })).cstaId;
const callStates = async (p: SimPhone): Promise<string[]> =>
  (await simJson(p, 'GET', 'state')).ext.calls.map((c: any) => c.state);

describe('snom-sip-notify', function () {
  let d785: SimPhone;
  let old: SimPhone;
  let d862: SimPhone;
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    [d785, old, d862] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33' },
      { model: 'snom360', firmware: '6.5.20' },
      { model: 'D862', firmware: '10.1.33.33' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [d785, old, d862]) {
      await simReset(p);
      await simJson(p, 'DELETE', 'sip/messages');
    }
  });
  after(async () => {
    await stopAll();
    await new Promise<void>((r) => helper.stopServer(r));
  });

  describe('(a) minibrowser document', () => {
    it('from the form: NOTIFY application/snomxml from a trusted host, shown on the phone; 200 in msg.snom', async () => {
      await settings(d785, { mb_trusted_hosts: '127.0.0.1' });
      const flow = await openFlow(d785, { kind: 'minibrowser', document: TEXT });
      const out = ok(await flow.send({ payload: 'passed on' }));
      assert.equal(out.payload, 'passed on');
      assert.equal(out.snom.status, 200);
      assert.equal(out.snom.reason, 'OK');
      assert.equal(out.snom.kind, 'minibrowser');
      assert.equal(out.snom.transport, 'udp');
      const s = await simState(d785);
      assert.equal(s.minibrowser.length, 1);
      assert.equal(s.minibrowser[0].via, 'sip-notify');
      assert.deepEqual(s.minibrowser[0].fetched, { status: 200, contentType: 'application/snomxml', body: TEXT });
      const m = (await sip(d785)).messages.find((x: any) => x.method === 'NOTIFY');
      assert.match(m.startLine, /^NOTIFY sip:100@127\.0\.0\.1:\d+ SIP\/2\.0$/);
    });

    it('from msg.payload as the object form of snom-xml-push, with Event: xml, over TCP', async () => {
      await settings(d785, { mb_trusted_hosts: 'pbx.local, 127.0.0.1' });
      const flow = await openFlow(d785, { kind: 'minibrowser', event: 'xml' }, { sipTransport: 'tcp' });
      const doc = { type: 'text', title: 'Müller & Söhne', text: '<b>not a tag</b>' };
      const out = ok(await flow.send({ payload: doc }));
      assert.equal(out.snom.transport, 'tcp');
      const s = await simState(d785);
      assert.equal(s.minibrowser[0].fetched!.body, buildMinibrowserXml(doc as any));
      const m = (await sip(d785)).messages.find((x: any) => x.method === 'NOTIFY');
      assert.equal(m.transport, 'tcp');
      assert.match(m.text, /\r\nEvent: xml\r\n/);
    });

    it('403 from a host not in mb_trusted_hosts: E_SIP with status and reason, red status, nothing shown', async () => {
      const flow = await openFlow(d785, { kind: 'minibrowser', document: TEXT });
      const statuses: any[] = [];
      helper.getNode('n1').on('call:status', (c: any) => statuses.push(c.args[0]));
      const err = failed(await flow.send({}), 'E_SIP');
      assert.equal(err.snom.status, 403);
      assert.equal(err.snom.error.status, 403);
      assert.match(err.snom.error.reason, /Forbidden/);
      assert.equal((await simState(d785)).minibrowser.length, 0);
      assert.equal(statuses.at(-1)?.fill, 'red');
    });
  });

  describe('(b) talk and hold', () => {
    it('talk answers the ringing call, hold holds it, talk retrieves it', async () => {
      await ring(d785);
      const flow = await openFlow(d785, { kind: 'msg' });
      assert.equal(ok(await flow.send({ topic: 'talk' })).snom.status, 200);
      assert.deepEqual(await callStates(d785), ['connected']);
      ok(await flow.send({ topic: 'hold' }));
      assert.deepEqual(await callStates(d785), ['held']);
      ok(await flow.send({ topic: 'talk' }));
      assert.deepEqual(await callStates(d785), ['connected']);
      const th = (await sip(d785)).talkHold.map((t: any) => t.action);
      assert.deepEqual(th, ['answered', 'held', 'retrieved']);
    });

    it('with no call the phone answers 481: E_SIP 481', async () => {
      const flow = await openFlow(d785, { kind: 'hold' });
      assert.equal(failed(await flow.send({}), 'E_SIP').snom.status, 481);
    });
  });

  describe('(c) LED and label (MESSAGE x-buttons)', () => {
    it('from the form text: k/c/l lines light the key of type button', async () => {
      await settings(d785, { fkey5: 'button 6' });
      const flow = await openFlow(d785, { kind: 'buttons', buttons: 'k=6\nc=on\nl=Door' });
      assert.equal(ok(await flow.send({})).snom.status, 200);
      const leds = (await sip(d785)).leds;
      assert.equal(leds.length, 1);
      assert.deepEqual([leds[0].fkey, leds[0].key, leds[0].light, leds[0].label], ['fkey5', 'P6', 'on', 'Door']);
    });

    it('from msg.payload as objects, two keys in one MESSAGE', async () => {
      await settings(d785, { fkey5: 'button 6', fkey6: 'button 7' });
      const flow = await openFlow(d785, { kind: 'buttons' });
      ok(
        await flow.send({
          payload: [
            { key: 6, light: 'message', label: 'Mail' },
            { key: 7, light: 'off', number: '**7' },
          ],
        }),
      );
      const leds = (await sip(d785)).leds.map((l: any) => [l.id, l.light, l.label, l.number]);
      assert.deepEqual(leds, [
        ['6', 'message', 'Mail', ''],
        ['7', 'off', '', '**7'],
      ]);
    });

    it('firmware before 7 is refused by the profile (E_UNSUPPORTED), nothing sent', async () => {
      const flow = await openFlow(old, { kind: 'buttons', buttons: 'k=1\nc=on' });
      const err = failed(await flow.send({}), 'E_UNSUPPORTED');
      assert.match(err.error.message, /needs firmware 7/);
      assert.equal((await sip(old)).messages.length, 0);
    });

    it('a D8xx is refused minibrowser documents and LED control in plain words, nothing sent', async () => {
      await settings(d862, { mb_trusted_hosts: '127.0.0.1' });
      let flow = await openFlow(d862, { kind: 'minibrowser', document: TEXT });
      assert.match(failed(await flow.send({}), 'E_UNSUPPORTED').error.message, /D8xx/);
      flow = await openFlow(d862, { kind: 'buttons', buttons: 'k=1\nc=on' });
      failed(await flow.send({}), 'E_UNSUPPORTED');
      assert.equal((await sip(d862)).messages.length, 0);
    });
  });

  describe('(d) check-sync', () => {
    it('re-provisions without a challenge; reboot from msg.payload', async () => {
      const flow = await openFlow(d785, { kind: 'check-sync' });
      ok(await flow.send({}));
      ok(await flow.send({ payload: { reboot: true } }));
      const cs = (await sip(d785)).checkSyncs.map((c: any) => [c.reboot, c.authenticated]);
      assert.deepEqual(cs, [
        [false, false],
        [true, false],
      ]);
    });

    it('answers the Digest challenge of challenge_checksync with the SIP user and password', async () => {
      await settings(d785, { challenge_checksync: 'on' });
      const flow = await openFlow(d785, { kind: 'check-sync', reboot: false }, {}, 'secret');
      assert.equal(ok(await flow.send({})).snom.status, 200);
      const cs = (await sip(d785)).checkSyncs;
      assert.deepEqual([cs.length, cs[0].authenticated, cs[0].identity], [1, true, 1]);
      const notifies = (await sip(d785)).messages.filter((m: any) => m.method === 'NOTIFY');
      assert.equal(notifies.length, 2, 'one challenge, one answer');
    });

    it('without a SIP password, or with a wrong one, the challenge is E_AUTH and nothing is re-provisioned', async () => {
      await settings(d785, { challenge_checksync: 'on' });
      let flow = await openFlow(d785, { kind: 'check-sync' });
      failed(await flow.send({}), 'E_AUTH');
      flow = await openFlow(d785, { kind: 'check-sync' }, {}, 'wrong');
      const err = failed(await flow.send({}), 'E_AUTH');
      assert.doesNotMatch(JSON.stringify(err), /wrong/);
      assert.equal((await sip(d785)).checkSyncs.length, 0);
    });
  });

  describe('timeouts and the phone config', () => {
    it('a phone that filters packets from anyone but its registrar: E_TIMEOUT after the retransmissions', async () => {
      await settings(d785, { filter_registrar: 'on', mb_trusted_hosts: '127.0.0.1' });
      const flow = await openFlow(d785, { kind: 'minibrowser', document: TEXT }, { timeout: '700' });
      const err = failed(await flow.send({}), 'E_TIMEOUT');
      assert.ok(err.snom.error.retransmissions >= 1, JSON.stringify(err.snom.error));
      assert.equal((await simState(d785)).minibrowser.length, 0);
    });

    it('a wrong SIP field in the phone config is E_INPUT, nothing sent', async () => {
      const flow = await openFlow(d785, { kind: 'talk' }, { sipUser: 'has space' });
      assert.match(failed(await flow.send({}), 'E_INPUT').error.message, /SIP user/);
      assert.equal((await sip(d785)).messages.length, 0);
    });
  });

  describe('Prepare phone', () => {
    it('msg.topic "prepare" writes mb_trusted_hosts (kept), filter_registrar off and button keys; then the document shows', async () => {
      await settings(d785, { mb_trusted_hosts: '10.0.0.9', filter_registrar: 'on' });
      const flow = await openFlow(d785, { kind: 'minibrowser', document: TEXT, keys: '6' });
      const out = ok(await flow.send({ topic: 'prepare', payload: { keys: '6, 7' } }));
      assert.deepEqual(out.payload.written, {
        mb_trusted_hosts: '10.0.0.9,127.0.0.1',
        filter_registrar: 'off',
        fkey6: 'button 6',
        fkey7: 'button 7',
      });
      const s = await simJson(d785, 'GET', 'settings');
      assert.deepEqual(
        [s.mb_trusted_hosts, s.filter_registrar, s.fkey6, s.fkey7],
        ['10.0.0.9,127.0.0.1', 'off', 'button 6', 'button 7'],
      );
      assert.equal((await sip(d785)).messages.length, 0, 'prepare goes over HTTP, not SIP');
      ok(await flow.send({}));
      assert.equal((await simState(d785)).minibrowser.length, 1);
    });

    it('warns when challenge_checksync is on and the config has no SIP password; adds no duplicate host', async () => {
      await settings(d785, { mb_trusted_hosts: '127.0.0.1', challenge_checksync: 'on' });
      const flow = await openFlow(d785, { kind: 'check-sync' });
      const out = ok(await flow.send({ topic: 'prepare' }));
      assert.equal(out.payload.written.mb_trusted_hosts, '127.0.0.1');
      assert.equal(out.payload.challengeChecksync, 'on');
      assert.match(out.payload.warnings.join(' '), /challenge_checksync is on/);
    });

    it('the editor button: POST /snom-sip-notify/:id/prepare answers the report, 404 before deploy', async () => {
      await openFlow(d785, { kind: 'buttons', keys: '3' });
      const res = await helper.request().post('/snom-sip-notify/n1/prepare').send({}).expect(200);
      assert.equal(res.body.written.fkey3, 'button 3');
      assert.equal((await simJson(d785, 'GET', 'settings')).fkey3, 'button 3');
      const bad = await helper.request().post('/snom-sip-notify/n1/prepare').send({ keys: 'x' }).expect(400);
      assert.equal(bad.body.code, 'E_INPUT');
      await helper.request().post('/snom-sip-notify/nope/prepare').send({}).expect(404);
    });
  });

  describe('bad input: E_INPUT, red status, nothing reaches the SIP port', () => {
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, RegExp]> = [
      ['an unknown kind in msg.topic', { kind: 'msg' }, { topic: 'constructor' }, /msg\.topic must be one of/],
      ['no document', { kind: 'minibrowser' }, { payload: 42 }, /No document/],
      ['XML that is no minibrowser document', { kind: 'minibrowser' }, { payload: '<html/>' }, /./],
      ['a light that does not exist', { kind: 'buttons' }, { payload: [{ key: 1, light: 'blue' }] }, /light must/],
      ['a label with a line break', { kind: 'buttons' }, { payload: { key: 1, label: 'a\r\nk=2' } }, /line break/],
      ['a buttons text with a stray line', { kind: 'buttons', buttons: 'k=1\nx=2' }, {}, /Buttons line 2/],
      ['reboot that is no boolean', { kind: 'check-sync' }, { payload: { reboot: 'yes' } }, /reboot/],
      ['msg.target', { kind: 'talk' }, { target: '10.0.0.1' }, /msg\.target/],
    ];
    for (const [what, node, msg, words] of cases) {
      it(what, async () => {
        const flow = await openFlow(d785, node);
        const statuses: any[] = [];
        helper.getNode('n1').on('call:status', (c: any) => statuses.push(c.args[0]));
        const err = failed(await flow.send(msg), 'E_INPUT');
        assert.match(err.error.message, words);
        assert.deepEqual(statuses.at(-1), { fill: 'red', shape: 'ring', text: 'E_INPUT' });
        assert.equal((await sip(d785)).messages.length, 0);
      });
    }

    it('property: any malformed kind or parameters → E_INPUT and no SIP message at the phone (fixed seed)', async () => {
      const flow = await openFlow(d785, { kind: 'msg' });
      const junk = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.integer(),
        fc.constant(null),
        fc.constantFrom('__proto__', 'toString', 'constructor', 'k=1\r\nc=on\r\n\r\nq=1', '<x', 'k=1000'),
        fc.array(fc.record({ key: fc.oneof(fc.integer({ min: 1000, max: 99999 }), fc.string({ maxLength: 4 })) }), {
          maxLength: 3,
        }),
        fc.record({ reboot: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()) }),
      );
      const KINDS = 'minibrowser talk hold buttons check-sync prepare'.split(' ');
      const bad = fc.oneof(
        fc.record({ topic: fc.string({ maxLength: 10 }).filter((t) => !KINDS.includes(t)), payload: junk }),
        fc.record({
          topic: fc.constant('minibrowser'),
          payload: fc.oneof(fc.integer(), fc.constant(''), fc.constantFrom('<a>', 'text', '<SnomIPPhoneText>')),
        }),
        fc.record({ topic: fc.constant('buttons'), payload: junk }),
        fc.record({
          topic: fc.constant('check-sync'),
          payload: fc.record({
            reboot: fc.oneof(
              fc.string({ maxLength: 4 }).filter((x) => !['true', 'false', ''].includes(x)),
              fc.integer(),
            ),
          }),
        }),
      );
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(bad, async (msg) => {
          runs++;
          const r = await flow.send({ ...msg });
          assert.ok(r.err, `accepted ${JSON.stringify(msg)}`);
          assert.equal(r.err.error.code, 'E_INPUT', `${JSON.stringify(msg)}: ${r.err.error.message}`);
        }),
        { seed: 20261201, numRuns: 60 },
      );
      assert.equal(runs, 60);
      assert.equal((await sip(d785)).messages.length, 0, 'nothing reached the phone');
    });
  });

  describe('without a started phone config', () => {
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'bad', type: 'snom-phone', host: 'bad host!', port: '' },
      { id: 'n-bad', z: 'f1', type: 'snom-sip-notify', phone: 'bad', kind: 'talk', wires: [['out']] },
      { id: 'n-none', z: 'f1', type: 'snom-sip-notify', phone: '', kind: 'talk', wires: [['out']] },
      { id: 'c1', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'out', z: 'f1', type: 'helper' },
      { id: 'caught', z: 'f1', type: 'helper' },
    ];

    for (const [id, text] of [
      ['n-none', /^SnomError \[E_INPUT\]: No Snom phone is configured for this node/],
      ['n-bad', /^SnomError \[E_INPUT\]: The snom-phone config of this node did not start/],
    ] as const) {
      it(`${id}: E_INPUT in the shared words, nothing sent, nothing out`, async () => {
        await helper.load([nodeModule('snom-phone'), sipNode], flow);
        const outs: unknown[] = [];
        helper.getNode('out').on('input', (m: unknown) => outs.push(m));
        const caught = new Promise<any>((resolve) => helper.getNode('caught').once('input', resolve));
        helper.getNode(id).receive({ payload: '' });
        const m = await caught;
        assert.equal(m.error.code, 'E_INPUT');
        assert.match(m.error.message, text);
        assert.equal(m.error.source.id, id);
        assert.deepEqual(outs, []);
        assert.equal((await sip(d785)).messages.length, 0, 'nothing reached any phone');
      });
    }
  });
});
