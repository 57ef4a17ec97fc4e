import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, helper, phoneConfig } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simReset, simState, startPhones, stopAll } from '../support/sim';
import {
  callState,
  calls,
  cstaNode,
  eventually,
  ext,
  failed,
  incomingCall,
  ok,
  openFlow,
  phoneNode,
  simJson,
} from './csta-harness';

describe('snom-csta in flows: call ids, faults, raw XML, the first identity; FireTest', function () {
  let d785: SimPhone;
  let s821: SimPhone;
  let s360: SimPhone;
  let s733: SimPhone;
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    [d785, s821, s360, s733] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33' },
      { model: 'snom821', firmware: '8.7.3.25', identities: ['sip:4711@pbx.example', 'sip:4712@pbx.example'] },
      { model: 'snom360', firmware: '7.3.4', identities: ['sip:31@old.example'] },
      { model: 'snom360', firmware: '7.3.3' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [d785, s821, s360, s733]) await simReset(p);
  });
  after(async () => {
    await stopAll([d785, s821, s360, s733]);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  it('answers, holds, retrieves and clears an incoming call along a flow, by msg.cstaId alone', async () => {
    const ops = ['AnswerCall', 'HoldCall', 'RetrieveCall', 'ClearConnection'];
    const flow: any[] = [phoneConfig('p1', d785.url)];
    ops.forEach((operation, i) =>
      flow.push({
        id: `n${i}`,
        type: 'snom-csta',
        phone: 'p1',
        operation,
        wires: [[i < ops.length - 1 ? `n${i + 1}` : 'out']],
      }),
    );
    flow.push(
      { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['out']] },
      { id: 'out', type: 'helper' },
    );
    await helper.load([phoneNode, cstaNode, catchNode], flow, { p1: { user: SIM_USER, password: SIM_PASSWORD } });
    const done = new Promise<any>((r) => helper.getNode('out').on('input', r));
    const id = await incomingCall(d785, 'sip:0301234@sim.local');
    helper.getNode('n0').receive({ topic: 'incoming', cstaId: id });
    const msg = await done;
    assert.equal(msg.error, undefined, msg.error?.message);
    assert.equal(msg.cstaId, id);
    const call = (await calls(d785)).find((c) => c.cstaId === id);
    assert.deepEqual(
      call.history.map((h: any) => h.state),
      ['ringing', 'connected', 'held', 'connected', 'disconnected'],
    );
  });

  it("reports a call id the phone does not know as E_CSTA with the phone's error value (HTTP 500)", async () => {
    for (const phone of [d785, s360]) {
      const f = await openFlow(phone, { type: 'snom-csta', operation: 'AnswerCall' });
      const err = failed(await f.send({ cstaId: '-999' }));
      assert.equal(err.error.code, 'E_CSTA');
      assert.equal(err.snom.error.cstaError, 'invalidCallID');
      assert.equal(err.snom.status, 500);
      assert.match(err.error.message, /AnswerCall/);
      assert.deepEqual(
        (await ext(phone)).csta.map((r: any) => [r.operation, r.status]),
        [['AnswerCall', 500]],
      );
    }
  });

  it('refuses raw XML that is not well-formed and sends nothing; sends well-formed raw XML as it is', async () => {
    const f = await openFlow(s821, { type: 'snom-csta', operation: 'raw' });
    const bad = failed(
      await f.send({
        payload: '<RequestSystemStatus xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3">',
      }),
    );
    assert.equal(bad.error.code, 'E_INPUT');
    assert.match(bad.error.message, /not well-formed/);
    assert.equal((await simState(s821)).requests, 0);
    const good = ok(
      await f.send({
        payload:
          '<?xml version="1.0" encoding="UTF-8"?>\n<RequestSystemStatus xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"/>',
      }),
    );
    assert.equal(good.payload.operation, 'RequestSystemStatusResponse');
    assert.equal(good.payload.data.systemStatus, 'normal');
  });

  it('takes form fields before the message and refuses a missing call id before sending', async () => {
    const id = await incomingCall(d785);
    const other = await incomingCall(d785, 'sip:201@sim.local');
    const f = await openFlow(d785, { type: 'snom-csta', operation: 'AnswerCall', callId: other });
    ok(await f.send({ cstaId: id }));
    assert.equal(await callState(d785, other), 'connected');
    assert.equal(await callState(d785, id), 'ringing');
    const g = await openFlow(d785, { type: 'snom-csta', operation: 'HoldCall' });
    const before = (await simState(d785)).requests;
    const err = failed(await g.send({ payload: 'x' }));
    assert.equal(err.error.code, 'E_INPUT');
    assert.match(err.error.message, /callId is missing/);
    assert.equal((await simState(d785)).requests, before);
  });

  it("uses the phone's first identity: read once by GetSettings before 8.7.4, the index 1 from 8.7.4", async () => {
    for (const phone of [s821, s360]) {
      const f = await openFlow(phone, { type: 'snom-csta', operation: 'MakeCall' });
      const a = ok(await f.send({ payload: '200' }));
      const b = ok(await f.send({ payload: '201' }));
      const locals = (await calls(phone)).filter((c) => [a.cstaId, b.cstaId].includes(c.cstaId)).map((c) => c.local);
      const expected = phone === s821 ? 'sip:4711@pbx.example' : 'sip:31@old.example';
      assert.deepEqual(locals, [expected, expected]);
      const ops = (await ext(phone)).csta.map((r: any) => r.operation);
      assert.deepEqual(ops, ['GetSettings', 'MakeCall', 'MakeCall'], 'read once, then cached');
    }
    const f = await openFlow(d785, { type: 'snom-csta', operation: 'MakeCall' });
    ok(await f.send({ payload: '200' }));
    assert.deepEqual(
      (await ext(d785)).csta.map((r: any) => r.operation),
      ['MakeCall'],
    );
    assert.equal((await calls(d785))[0].local, 'sip:100@sim.local');
  });

  it('says in plain words when the phone has no usable first identity, and places no call', async () => {
    await simJson(s360, 'PUT', 'settings', { user_host1: '' });
    const f = await openFlow(s360, { type: 'snom-csta', operation: 'MakeCall' });
    const err = failed(await f.send({ payload: '200' }));
    assert.equal(err.error.code, 'E_INPUT');
    assert.match(err.error.message, /no usable first identity .*give the device/);
    assert.deepEqual(
      (await ext(s360)).csta.map((r: any) => r.operation),
      ['GetSettings'],
    );
    assert.deepEqual(await calls(s360), []);
  });

  it('an explicit device goes into the request instead of the first identity', async () => {
    const f = await openFlow(s821, {
      type: 'snom-csta',
      operation: 'MakeCall',
      device: '4712@pbx.example',
      destination: '0800',
    });
    const out = ok(await f.send({}));
    const call = (await calls(s821)).find((c) => c.cstaId === out.cstaId);
    assert.equal(call.local, 'sip:4712@pbx.example');
    assert.deepEqual(
      (await ext(s821)).csta.map((r: any) => r.operation),
      ['MakeCall'],
    );
  });

  describe('snom-command fireTest', () => {
    let server: http.Server;
    let hits: string[];
    before(async () => {
      hits = [];
      server = http.createServer((req, res) => {
        hits.push(req.url ?? '');
        res.end('ok');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('makes the phone fire action_fwtest_url (set first through snom-settings by CSTA)', async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fwtest?mac=$mac`;
      const s = await openFlow(d785, { type: 'snom-settings', action: 'set' });
      const set = ok(await s.send({ payload: { action_fwtest_url: url } }));
      assert.equal(set.snom.route, 'csta');
      const f = await openFlow(d785, { type: 'snom-command', command: 'fireTest' });
      const out = ok(await f.send({ payload: 'kept' }));
      assert.equal(out.payload, 'kept');
      assert.equal(out.snom.status, 200);
      const fired = await eventually<any>(
        () => simState(d785),
        (st: any) => st.ext.actionUrls.some((a: any) => a.event === 'fwtest' && a.status === 200),
        'the fired firewall test',
      );
      assert.ok(fired.ext.actionUrls.find((a: any) => a.event === 'fwtest').url.startsWith(url.replace('$mac', '')));
      assert.ok(
        hits.some((h) => h.startsWith('/fwtest?mac=')),
        JSON.stringify(hits),
      );
      assert.deepEqual(
        fired.ext.csta.map((r: any) => [r.operation, r.soap]),
        [
          ['SetSettings', true],
          ['FireTest', true],
        ],
      );
    });

    it('refuses fireTest on firmware without CSTA over HTTP, sending nothing', async () => {
      const f = await openFlow(s733, { type: 'snom-command', command: 'fireTest' });
      const err = failed(await f.send({}));
      assert.equal(err.error.code, 'E_UNSUPPORTED');
      assert.match(err.error.message, /FireTest.*7\.3\.4/);
      assert.equal((await simState(s733)).requests, 0);
    });
  });
});
