// A snom-phone config with a bad host or port cannot start: Node-RED logs what its constructor throws.
// That log line is in the runtime's language, with the error's code (it was English in a German runtime).
import assert from 'node:assert/strict';
import { catchNode, helper, nodeModule } from '../support/red';
import { useRuntimeLanguage, withRuntimeI18n } from '../support/runtime-language';

const phoneNode = withRuntimeI18n(nodeModule('snom-phone'), 'snom-phone');
const keyNode = withRuntimeI18n(nodeModule('snom-key'), 'snom-key');

const flow = [
  { id: 'f1', type: 'tab' },
  { id: 'p1', type: 'snom-phone', host: 'bad host!', port: '' },
  { id: 'p2', type: 'snom-phone', host: '127.0.0.1', port: '99999' },
  { id: 'k1', z: 'f1', type: 'snom-key', phone: 'p1', keys: '', wires: [[]] },
  { id: 'k2', z: 'f1', type: 'snom-key', phone: '', keys: '', wires: [[]] },
  { id: 'c1', z: 'f1', type: 'catch', scope: ['k1'], wires: [['out']] },
  { id: 'out', z: 'f1', type: 'helper' },
];

/** What Node-RED logged as an error for a config node: its code and message. */
function loggedError(id: string): { code: string; message: string } | undefined {
  const entry = helper.log().args.find((a: any[]) => a[0]?.id === id && a[0]?.level === 20);
  return entry && { code: entry[0].msg.code, message: entry[0].msg.message };
}

describe('snom-phone: a bad host or port is logged in the runtime language', () => {
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
  });
  afterEach(() => helper.unload());
  after(async () => {
    await new Promise<void>((r) => helper.stopServer(r));
  });

  for (const { lang, host, port, status, none, refused } of [
    {
      lang: 'de',
      status: 'Telefon-Konfig. nicht gestartet',
      none: 'kein Telefon konfiguriert',
      refused: /^SnomError \[E_INPUT\]: Die snom-phone-Konfiguration dieses Nodes ist nicht gestartet/,
      host: 'Der Telefon-Host "bad host!" ist weder ein Hostname noch eine IP-Adresse',
      port: 'Telefon 127.0.0.1: Port 99999 liegt nicht zwischen 1 und 65535',
    },
    {
      lang: 'en-US',
      status: 'phone config not started',
      none: 'no phone configured',
      refused: /^SnomError \[E_INPUT\]: The snom-phone config of this node did not start/,
      host: 'Phone host "bad host!" is not a host name or IP address',
      port: 'Phone 127.0.0.1: port 99999 is not between 1 and 65535',
    },
  ]) {
    it(`lang ${lang}: the host and the port errors, code E_INPUT`, async () => {
      const restore = await useRuntimeLanguage(lang);
      try {
        await helper.load([phoneNode, keyNode, catchNode], flow, {});
        assert.deepEqual(loggedError('p1'), { code: 'E_INPUT', message: host });
        assert.deepEqual(loggedError('p2'), { code: 'E_INPUT', message: port });
        // the flow still starts; the node that uses the config says that config did not start (not that
        // none is chosen, as a node without one does), and refuses a message with E_INPUT
        const k1 = helper.getNode('k1');
        assert.ok(k1.status.calledWithMatch({ fill: 'red', text: status }), JSON.stringify(k1.status.args));
        assert.ok(helper.getNode('k2').status.calledWithMatch({ text: none }));
        const caught = new Promise<any>((r) => helper.getNode('out').on('input', r));
        k1.receive({ payload: 'P1' });
        const m = await caught;
        assert.equal(m.error.code, 'E_INPUT');
        assert.match(m.error.message, refused);
      } finally {
        await restore();
      }
    });
  }
});
