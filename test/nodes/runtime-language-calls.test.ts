// Call-side errors in a German runtime: what a Catch node sees from snom-key, snom-csta, snom-xml-push,
// snom-settings, snom-dial and snom-command (transport, login, HTTP status, bad input) is German, with
// the code unchanged; msg.snom.error keeps the library's English record.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig, type Collected } from '../support/red';
import { useRuntimeLanguage, withRuntimeI18n } from '../support/runtime-language';
import { SIM_PASSWORD, SIM_USER, simFaults, simJson, simReset, startPhones, stopAll } from '../support/sim';

const TYPES = 'snom-phone snom-key snom-csta snom-xml-push snom-settings snom-dial snom-command'.split(' ');
const modules = TYPES.map((type) => withRuntimeI18n(nodeModule(type), type));

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function flow(url: string, closed: number, old: string) {
  const node = (id: string, type: string, phone: string, extra: Record<string, unknown> = {}) => ({
    id,
    type,
    phone,
    wires: [['out']],
    ...extra,
  });
  return [
    phoneConfig('p1', url),
    phoneConfig('p2', url, { auth: 'digest' }),
    phoneConfig('p3', `http://127.0.0.1:${closed}`),
    // firmware 7.3.2: neither CSTA over HTTP nor minibrowser.htm (nothing is sent to it)
    phoneConfig('p4', url, { model: 'snom870', firmware: '7.3.2' }),
    // firmware 7.3.4: CSTA without identity indexes, the device is read from user_name1/user_host1
    phoneConfig('p5', old, { model: 'snom360', firmware: '7.3.4' }),
    // firmware 8.7.1: no CSTA over HTTP, uaCSTA only (no SIP user configured; nothing is sent to it)
    phoneConfig('p6', url, { model: 'snom870', firmware: '8.7.1.20' }),
    node('k1', 'snom-key', 'p1', { keys: '' }),
    node('k2', 'snom-key', 'p2', { keys: '' }),
    node('k3', 'snom-key', 'p3', { keys: '' }),
    node('c1', 'snom-csta', 'p1', { operation: 'AnswerCall' }),
    node('c2', 'snom-csta', 'p5', { operation: 'MakeCall' }),
    node('c3', 'snom-csta', 'p6', { operation: 'AnswerCall', transport: 'auto' }),
    node('c4', 'snom-csta', 'p4', { operation: 'AnswerCall', transport: 'sip' }),
    node('c5', 'snom-csta', 'p1', { operation: 'AnswerCall', transport: 'pigeon' }),
    node('x1', 'snom-xml-push', 'p1', { transport: 'auto', document: '' }),
    node('x2', 'snom-xml-push', 'p1', { transport: 'fax', document: '' }),
    node('x3', 'snom-xml-push', 'p4', { transport: 'auto', document: '' }),
    node('x4', 'snom-xml-push', 'p4', { transport: 'minibrowser', document: '' }),
    node('s1', 'snom-settings', 'p1', { action: 'msg' }),
    node('d1', 'snom-dial', 'p1', { number: '', mode: '' }),
    node('m1', 'snom-command', 'p1', { command: 'factoryReset', confirmReset: false }),
    { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 'out', type: 'helper' },
    { id: 'err', type: 'helper' },
  ];
}
const creds = {
  p1: { user: SIM_USER, password: SIM_PASSWORD },
  p2: { user: SIM_USER, password: 'not the password' },
  p3: { user: SIM_USER, password: SIM_PASSWORD },
  p4: { user: SIM_USER, password: SIM_PASSWORD },
  p5: { user: SIM_USER, password: SIM_PASSWORD },
  p6: { user: SIM_USER, password: SIM_PASSWORD },
};

