// The errors of SIP, the fleet, uaCSTA events and provisioning in a German runtime (node-red-node-test-helper,
// i18n as the runtime sets it): Catch nodes and the log see the German message, msg.error.code is unchanged.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig } from '../support/red';
import { useRuntimeLanguage, withRuntimeI18n } from '../support/runtime-language';
import { SIM_PASSWORD, SIM_USER, simJson, simReset, startPhones, stopAll } from '../support/sim';
import { until } from '../support/until';

const i18n = (type: string) => withRuntimeI18n(nodeModule(type), type);
const MODULES = ['snom-phone', 'snom-key', 'snom-sip-notify', 'snom-csta-events', 'snom-action-url-in'].map(i18n);

/** The phone config with its SIP side on the simulator's UDP port (identity 100 is the CSTA one). */
const sipPhone = (p: SimPhone, extra: Record<string, unknown> = {}) =>
  phoneConfig('p1', p.url, {
    ...{ model: p.config.model, firmware: p.config.firmware, timeout: '1500' },
    ...{ sipHost: '127.0.0.1', sipLocalAddress: '127.0.0.1', sipPort: String(p.sipPorts!.udp), sipUser: '100' },
    ...extra,
  });

async function load(p: SimPhone, nodes: any[], phoneExtra: Record<string, unknown> = {}) {
  await helper.load(
    [...MODULES, catchNode],
    [
      sipPhone(p, phoneExtra),
      ...nodes,
      { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
      { id: 'out', type: 'helper' },
      { id: 'err', type: 'helper' },
    ],
    { p1: { user: SIM_USER, password: SIM_PASSWORD } },
  );
  return { err: collect(helper.getNode('err')), out: collect(helper.getNode('out')) };
}

const notify = (kind: string) => ({ id: 'n1', type: 'snom-sip-notify', phone: 'p1', kind, wires: [['out']] });
const key = { id: 'k1', type: 'snom-key', phone: 'p1', keys: '', wires: [['out']] };
const events = { id: 'ev', type: 'snom-csta-events', phone: 'p1', device: '', keepAlive: 0.2, wires: [['out']] };
const actionUrl = (phones: string) => ({
  id: 'a1',
  type: 'snom-action-url-in',
  path: '/snom/i18n-events',
  phones,
  wires: [['out'], ['out']],
});

/** The log's entries of a node type at a level (20 error, 30 warning), as the runtime writes them. */
function logged(type: string, level = 20): string[] {
  return helper
    .log()
    .args.map((a: any[]) => a[0])
    .filter((l: any) => l?.type === type && l?.level === level)
    .map((l: any) => String(l.msg));
}

describe('runtime language de: SIP, fleet, uaCSTA events and provisioning errors (Catch and log)', function () {
  this.timeout(20000);
  let d785: SimPhone;
  let fw865: SimPhone;
  let fw871: SimPhone;
  let restore: () => Promise<void>;
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    [d785, fw865, fw871] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33' },
      { model: 'snom821', firmware: '8.6.5', sip: { t1Ms: 40, t2Ms: 160 } },
      { model: 'D785', firmware: '8.7.1', sip: { t1Ms: 40, t2Ms: 160 } },
    ]);
    restore = await useRuntimeLanguage('de');
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [d785, fw865, fw871]) await simReset(p);
  });
  after(async () => {
    await restore();
    await stopAll([d785, fw865, fw871]);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  it('snom-sip-notify: msg.target, a bad lamp and the phone asking for a SIP login, each in German with its code', async () => {
    await simJson(d785, 'PUT', 'settings', { challenge_checksync: 'on' });
    const f = await load(d785, [notify('buttons'), { ...notify('check-sync'), id: 'n2' }]);
    helper.getNode('n1').receive({ payload: 'k=6\nc=on', target: '10.0.0.7' });
    helper.getNode('n1').receive({ payload: [{ key: 'six', light: 'on' }] });
    helper.getNode('n2').receive({});
    const msgs = await f.err.wait(3);
    const by = (code: string) => msgs.filter((m) => m.error.code === code).map((m) => m.error.message as string);
    assert.deepEqual(by('E_INPUT').sort(), [
      'SnomError [E_INPUT]: lamps[0].key muss eine Funktionstastennummer von 0 bis 999 sein; erhalten: "six".',
      'SnomError [E_INPUT]: snom-sip-notify sendet nur an seine eigene Telefon-Konfiguration; msg.target wird nicht angenommen.',
    ]);
    const port = d785.sipPorts!.udp;
    assert.deepEqual(by('E_AUTH'), [
      `SnomError [E_AUTH]: SIP NOTIFY an 127.0.0.1:${port} verlangt eine Anmeldung (401 Unauthorized), aber es sind keine SIP-Zugangsdaten gesetzt.`,
    ]);
    // the record on the message stays the library's (English) one
    const auth = msgs.find((m) => m.error.code === 'E_AUTH');
    assert.match(auth.snom.error.message, /^SIP NOTIFY to 127\.0\.0\.1:\d+ needs a login/);
  });

  it('msg.target: a bad entry is refused in German (the fleet\'s reason, "msg.target" as written)', async () => {
    const f = await load(d785, [key]);
    helper.getNode('k1').receive({ payload: 'ENTER', target: ['10.0.0.7', 'bad host!'] });
    const [m] = await f.err.wait(1);
    assert.equal(m.error.code, 'E_INPUT');
    assert.equal(
      m.error.message,
      'SnomError [E_INPUT]: msg.target[1] "bad host!" ist weder ein Hostname noch eine IP-Adresse',
    );
  });

  it('an invalid fleet: the phone config logs why in German, the reason from the fleet said in German too', async () => {
    await load(d785, [key], { fleet: '10.0.0.0/33' });
    const said = await until('the fleet error', async () => logged('snom-phone')[0]);
    assert.equal(
      said,
      'SnomError [E_INPUT]: Die Flotte ist ungültig: Flotteneintrag "10.0.0.0/33" hat ein IPv4-Präfix über 32',
    );
  });

  it('snom-csta-events: firmware without uaCSTA and a missing SIP user are logged in German', async () => {
    await load(fw865, [events]);
    const old = await until('the refusal', async () => logged('snom-csta-events')[0]);
    assert.match(
      old,
      /^SnomError \[E_UNSUPPORTED\]: CSTA-Ereignisse über SIP \(uaCSTA\) ist nicht möglich: Firmware 8\.6\.5 ist älter als 8\.7\.1/,
    );
    await helper.unload();
    await load(fw871, [events], { sipUser: '' });
    const noUser = await until('the refusal', async () => logged('snom-csta-events').find((m) => m !== old));
    assert.match(
      noUser,
      /^SnomError \[E_INPUT\]: uaCSTA braucht die per CSTA gesteuerte Identität des Telefons: Tragen Sie den SIP-Benutzer/,
    );
  });

  it('snom-action-url-in: a bad msg.topic and a failed provisioning run reach Catch in German with their codes', async () => {
    const f = await load(d785, [actionUrl('p1')]);
    // no token configured: the node makes one and warns in German
    assert.match(logged('snom-action-url-in', 30)[0] ?? '', /^Für \/snom\/i18n-events war kein Token konfiguriert/);
    helper.getNode('a1').receive({ topic: 'write' });
    const [bad] = await f.err.wait(1);
    assert.equal(bad.error.code, 'E_INPUT');
    assert.match(bad.error.message, /^SnomError \[E_INPUT\]: Senden Sie msg\.topic "provision" oder "unprovision"/);
    // the phone config has no base URL: the phone's reason is said in German inside the run's error
    helper.getNode('a1').receive({ topic: 'provision' });
    const [, failed] = await f.err.wait(2);
    assert.equal(failed.error.code, 'E_INPUT');
    assert.match(
      failed.error.message,
      /^SnomError \[E_INPUT\]: Provisionierung auf 1 Telefon\(en\) fehlgeschlagen: .+: Diese Telefon-Konfiguration hat keine „Basis-URL/,
    );
  });

  describe("the editors' admin routes answer in the requesting editor's language (Accept-Language)", () => {
    const form = (p: SimPhone, extra: Record<string, unknown> = {}) => {
      const u = new URL(p.url);
      return { host: u.hostname, port: u.port, auth: 'auto', user: SIM_USER, password: 'wrong', ...extra };
    };
    const post = (path: string, lang: string, body: unknown) =>
      helper.request().post(path).set('Accept-Language', lang).send(body);

    it('Detect with a wrong password: the refusal in German for a German editor, English for an English one', async () => {
      await load(d785, [key]);
      const de = await post('/snom-phone/detect', 'de', form(d785)).expect(502);
      assert.equal(de.body.code, 'E_AUTH');
      assert.match(de.body.error, /Benutzer oder Passwort nicht angenommen \(HTTP 401\)$/);
      const en = await post('/snom-phone/detect', 'en-US,en;q=0.9', form(d785)).expect(502);
      assert.equal(en.body.code, 'E_AUTH');
      assert.match(en.body.error, /user or password not accepted \(HTTP 401\)$/);
    });

    it('Test connection to a web server that is no Snom phone: our words among the parameters in German', async () => {
      await load(d785, [key]);
      const server = http.createServer((_req, res) => res.end('<html>hello</html>'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      try {
        const port = String((server.address() as { port: number }).port);
        const body = { host: '127.0.0.1', port, auth: 'auto', user: '', password: '' };
        const de = await post('/snom-phone/test', 'de', body).expect(200);
        const ok = de.body.findings.find((f: any) => f.id === 'ok');
        assert.deepEqual([ok.params.model, ok.params.firmware], ['Modell unbekannt', 'unbekannt']);
        assert.equal('said' in ok, false, 'the answer has params only');
        const en = await post('/snom-phone/test', 'en-US', body).expect(200);
        const okEn = en.body.findings.find((f: any) => f.id === 'ok');
        assert.deepEqual([okEn.params.model, okEn.params.firmware], ['model unknown', 'unknown']);
        assert.match(okEn.text, /: model unknown, firmware unknown, login none\.$/);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    });

    it("provisioning from the editor: each phone's failure in German", async () => {
      await load(d785, [actionUrl('p1')]);
      const res = await post('/snom-action-url-in/a1/provision', 'de', { action: 'provision' }).expect(200);
      assert.equal(res.body.errors.length, 1);
      assert.equal(res.body.errors[0].code, 'E_INPUT');
      assert.match(res.body.errors[0].message, /^Diese Telefon-Konfiguration hat keine „Basis-URL/);
      assert.deepEqual(Object.keys(res.body.errors[0]).sort(), ['code', 'message', 'phone']);
    });
  });
});
