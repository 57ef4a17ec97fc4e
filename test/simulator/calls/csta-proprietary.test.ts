import assert from 'node:assert/strict';
import type { SimPhone } from '../../../src/simulator/phone';
import { bare, csta, ED4, ext, faultOf, json, query, soap, startPhone, phoneWithReceiver } from './helpers';

/** name → value pairs of a GetSettingsResponse */
function settingsOf(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re =
    /<csta:Setting><csta:name>([^<]*)<\/csta:name><csta:value>([^<]*)<\/csta:value><\/csta:Setting>|<csta:Setting><csta:name>([^<]*)<\/csta:name><csta:value\/><\/csta:Setting>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out[m[1] ?? m[3]] = m[2] ?? '';
  return out;
}

const set = (pairs: Array<[string, string]>): string =>
  soap(
    `<csta:SetSettings>${pairs.map(([n, v]) => `<csta:Setting><csta:name>${n}</csta:name><csta:value>${v}</csta:value></csta:Setting>`).join('')}</csta:SetSettings>`,
  );

describe('simulator proprietary CSTA messages (docs/protocol.md §9)', () => {
  let phone: SimPhone;
  const rx = phoneWithReceiver({ firmware: '10.1.33.33', mac: '000413922D24' }, (p) => (phone = p));

  it('GetSettings returns the list of docs/protocol.md §9.2, with mac, phone_type and firmware_version from the phone', async () => {
    const r = await csta(phone, soap('<csta:GetSettings> </csta:GetSettings>'));
    assert.equal(r.status, 200);
    assert.match(
      r.body,
      /^<SOAP-ENV:Envelope xmlns:SOAP-ENV="[^"]+" xmlns:csta="[^"]+ed5"><SOAP-ENV:Body><csta:GetSettingsResponse>/,
    );
    const s = settingsOf(r.body);
    assert.equal(s.mac, '000413922D24');
    assert.equal(s.phone_type, 'snomD785');
    assert.equal(s.firmware_version, '10.1.33.33');
    assert.equal(s.user_name1, '100');
    assert.equal(s.user_host2, 'sim.local');
    assert.equal(s.action_attended_transfer, '');
    assert.ok(!('http_pass' in s) && !('user_pass1' in s) && !('action_fwtest_url' in s));
    assert.equal(Object.keys(s).length, 3 + 2 * 3 + 12);
  });

  it('SetSettings writes listed settings, GetSettings reads them back; read-only ones are refused', async () => {
    const r = await csta(
      phone,
      set([
        ['action_incoming_url', 'http://srv/in?id=$csta_id&amp;x=1'],
        ['user_realname1', 'Front desk'],
      ]),
    );
    assert.equal(r.status, 200);
    assert.match(r.body, /<csta:SetSettingsResponse\/>/);
    const s = settingsOf((await csta(phone, soap('<csta:GetSettings/>'))).body);
    assert.equal(s.action_incoming_url, 'http://srv/in?id=$csta_id&amp;x=1');
    assert.equal(
      (await json<Record<string, string>>(`${phone.url}/sim/settings`)).body.action_incoming_url,
      'http://srv/in?id=$csta_id&x=1',
    );

    for (const name of ['mac', 'phone_type', 'firmware_version']) {
      const bad = await csta(
        phone,
        set([
          ['action_missed_url', 'http://srv/m'],
          [name, 'x'],
        ]),
      );
      assert.equal(bad.status, 500, name);
      assert.ok(faultOf(bad.body), name);
    }
    const unknown = await csta(phone, set([['http_pass', 'x']]));
    assert.equal(unknown.status, 500);
    const after = (await json<Record<string, string>>(`${phone.url}/sim/settings`)).body;
    assert.equal(after.mac, '000413922D24');
    assert.equal(after.action_missed_url, '', 'a refused SetSettings writes nothing');
    assert.notEqual(after.http_pass, 'x');
  });

  it('the proprietary messages need the SOAP envelope', async () => {
    const r = await csta(phone, bare('GetSettings'));
    assert.equal(r.status, 500);
    assert.equal(faultOf(r.body), 'generic');
  });

  it('XmlPush stores the document as the screen', async () => {
    const doc = '<SnomIPPhoneText><Title>CRM</Title><Text>Anna &amp; Co</Text></SnomIPPhoneText>';
    const escaped = doc.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const r = await csta(phone, soap(`<csta:XmlPush><csta:document>"${escaped}"</csta:document></csta:XmlPush>`));
    assert.equal(r.status, 200);
    assert.match(r.body, /<csta:XmlPushResponse\/>/);
    const screen = (await ext(phone)).screen;
    assert.equal(screen?.via, 'xmlpush');
    assert.equal(screen?.document, doc);
    const cdata = await csta(
      phone,
      soap(`<csta:XmlPush><csta:document><![CDATA[${doc}]]></csta:document></csta:XmlPush>`),
    );
    assert.equal(cdata.status, 200);
    const broken = await csta(
      phone,
      soap('<csta:XmlPush><csta:document>&lt;SnomIPPhoneText&gt;</csta:document></csta:XmlPush>'),
    );
    assert.equal(broken.status, 500);
  });

  it('FireTest fires action_fwtest_url (set by SetSettings) with variables, encoding and User-Agent', async () => {
    assert.equal(
      (
        await csta(
          phone,
          set([
            [
              'action_fwtest_url',
              `${rx.base}/fw/$mac&amp;/test?mac=$mac&amp;local=$local&amp;name=$user_realname1&amp;pw=$http_pass`,
            ],
          ]),
        )
      ).status,
      200,
    );
    const r = await csta(phone, soap('<csta:FireTest> </csta:FireTest>'));
    assert.equal(r.status, 200);
    assert.match(r.body, /<csta:FireTestResponse\/>/);
    const [got] = await rx.wait(1);
    assert.equal(got.url, '/fw/000413922D24/test?mac=000413922D24&local=sip%3A100%40sim.local&name=Sim%20100&pw=');
    assert.equal(query(got).get('local'), 'sip:100@sim.local');
    assert.equal(
      got.headers['user-agent'],
      'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-gsim0001 000413922D24 SXM:0 UXM:0)',
    );
    const [fired] = (await ext(phone)).actionUrls;
    assert.equal(fired.event, 'fwtest');
    assert.equal(fired.setting, 'action_fwtest_url');
  });

  it('the proprietary messages work on legacy firmware in the legacy form', async () => {
    const old = await startPhone({ model: 'snom320', firmware: '8.4.35' });
    try {
      const r = await csta(old, soap('<csta:GetSettings/>', ED4));
      assert.equal(r.status, 200);
      assert.match(r.body, /<SOAP-ENV:Header\/>/);
      assert.match(
        r.body,
        /<csta:Setting><csta:name>firmware_version<\/csta:name><csta:value>8.4.35<\/csta:value><\/csta:Setting>/,
      );
    } finally {
      await old.stop();
    }
  });
});
