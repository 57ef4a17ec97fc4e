import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simReset, simState, startPhones, stopAll } from '../support/sim';

const phoneNode = nodeModule('snom-phone');
const dialNode = nodeModule('snom-dial');
const commandNode = nodeModule('snom-command');
const touchNode = nodeModule('snom-touch');
const creds = { p1: { user: SIM_USER, password: SIM_PASSWORD } };

function flow(url: string, node: Record<string, unknown>, phoneExtra: Record<string, unknown> = {}) {
  return [
    phoneConfig('p1', url, phoneExtra),
    { id: 'n1', phone: 'p1', wires: [['out']], ...node },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 'out', type: 'helper' },
    { id: 'err', type: 'helper' },
  ];
}

describe('snom-dial, snom-command and snom-touch against simulated phones', function () {
  let d785: SimPhone;
  let s870: SimPhone;
  let s820: SimPhone;
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    [d785, s870, s820] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33', auth: 'digest' },
      { model: 'snom870', firmware: '8.7.5.35', auth: 'digest', https: true },
      { model: 'snom820', firmware: '8.7.3.25', auth: 'basic' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [d785, s870, s820]) await simReset(p);
  });
  after(async () => {
    await stopAll([d785, s870, s820]);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  async function run(
    phone: SimPhone,
    node: Record<string, unknown>,
    msg: Record<string, unknown>,
    phoneExtra: Record<string, unknown> = {},
  ) {
    await helper.unload();
    await helper.load(
      [phoneNode, dialNode, commandNode, touchNode, catchNode],
      flow(phone.url, node, phoneExtra),
      creds,
    );
    const out = collect(helper.getNode('out'));
    const err = collect(helper.getNode('err'));
    helper.getNode('n1').receive(msg);
    await Promise.race([out.wait(1), err.wait(1)]);
    return { out: out.msgs[0], err: err.msgs[0], state: await simState(phone) };
  }

  it('dials with an identity; the phone answers 302 and that is success', async () => {
    const { out, state } = await run(
      d785,
      { type: 'snom-dial', mode: 'dial', number: '', identity: '' },
      { payload: { number: '0301234567', identity: '123@domain1' } },
    );
    assert.equal(out.snom.status, 302);
    assert.deepEqual(
      state.dials.map((d) => [d.number, d.outgoingUri]),
      [['0301234567', '123@domain1']],
    );
  });

  it('dials a number with * and # intact, and sends DTMF in DTMF mode', async () => {
    await run(d785, { type: 'snom-dial', mode: 'dial', number: '*21#' }, {});
    const { state } = await run(d785, { type: 'snom-dial', mode: 'dtmf', number: '' }, { payload: '123#' });
    assert.deepEqual(
      state.dials.map((d) => d.number),
      ['*21#'],
    );
    assert.deepEqual(
      state.dtmf.map((d) => d.digits),
      ['123#'],
    );
  });

  it('refuses a number with a character that could change the request, sending nothing', async () => {
    const { err, state } = await run(d785, { type: 'snom-dial', mode: 'dial' }, { payload: '123&reboot=Reboot' });
    assert.equal(err.error.code, 'E_INPUT');
    assert.equal(state.requests, 0);
  });

  const commands: Array<[string, Record<string, unknown>, (s: any) => void]> = [
    [
      'releaseAllCalls',
      {},
      (s) =>
        assert.deepEqual(
          s.commands.map((c: any) => c.name),
          ['RELEASE_ALL_CALLS'],
        ),
    ],
    [
      'logoffAll',
      {},
      (s) =>
        assert.deepEqual(
          s.commands.map((c: any) => c.name),
          ['LOGOFFALL'],
        ),
    ],
    [
      'logoffLine',
      { identity: '1' },
      (s) =>
        assert.deepEqual(
          s.commands.map((c: any) => [c.name, c.value]),
          [['LOGOFFLINE', '1']],
        ),
    ],
    [
      'reregister',
      { identity: '1' },
      (s) =>
        assert.deepEqual(
          s.commands.map((c: any) => [c.name, c.value]),
          [['REREGISTER', '1']],
        ),
    ],
    ['playRinger', { ringer: '9' }, (s) => assert.deepEqual([s.ringer.last, s.ringer.count], [9, 1])],
    ['reboot', {}, (s) => assert.equal(s.reboots, 1)],
    ['factoryReset', { confirmReset: true }, (s) => assert.equal(s.resets, 1)],
    ['clearDialed', {}, (s) => assert.ok(s.commands.some((c: any) => c.name === 'dialeddel'))],
    ['clearMissed', {}, (s) => assert.ok(s.commands.some((c: any) => c.name === 'misseddel'))],
    ['clearReceived', {}, (s) => assert.ok(s.commands.some((c: any) => c.name === 'receiveddel'))],
    [
      'firmwareUpgrade',
      { url: 'http://fw.example/snomD785-10.1.40.0-SIP-r.bin' },
      (s) =>
        assert.deepEqual(
          s.firmwareUpdates.map((f: any) => f.url),
          ['http://fw.example/snomD785-10.1.40.0-SIP-r.bin'],
        ),
    ],
    [
      'transferStart',
      { transferTarget: '42' },
      (s) =>
        assert.deepEqual(
          s.keys.map((k: any) => k.key),
          ['F_HOLD', '4', '2', 'ENTER'],
        ),
    ],
    [
      'transferComplete',
      {},
      (s) =>
        assert.deepEqual(
          s.keys.map((k: any) => k.key),
          ['TRANSFER'],
        ),
    ],
  ];
  for (const [command, fields, check] of commands) {
    it(`runs ${command} in Snom's form (docs/protocol.md §4)`, async () => {
      const { out, err, state } = await run(d785, { type: 'snom-command', command, ...fields }, {});
      assert.equal(err, undefined, err && err.error.message);
      assert.equal(out.snom.status, 200);
      check(state);
    });
  }

  it('takes the command from msg.command when the form says "msg"', async () => {
    const { state } = await run(
      d785,
      { type: 'snom-command', command: 'msg' },
      { command: 'playRinger', payload: { ringer: 4 } },
    );
    assert.equal(state.ringer.last, 4);
  });

  it('fixes the line info layer on a snom820 and refuses it on a D785', async () => {
    const ok = await run(
      s820,
      { type: 'snom-command', command: 'fixLineInfoLayer' },
      {},
      { model: 'snom820', firmware: '8.7.3.25' },
    );
    assert.deepEqual(
      ok.state.commands.map((c: any) => [c.name, c.value]),
      [['FIX_LIL', 'true']],
    );
    await helper.unload();
    const no = await run(d785, { type: 'snom-command', command: 'fixLineInfoLayer' }, {});
    assert.equal(no.err.error.code, 'E_UNSUPPORTED');
  });

  for (const [fields, why] of [
    [{ command: 'factoryReset', confirmReset: false }, /Factory reset refused/],
    [{ command: 'logoffLine', identity: '13' }, /1 to 12/],
    [{ command: 'playRinger', ringer: '0' }, /1 to 9/],
    [{ command: 'firmwareUpgrade', url: 'javascript:alert(1)' }, /http, https/],
    [{ command: 'nonsense' }, /Unknown command/],
  ] as Array<[Record<string, unknown>, RegExp]>) {
    it(`refuses ${JSON.stringify(fields)} with E_INPUT and sends nothing`, async () => {
      const { err, state } = await run(d785, { type: 'snom-command', ...fields }, {});
      assert.equal(err.error.code, 'E_INPUT');
      assert.match(err.error.message, why);
      assert.equal(state.requests, 0);
      assert.equal(state.resets, 0);
    });
  }

  it('touches the snom870 screen over HTTPS with its self-signed certificate accepted', async () => {
    const { out, err, state } = await run(
      s870,
      { type: 'snom-touch', touch: '' },
      { payload: '100 200 pr 479 271 p 479 271 r' },
      { model: 'snom870', firmware: '8.7.5.35', protocol: 'https', selfSigned: true },
    );
    assert.equal(err, undefined, err && err.error.message);
    assert.equal(out.snom.status, 200);
    assert.deepEqual(
      state.touches.map((t) => [t.x, t.y, t.action]),
      [
        [100, 200, 'pr'],
        [479, 271, 'p'],
        [479, 271, 'r'],
      ],
    );
  });

  it('does not trust the self-signed certificate unless the phone config says so', async () => {
    const { err, state } = await run(
      s870,
      { type: 'snom-touch', touch: '1 1' },
      {},
      { model: 'snom870', firmware: '8.7.5.35', protocol: 'https', selfSigned: false },
    );
    assert.equal(err.error.code, 'E_UNREACHABLE');
    assert.match(err.error.message, /certificate/i);
    assert.equal(state.touches.length, 0);
  });

  it('refuses touch outside the screen, on old 870 firmware, and on other models', async () => {
    const a = await run(
      s870,
      { type: 'snom-touch', touch: '480 10' },
      {},
      { model: 'snom870', firmware: '8.7.5.35', protocol: 'https', selfSigned: true },
    );
    assert.equal(a.err.error.code, 'E_INPUT');
    await helper.unload();
    const b = await run(
      s870,
      { type: 'snom-touch', touch: '10 10' },
      {},
      { model: 'snom870', firmware: '8.4.33', protocol: 'https', selfSigned: true },
    );
    assert.equal(b.err.error.code, 'E_UNSUPPORTED');
    await helper.unload();
    const c = await run(d785, { type: 'snom-touch', touch: '10 10' }, {});
    assert.equal(c.err.error.code, 'E_UNSUPPORTED');
    assert.equal((await simState(d785)).requests, 0);
  });
});
