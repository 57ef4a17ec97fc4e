// The SIP examples (examples/SIP notify.json, examples/SIP auto-answer (Alert-Info).json) imported
// as shipped into a real node-red process, pointed at a simulated phone's HTTP and SIP ports, and run
// by pressing their inject buttons; what reaches their debug nodes, and what the phone shows.
import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { exampleFlows } from '../../src/dev/userdir';
import { recorderNodes, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { until } from '../support/until';
import { SIM_PASSWORD, SIM_USER, simJson, startPhones, stopAll } from '../support/sim';

type FlowNode = Record<string, any>;

/** The example with its phone config on the simulated phone, and a recorder behind the named debug nodes. */
async function runExample(name: string, debugNames: string[], phone: SimPhone) {
  const credentials: Record<string, Record<string, string>> = {};
  for (const n of exampleFlows([name]) as FlowNode[])
    if (n.type === 'snom-phone') credentials[n.id] = { user: SIM_USER, password: SIM_PASSWORD };
  let flows: FlowNode[] = [];
  const red = await startNodeRed((port) => {
    flows = exampleFlows([name]) as FlowNode[];
    assert.ok(flows.length > 3, `example "${name}" exists`);
    const tab = flows.find((n) => n.type === 'tab')!.id;
    for (const n of flows) {
      if (n.type !== 'snom-phone') continue;
      Object.assign(n, { port: String(phone.port), baseUrl: `http://127.0.0.1:${port}` });
      // the example names the simulator's SIP port of `npm start`; the test's phone has its own
      if (n.sipPort !== undefined) n.sipPort = phone.sipPorts!.udp;
    }
    const dbgs = debugNames.map((d) => flows.find((n) => n.type === 'debug' && n.name === d)!.id);
    for (const n of flows) for (const out of n.wires ?? []) if (dbgs.some((d) => out.includes(d))) out.push('rec');
    flows.push(...recorderNodes(tab, "msg.error ? 'ERROR ' + msg.error.message : msg.payload"));
    return flows;
  }, credentials);
  const press = async (injectName: string) => {
    const inject = flows.find((n) => n.type === 'inject' && n.name === injectName);
    assert.ok(inject, `inject "${injectName}"`);
    assert.equal((await fetch(`${red.url}/inject/${inject.id}`, { method: 'POST' })).status, 200);
  };
  const seen = async () => (await (await fetch(`${red.url}/seen`)).json()) as unknown[];
  /** press, then wait for the next recorded message */
  const step = async (injectName: string) => {
    const before = (await seen()).length;
    await press(injectName);
    return until(`result of "${injectName}"`, async () => (await seen())[before]);
  };
  return { red, step };
}

describe('end to end: the SIP examples against a simulated phone', function () {
  this.timeout(60000);
  let phone: SimPhone;
  let red: NodeRedProcess | undefined;
  before(async () => {
    [phone] = await startPhones([{ model: 'D785', firmware: '10.1.33.33', auth: 'digest' }]);
  });
  afterEach(async () => {
    await red?.stop();
    red = undefined;
    await simJson(phone, 'POST', 'reset');
  });
  after(async () => {
    await stopAll([phone]);
  });

  it('SIP notify: prepare the phone, then a screen, a key LED, talk, hold and check-sync reach it over SIP', async () => {
    const ex = await runExample('SIP notify', ['sip result', 'sip errors'], phone);
    red = ex.red;
    // before Prepare the phone does not trust Node-RED: the screen is refused with 403
    assert.match(String(await ex.step('2. Show a screen')), /^ERROR .*403/);
    assert.equal(await ex.step('1. Prepare phone'), 'prepare: settings written by web');
    const s = await simJson(phone, 'GET', 'settings');
    assert.deepEqual([s.mb_trusted_hosts, s.filter_registrar, s.fkey6], ['127.0.0.1', 'off', 'button 6']);

    assert.equal(await ex.step('2. Show a screen'), 'minibrowser: 200 OK');
    const state = await simJson(phone, 'GET', 'state');
    assert.equal(state.minibrowser.length, 1);
    assert.equal(state.minibrowser[0].via, 'sip-notify');
    assert.match(state.minibrowser[0].fetched.body, /Someone is at the door/);

    assert.equal(await ex.step('3. Door key red'), 'buttons: 200 OK');
    const leds = (await simJson(phone, 'GET', 'sip/leds')).leds;
    assert.deepEqual(
      leds.map((l: any) => [l.fkey, l.light, l.colour, l.label]),
      [['fkey6', 'on', 'red', 'Door']],
    );

    await simJson(phone, 'POST', 'calls', { remote: 'sip:200@pbx.local' });
    assert.equal(await ex.step('4a. Answer (talk)'), 'talk: 200 OK');
    assert.deepEqual(
      (await simJson(phone, 'GET', 'state')).ext.calls.map((c: any) => c.state),
      ['connected'],
    );
    assert.equal(await ex.step('4b. Hold'), 'hold: 200 OK');
    assert.deepEqual(
      (await simJson(phone, 'GET', 'state')).ext.calls.map((c: any) => c.state),
      ['held'],
    );

    assert.equal(await ex.step('5. Re-provision (check-sync)'), 'check-sync: 200 OK');
    const cs = (await simJson(phone, 'GET', 'sip')).checkSyncs;
    assert.deepEqual([cs.length, cs[0].reboot], [1, false]);
  });

  it('SIP auto-answer (Alert-Info): writes and reads answer_after_policy through snom-settings', async () => {
    const ex = await runExample('SIP auto-answer (Alert-Info)', ['answer after policy', 'settings errors'], phone);
    red = ex.red;
    assert.deepEqual(await ex.step('Auto-answer when idle'), { answer_after_policy: 'idle' });
    assert.equal((await simJson(phone, 'GET', 'settings')).answer_after_policy, 'idle');
    assert.deepEqual(await ex.step('Read Answer After Policy'), { answer_after_policy: 'idle' });
    assert.deepEqual(await ex.step('Auto-answer off'), { answer_after_policy: 'off' });
    assert.equal((await simJson(phone, 'GET', 'settings')).answer_after_policy, 'off');
  });
});
