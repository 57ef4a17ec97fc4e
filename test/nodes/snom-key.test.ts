import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig, statusNode } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simFaults, simReset, simState, startPhones, stopAll } from '../support/sim';

const phoneNode = nodeModule('snom-phone');
const keyNode = nodeModule('snom-key');

function flow(url: string, phoneExtra: Record<string, unknown> = {}, keyExtra: Record<string, unknown> = {}) {
  return [
    phoneConfig('p1', url, phoneExtra),
    { id: 'k1', type: 'snom-key', phone: 'p1', keys: '', wires: [['out']], ...keyExtra },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 's1', type: 'status', scope: ['k1'], wires: [['st']] },
    { id: 'out', type: 'helper' },
    { id: 'err', type: 'helper' },
    { id: 'st', type: 'helper' },
  ];
}
const creds = { p1: { user: SIM_USER, password: SIM_PASSWORD } };

describe('snom-key node against a simulated phone', function () {
  let phones: SimPhone[];
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    phones = await startPhones([
      { model: 'D785', firmware: '10.1.33.33', auth: 'digest', digestAlgorithms: ['SHA-256', 'MD5'] },
      { model: 'snom870', firmware: '8.7.5.35', auth: 'basic' },
      { model: 'D735', firmware: '10.1.54.13', auth: 'none' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of phones) await simReset(p);
  });
  after(async () => {
    await stopAll(phones);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  it('presses a key sequence with times and pauses, in order, and reports msg.snom', async () => {
    await helper.load([phoneNode, keyNode, catchNode, statusNode], flow(phones[0].url), creds);
    const out = collect(helper.getNode('out'));
    helper.getNode('k1').receive({ payload: 'p1;ENTER,,1000;*,1000,2000;#;EK3' });
    const [msg] = await out.wait(1);
    const state = await simState(phones[0]);
    assert.deepEqual(
      state.keys.map((k) => [k.key, k.time ?? null, k.pause ?? null]),
      [
        ['P1', null, null],
        ['ENTER', null, 1000],
        ['*', 1000, 2000],
        ['#', null, null],
        ['EK3', null, null],
      ],
    );
    assert.equal(msg.snom.status, 200);
    assert.equal(msg.snom.request, 'GET /command.htm?key=P1;ENTER,,1000;%2A,1000,2000;%23;EK3');
    assert.match(msg.snom.phone, /127\.0\.0\.1/);
    assert.equal(typeof msg.snom.durationMs, 'number');
  });

  it('takes the keys from the form before the message, and accepts an array of objects', async () => {
    await helper.load([phoneNode, keyNode], flow(phones[0].url, {}, { keys: 'DND' }), creds);
    const out = collect(helper.getNode('out'));
    helper.getNode('k1').receive({ payload: 'P2' });
    await out.wait(1);
    await helper.unload();
    await helper.load([phoneNode, keyNode], flow(phones[0].url), creds);
    const out2 = collect(helper.getNode('out'));
    helper.getNode('k1').receive({ payload: [{ key: 'UP', time: 50 }, { key: 'down' }, '5'] });
    await out2.wait(1);
    const state = await simState(phones[0]);
    assert.deepEqual(
      state.keys.map((k) => k.key),
      ['DND', 'UP', 'DOWN', '5'],
    );
    assert.equal(state.keys[1].time, 50);
  });

  for (const [input, code, pattern] of [
    ['P1;NOSUCHKEY', 'E_INPUT', /NOSUCHKEY.*position 2/],
    ['ENTER;P25', 'E_UNSUPPORTED', /P25.*P1 to P24/],
    ['ENTER,abc', 'E_INPUT', /time/],
    ['', 'E_INPUT', /key/i],
  ] as const) {
    it(`refuses "${input}" with ${code}, red status, and sends nothing`, async () => {
      await helper.load([phoneNode, keyNode, catchNode, statusNode], flow(phones[0].url), creds);
      const err = collect(helper.getNode('err'));
      const st = collect(helper.getNode('st'));
      helper.getNode('k1').receive({ payload: input });
      const [e] = await err.wait(1);
      assert.equal(e.error.code, code);
      assert.match(e.error.message, pattern);
      await st.wait(1);
      assert.ok(st.msgs.some((m) => m.status.fill === 'red' && m.status.text.includes(code)));
      const state = await simState(phones[0]);
      assert.equal(state.requests, 0, 'nothing reached the phone');
    });
  }

  it('knows each model: no F4 on the snom870, F4 on a D735', async () => {
    await helper.load(
      [phoneNode, keyNode, catchNode],
      flow(phones[1].url, { model: 'snom870', firmware: '8.7.5.35' }),
      creds,
    );
    const err = collect(helper.getNode('err'));
    helper.getNode('k1').receive({ payload: 'F4' });
    const [e] = await err.wait(1);
    assert.equal(e.error.code, 'E_UNSUPPORTED');
    assert.equal((await simState(phones[1])).requests, 0);
    await helper.unload();
    await helper.load(
      [phoneNode, keyNode],
      flow(phones[2].url, { model: 'D735', firmware: '10.1.54.13', auth: 'none' }),
      {},
    );
    const out = collect(helper.getNode('out'));
    helper.getNode('k1').receive({ payload: 'F4' });
    await out.wait(1);
    assert.deepEqual(
      (await simState(phones[2])).keys.map((k) => k.key),
      ['F4'],
    );
  });

  it('sends one request at a time per phone, in arrival order, when 40 messages arrive at once', async () => {
    await helper.load([phoneNode, keyNode], flow(phones[0].url), creds);
    const out = collect(helper.getNode('out'));
    const n = helper.getNode('k1');
    const keys = Array.from({ length: 40 }, (_, i) => String(i % 10));
    keys.forEach((k) => n.receive({ payload: k }));
    await out.wait(40);
    const state = await simState(phones[0]);
    assert.deepEqual(
      state.keys.map((k) => k.key),
      keys,
    );
    assert.equal(state.maxConcurrent, 1);
  });

  it('fans out over msg.target: one output per phone, parallel across phones, serial within each', async () => {
    // the three phones share credentials and are the fleet; the configured phone uses Basic, so
    // neither the Digest phone nor the D735 (no auth) is a downgrade
    await helper.load([phoneNode, keyNode], flow(phones[1].url, { model: 'D785', fleet: '127.0.0.1' }), creds);
    const out = collect(helper.getNode('out'));
    const n = helper.getNode('k1');
    const targets = phones.map((p) => new URL(p.url).host);
    for (let i = 0; i < 10; i++) n.receive({ payload: `P${i + 1}`, target: targets });
    const msgs = await out.wait(30);
    assert.equal(msgs.length, 30);
    for (const p of phones) {
      const st = await simState(p);
      assert.deepEqual(
        st.keys.map((k) => k.key),
        Array.from({ length: 10 }, (_, i) => `P${i + 1}`),
        p.url,
      );
      assert.equal(st.maxConcurrent, 1, p.url);
    }
    assert.deepEqual(new Set(msgs.map((m) => m.snom.phone)).size, 3);
  });

  it('reports a wrong password as E_AUTH on the node and the phone, never showing the password', async () => {
    await helper.load([phoneNode, keyNode, catchNode, statusNode], flow(phones[0].url), {
      p1: { user: SIM_USER, password: 'wrong-secret-123' },
    });
    const err = collect(helper.getNode('err'));
    const st = collect(helper.getNode('st'));
    helper.getNode('k1').receive({ payload: 'P1' });
    const [e] = await err.wait(1);
    assert.equal(e.error.code, 'E_AUTH');
    await st.wait(2);
    const everything = JSON.stringify([e, st.msgs]);
    assert.ok(!everything.includes('wrong-secret-123'));
    assert.ok(!everything.includes(SIM_PASSWORD));
    assert.equal((await simState(phones[0])).keys.length, 0);
  });

  it('maps a stalled phone to E_TIMEOUT (msg.timeout), a 500 to E_HTTP, a dead port to E_UNREACHABLE', async () => {
    await helper.load(
      [phoneNode, keyNode, catchNode],
      flow(phones[2].url, { model: 'D735', firmware: '10.1.54.13', auth: 'none', fleet: '127.0.0.1:1' }),
      {},
    );
    const err = collect(helper.getNode('err'));
    await simFaults(phones[2], { stall: true, count: 1 });
    helper.getNode('k1').receive({ payload: 'P1', timeout: 300 });
    assert.equal((await err.wait(1))[0].error.code, 'E_TIMEOUT');
    await simFaults(phones[2], { status: 500, count: 1 });
    helper.getNode('k1').receive({ payload: 'P1' });
    const [, e2] = await err.wait(2);
    assert.equal(e2.error.code, 'E_HTTP');
    assert.equal(e2.snom.status, 500);
    helper.getNode('k1').receive({ payload: 'P1', target: '127.0.0.1:1' });
    const [, , e3] = await err.wait(3);
    assert.equal(e3.error.code, 'E_UNREACHABLE');
  });

  it('answers E_BUSY beyond the queue size', async () => {
    await helper.load(
      [phoneNode, keyNode, catchNode],
      flow(phones[2].url, { model: 'D735', firmware: '10.1.54.13', auth: 'none', queueSize: '2' }),
      {},
    );
    const err = collect(helper.getNode('err'));
    await simFaults(phones[2], { latencyMs: 300 });
    const n = helper.getNode('k1');
    for (let i = 0; i < 5; i++) n.receive({ payload: 'P1' });
    const errs = await err.wait(3);
    assert.ok(errs.every((e) => e.error.code === 'E_BUSY'));
  });

  it('detects model and firmware from /info.htm and refuses a D8xx in plain words', async () => {
    const [d865] = await startPhones([{ model: 'D865', firmware: '10.1.101.11', auth: 'none' }]);
    try {
      await helper.load(
        [phoneNode, keyNode, catchNode],
        flow(d865.url, { model: 'detect', firmware: 'detect', auth: 'none' }),
        {},
      );
      const err = collect(helper.getNode('err'));
      helper.getNode('k1').receive({ payload: 'P1' });
      const [e] = await err.wait(1);
      assert.equal(e.error.code, 'E_UNSUPPORTED');
      assert.match(e.error.message, /D8xx/);
      const st = await simState(d865);
      assert.equal(st.keys.length, 0);
    } finally {
      await stopAll([d865]);
    }
    await helper.unload();
    await helper.load(
      [phoneNode, keyNode, catchNode],
      flow(phones[0].url, { model: 'detect', firmware: 'detect' }),
      creds,
    );
    const err = collect(helper.getNode('err'));
    helper.getNode('k1').receive({ payload: 'P30' });
    const [e] = await err.wait(1);
    assert.equal(e.error.code, 'E_UNSUPPORTED', 'detected a D785 with 24 P-keys');
  });
});
