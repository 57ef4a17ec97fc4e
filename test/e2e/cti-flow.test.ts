import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { exampleFlows } from '../../src/dev/userdir';
import { recorderNodes, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { until } from '../support/until';
import { SIM_PASSWORD, SIM_USER, simState, startPhones, stopAll } from '../support/sim';

const TOKEN = 'e2e-cti-token-0123456789abcdefghij';
type FlowNode = Record<string, any>;

/**
 * The shipped "Caller popup (CTI)" example, pointed at the simulated phone, plus two test hooks:
 * a function node that records every event the flow receives, and GET /seen that returns them.
 */
function ctiFlows(phonePort: number, nrPort: number): FlowNode[] {
  const flows = exampleFlows(['Caller popup (CTI)']) as FlowNode[];
  const tab = flows.find((n) => n.type === 'tab')!.id;
  for (const n of flows) {
    if (n.type === 'snom-phone') Object.assign(n, { port: String(phonePort), baseUrl: `http://127.0.0.1:${nrPort}` });
    if (n.type === 'http request') n.url = n.url.replace(':8081', `:${phonePort}`);
  }
  const events = flows.find((n) => n.type === 'snom-action-url-in')!;
  events.wires[0].push('rec');
  flows.push(...recorderNodes(tab, '{ topic: msg.topic, cstaId: msg.cstaId, remote: msg.payload.remote }'));
  return flows;
}

describe('end to end: the Caller popup (CTI) example in a real node-red process', function () {
  this.timeout(60000);
  let phone: SimPhone;
  let red: NodeRedProcess;
  let flows: FlowNode[];
  before(async () => {
    [phone] = await startPhones([{ model: 'D785', firmware: '10.1.33.33', auth: 'digest' }]);
    // credentials as the editor stores them (flows_cred.json), never in the flow itself
    const example = exampleFlows(['Caller popup (CTI)']) as FlowNode[];
    const credentials: Record<string, Record<string, string>> = {};
    for (const n of example) {
      if (n.type === 'snom-phone') credentials[n.id] = { user: SIM_USER, password: SIM_PASSWORD };
      if (n.type === 'snom-action-url-in') credentials[n.id] = { token: TOKEN };
    }
    red = await startNodeRed((port) => (flows = ctiFlows(phone.port, port)), credentials);
  });
  after(async () => {
    await red?.stop();
    await stopAll(phone ? [phone] : []);
  });

  it('runs from provisioning to hang-up with no URL typed by hand', async () => {
    const ids = (t: string) => flows.filter((n) => n.type === t).map((n) => n.id);
    // 1. provision: the inject button in the example
    const provisionInject = flows.find((n) => n.type === 'inject' && n.topic === 'provision')!.id;
    assert.equal((await fetch(`${red.url}/inject/${provisionInject}`, { method: 'POST' })).status, 200);
    const settings = await until('provisioned settings', async () => {
      const s = (await (await fetch(`${phone.url}/sim/settings`)).json()) as Record<string, string>;
      return s.action_incoming_url && s.action_disconnected_url ? s : undefined;
    });
    const incomingUrl = new URL(settings.action_incoming_url);
    assert.equal(incomingUrl.origin, red.url);
    assert.equal(incomingUrl.pathname, '/snom/events');
    assert.equal(incomingUrl.searchParams.get('t'), TOKEN);
    assert.equal(ids('snom-action-url-in').length, 1);

    // 2. an incoming call at the simulated phone
    const res = await fetch(`${phone.url}/sim/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ remote: 'sip:0301234567@pbx.local', displayName: 'Ada' }),
    });
    const { cstaId } = (await res.json()) as { cstaId: string };

    // 3. the flow saw "incoming" with the phone's $csta_id, looked the caller up, showed it, answered
    const seen = async () =>
      (await (await fetch(`${red.url}/seen`)).json()) as Array<{ topic: string; cstaId?: string; remote?: string }>;
    const incoming = await until('incoming event', async () => (await seen()).find((e) => e.topic === 'incoming'));
    assert.equal(incoming.cstaId, cstaId);
    assert.equal(incoming.remote, 'sip:0301234567@pbx.local');
    const screen = await until('caller on screen', async () => {
      const st = await simState(phone);
      const s = st.ext.screen as { document: string; via: string } | undefined;
      return s && /Ada Lovelace/.test(s.document) ? s : undefined;
    });
    assert.equal(screen.via, 'xmlpush', 'D785 on 10.1 takes the CSTA XmlPush');
    assert.match(screen.document, /Analytical Engines Ltd · 2 open tickets/);
    const call = await until('answered call', async () => {
      const calls = (await simState(phone)).ext.calls as Array<{ cstaId: string; state: string }>;
      return calls.find((c) => c.cstaId === cstaId && c.state === 'connected');
    });
    assert.ok(call);
    await until('connected event', async () =>
      (await seen()).find((e) => e.topic === 'connected' && e.cstaId === cstaId),
    );

    // 4. hang up with the example's own "Hang up" button → disconnected
    const hangup = flows.find((n) => n.type === 'inject' && n.name === 'Hang up')!.id;
    await fetch(`${red.url}/inject/${hangup}`, { method: 'POST' });
    await until('disconnected event', async () =>
      (await seen()).find((e) => e.topic === 'disconnected' && e.cstaId === cstaId),
    );
    assert.deepEqual(
      (await seen()).map((e) => e.topic),
      ['incoming', 'connected', 'disconnected'],
    );
    assert.ok(!red.output().includes(TOKEN) && !red.output().includes(SIM_PASSWORD), 'no secret in the log');
  });
});
