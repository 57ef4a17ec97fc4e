// Test connection (src/lib/diagnose.ts) against real servers on loopback: simulated phones over HTTP
// and HTTPS (the simulator's self-signed certificate), a refused port, a phone that stalls, an
// unresolvable name. Each case asserts what the user is told and what the phone received.
import assert from 'node:assert/strict';
import { diagnose, type Diagnosis, type DiagnoseOptions } from '../../../src/lib/diagnose';
import type { SimPhone } from '../../../src/simulator/phone';
import { freePort } from '../http/servers';
import { SIM_PASSWORD, SIM_USER, simFaults, simReset, simState, startPhones, stopAll } from '../../support/sim';

function optionsFor(phone: SimPhone, extra: Partial<DiagnoseOptions> = {}): DiagnoseOptions {
  const u = new URL(phone.url);
  return {
    host: u.hostname,
    port: Number(u.port),
    protocol: u.protocol === 'https:' ? 'https' : 'http',
    user: SIM_USER,
    password: SIM_PASSWORD,
    timeoutMs: 3000,
    ...extra,
  };
}

const ids = (d: Diagnosis) => d.findings.map((f) => f.id);
const errorIds = (d: Diagnosis) => d.findings.filter((f) => f.severity === 'error').map((f) => f.id);

describe('lib/diagnose: test connection', function () {
  let digest: SimPhone, basic: SimPhone, tls: SimPhone, d8xx: SimPhone, gap: SimPhone, old: SimPhone, open: SimPhone;
  before(async () => {
    [digest, basic, tls, d8xx, gap, old, open] = await startPhones([
      {},
      { model: 'D385', auth: 'basic' },
      { https: true, auth: 'digest' },
      { model: 'D865' },
      { model: 'D735', firmware: '8.7.1' },
      { model: 'snom320', firmware: '7.3.2' },
      { auth: 'none' },
    ]);
  });
  afterEach(async () => {
    for (const p of [digest, basic, tls, d8xx, gap, old, open]) await simReset(p);
  });
  after(() => stopAll());

  it('reports model, firmware, MAC and the login scheme of a working phone', async () => {
    const d = await diagnose(optionsFor(digest));
    assert.equal(d.ok, true, JSON.stringify(d.findings));
    assert.deepEqual(ids(d), ['ok']);
    assert.deepEqual(d.offered, ['digest']);
    assert.equal(d.phone?.model, 'D785');
    assert.equal(d.phone?.firmware, '10.1.33.33');
    assert.match(d.phone?.mac ?? '', /^[0-9A-F]{12}$/);
    assert.equal(d.phone?.scheme, 'digest');
    assert.match(d.findings[0].text, /Connected to 127\.0\.0\.1:\d+: D785, firmware 10\.1\.33\.33, login digest/);
  });

  it('wrong password: says so, warns that the phone may block its login, costs one failed login', async () => {
    const d = await diagnose(optionsFor(digest, { password: 'wrong' }));
    assert.equal(d.ok, false);
    assert.deepEqual(ids(d), ['wrong-password']);
    assert.match(d.findings[0].text, /does not accept this user and password \(digest\)/);
    assert.match(d.findings[0].text, /block its login/);
    // the probe, the client's unsigned first request, one signed try: never a second wrong login
    const s = await simState(digest);
    assert.equal(s.requests, 3);
  });

  it('the phone asks for Digest while Auth is Basic: says what each side wants, sends no login', async () => {
    const d = await diagnose(optionsFor(digest, { auth: 'basic' }));
    assert.deepEqual(errorIds(d), ['wants-digest']);
    assert.deepEqual(d.offered, ['digest']);
    assert.equal(d.configured, 'basic');
    assert.match(d.findings[0].text, /asks for Digest, but Auth is set to Basic/);
    assert.equal((await simState(digest)).requests, 1, 'only the probe without credentials');
  });

  it('the phone asks for Basic while Auth is Digest: the password is not sent in clear', async () => {
    const d = await diagnose(optionsFor(basic, { auth: 'digest' }));
    assert.deepEqual(errorIds(d), ['wants-basic']);
    assert.deepEqual(d.offered, ['basic']);
    assert.equal((await simState(basic)).requests, 1);
  });

  it('Basic phone with Auth automatic works and says Basic', async () => {
    const d = await diagnose(optionsFor(basic));
    assert.equal(d.ok, true, JSON.stringify(d.findings));
    assert.equal(d.phone?.model, 'D385');
    assert.equal(d.phone?.scheme, 'basic');
  });

  it('a login is asked but Auth is none, or no user is set', async () => {
    assert.deepEqual(errorIds(await diagnose(optionsFor(digest, { auth: 'none' }))), ['login-required']);
    assert.deepEqual(errorIds(await diagnose(optionsFor(digest, { user: '' }))), ['no-user']);
  });

  it('a phone that asks for no login is fine, and said to be open', async () => {
    const d = await diagnose(optionsFor(open, { auth: 'digest' }));
    assert.equal(d.ok, true);
    assert.deepEqual(d.offered, []);
    assert.deepEqual(ids(d), ['ok', 'no-login']);
  });

  it('connection refused', async () => {
    const port = await freePort();
    const d = await diagnose({ host: '127.0.0.1', port, user: 'u', password: 'p' });
    assert.equal(d.ok, false);
    assert.deepEqual(ids(d), ['refused']);
    assert.match(d.findings[0].text, new RegExp(`127\\.0\\.0\\.1:${port} refuses the connection`));
    assert.equal(d.offered, undefined);
  });

  it('no answer in time', async () => {
    await simFaults(digest, { stall: true });
    const d = await diagnose(optionsFor(digest, { timeoutMs: 300 }));
    assert.deepEqual(ids(d), ['timeout']);
    assert.match(d.findings[0].text, /no answer within 300 ms/);
  });

  it('a host name that does not resolve', async () => {
    const d = await diagnose({ host: 'no-such-phone.invalid', timeoutMs: 3000 });
    assert.deepEqual(ids(d), ['dns']);
    assert.match(d.findings[0].text, /no-such-phone\.invalid is not found/);
  });

  it('self-signed certificate not trusted: suggests the option, because the phone answers with it', async () => {
    const d = await diagnose(optionsFor(tls));
    assert.deepEqual(ids(d), ['certificate']);
    assert.equal(d.findings[0].params.selfSignedWorks, 'yes');
    assert.match(d.findings[0].text, /not trusted .*tick "Accept the phone's self-signed certificate"/);
    const ok = await diagnose(optionsFor(tls, { allowSelfSigned: true }));
    assert.equal(ok.ok, true, JSON.stringify(ok.findings));
  });

  it('HTTPS against a plain HTTP port, and HTTP against an HTTPS port: names the other protocol', async () => {
    const s = await diagnose(optionsFor(digest, { protocol: 'https', allowSelfSigned: true }));
    assert.equal(s.ok, false);
    assert.ok(['closed', 'not-tls'].includes(ids(s)[0]), JSON.stringify(s.findings));
    assert.match(s.findings[0].text, /choose HTTP\b/);
    const p = await diagnose(optionsFor(tls, { protocol: 'http' }));
    assert.equal(p.ok, false);
    assert.deepEqual(ids(p), ['closed']);
    assert.match(p.findings[0].text, /choose HTTPS/);
  });

  it('a D8xx answers, but has no HTTP remote control', async () => {
    const d = await diagnose(optionsFor(d8xx));
    assert.equal(d.ok, false);
    assert.equal(d.phone?.d8xx, true);
    assert.deepEqual(errorIds(d), ['d8xx']);
    assert.match(d.findings.find((f) => f.id === 'd8xx')!.text, /D8xx series/);
  });

  it('a D8xx chosen in the form is named even when the page says little', async () => {
    const d = await diagnose(optionsFor(digest, { model: 'D862' }));
    assert.deepEqual(errorIds(d), ['d8xx']);
    assert.match(d.findings.find((f) => f.id === 'd8xx')!.text, /^D862 is a D8xx phone/);
  });

  it('firmware without CSTA over HTTP: 8.7.0 to 8.7.2, and before 7.3.4 (from the phone or the form)', async () => {
    const g = await diagnose(optionsFor(gap));
    assert.equal(g.ok, true, 'the other nodes work');
    assert.deepEqual(ids(g), ['ok', 'csta-gap']);
    assert.match(g.findings[1].text, /Firmware 8\.7\.1 cannot do CSTA over HTTP/);
    const o = await diagnose(optionsFor(old));
    assert.deepEqual(ids(o), ['ok', 'no-csta']);
    const typed = await diagnose(optionsFor(digest, { firmware: '8.7.2' }));
    assert.deepEqual(ids(typed), ['ok', 'csta-gap']);
  });

  it('never leaks the password into the diagnosis', async () => {
    for (const o of [
      optionsFor(digest),
      optionsFor(basic, { auth: 'digest' }),
      optionsFor(digest, { password: 'x' }),
    ]) {
      const d = await diagnose(o);
      assert.ok(!JSON.stringify(d).includes(SIM_PASSWORD));
    }
  });
});
