// uaCSTA in a real Node-RED runtime against the simulator's SIP side (docs/protocol.md §10.7): snom-csta with
// transport "sip" and snom-csta-events share one association per phone config; firmware routes are refused in
// plain words; monitoring comes back after a reboot; closing the nodes ends the association with BYE.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig, type Collected } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simJson, simReset, startPhones, stopAll } from '../support/sim';
import { request } from '../simulator/helpers';
import { until } from '../support/until';

const phoneNode = nodeModule('snom-phone');
const cstaNode = nodeModule('snom-csta');
const eventsNode = nodeModule('snom-csta-events');

interface Sip {
  associations: Array<{ id: string; monitors: unknown[] }>;
  ended: Array<{ association: string; why: string }>;
  cstaRequests: Array<{ operation: string; association: string }>;
  messages: unknown[];
}
const sip = (p: SimPhone): Promise<Sip> => simJson(p, 'GET', 'sip');

/** The phone config with its SIP side on the simulator's UDP port; identity 100 is the CSTA one. */
function sipPhoneConfig(p: SimPhone, extra: Record<string, unknown> = {}) {
  return phoneConfig('p1', p.url, {
    model: p.config.model,
    firmware: p.config.firmware,
    sipHost: '127.0.0.1',
    sipPort: String(p.sipPorts!.udp),
    sipTransport: 'udp',
    sipUser: '100',
    sipLocalAddress: '127.0.0.1',
    ...extra,
  });
}

interface Flow {
  out: Collected;
  err: Collected;
  events: Collected;
}

async function load(p: SimPhone, nodes: any[], phoneExtra: Record<string, unknown> = {}): Promise<Flow> {
  const flow = [
    sipPhoneConfig(p, phoneExtra),
    ...nodes,
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 'out', type: 'helper' },
    { id: 'err', type: 'helper' },
    { id: 'events', type: 'helper' },
  ];
  await helper.load([phoneNode, cstaNode, eventsNode, catchNode], flow, {
    p1: { user: SIM_USER, password: SIM_PASSWORD },
  });
  return {
    out: collect(helper.getNode('out')),
    err: collect(helper.getNode('err')),
    events: collect(helper.getNode('events')),
  };
}

const csta = (extra: Record<string, unknown> = {}) => ({
  id: 'cs',
  type: 'snom-csta',
  phone: 'p1',
  operation: 'msg',
  transport: 'sip',
  wires: [['out']],
  ...extra,
});
const monitor = (extra: Record<string, unknown> = {}) => ({
  id: 'ev',
  type: 'snom-csta-events',
  phone: 'p1',
  device: '',
  keepAlive: 0.2,
  wires: [['events']],
  ...extra,
});

async function monitoring(p: SimPhone): Promise<Sip> {
  return until('monitoring', async () => {
    const s = await sip(p);
    return s.associations.some((a) => a.monitors.length > 0) ? s : undefined;
  });
}

/** Send one message into a node, wait for its result or its caught error. */
async function send(f: Flow, id: string, msg: Record<string, unknown>): Promise<{ out?: any; err?: any }> {
  const o = f.out.msgs.length;
  const e = f.err.msgs.length;
  helper.getNode(id).receive(msg);
  await until('a result', async () => (f.out.msgs.length > o || f.err.msgs.length > e ? true : undefined));
  return f.err.msgs.length > e ? { err: f.err.msgs[e] } : { out: f.out.msgs[o] };
}

