import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { recorderNodes, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { SIM_PASSWORD, SIM_USER, startPhones, stopAll } from '../support/sim';
import { until } from '../support/until';

/**
 * A real node-red process in a given language (settings `lang`): POST /press/<phone> → snom-key
 * → http response, a Catch answering msg.error, and a Status node recording every status text.
 */
function flows(phonePort: string) {
  const at = (n: Record<string, unknown>, i: number) => (n.z ? { x: 100 + 150 * i, y: 100, ...n } : n);
  const phone = (id: string) => ({
    id,
    type: 'snom-phone',
    name: `${id} phone`,
    host: '127.0.0.1',
    port: phonePort,
    protocol: 'http',
    model: 'D735',
    firmware: '10.1.54.13',
    auth: 'digest',
    timeout: '5000',
    queueSize: '100',
  });
  return [
    { id: 'tab', type: 'tab', label: 'i18n' },
    phone('good'),
    phone('wrong'),
    // the request is answered at once; what follows is recorded (GET /seen): status texts and errors
    { id: 'in', z: 'tab', type: 'http in', url: '/press/good', method: 'post', wires: [['key', 'res']] },
    { id: 'in2', z: 'tab', type: 'http in', url: '/press/wrong', method: 'post', wires: [['key2', 'res']] },
    { id: 'key', z: 'tab', type: 'snom-key', phone: 'good', keys: '', wires: [[]] },
    { id: 'key2', z: 'tab', type: 'snom-key', phone: 'wrong', keys: '', wires: [[]] },
    { id: 'res', z: 'tab', type: 'http response', statusCode: '', headers: {}, wires: [] },
    { id: 'catch', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['rec']] },
    { id: 'st', z: 'tab', type: 'status', scope: ['key', 'key2'], wires: [['rec']] },
    ...recorderNodes(
      'tab',
      'msg.error ? msg.error.code + " " + msg.error.message : msg.status.source.id + " " + msg.status.text',
    ),
  ].map(at);
}

const BAD_KEY = 'P1;NOSUCHKEY';

for (const { lang, says } of [
  {
    lang: 'de',
    says: {
      ready: 'Telefon bereit',
      pressed: 'Taste P1;ENTER',
      badKey:
        'SnomError [E_INPUT]: Unbekannte Taste "NOSUCHKEY" an Position 2: kein Snom-Tastenname (die Liste steht in der Hilfe des Nodes)',
      badLogin: 'fehlgeschlagen: Benutzer oder Passwort nicht angenommen (HTTP 401)',
    },
  },
  {
    lang: 'en-US',
    says: {
      ready: 'phone ready',
      pressed: 'key P1;ENTER',
      badKey:
        'SnomError [E_INPUT]: Unknown key "NOSUCHKEY" at position 2: not a Snom key name (see the node help for the list)',
      badLogin: 'failed: user or password not accepted (HTTP 401)',
    },
  },
]) {
  describe(`end to end: runtime texts in a node-red process with lang "${lang}"`, function () {
    this.timeout(60000);
    let phone: SimPhone;
    let red: NodeRedProcess;
    before(async () => {
      [phone] = await startPhones([{ model: 'D735', firmware: '10.1.54.13', auth: 'digest' }]);
      red = await startNodeRed(
        flows(String(phone.port)),
        { good: { user: SIM_USER, password: SIM_PASSWORD }, wrong: { user: SIM_USER, password: 'not-the-password' } },
        { lang },
      );
    });
    after(async () => {
      await red?.stop();
      await stopAll(phone ? [phone] : []);
    });

    const press = (which: string, body: string) =>
      fetch(`${red.url}/press/${which}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    const seen = async () => (await (await fetch(`${red.url}/seen`)).json()) as string[];

    /** the first record starting with `start`, once there */
    const record = (start: string) => until(start, async () => (await seen()).find((r) => r.startsWith(start)));

    it('a bad key sequence: msg.error.message in the language, code E_INPUT', async () => {
      assert.equal((await press('good', BAD_KEY)).status, 200);
      assert.equal(await record('E_INPUT '), `E_INPUT ${says.badKey}`);
    });

    it('status texts of a command node and of its phone in the language', async () => {
      assert.equal((await press('good', 'P1;ENTER')).status, 200);
      await record(`key ${says.pressed}`);
      // the phone's state after the success ("phone ready") is shown until this node's own text
      assert.ok((await seen()).includes(`key ${says.ready}`), String(await seen()));
    });

    it('a wrong password: E_AUTH with the message in the language', async () => {
      assert.equal((await press('wrong', 'ENTER')).status, 200);
      const error = await record('E_AUTH ');
      assert.ok(error.includes(says.badLogin), error);
    });
  });
}
