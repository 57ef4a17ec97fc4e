import assert from 'node:assert/strict';
import type { SimPhone } from '../../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig } from '../../support/red';
import { SIM_PASSWORD, SIM_USER, simReset, simState, startPhones, stopAll } from '../../support/sim';

const TOKEN = 'prov-t0ken-abcdefghijklmnopqrstuvwxyz';
const BASE = 'http://192.0.2.10:1880';

async function settingsOf(phone: SimPhone): Promise<Record<string, string>> {
  return (await (await fetch(`${phone.url}/sim/settings`)).json()) as Record<string, string>;
}

function flow(phones: SimPhone[], over: Record<string, unknown> = {}, phoneOver: Record<string, unknown> = {}) {
  return [
    ...phones.map((p, i) =>
      phoneConfig(`p${i}`, p.url, { model: p.config.model, firmware: p.config.firmware, baseUrl: BASE, ...phoneOver }),
    ),
    {
      id: 'a1',
      type: 'snom-action-url-in',
      path: '/snom/events',
      allowlist: '',
      holdMs: 1000,
      holdCount: 10,
      phones: phones.map((_, i) => `p${i}`),
      wires: [['events'], ['report']],
      ...over,
    },
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
  const creds = () => ({
    p0: { user: SIM_USER, password: SIM_PASSWORD },
    p1: { user: SIM_USER, password: SIM_PASSWORD },
    a1: { token: TOKEN },
  });

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

  it("writes exactly the chosen events' action_* settings, with token, event and variables", async () => {
    const events = ['incoming', 'connected', 'disconnected', 'hold', 'dndOn', 'firewallTest'];
    await helper.load(nodes, flow([current], { events }), creds());
    const report = collect(helper.getNode('report'));
    helper.getNode('a1').receive({ topic: 'provision' });
    const [msg] = await report.wait(1);
    assert.equal(msg.topic, 'provisioned');
    assert.deepEqual(msg.payload.errors, []);
    const expected = [
      'action_connected_url',
      'action_disconnected_url',
      'action_dnd_on_url',
      'action_fwtest_url',
      'action_hold',
      'action_incoming_url',
    ];
    assert.deepEqual([...msg.payload.results[0].settings].sort(), expected);
    assert.equal(
      msg.payload.results[0].route,
      'both',
      'settings of the proprietary list (docs/protocol.md §9.2) by CSTA SetSettings, others by dummy.htm',
    );
    assert.ok(!JSON.stringify(msg.payload).includes(TOKEN), 'the report never carries the token');

    const s = await settingsOf(current);
    const at = `${BASE}/snom/events?t=${TOKEN}`;
    const call =
      'local=$local&remote=$remote&cid=$call-id&csta=$csta_id&dloc=$display_local&drem=$display_remote&akey=$active_key&calls=$nr_ongoing_calls&mac=$mac';
    assert.deepEqual(Object.fromEntries(expected.map((n) => [n, s[n]])), {
      action_connected_url: `${at}&e=connected&${call}`,
      action_disconnected_url: `${at}&e=disconnected&${call}&reason=$cancel_reason`,
      action_dnd_on_url: `${at}&e=dndOn&aurl=$active_url&mac=$mac`,
      action_fwtest_url: `${at}&e=firewallTest&mac=$mac`, // the hidden setting, by CSTA
      action_hold: `${at}&e=hold&${call}`, // no _url suffix (docs/protocol.md §6.3)
      action_incoming_url: `${at}&e=incoming&${call}`,
    });
    const untouched = [
      'action_outgoing_url',
      'action_offhook_url',
      'action_onhook_url',
      'action_missed_url',
      'action_unhold',
      'action_transfer',
      'action_blind_transfer',
      'action_attended_transfer',
      'action_received_attended_transfer',
      'action_dnd_off_url',
      'action_redirection_on_url',
      'action_redirection_off_url',
      'action_setup_url',
      'action_reg_failed',
      'action_log_on_url',
      'action_log_off_url',
      'action_longpress_url',
      'action_blacklist_url',
      'action_received_subscr_notify_url',
      'action_firewall_test', // the older wiki's name of the firewall test: recognised, never written
    ];
    for (const name of untouched) assert.ok(!s[name], `${name} not written`);
    const st = await simState(current);
    assert.ok((st.ext.csta as Array<{ operation: string }>).some((c) => c.operation === 'SetSettings'));
  });

  it('asks for extra variables (node setting, or msg.variables for one run) and refuses bad ones before sending', async () => {
    await helper.load(
      nodes,
      flow([current], { events: ['incoming', 'dndOn'], variables: '$sip_header(X-Ticket), user_uid[1] activeUser' }),
      creds(),
    );
    const report = collect(helper.getNode('report'));
    const err = collect(helper.getNode('err'));
    helper.getNode('a1').receive({ topic: 'provision' });
    await report.wait(1);
    const at = `${BASE}/snom/events?t=${TOKEN}`;
    const extras = 'h.X-Ticket=$sip_header(X-Ticket)&v.user_uid%5B1%5D=$user_uid[1]&auser=$active_user';
    let s = await settingsOf(current);
    assert.equal(
      s.action_incoming_url,
      `${at}&e=incoming&local=$local&remote=$remote&cid=$call-id&csta=$csta_id&dloc=$display_local&drem=$display_remote&akey=$active_key&calls=$nr_ongoing_calls&mac=$mac&${extras}`,
    );
    assert.equal(s.action_dnd_on_url, `${at}&e=dndOn&aurl=$active_url&mac=$mac&${extras}`);

    helper.getNode('a1').receive({ topic: 'provision', variables: ['$sip_header(X-Other)'] });
    await report.wait(2);
    s = await settingsOf(current);
    assert.equal(s.action_dnd_on_url, `${at}&e=dndOn&aurl=$active_url&mac=$mac&h.X-Other=$sip_header(X-Other)`);

    const before = (await simState(current)).requests;
    for (const variables of ['$sip_header(Call-ID)', '$http_pass', ['$sip_header(X Y)'], 'a&b']) {
      helper.getNode('a1').receive({ topic: 'provision', variables });
    }
    const errors = await err.wait(4);
    assert.deepEqual(
      errors.map((e) => e.error.code),
      ['E_INPUT', 'E_INPUT', 'E_INPUT', 'E_INPUT'],
    );
    assert.match(errors[0].error.message, /Call-ID/);
    assert.match(errors[1].error.message, /password/);
    assert.equal((await simState(current)).requests, before, 'nothing was sent');
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
    const res = await helper
      .request()
      .post('/snom-action-url-in/a1/provision')
      .send({ action: 'provision', phones: ['p0'] })
      .expect(200);
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
