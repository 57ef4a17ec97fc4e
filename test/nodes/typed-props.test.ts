// Fields whose value comes from msg / flow / global / env (the editor's typedInputs, <field>Type):
// the runtime evaluates them per message in a real Node-RED against simulated phones; flows saved
// before <field>Type existed read the field as the form's text, as they always did; a source that
// holds nothing is E_INPUT with nothing sent.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simReset, simState, startPhones, stopAll } from '../support/sim';

const modules = ['snom-phone', 'snom-key', 'snom-dial', 'snom-settings', 'snom-xml-push'].map(nodeModule);
const creds = { p1: { user: SIM_USER, password: SIM_PASSWORD } };

function flow(url: string, node: Record<string, unknown>) {
  // on a tab: flow context belongs to one
  return [
    { id: 'f1', type: 'tab' },
    phoneConfig('p1', url),
    { id: 'n1', z: 'f1', phone: 'p1', wires: [['out']], ...node },
    { id: 'c1', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 'out', z: 'f1', type: 'helper' },
    { id: 'err', z: 'f1', type: 'helper' },
  ];
}

describe('typed fields: values from msg, flow, global and env', function () {
  let phone: SimPhone;
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    [phone] = await startPhones([{ model: 'D785', firmware: '10.1.33.33', auth: 'digest' }]);
  });
  afterEach(async () => {
    await helper.unload();
    await simReset(phone);
    delete process.env.SNOM_TYPED_KEYS;
  });
  after(async () => {
    await stopAll([phone]);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  async function load(node: Record<string, unknown>) {
    await helper.load([...modules, catchNode], flow(phone.url, node), creds);
    return { n: helper.getNode('n1'), out: collect(helper.getNode('out')), err: collect(helper.getNode('err')) };
  }

  it('presses the keys found in msg, flow, global and env', async () => {
    process.env.SNOM_TYPED_KEYS = 'P4';
    const sources: Array<[string, string]> = [
      ['msg', 'press.these'],
      ['flow', 'keys'],
      ['global', 'keys'],
      ['env', 'SNOM_TYPED_KEYS'],
    ];
    const pressed: string[] = [];
    for (const [source, property] of sources) {
      const { n, out } = await load({ type: 'snom-key', keys: property, keysType: source });
      n.context().flow.set('keys', 'P2');
      n.context().global.set('keys', ['P3']);
      n.receive({ payload: 'P9', press: { these: 'P1;ENTER' } });
      await out.wait(1);
      pressed.push((await simState(phone)).keys.map((k) => k.key).join(' '));
      await helper.unload();
      await simReset(phone);
    }
    assert.deepEqual(pressed, ['P1 ENTER', 'P2', 'P3', 'P4']);
  });

  it('reads a flow saved before keysType existed as before: the text, or msg.payload when empty', async () => {
    const old = await load({ type: 'snom-key', keys: 'DND' });
    old.n.receive({ payload: 'P9' });
    await old.out.wait(1);
    await helper.unload();
    const empty = await load({ type: 'snom-key', keys: '' });
    empty.n.receive({ payload: 'P9' });
    await empty.out.wait(1);
    await helper.unload();
    // 'str' is the form's own text even when it looks like a property
    const str = await load({ type: 'snom-key', keys: 'payload', keysType: 'str' });
    str.n.receive({ payload: 'P9' });
    await str.err.wait(1);
    assert.deepEqual(
      (await simState(phone)).keys.map((k) => k.key),
      ['DND', 'P9'],
    );
  });

  it('dials a number from global context and writes a number setting as a number', async () => {
    const dial = await load({ type: 'snom-dial', mode: 'dial', number: 'callback', numberType: 'global' });
    dial.n.context().global.set('callback', '0301234');
    dial.n.receive({ payload: '999' });
    await dial.out.wait(1);
    assert.deepEqual(
      (await simState(phone)).dials.map((d) => d.number),
      ['0301234'],
    );
    await helper.unload();
    const set = await load({
      type: 'snom-settings',
      action: 'set',
      setName: 'custom_note',
      setValue: '42',
      setValueType: 'num',
    });
    set.n.receive({ payload: 'ignored' });
    const [msg] = await set.out.wait(1);
    assert.match(msg.snom.request, /custom_note=42/);
  });

  it('pushes a screen given as an object in msg', async () => {
    const { n, out } = await load({
      type: 'snom-xml-push',
      transport: 'csta',
      document: 'screen',
      documentType: 'msg',
    });
    n.receive({ payload: 'not a document', screen: { type: 'text', title: 'Hi', text: 'from msg.screen' } });
    const [msg] = await out.wait(1);
    assert.equal(msg.snom.transport, 'csta');
  });

  it('refuses a source that holds nothing, an unreadable property or an unknown source with E_INPUT, and sends nothing', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ keys: 'nothing', keysType: 'msg' }, /keys: msg\.nothing holds no value/],
      [{ keys: 'nothing.here', keysType: 'msg' }, /keys: cannot read msg\.nothing\.here: /],
      [{ keys: 'unset', keysType: 'flow' }, /keys: flow\.unset holds no value/],
      [{ keys: 'SNOM_TYPED_UNSET', keysType: 'env' }, /keys: env "SNOM_TYPED_UNSET" holds no value/],
      [{ keys: 'a[', keysType: 'msg' }, /keys: cannot read msg\.a\[/],
      [{ keys: '$.x', keysType: 'jsonata' }, /"jsonata" is no source for this field/],
    ];
    for (const [fields, message] of cases) {
      const { n, err } = await load({ type: 'snom-key', ...fields });
      n.receive({ payload: 'P1' });
      const [e] = await err.wait(1);
      assert.equal(e.error.code, 'E_INPUT', JSON.stringify(fields));
      assert.match(e.error.message, message);
      await helper.unload();
    }
    assert.equal((await simState(phone)).requests, 0);
  });

  it('cuts a long property name in its error without splitting a character in two', async () => {
    // the 59th and 60th characters are one emoji: a cut at 59 would leave half of it (a lone surrogate)
    const property = `${'a'.repeat(58)}\u{1F600}${'b'.repeat(40)}`;
    const { n, err } = await load({ type: 'snom-key', keys: property, keysType: 'msg' });
    n.receive({ payload: 'P1' });
    const [e] = await err.wait(1);
    assert.equal(e.error.code, 'E_INPUT');
    assert.match(e.error.message, /keys: msg\.a{58}… holds no value/);
    assert.doesNotMatch(e.error.message, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'no half character in the error text');
    await helper.unload();
    assert.equal((await simState(phone)).requests, 0);
  });

  it('property: a source without a value never reaches the phone (fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('msg', 'flow', 'global', 'env'),
        // names that are keys themselves: read as text they would be pressed
        fc.constantFrom('P1', 'P5', 'ENTER', 'DND', 'UP', 'F1', 'EK3', 'REDIAL'),
        async (source, property) => {
          const { n, err } = await load({ type: 'snom-key', keys: property, keysType: source });
          try {
            n.receive({ payload: 'P1' });
            const [e] = await err.wait(1);
            return e.error.code === 'E_INPUT' && (await simState(phone)).requests === 0;
          } finally {
            await helper.unload();
          }
        },
      ),
      { seed: 1010, numRuns: 12 },
    );
  });
});
