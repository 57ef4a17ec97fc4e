import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig, statusNode } from '../support/red';
import { useRuntimeLanguage, withRuntimeI18n } from '../support/runtime-language';
import { SIM_PASSWORD, SIM_USER, startPhones, stopAll } from '../support/sim';
import { until } from '../support/until';

const phoneNode = withRuntimeI18n(nodeModule('snom-phone'), 'snom-phone');
const keyNode = withRuntimeI18n(nodeModule('snom-key'), 'snom-key');
const dialNode = withRuntimeI18n(nodeModule('snom-dial'), 'snom-dial');
const actionNode = withRuntimeI18n(nodeModule('snom-action-url-in'), 'snom-action-url-in');

function flow(url: string) {
  return [
    phoneConfig('p1', url),
    { id: 'k1', type: 'snom-key', phone: 'p1', keys: '', wires: [['out']] },
    { id: 'd1', type: 'snom-dial', phone: 'p1', number: '', mode: 'dial', wires: [['out']] },
    { id: 'k0', type: 'snom-key', phone: '', keys: '', wires: [['out']] },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 's1', type: 'status', scope: ['k1', 'k0', 'd1'], wires: [['st']] },
    ...'out err st'.split(' ').map((id) => ({ id, type: 'helper' })),
  ];
}
const creds = { p1: { user: SIM_USER, password: SIM_PASSWORD } };

describe('runtime texts in the runtime language (node-red-node-test-helper, i18n as the runtime sets it)', function () {
  let phones: SimPhone[];
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    phones = await startPhones([{ model: 'D785', firmware: '10.1.33.33', auth: 'digest' }]);
  });
  afterEach(() => helper.unload());
  after(async () => {
    await stopAll(phones);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  const texts = (st: { msgs: any[] }) => st.msgs.map((m) => `${m.status.source.id} ${m.status.text}`);

  for (const { lang, says } of [
    {
      lang: 'de',
      says: {
        noPhone: 'k0 kein Telefon konfiguriert',
        pressed: 'k1 Taste ENTER',
        dialled: 'd1 wählt 0301234',
        ready: 'k1 Telefon bereit',
        badKey:
          'SnomError [E_INPUT]: Unbekannte Taste "NOSUCHKEY" an Position 2: kein Snom-Tastenname (die Liste steht in der Hilfe des Nodes)',
        badNumber:
          'SnomError [E_INPUT]: Die zu wählende Nummer "abc def" ist weder eine wählbare Nummer noch eine SIP-Adresse',
        badTimeout: 'SnomError [E_INPUT]: msg.timeout muss eine ganze Zahl von Millisekunden',
      },
    },
    {
      lang: 'en-US',
      says: {
        noPhone: 'k0 no phone configured',
        pressed: 'k1 key ENTER',
        dialled: 'd1 dial 0301234',
        ready: 'k1 phone ready',
        badKey:
          'SnomError [E_INPUT]: Unknown key "NOSUCHKEY" at position 2: not a Snom key name (see the node help for the list)',
        badNumber: 'SnomError [E_INPUT]: The number to dial "abc def" is not a number to dial or a SIP address',
        badTimeout: 'SnomError [E_INPUT]: msg.timeout must be whole milliseconds',
      },
    },
  ]) {
    describe(`lang ${lang}`, () => {
      let restore: () => Promise<void>;
      before(async () => {
        restore = await useRuntimeLanguage(lang);
      });
      after(() => restore());

      it('status texts: no phone, the phone ready, a key pressed, a number dialled', async () => {
        await helper.load([phoneNode, keyNode, dialNode, catchNode, statusNode], flow(phones[0].url), creds);
        const st = collect(helper.getNode('st'));
        const out = collect(helper.getNode('out'));
        helper.getNode('k1').receive({ payload: 'ENTER' });
        await out.wait(1);
        helper.getNode('d1').receive({ payload: '0301234' });
        await out.wait(2);
        const wanted = [says.pressed, says.dialled, says.ready];
        await until('the status texts', async () => (wanted.every((w) => texts(st).includes(w)) ? true : undefined));
        // k0's status was set at start, before the collector: the node's own record
        const k0 = helper.getNode('k0');
        assert.ok(k0.status.calledWithMatch({ text: says.noPhone.slice(3) }), 'k0 status');
        for (const t of [says.pressed, says.dialled, says.ready])
          assert.ok(texts(st).includes(t), `${t} in ${texts(st)}`);
      });

      it('msg.error.message in the language, msg.error.code unchanged: key, number, msg.timeout', async () => {
        await helper.load([phoneNode, keyNode, dialNode, catchNode, statusNode], flow(phones[0].url), creds);
        const err = collect(helper.getNode('err'));
        helper.getNode('k1').receive({ payload: 'P1;NOSUCHKEY' });
        helper.getNode('d1').receive({ payload: 'abc def' });
        helper.getNode('k1').receive({ payload: 'ENTER', timeout: 'soon' });
        const msgs = await err.wait(3);
        assert.deepEqual(
          msgs.map((m) => m.error.code),
          ['E_INPUT', 'E_INPUT', 'E_INPUT'],
        );
        const said = msgs.map((m) => m.error.message as string);
        assert.ok(said.includes(says.badKey), said.join('\n'));
        for (const start of [says.badNumber, says.badTimeout])
          assert.ok(
            said.some((m) => m.startsWith(start)),
            said.join('\n'),
          );
        // the record on the message stays the library's (English) one
        const key = msgs.find((m) => m.error.message === says.badKey);
        assert.match(key.snom.error.message, /^Unknown key/);
      });

      it("a bad msg.target entry: its code unchanged, the record on msg.snom the library's English one", async () => {
        await helper.load([phoneNode, keyNode, dialNode, catchNode, statusNode], flow(phones[0].url), creds);
        const err = collect(helper.getNode('err'));
        helper.getNode('k1').receive({ payload: 'ENTER', target: 'bad host!' });
        const [m] = await err.wait(1);
        assert.equal(m.error.code, 'E_INPUT');
        assert.match(m.error.message, /^SnomError \[E_INPUT\]: msg\.target "bad host!" /);
        assert.match(m.snom.error.message, /^msg\.target "bad host!" is not a host name or IP address/);
      });
    });
  }

  it('snom-action-url-in: its listening status in German', async () => {
    const restore = await useRuntimeLanguage('de');
    try {
      await helper.load(
        [phoneNode, actionNode, statusNode],
        [
          { id: 'a1', type: 'snom-action-url-in', path: '/snom/i18n', wires: [[], []] },
          { id: 's1', type: 'status', scope: ['a1'], wires: [['st']] },
          { id: 'st', type: 'helper' },
        ],
        { a1: { token: 'x'.repeat(32) } },
      );
      const a1 = helper.getNode('a1');
      assert.ok(a1.status.calledWithMatch({ text: 'lauscht auf /snom/i18n' }), JSON.stringify(a1.status.args));
    } finally {
      await restore();
    }
  });
});
