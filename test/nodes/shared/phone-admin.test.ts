// The snom-phone editor's Detect and Test connection (POST /snom-phone/detect and /snom-phone/test,
// src/nodes/shared/admin-routes.ts) in a real Node-RED runtime against simulated phones: what they
// answer, and where a saved password may go when the form shows Node-RED's placeholder for it.
import assert from 'node:assert/strict';
import { detectPhone } from '../../../src/lib/detect';
import type { SimPhone } from '../../../src/simulator/phone';
import { freePort } from '../../lib/http/servers';
import { helper, nodeModule, phoneConfig } from '../../support/red';
import { SIM_PASSWORD, SIM_USER, simReset, simState, startPhones, stopAll } from '../../support/sim';

const SAVED = '__PWRD__';

function form(phone: SimPhone, extra: Record<string, unknown> = {}) {
  const u = new URL(phone.url);
  return {
    host: u.hostname,
    port: u.port,
    protocol: 'http',
    auth: 'auto',
    timeout: '3000',
    user: SIM_USER,
    password: SIM_PASSWORD,
    model: 'detect',
    firmware: 'detect',
    ...extra,
  };
}

describe('snom-phone editor: Detect and Test connection', function () {
  let d785: SimPhone, d385: SimPhone, d865: SimPhone, other: SimPhone;
  before(async () => {
    [d785, d385, d865, other] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33', mac: '000413A1B2C3' },
      { model: 'D385', firmware: '10.1.39.11', auth: 'basic' },
      { model: 'D865' },
      { model: 'D735' },
    ]);
    await new Promise<void>((r) => helper.startServer(r));
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [d785, d385, d865, other]) await simReset(p);
  });
  after(async () => {
    await new Promise<void>((r) => helper.stopServer(r));
    await stopAll();
  });

  /** One deployed snom-phone "p1" for `phone`, with the simulator's login saved. */
  async function deploy(phone: SimPhone, extra: Record<string, unknown> = {}) {
    await helper.load(
      [nodeModule('snom-phone')],
      [phoneConfig('p1', phone.url, { model: 'detect', firmware: 'detect', ...extra })],
      { p1: { user: SIM_USER, password: SIM_PASSWORD } },
    );
  }

  const post = (path: string, body: unknown) => helper.request().post(path).send(body);

  it('Detect answers model, firmware and MAC read from the phone, and nothing secret', async () => {
    await helper.load([nodeModule('snom-phone')], []);
    const res = await post('/snom-phone/detect', form(d785)).expect(200);
    const u = new URL(d785.url);
    const read = await detectPhone({ host: u.hostname, port: Number(u.port), user: SIM_USER, password: SIM_PASSWORD });
    assert.deepEqual(res.body, JSON.parse(JSON.stringify(read)), 'what the library reads');
    assert.equal(res.body.model, 'D785');
    assert.equal(res.body.firmware, '10.1.33.33');
    assert.equal(res.body.mac, '000413A1B2C3');
    assert.ok(!res.text.includes(SIM_PASSWORD));
    const basic = await post('/snom-phone/detect', form(d385)).expect(200);
    assert.equal(basic.body.model, 'D385');
    assert.equal(basic.body.scheme, 'basic');
  });

  it('Detect with a wrong password: 502 E_AUTH in words, without the password', async () => {
    await helper.load([nodeModule('snom-phone')], []);
    const res = await post('/snom-phone/detect', form(d785, { password: 'typed-but-wrong' })).expect(502);
    assert.equal(res.body.code, 'E_AUTH');
    assert.match(res.body.error, /not accepted/);
    assert.ok(!res.text.includes('typed-but-wrong'));
  });

  it("an unchanged saved password (the placeholder) logs in with the deployed config's credentials", async () => {
    await deploy(d785);
    const res = await post('/snom-phone/detect', form(d785, { id: 'p1', password: SAVED })).expect(200);
    assert.equal(res.body.model, 'D785');
    assert.ok(!res.text.includes(SIM_PASSWORD));
    // without the config id there is nothing saved to use: the placeholder itself is never sent
    const none = await post('/snom-phone/detect', form(d785, { password: SAVED })).expect(502);
    assert.equal(none.body.code, 'E_AUTH');
  });

  it("the saved password never goes to a phone outside the config's fleet", async () => {
    await deploy(d785);
    const res = await post('/snom-phone/test', form(other, { id: 'p1', password: SAVED })).expect(400);
    assert.equal(res.body.code, 'E_INPUT');
    assert.match(res.body.error, /neither this phone nor in its fleet/);
    assert.equal((await simState(other)).requests, 0, 'nothing was sent to the other phone');
    await helper.unload();
    await deploy(d785, { fleet: `127.0.0.1:${new URL(other.url).port}` });
    const ok = await post('/snom-phone/test', form(other, { id: 'p1', password: SAVED })).expect(200);
    assert.equal(ok.body.ok, true, JSON.stringify(ok.body));
  });

  it('the saved password is not sent over a weaker channel: Basic where the config uses Digest', async () => {
    await deploy(d785, { auth: 'digest' });
    const res = await post('/snom-phone/test', form(d785, { id: 'p1', password: SAVED, auth: 'basic' })).expect(400);
    assert.match(res.body.error, /logs in with Digest, the form with Basic/);
  });

  it('Test connection: a working phone, in words', async () => {
    await helper.load([nodeModule('snom-phone')], []);
    const res = await post('/snom-phone/test', form(d785)).expect(200);
    assert.equal(res.body.ok, true);
    assert.equal(res.body.findings[0].id, 'ok');
    assert.match(
      res.body.findings[0].text,
      /^Connected to 127\.0\.0\.1:\d+: D785, firmware 10\.1\.33\.33, login digest/,
    );
  });

  it('Test connection: wrong password, Digest vs Basic, D8xx, unreachable', async () => {
    await helper.load([nodeModule('snom-phone')], []);
    const wrong = await post('/snom-phone/test', form(d785, { password: 'typed-but-wrong' })).expect(200);
    assert.equal(wrong.body.ok, false);
    assert.equal(wrong.body.findings[0].id, 'wrong-password');
    assert.match(wrong.body.findings[0].text, /may block its login/);
    assert.ok(!wrong.text.includes('typed-but-wrong'));
    const scheme = await post('/snom-phone/test', form(d385, { auth: 'digest' })).expect(200);
    assert.equal(scheme.body.findings[0].id, 'wants-basic');
    assert.deepEqual(scheme.body.offered, ['basic']);
    const d8 = await post('/snom-phone/test', form(d865)).expect(200);
    assert.ok(d8.body.findings.some((f: { id: string }) => f.id === 'd8xx'));
    const port = await freePort();
    const gone = await post('/snom-phone/test', { ...form(d785), port: String(port) }).expect(200);
    assert.equal(gone.body.findings[0].id, 'refused');
    assert.match(gone.body.findings[0].text, /refuses the connection/);
  });

  it('a form that is no phone address: 400 E_INPUT, nothing sent', async () => {
    await helper.load([nodeModule('snom-phone')], []);
    const res = await post('/snom-phone/test', { host: 'a b/c' }).expect(400);
    assert.equal(res.body.code, 'E_INPUT');
    await post('/snom-phone/detect', {}).expect(400);
  });
});
