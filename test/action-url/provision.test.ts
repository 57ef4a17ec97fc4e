import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { ACTION_EVENTS } from '../../src/lib/action-url';
import { catchNode, collect, helper, nodeModule, phoneConfig } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simReset, simState, startPhones, stopAll } from '../support/sim';

const TOKEN = 'prov-t0ken-abcdefghijklmnopqrstuvwxyz';
const BASE = 'http://192.0.2.10:1880';

async function settingsOf(phone: SimPhone): Promise<Record<string, string>> {
  return (await (await fetch(`${phone.url}/sim/settings`)).json()) as Record<string, string>;
}

function flow(phones: SimPhone[], over: Record<string, unknown> = {}, phoneOver: Record<string, unknown> = {}) {
  return [
    ...phones.map((p, i) => phoneConfig(`p${i}`, p.url, { model: p.config.model, firmware: p.config.firmware, baseUrl: BASE, ...phoneOver })),
    { id: 'a1', type: 'snom-action-url-in', path: '/snom/events', allowlist: '', holdMs: 1000, holdCount: 10, phones: phones.map((_, i) => `p${i}`), wires: [['events'], ['report']], ...over },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 'events', type: 'helper' },
    { id: 'report', type: 'helper' },
    { id: 'err', type: 'helper' },
  ];
}

describe('snom-action-url-in provisioning', function () {
  let current: SimPhone;
  let old: SimPhone;
  const nodes = [nodeModule('snom-phone'), nodeModule('snom-action-url-in'), catchNode];
  const creds = () => ({ p0: { user: SIM_USER, password: SIM_PASSWORD }, p1: { user: SIM_USER, password: SIM_PASSWORD }, a1: { token: TOKEN } });

  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    [current, old] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33', auth: 'digest' },
      { model: 'snom320', firmware: '7.1.30', auth: 'basic' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [current, old]) await simReset(p);
  });
  after(async () => {
    await stopAll([current, old]);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  it('writes exactly the chosen events\' action_* settings, with token, event and variables', async () => {
    const events = ['incoming', 'connected', 'disconnected', 'hold', 'dndOn', 'firewallTest'];
    await helper.load(nodes, flow([current], { events }), creds());
    const report = collect(helper.getNode('report'));
    helper.getNode('a1').receive({ topic: 'provision' });
    const [msg] = await report.wait(1);
    assert.equal(msg.topic, 'provisioned');
    assert.deepEqual(msg.payload.errors, []);
    const expected = ACTION_EVENTS.filter((e) => events.includes(e.name)).map((e) => e.setting).sort();
    assert.deepEqual([...msg.payload.results[0].settings].sort(), expected);
    assert.equal(msg.payload.results[0].route, 'both', 'seed-list settings by CSTA SetSettings, others by dummy.htm');
    assert.ok(!JSON.stringify(msg.payload).includes(TOKEN), 'the report never carries the token');

    const s = await settingsOf(current);
    for (const name of expected) {
      const url = new URL(s[name]);
      assert.equal(url.origin + url.pathname, `${BASE}/snom/events`, name);
      assert.equal(url.searchParams.get('t'), TOKEN);
    }
    const incoming = new URL(s.action_incoming_url);
    assert.equal(incoming.searchParams.get('e'), 'incoming');
    assert.equal(incoming.searchParams.get('csta'), '$csta_id', 'variables stay for the phone to fill in');
    assert.equal(incoming.searchParams.get('remote'), '$remote');
    assert.equal(s.action_hold.includes('e=hold'), true, 'names without _url as in the reference');
    assert.equal(s.action_fwtest_url.includes('e=firewallTest'), true, 'the hidden setting went by CSTA');
    const untouched = ACTION_EVENTS.filter((e) => !events.includes(e.name)).map((e) => e.setting);
    for (const name of untouched) assert.ok(!s[name], `${name} not written`);
    const st = await simState(current);
    assert.ok((st.ext.csta as Array<{ operation: string }>).some((c) => c.operation === 'SetSettings'));
  });

  it('provisions several phones; one without CSTA skips only the firewall test', async () => {
    await helper.load(nodes, flow([current, old], { events: ['incoming', 'firewallTest'] }), creds());
    const report = collect(helper.getNode('report'));
    helper.getNode('a1').receive({ topic: 'provision' });
    const [msg] = await report.wait(1);
    assert.equal(msg.payload.results.length, 2);
    const oldResult = msg.payload.results.find((r: any) => r.settings.length === 1);
    assert.deepEqual(oldResult.settings, ['action_incoming_url']);
    assert.equal(oldResult.route, 'web');
    assert.match(oldResult.skipped[0], /firewallTest/);
    assert.match((await settingsOf(old)).action_incoming_url, /e=incoming/);
  });

  it('unprovisioning clears the settings again', async () => {
    await helper.load(nodes, flow([current], { events: ['incoming', 'missed'] }), creds());
    const report = collect(helper.getNode('report'));
    helper.getNode('a1').receive({ topic: 'provision' });
    await report.wait(1);
    helper.getNode('a1').receive({ topic: 'unprovision' });
    const [, msg] = await report.wait(2);
    assert.equal(msg.topic, 'unprovisioned');
    const s = await settingsOf(current);
    assert.equal(s.action_incoming_url, '');
    assert.equal(s.action_missed_url, '');
  });

  it('the editor button endpoint answers setting names and never the token; unknown node → 404', async () => {
    await helper.load(nodes, flow([current], { events: ['incoming'] }), creds());
    const res = await helper.request().post('/snom-action-url-in/a1/provision').send({ action: 'provision', phones: ['p0'] }).expect(200);
    assert.deepEqual(res.body.results[0].settings, ['action_incoming_url']);
    assert.ok(!JSON.stringify(res.body).includes(TOKEN));
    assert.match((await settingsOf(current)).action_incoming_url, new RegExp(TOKEN));
    await helper.request().post('/snom-action-url-in/nope/provision').send({ action: 'provision' }).expect(404);
  });

  it('a phone config without base URL, or a bad request, reaches the Catch node with E_INPUT', async () => {
    await helper.load(nodes, flow([current], { events: ['incoming'] }, { baseUrl: '' }), creds());
    const err = collect(helper.getNode('err'));
    const report = collect(helper.getNode('report'));
    helper.getNode('a1').receive({ topic: 'provision' });
    const [e] = await err.wait(1);
    assert.equal(e.error.code, 'E_INPUT');
    assert.match(e.error.message, /Base URL/);
    await report.wait(1);
    assert.equal((await simState(current)).requests, 0, 'nothing was written');
    helper.getNode('a1').receive({ topic: 'reboot' });
    const [, e2] = await err.wait(2);
    assert.equal(e2.error.code, 'E_INPUT');
  });
});
