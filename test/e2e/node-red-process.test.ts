import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { SIM_PASSWORD, SIM_USER, simState, startPhones, stopAll } from '../support/sim';

/** http in → snom-key → http response, with a Catch that answers the error: a flow a user would build. */
function flows(phonePort: string) {
  // flow nodes carry x/y: Node-RED treats nodes without them as config nodes
  const at = (n: Record<string, unknown>, i: number) => (n.z ? { x: 100 + 150 * i, y: 100, ...n } : n);
  return [
    { id: 'tab', type: 'tab', label: 'e2e' },
    {
      id: 'ph',
      type: 'snom-phone',
      name: 'sim',
      host: '127.0.0.1',
      port: phonePort,
      protocol: 'http',
      model: 'detect',
      firmware: 'detect',
      auth: 'digest',
      timeout: '5000',
      queueSize: '100',
    },
    { id: 'in', z: 'tab', type: 'http in', url: '/press', method: 'post', wires: [['key']] },
    { id: 'key', z: 'tab', type: 'snom-key', phone: 'ph', keys: '', wires: [['ok']] },
    {
      id: 'ok',
      z: 'tab',
      type: 'change',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'snom', tot: 'msg' }],
      wires: [['res']],
    },
    { id: 'catch', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['bad']] },
    {
      id: 'bad',
      z: 'tab',
      type: 'change',
      rules: [
        { t: 'set', p: 'payload', pt: 'msg', to: 'error', tot: 'msg' },
        { t: 'set', p: 'statusCode', pt: 'msg', to: '400', tot: 'num' },
      ],
      wires: [['res']],
    },
    { id: 'res', z: 'tab', type: 'http response', statusCode: '', headers: {}, wires: [] },
  ].map(at);
}

describe('end to end: a real node-red process with the package and a flow', function () {
  this.timeout(60000);
  let phone: SimPhone;
  let red: NodeRedProcess;
  before(async () => {
    [phone] = await startPhones([{ model: 'D735', firmware: '10.1.54.13', auth: 'digest' }]);
    red = await startNodeRed(flows(String(phone.port)), { ph: { user: SIM_USER, password: SIM_PASSWORD } });
  });
  after(async () => {
    await red?.stop();
    await stopAll(phone ? [phone] : []);
  });

  const press = (body: string) =>
    fetch(`${red.url}/press`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });

  it('loads every node type of the package', async () => {
    const res = await fetch(`${red.url}/nodes`, { headers: { accept: 'application/json' } });
    const sets = (await res.json()) as Array<{ types: string[]; module: string }>;
    const ours = sets.filter((s) => s.module.endsWith('node-red-contrib-snom')).flatMap((s) => s.types);
    for (const t of ['snom-phone', 'snom-key', 'snom-dial', 'snom-command', 'snom-touch'])
      assert.ok(ours.includes(t), `${t} in ${ours}`);
  });

  it('presses keys on the phone through the flow, detecting the model on first use', async () => {
    const res = await press('P1;ENTER,,100');
    assert.equal(res.status, 200);
    const snom = (await res.json()) as { status: number; request: string };
    assert.equal(snom.status, 200);
    assert.equal(snom.request, 'GET /command.htm?key=P1;ENTER,,100');
    const state = await simState(phone);
    assert.deepEqual(
      state.keys.map((k) => k.key),
      ['P1', 'ENTER'],
    );
  });

  it('answers bad input through the Catch node with E_INPUT, sending nothing to the phone', async () => {
    const before = (await simState(phone)).requests;
    const res = await press('P1;BOGUS');
    assert.equal(res.status, 400);
    const error = (await res.json()) as { code: string; message: string };
    assert.equal(error.code, 'E_INPUT');
    assert.match(error.message, /BOGUS/);
    assert.equal((await simState(phone)).requests, before);
    assert.ok(!red.output().includes(SIM_PASSWORD), 'the password never reaches the log');
  });
});