describe('uaCSTA nodes: snom-csta over SIP and snom-csta-events', function () {
  let fw871: SimPhone;
  let fw865: SimPhone;
  let fw870: SimPhone;
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    [fw871, fw865, fw870] = await startPhones([
      // no web login, so that the test can reboot it with a plain GET
      { model: 'D785', firmware: '8.7.1', auth: 'none', sip: { t1Ms: 40, t2Ms: 160 } },
      { model: 'snom821', firmware: '8.6.5', sip: { t1Ms: 40, t2Ms: 160 } },
      { model: 'snom821', firmware: '8.7.0', sip: { t1Ms: 40, t2Ms: 160 } },
    ]);
  });
  beforeEach(async () => {
    for (const p of [fw871, fw865, fw870]) await simJson(p, 'PUT', 'settings', { csta_control: 'on' });
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [fw871, fw865, fw870]) await simReset(p);
  });
  after(async () => {
    await stopAll([fw871, fw865, fw870]);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  it('firmware 8.7.1: answers and clears a call over SIP and receives delivered → established → connectionCleared with msg.cstaId', async () => {
    const f = await load(fw871, [csta(), monitor()]);
    await monitoring(fw871);
    const id = (await simJson(fw871, 'POST', 'calls', { remote: 'sip:200@pbx.local' })).cstaId as string;
    const [delivered] = await f.events.wait(1);
    assert.equal(delivered.topic, 'delivered');
    assert.equal(delivered.cstaId, id);
    assert.equal(delivered.payload.state, 'alerting');
    assert.equal(delivered.payload.devices.callingDevice, 'sip:200@pbx.local');

    // the call id from the event message, as after snom-action-url-in
    const answered = await send(f, 'cs', { operation: 'AnswerCall', cstaId: delivered.cstaId });
    assert.ifError(answered.err?.error);
    assert.equal(answered.out.payload.operation, 'AnswerCallResponse');
    assert.equal(answered.out.snom.transport, 'sip');
    assert.equal(answered.out.snom.status, 200);
    await f.events.wait(2);
    const cleared = await send(f, 'cs', { operation: 'ClearConnection', cstaId: id });
    assert.equal(cleared.out.payload.operation, 'ClearConnectionResponse');
    await f.events.wait(3);
    assert.deepEqual(
      f.events.msgs.map((m) => [m.topic, m.cstaId]),
      [
        ['delivered', id],
        ['established', id],
        ['connectionCleared', id],
      ],
    );
    // one association for both nodes, and nothing went over HTTP /csta
    const s = await sip(fw871);
    assert.equal(s.associations.length, 1);
    // the INVITE's RequestSystemStatus first; the keep-alive's come in between
    assert.equal(s.cstaRequests[0].operation, 'RequestSystemStatus');
    assert.deepEqual(
      s.cstaRequests.map((r) => r.operation).filter((op) => op !== 'RequestSystemStatus'),
      ['MonitorStart', 'AnswerCall', 'ClearConnection'],
    );
    assert.equal(new Set(s.cstaRequests.map((r) => r.association)).size, 1);
  });

  it("a CSTA fault over SIP is E_CSTA with the phone's value, as over HTTP", async () => {
    const f = await load(fw871, [csta()]);
    const r = await send(f, 'cs', { operation: 'AnswerCall', cstaId: 999 });
    assert.equal(r.err.error.code, 'E_CSTA');
    assert.equal(r.err.snom.error.cstaError, 'invalidCallID');
  });

  it('refuses the routes the firmware lacks, in plain words, and sends nothing', async () => {
    const f = await load(fw871, [csta({ transport: 'http' })]);
    const http = await send(f, 'cs', { operation: 'RequestSystemStatus' });
    assert.equal(http.err.error.code, 'E_UNSUPPORTED');
    assert.match(http.err.error.message, /firmware 8\.7\.0 to 8\.7\.2 cannot do CSTA over HTTP/);
    await helper.unload();

    const old = await load(fw865, [csta({ transport: 'sip' })]);
    const sipOld = await send(old, 'cs', { operation: 'AnswerCall', cstaId: 1 });
    assert.equal(sipOld.err.error.code, 'E_UNSUPPORTED');
    assert.match(
      sipOld.err.error.message,
      /over SIP \(uaCSTA\) is not possible: firmware 8\.6\.5 is older than 8\.7\.1/,
    );
    await helper.unload();

    const gap = await load(fw870, [csta({ transport: 'auto' })]);
    const none = await send(gap, 'cs', { operation: 'AnswerCall', cstaId: 1 });
    assert.equal(none.err.error.code, 'E_UNSUPPORTED');
    await helper.unload();

    const noUser = await load(fw871, [csta({ transport: 'sip' })], { sipUser: '' });
    const input = await send(noUser, 'cs', { operation: 'AnswerCall', cstaId: 1 });
    assert.equal(input.err.error.code, 'E_INPUT');
    assert.match(input.err.error.message, /set the SIP user in the phone config/);
    await helper.unload();

    // the events node refuses at its start, while the flow is being deployed: its error is in the log
    await load(fw865, [monitor()]);
    const logged = await until('the refusal', async () =>
      helper
        .log()
        .args.map((a: any[]) => a[0])
        .find((l: any) => l?.type === 'snom-csta-events' && l?.level === 20),
    );
    assert.match(String(logged.msg), /CSTA events over SIP \(uaCSTA\) is not possible: firmware 8\.6\.5/);

    for (const p of [fw871, fw865, fw870]) {
      const s = await sip(p);
      assert.deepEqual([s.messages.length, s.cstaRequests.length], [0, 0], p.config.firmware);
      assert.equal((await simJson(p, 'GET', 'state')).ext.csta.length, 0, 'no HTTP CSTA');
    }
  });

  it('after a reboot the phone has forgotten the association: monitoring is set up again and events flow', async () => {
    const f = await load(fw871, [monitor()]);
    const statuses: string[] = [];
    const ev = helper.getNode('ev');
    const status = ev.status.bind(ev);
    ev.status = (s: { text: string }) => {
      statuses.push(s.text);
      return status(s);
    };
    const before = await monitoring(fw871);
    assert.equal((await request(`${fw871.url}/advanced_update.htm?reboot=Reboot`)).status, 200);
    await until('a new association', async () => {
      const s = await sip(fw871);
      return s.associations.length === 1 &&
        s.associations[0].id !== before.associations[0].id &&
        s.associations[0].monitors.length === 1
        ? true
        : undefined;
    });
    await until('status says re-established', async () =>
      statuses.some((t) => /re-established 1×/.test(t)) ? true : undefined,
    );
    assert.ok(
      statuses.some((t) => /^lost/.test(t)),
      statuses.join(' | '),
    );
    const id = (await simJson(fw871, 'POST', 'calls', { remote: 'sip:200@pbx.local' })).cstaId;
    const [m] = await f.events.wait(1);
    assert.deepEqual([m.topic, m.cstaId], ['delivered', id]);
  });

  it('closing the nodes ends the association with BYE; a redeploy sets up exactly one new one', async () => {
    const f = await load(fw871, [csta(), monitor()]);
    const first = await monitoring(fw871);
    // snom-csta holds the association for the phone config's life: the config's close must still say BYE first
    assert.equal((await send(f, 'cs', { operation: 'RequestSystemStatus' })).out.snom.transport, 'sip');
    await helper.unload();
    const after = await until('BYE', async () => {
      const s = await sip(fw871);
      return s.associations.length === 0 ? s : undefined;
    });
    assert.match(after.ended.find((e) => e.association === first.associations[0].id)!.why, /BYE/);
    await load(fw871, [csta(), monitor()]);
    const again = await monitoring(fw871);
    assert.equal(again.associations.length, 1);
  });

  it('bad input over SIP sends nothing (property)', async function () {
    this.timeout(60000);
    const f = await load(fw871, [csta()]);
    // the association exists, so any message that reached the phone would show in cstaRequests
    assert.equal(
      (await send(f, 'cs', { operation: 'RequestSystemStatus' })).out.payload.operation,
      'RequestSystemStatusResponse',
    );
    const baseline = (await sip(fw871)).cstaRequests.length;
    const bad = fc.oneof(
      fc.record({
        operation: fc.constantFrom('AnswerCall', 'HoldCall', 'ClearConnection'),
        cstaId: fc.oneof(
          fc.string().filter((t) => !/^\s*-?[0-9]{1,15}\s*$/.test(t)),
          fc.double().filter((d) => !Number.isSafeInteger(d)),
          fc.constant(null),
          fc.object(),
        ),
      }),
      fc.record({
        operation: fc.constantFrom('MakeCall'),
        payload: fc.record({ calledDirectoryNumber: fc.constantFrom('', 'a b', '\r\n', 'x'.repeat(300)) }),
      }),
      fc.record({
        operation: fc.constantFrom('ConsultationCall', 'SetDoNotDisturb', 'NoSuchOp', '__proto__', 'constructor'),
        cstaId: fc.constant(1),
      }),
      fc.record({ operation: fc.constant('raw'), payload: fc.constantFrom('', '<a>', '<a/><b/>', 'text') }),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (msg) => {
        const r = await send(f, 'cs', { ...(msg as Record<string, unknown>) });
        assert.ok(r.err, `expected a refusal for ${JSON.stringify(msg)}`);
        assert.ok(['E_INPUT', 'E_UNSUPPORTED'].includes(r.err.error.code), r.err.error.code);
      }),
      { seed: 1109, numRuns: 60 },
    );
    const s = await sip(fw871);
    assert.equal(s.cstaRequests.length, baseline);
  });
});
