import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import type { SimPhone } from '../../src/simulator/phone';
import { helper } from '../support/red';
import { simReset, simState, startPhones, stopAll } from '../support/sim';
import { ext, failed, ok, openFlow, startHttpNodeServer, type HttpNodeServer } from './csta-harness';

const TEXT =
  '<?xml version="1.0" encoding="UTF-8"?>\n<SnomIPPhoneText><Title>Doorbell</Title><Text>Someone is at the door</Text></SnomIPPhoneText>';
// what a CRM might return as a caller's name, trying to add elements to the screen
const EVIL_TITLE = '</Title><Led number="1" color="red">On</Led><Title>';
const EVIL_TEXT = 'Müller & Söhne ]]> <?xml version="1.0"?> <!-- x --> <fetch>http://evil/</fetch>';

function textOf(xml: string): { title: string; text: string; root: Record<string, unknown> } {
  const doc = new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml);
  const root = doc.SnomIPPhoneText;
  return { title: root.Title, text: root.Text, root };
}

describe('snom-xml-push by CSTA XmlPush and by minibrowser.htm', function () {
  let server: HttpNodeServer;
  let d785: SimPhone;
  let s360: SimPhone;
  let gap: SimPhone;
  let fw84: SimPhone;
  let none: SimPhone;
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    server = await startHttpNodeServer();
    [d785, s360, gap, fw84, none] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33' },
      { model: 'snom360', firmware: '7.3.4' },
      { model: 'snom821', firmware: '8.7.2.9' },
      { model: 'snom360', firmware: '8.4.10' },
      { model: 'snom360', firmware: '7.3.3' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [d785, s360, gap, fw84, none]) await simReset(p);
  });
  after(async () => {
    await stopAll([d785, s360, gap, fw84, none]);
    await server.close();
    await new Promise<void>((r) => helper.stopServer(r));
  });

  it('pushes a document by CSTA XmlPush where the firmware has CSTA (auto), current and legacy', async () => {
    for (const phone of [d785, s360]) {
      const f = await openFlow(phone, { type: 'snom-xml-push', transport: 'auto' });
      const out = ok(await f.send({ payload: TEXT }));
      assert.equal(out.snom.transport, 'csta');
      assert.equal(out.payload, TEXT);
      const e = await ext(phone);
      assert.equal(e.screen.via, 'xmlpush');
      assert.deepEqual(textOf(e.screen.document), textOf(TEXT));
      assert.deepEqual(
        e.csta.map((r: any) => [r.operation, r.soap, r.status]),
        [['XmlPush', true, 200]],
      );
      assert.equal((await simState(phone)).minibrowser.length, 0);
    }
  });

  it('serves the document once from Node-RED and sends minibrowser.htm where there is no CSTA (auto)', async () => {
    const f = await openFlow(
      gap,
      { type: 'snom-xml-push', transport: 'auto', document: TEXT },
      { baseUrl: server.url },
    );
    const out = ok(await f.send({ payload: 'ignored: the form has the document' }));
    assert.equal(out.snom.transport, 'minibrowser');
    const [push] = (await simState(gap)).minibrowser;
    assert.equal(push.keepAlive, false, 'no keep-alive on minibrowser.htm (8 s delay on real phones)');
    assert.match(push.fetchUrl!, new RegExp(`^${server.url}/snom/mb/[A-Za-z0-9_-]{32}$`));
    assert.equal(push.fetched?.status, 200);
    assert.equal(push.fetched?.contentType, 'text/xml; charset=utf-8');
    assert.equal(push.fetched?.body, TEXT);
    const again = await fetch(push.fetchUrl!);
    assert.equal(again.status, 404, 'served once, then forgotten');
    assert.deepEqual((await ext(gap)).csta, []);
  });

  it('sends the URL encoded from 8.4.32 and without its scheme before, as each firmware wants it', async () => {
    for (const phone of [d785, fw84]) {
      const f = await openFlow(
        phone,
        { type: 'snom-xml-push', transport: 'minibrowser' },
        { baseUrl: `${server.url}/` },
      );
      ok(await f.send({ payload: { type: 'text', title: 'Hi', text: 'there' } }));
      const [push] = (await simState(phone)).minibrowser;
      assert.equal(push.error, undefined, push.error);
      if (phone === d785) assert.match(push.url, /^http:\/\/127\.0\.0\.1:\d+\/snom\/mb\//);
      else assert.match(push.url, /^127\.0\.0\.1:\d+\/snom\/mb\//);
      assert.equal(textOf(push.fetched!.body).text, 'there');
    }
  });

  it('injection attempts in object fields reach the phone as text, by both transports', async () => {
    const doc = { type: 'text', title: EVIL_TITLE, text: EVIL_TEXT };
    const a = await openFlow(d785, { type: 'snom-xml-push', transport: 'csta' });
    ok(await a.send({ payload: doc }));
    const viaCsta = textOf((await ext(d785)).screen.document);
    const b = await openFlow(gap, { type: 'snom-xml-push', transport: 'minibrowser' }, { baseUrl: server.url });
    ok(await b.send({ payload: doc }));
    const viaMb = textOf((await simState(gap)).minibrowser[0].fetched!.body);
    for (const got of [viaCsta, viaMb]) {
      assert.equal(got.title, EVIL_TITLE);
      assert.equal(got.text, EVIL_TEXT);
      assert.deepEqual(Object.keys(got.root).sort(), ['Text', 'Title']);
    }
  });

  it('with snomXmlPushSecret in the settings the URL carries the sealed document; a short secret is E_INPUT, nothing sent', async () => {
    try {
      helper.settings({ snomXmlPushSecret: 'node-test-shared-secret-0123456789abcdef' });
      const f = await openFlow(gap, { type: 'snom-xml-push', transport: 'minibrowser' }, { baseUrl: server.url });
      ok(await f.send({ payload: TEXT }));
      const [push] = (await simState(gap)).minibrowser;
      const token = push.fetchUrl!.slice(push.fetchUrl!.lastIndexOf('/') + 1);
      assert.ok(token.length > 32 && !push.fetchUrl!.includes('Doorbell'), push.fetchUrl);
      assert.equal(push.fetched?.status, 200);
      assert.equal(push.fetched?.body, TEXT);
      assert.equal((await fetch(push.fetchUrl!)).status, 404, 'once per phone at this instance');
      await simReset(gap);
      helper.settings({ snomXmlPushSecret: 'too-short' });
      const g = await openFlow(gap, { type: 'snom-xml-push', transport: 'minibrowser' }, { baseUrl: server.url });
      const err = failed(await g.send({ payload: TEXT }));
      assert.equal(err.error.code, 'E_INPUT');
      assert.match(err.error.message, /snomXmlPushSecret/);
      assert.ok(!err.error.message.includes('too-short'), 'the secret is not quoted');
      assert.equal((await simState(gap)).requests, 0);
    } finally {
      helper.settings({});
    }
  });

  it('refuses a missing base URL in plain words and sends nothing', async () => {
    const f = await openFlow(gap, { type: 'snom-xml-push', transport: 'auto' });
    const err = failed(await f.send({ payload: TEXT }));
    assert.equal(err.error.code, 'E_INPUT');
    assert.match(err.error.message, /Base URL at which the phone reaches Node-RED/);
    assert.equal((await simState(gap)).requests, 0);
  });

  it('refuses what the phone cannot take, and documents that are not minibrowser XML, sending nothing', async () => {
    const neither = await openFlow(none, { type: 'snom-xml-push', transport: 'auto' }, { baseUrl: server.url });
    const e1 = failed(await neither.send({ payload: TEXT }));
    assert.equal(e1.error.code, 'E_UNSUPPORTED');
    assert.match(e1.error.message, /neither by CSTA XmlPush .* nor by minibrowser\.htm/);
    const csta = await openFlow(gap, { type: 'snom-xml-push', transport: 'csta' }, { baseUrl: server.url });
    const e2 = failed(await csta.send({ payload: TEXT }));
    assert.equal(e2.error.code, 'E_UNSUPPORTED');
    assert.match(e2.error.message, /8\.7\.0 to 8\.7\.2/);
    const bad = await openFlow(d785, { type: 'snom-xml-push', transport: 'auto' });
    for (const payload of [
      '<SnomIPPhoneText><Text>x</SnomIPPhoneText>',
      '<html><body>hi</body></html>',
      { type: 'text' },
      42,
    ]) {
      const e = failed(await bad.send({ payload }));
      assert.equal(e.error.code, 'E_INPUT', JSON.stringify(payload));
    }
    for (const p of [none, gap, d785]) assert.equal((await simState(p)).requests, 0);
  });

  it('a phone refusing an XmlPush (here an empty one, sent raw) is E_CSTA with its error value', async () => {
    // the node validates documents, so a refusal can only be provoked with raw XML
    const f = await openFlow(d785, { type: 'snom-csta', operation: 'raw' });
    const err = failed(
      await f.send({
        payload:
          '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:csta="http://www.ecma-international.org/standards/ecma-323/csta/ed5"><SOAP-ENV:Body><csta:XmlPush></csta:XmlPush></SOAP-ENV:Body></SOAP-ENV:Envelope>',
      }),
    );
    assert.equal(err.error.code, 'E_CSTA');
    assert.equal(err.snom.error.cstaError, 'valueOutOfRange');
  });
});
