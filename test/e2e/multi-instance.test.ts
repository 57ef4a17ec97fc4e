// Two real `node-red` processes behind what the phone sees as one address (issue 9, "Beyond one
// machine"): a minibrowser push goes out through one, and the phone's fetch reaches the other.
import assert from 'node:assert/strict';
import { sealDocument } from '../../src/lib/minibrowser/sealed';
import type { SimPhone } from '../../src/simulator/phone';
import { startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { phoneConfig } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simReset, simState, startPhones, stopAll } from '../support/sim';

const SECRET = 'e2e-shared-minibrowser-secret-0123456789';
const TEXT = '<SnomIPPhoneText><Title>Doorbell</Title><Text>Someone is at the door</Text></SnomIPPhoneText>';

/** http in /push → snom-xml-push (minibrowser) → http response; Catch answers errors with 400. */
function flows(phoneUrl: string, baseUrl: string) {
  const at = (n: Record<string, unknown>, i: number) => (n.z ? { x: 100 + 150 * i, y: 100, ...n } : n);
  return [
    { id: 'tab', type: 'tab', label: 'multi' },
    phoneConfig('ph', phoneUrl, { model: 'detect', firmware: 'detect', auth: 'digest', baseUrl }),
    { id: 'in', z: 'tab', type: 'http in', url: '/push', method: 'post', wires: [['push']] },
    {
      id: 'push',
      z: 'tab',
      type: 'snom-xml-push',
      phone: 'ph',
      transport: 'minibrowser',
      document: '',
      wires: [['ok']],
    },
    // the push's msg.snom, or the error (from the Catch) with status 400
    { id: 'ok', z: 'tab', type: 'function', func: 'msg.payload = msg.snom; return msg;', outputs: 1, wires: [['res']] },
    { id: 'catch', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['bad']] },
    {
      id: 'bad',
      z: 'tab',
      type: 'function',
      func: 'msg.payload = msg.error; msg.statusCode = 400; return msg;',
      outputs: 1,
      wires: [['res']],
    },
    { id: 'res', z: 'tab', type: 'http response', statusCode: '', headers: {}, wires: [] },
  ].map(at);
}

async function startPair(phone: SimPhone, settings: Record<string, unknown>): Promise<NodeRedProcess[]> {
  // B first: A's phone config names B as the address the phone fetches from (the "load balancer" sends it there)
  const b = await startNodeRed(flows(phone.url, 'http://127.0.0.1:1'), {}, settings);
  const a = await startNodeRed(flows(phone.url, b.url), { ph: { user: SIM_USER, password: SIM_PASSWORD } }, settings);
  return [a, b];
}

const push = (red: NodeRedProcess) =>
  fetch(`${red.url}/push`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: TEXT });

describe('end to end: a minibrowser document pushed through one node-red and fetched through another', function () {
  this.timeout(90000);
  let phone: SimPhone;
  before(async () => {
    // 8.7.2: minibrowser.htm but no CSTA over HTTP, so the push must go by a document URL
    [phone] = await startPhones([{ model: 'snom821', firmware: '8.7.2.9', auth: 'digest' }]);
  });
  afterEach(async () => {
    await simReset(phone);
  });
  after(async () => {
    await stopAll(phone ? [phone] : []);
  });

  describe('with a shared snomXmlPushSecret', () => {
    let a: NodeRedProcess;
    let b: NodeRedProcess;
    before(async () => {
      [a, b] = await startPair(phone, { snomXmlPushSecret: SECRET });
    });
    after(async () => {
      await a?.stop();
      await b?.stop();
    });

    it('the phone shows the document it fetched from the other instance', async () => {
      const res = await push(a);
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(((await res.json()) as { transport: string }).transport, 'minibrowser');
      const [mb] = (await simState(phone)).minibrowser;
      assert.ok(mb.fetchUrl!.startsWith(`${b.url}/snom/mb/`), mb.fetchUrl);
      assert.equal(mb.fetched?.status, 200);
      assert.equal(mb.fetched?.contentType, 'text/xml; charset=utf-8');
      assert.equal(mb.fetched?.body, TEXT);
      // once per phone at an instance; another instance does not know it was fetched (docs/scaling.md)
      const again = await fetch(mb.fetchUrl!);
      assert.equal(again.status, 404);
      assert.ok(!(await again.text()).includes('Doorbell'));
      const elsewhere = await fetch(mb.fetchUrl!.replace(b.url, a.url));
      assert.equal(elsewhere.status, 200, 'within its TTL another instance still answers the URL');
    });

    it('a changed or expired URL gets 404 with nothing of the document, and the secret is in no log', async () => {
      assert.equal((await push(a)).status, 200);
      const url = (await simState(phone)).minibrowser[0].fetchUrl!;
      const token = url.slice(url.lastIndexOf('/') + 1);
      const flip = (t: string, i: number) => t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
      const expired = sealDocument(TEXT, SECRET, Date.now() - 1);
      const foreign = sealDocument(TEXT, SECRET.replace('e2e', 'xyz'), Date.now() + 60_000);
      for (const t of [flip(token, 5), flip(token, token.length - 3), token.slice(0, -4), expired, foreign]) {
        const res = await fetch(`${b.url}/snom/mb/${t}`);
        const body = await res.text();
        assert.equal(res.status, 404, t);
        assert.ok(!body.includes('Doorbell') && !body.includes('door'), body);
      }
      const original = await fetch(`${b.url}/snom/mb/${token}`);
      assert.equal(original.status, 404, 'the phone fetched it already at B');
      for (const red of [a, b]) assert.ok(!red.output().includes(SECRET), 'the secret never reaches the log');
    });
  });

  describe('without a secret (each instance keeps its documents in memory, as before)', () => {
    let a: NodeRedProcess;
    let b: NodeRedProcess;
    before(async () => {
      [a, b] = await startPair(phone, {});
    });
    after(async () => {
      await a?.stop();
      await b?.stop();
    });

    it('the other instance does not have the document: why a fleet needs the secret', async () => {
      assert.equal((await push(a)).status, 200);
      const [mb] = (await simState(phone)).minibrowser;
      assert.match(mb.fetchUrl!, /\/snom\/mb\/[A-Za-z0-9_-]{32}$/);
      assert.equal(mb.fetched?.status, 404);
      const here = await fetch(mb.fetchUrl!.replace(b.url, a.url));
      assert.equal(here.status, 200, 'the pushing instance serves it once');
      assert.equal(await here.text(), TEXT);
    });
  });
});
