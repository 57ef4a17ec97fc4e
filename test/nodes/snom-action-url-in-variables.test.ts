// Extra phone variables end to end (issue 7 §5): provisioning asks the phone for $sip_header(NAME) and
// settings; the simulated phone fills them in when a call rings; the event carries them under
// readable names. Also the firewall test, fired by the phone, arrives as firewallTest.
import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { servingHttpNode, startHttpNodeServer, type HttpNodeServer } from '../support/http-node';
import { collect, helper, nodeModule, phoneConfig } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simJson, simReset, startPhones, stopAll } from '../support/sim';

const TOKEN = 'vars-t0ken-abcdefghijklmnopqrstuvwxyz';

describe('snom-action-url-in: extra phone variables from provisioning to the event', function () {
  let phone: SimPhone;
  let server: HttpNodeServer;
  const nodes = [
    nodeModule('snom-phone'),
    nodeModule('snom-command'),
    servingHttpNode(nodeModule('snom-action-url-in') as (RED: unknown) => unknown),
  ];
  const creds = () => ({ p0: { user: SIM_USER, password: SIM_PASSWORD }, a1: { token: TOKEN } });
  const flow = (over: Record<string, unknown>) => [
    phoneConfig('p0', phone.url, { baseUrl: server.url }),
    {
      id: 'a1',
      type: 'snom-action-url-in',
      path: '/snom/events',
      allowlist: '',
      holdMs: 1000,
      holdCount: 10,
      phones: ['p0'],
      wires: [['events'], ['report']],
      ...over,
    },
    { id: 'cmd', type: 'snom-command', phone: 'p0', command: 'fireTest', wires: [['done']] },
    { id: 'events', type: 'helper' },
    { id: 'report', type: 'helper' },
    { id: 'done', type: 'helper' },
  ];

  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    server = await startHttpNodeServer();
    [phone] = await startPhones([{ model: 'D785', firmware: '10.1.33.33', auth: 'digest' }]);
  });
  afterEach(async () => {
    await helper.unload();
    await simReset(phone);
  });
  after(async () => {
    await stopAll([phone]);
    await server.close();
    await new Promise<void>((r) => helper.stopServer(r));
  });

  it('delivers $sip_header(X-Ticket) as payload.sipHeaders["X-Ticket"] and a setting as payload.phoneVariables', async () => {
    await helper.load(
      nodes,
      flow({ events: ['incoming'], variables: '$sip_header(X-Ticket), user_name1, $sip_header(X-Absent)' }),
      creds(),
    );
    const report = collect(helper.getNode('report'));
    const events = collect(helper.getNode('events'));
    helper.getNode('a1').receive({ topic: 'provision' });
    const [r] = await report.wait(1);
    assert.deepEqual(r.payload.errors, []);
    await simJson(phone, 'POST', 'calls', {
      remote: 'sip:0301234@pbx.local',
      sipHeaders: { 'X-Ticket': 'T-42 Müller & Co', Via: 'SIP/2.0/UDP 10.0.0.1' },
    });
    const [msg] = await events.wait(1);
    assert.equal(msg.topic, 'incoming');
    assert.deepEqual(
      msg.payload.sipHeaders,
      { 'X-Ticket': 'T-42 Müller & Co' },
      'a header the INVITE lacked is absent',
    );
    assert.deepEqual(msg.payload.phoneVariables, { user_name1: '100' });
    assert.equal(msg.payload.remote, 'sip:0301234@pbx.local');
  });

  it('the firewall test the phone fires (CSTA FireTest) arrives as firewallTest', async () => {
    await helper.load(nodes, flow({ events: ['firewallTest'] }), creds());
    const report = collect(helper.getNode('report'));
    const events = collect(helper.getNode('events'));
    helper.getNode('a1').receive({ topic: 'provision' });
    const [r] = await report.wait(1);
    assert.deepEqual(r.payload.results[0].settings, ['action_fwtest_url']);
    const done = collect(helper.getNode('done'));
    helper.getNode('cmd').receive({ payload: 'go' });
    await done.wait(1);
    const [msg] = await events.wait(1);
    assert.equal(msg.topic, 'firewallTest');
    assert.equal(msg.payload.phone.mac, phone.mac);

    // a phone set up by another tool under the older wiki name still reports it
    await simJson(phone, 'PUT', 'settings', {
      action_fwtest_url: '',
      action_firewall_test: `${server.url}/snom/events?t=${TOKEN}&e=action_firewall_test`,
    });
    helper.getNode('cmd').receive({ payload: 'again' });
    await done.wait(2);
    const [, again] = await events.wait(2);
    assert.equal(again.topic, 'firewallTest');
  });
});