describe('call-side errors in the runtime language (node-red-node-test-helper, German runtime)', function () {
  let phones: SimPhone[];
  let closed: number;
  let restore: () => Promise<void>;
  let err: Collected;
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    phones = await startPhones([
      { model: 'D785', firmware: '10.1.33.33', auth: 'digest' },
      { model: 'snom360', firmware: '7.3.4', identities: ['sip:31@old.example'] },
    ]);
    closed = await closedPort();
    restore = await useRuntimeLanguage('de');
  });
  beforeEach(async () => {
    await helper.load([...modules, catchNode], flow(phones[0].url, closed, phones[1].url), creds);
    err = collect(helper.getNode('err'));
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of phones) await simReset(p);
  });
  after(async () => {
    await restore();
    await stopAll(phones);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  /** What the Catch node gets for one message to `id`. */
  async function caught(id: string, msg: Record<string, unknown>): Promise<any> {
    const before = err.msgs.length;
    helper.getNode(id).receive(msg);
    const msgs = await err.wait(before + 1);
    const m = msgs[before];
    assert.equal(m.error.source.id, id);
    return m;
  }

  const cases: Array<{
    what: string;
    id: string;
    msg: Record<string, unknown>;
    code: string;
    says: RegExp;
    english: RegExp;
  }> = [
    {
      what: 'wrong password (HTTP 401)',
      id: 'k2',
      msg: { payload: 'ENTER' },
      code: 'E_AUTH',
      says: /^SnomError \[E_AUTH\]: Telefon \S+: key fehlgeschlagen: Benutzer oder Passwort nicht angenommen \(HTTP 401\)$/,
      english: /: key failed: user or password not accepted \(HTTP 401\)$/,
    },
    {
      what: 'nothing listens on the port (refused)',
      id: 'k3',
      msg: { payload: 'ENTER' },
      code: 'E_UNREACHABLE',
      says: /^SnomError \[E_UNREACHABLE\]: Telefon \S+: key fehlgeschlagen: Verbindung abgelehnt \(falscher Port, oder ist der Webserver aus\?\)$/,
      english: /: key failed: connection refused/,
    },
    {
      what: 'a CSTA call id that is no number',
      id: 'c1',
      msg: { payload: { callId: 'abc' } },
      code: 'E_INPUT',
      says: /^SnomError \[E_INPUT\]: callId muss eine ganze Zahl wie -18 sein \(\$csta_id des Telefons\), nicht "abc"\.$/,
      english: /^callId must be a whole number such as -18/,
    },
    {
      what: 'CSTA on 8.7.1 without a SIP user (the hint said in German too)',
      id: 'c3',
      msg: { payload: { callId: 1 } },
      code: 'E_UNSUPPORTED',
      says: /^SnomError \[E_UNSUPPORTED\]: CSTA AnswerCall ist nicht möglich: Firmware 8\.7\.0 bis 8\.7\.2 kann kein CSTA über HTTP; .*SIP-Benutzer ein, um stattdessen uaCSTA zu verwenden\.$/,
      english: /^CSTA AnswerCall \(set the phone config's SIP user to use uaCSTA instead\) is not possible/,
    },
    {
      what: 'uaCSTA asked of firmware before 8.7.1',
      id: 'c4',
      msg: { payload: { callId: 1 } },
      code: 'E_UNSUPPORTED',
      says: /^SnomError \[E_UNSUPPORTED\]: CSTA AnswerCall über SIP \(uaCSTA\) ist nicht möglich: Firmware 7\.3\.2 ist älter als 8\.7\.1/,
      english: /^CSTA AnswerCall over SIP \(uaCSTA\) is not possible: firmware 7\.3\.2 is older than 8\.7\.1/,
    },
    {
      what: 'an unknown CSTA transport',
      id: 'c5',
      msg: { payload: { callId: 1 } },
      code: 'E_INPUT',
      says: /^SnomError \[E_INPUT\]: "pigeon" ist kein CSTA-Transport: Verwenden Sie "auto", "http" oder "sip"\.$/,
      english: /^"pigeon" is not a CSTA transport/,
    },
    {
      what: 'a minibrowser document with a DOCTYPE (field said in words)',
      id: 'x1',
      msg: { payload: '<!DOCTYPE x><SnomIPPhoneText/>' },
      code: 'E_INPUT',
      says: /^SnomError \[E_INPUT\]: Das Minibrowser-Dokument hat eine DOCTYPE- oder Entity-Deklaration/,
      english: /^The minibrowser document has a DOCTYPE/,
    },
    {
      what: 'no minibrowser document at all',
      id: 'x1',
      msg: { payload: 5 },
      code: 'E_INPUT',
      says: /^SnomError \[E_INPUT\]: Kein Dokument zum Anzeigen: Geben Sie Minibrowser-XML im Node oder in msg\.payload an/,
      english: /^No document to show/,
    },
    {
      what: 'an unknown push transport',
      id: 'x2',
      msg: { payload: '<SnomIPPhoneText/>' },
      code: 'E_INPUT',
      says: /^SnomError \[E_INPUT\]: Der Transport muss auto, csta oder minibrowser sein, nicht "fax"\.$/,
      english: /^The transport must be auto, csta or minibrowser/,
    },
    {
      what: 'a phone that takes no pushed screen',
      id: 'x3',
      msg: { payload: '<SnomIPPhoneText/>' },
      code: 'E_UNSUPPORTED',
      says: /^SnomError \[E_UNSUPPORTED\]: Dieses Telefon \(snom870 7\.3\.2\) kann einen gesendeten Bildschirm weder per CSTA XmlPush/,
      english: /^This phone \(snom870 7\.3\.2\) can take a pushed screen neither/,
    },
    {
      what: 'a minibrowser push to firmware without minibrowser.htm',
      id: 'x4',
      msg: { payload: '<SnomIPPhoneText/>' },
      code: 'E_UNSUPPORTED',
      says: /^SnomError \[E_UNSUPPORTED\]: Dieses Telefon \(snom870 7\.3\.2\) kann keine minibrowser\.htm-Pushes annehmen/,
      english: /^This phone \(snom870 7\.3\.2\) cannot take minibrowser\.htm pushes/,
    },
    {
      what: 'an unknown settings action',
      id: 's1',
      msg: { action: 'delete', payload: 'user_name1' },
      code: 'E_INPUT',
      says: /^SnomError \[E_INPUT\]: Die Einstellungsaktion muss "get" oder "set" sein, nicht "delete" \(msg\.action\)\.$/,
      english: /^The settings action must be "get" or "set"/,
    },
    {
      what: 'DTMF digits the keypad has not',
      id: 'd1',
      msg: { mode: 'dtmf', payload: '12x' },
      code: 'E_INPUT',
      says: /^SnomError \[E_INPUT\]: Die DTMF-Ziffern "12x" dürfen nur 0-9 \* # A-D enthalten$/,
      english: /^DTMF digits "12x" may only hold/,
    },
    {
      what: 'an unknown dial mode',
      id: 'd1',
      msg: { mode: 'fax', payload: '123' },
      code: 'E_INPUT',
      says: /^SnomError \[E_INPUT\]: Der Modus muss "dial" oder "dtmf" sein, erhalten: "fax"$/,
      english: /^Mode must be "dial" or "dtmf"/,
    },
    {
      what: 'a factory reset without the tick',
      id: 'm1',
      msg: { payload: true },
      code: 'E_INPUT',
      says: /^SnomError \[E_INPUT\]: Zurücksetzen auf Werkseinstellungen verweigert/,
      english: /^Factory reset refused/,
    },
  ];
  for (const c of cases) {
    it(`${c.what}: German at the Catch node, ${c.code} unchanged`, async () => {
      const m = await caught(c.id, c.msg);
      assert.equal(m.error.code, c.code);
      assert.match(m.error.message, c.says);
      assert.match(m.snom.error.message, c.english);
      assert.equal(m.snom.error.code, c.code);
    });
  }

  for (const { status, says } of [
    {
      status: 403,
      says: /^SnomError \[E_AUTH\]: Telefon \S+: key fehlgeschlagen: das Telefon verweigert den Zugriff \(HTTP 403\)/,
    },
    {
      status: 404,
      says: /^SnomError \[E_HTTP\]: Telefon \S+: key fehlgeschlagen: das Telefon antwortete mit HTTP 404/,
    },
    {
      status: 501,
      says: /^SnomError \[E_HTTP\]: Telefon \S+: key fehlgeschlagen: das Telefon antwortete mit HTTP 501/,
    },
  ]) {
    it(`the phone answers HTTP ${status}: German at the Catch node, the code and status unchanged`, async () => {
      await simFaults(phones[0], { status, count: 1 });
      const m = await caught('k1', { payload: 'ENTER' });
      assert.match(m.error.message, says);
      assert.equal(m.error.code, status === 403 ? 'E_AUTH' : 'E_HTTP');
      assert.equal(m.snom.error.status, status);
    });
  }

  it('the phone closes the connection without an answer: German, E_UNREACHABLE', async () => {
    await simFaults(phones[0], { reset: true, count: 1 });
    const m = await caught('k1', { payload: 'ENTER' });
    assert.equal(m.error.code, 'E_UNREACHABLE');
    assert.match(m.error.message, /fehlgeschlagen: das Telefon hat die Verbindung ohne Antwort geschlossen$/);
  });

  it('a phone without a usable first identity (CSTA before 8.7.4): German, E_INPUT, no call placed', async () => {
    await simJson(phones[1], 'PUT', 'settings', { user_host1: '' });
    const m = await caught('c2', { payload: '200' });
    assert.equal(m.error.code, 'E_INPUT');
    assert.match(
      m.error.message,
      /^SnomError \[E_INPUT\]: Telefon \S+ hat keine brauchbare erste Identität \(user_name1 "31", user_host1 ""\); geben Sie das Gerät/,
    );
    assert.match(m.snom.error.message, /has no usable first identity/);
  });
});
