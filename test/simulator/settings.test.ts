import assert from 'node:assert/strict';
import { SimPhone } from '../../src/simulator/phone';
import * as net from 'node:net';
import { getState, request, startPhone } from './helpers';

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('simulator settings', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ model: 'D735', auth: 'none', settings: { user_idle_text1: 'A & B <"x">' } });
  });
  after(() => phone.stop());
  beforeEach(() => request(`${phone.url}/sim/reset`, { method: 'POST' }));

  it('settings.xml: phone-settings with idx for indexed names, XML-escaped values, no passwords', async () => {
    await request(
      `${phone.url}/dummy.htm?settings=save&fkey_label0=${encodeURIComponent('It\'s <on> & "off"')}&http_pass=hunter2`,
    );
    const r = await request(`${phone.url}/settings.xml`);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /xml/);
    assert.match(r.body, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<settings>\n<phone-settings e="2">\n/);
    assert.match(r.body, /<\/phone-settings>\n<\/settings>/);
    assert.match(r.body, new RegExp(`<mac perm="">${phone.mac}</mac>`));
    assert.match(r.body, /<phone_type perm="">snomD735<\/phone_type>/);
    assert.match(r.body, /<firmware_version perm="">10\.1\.33\.33<\/firmware_version>/);
    assert.match(r.body, /<user_name idx="1" perm="">100<\/user_name>/);
    assert.match(r.body, /<user_idle_text idx="1" perm="">A &amp; B &lt;&quot;x&quot;&gt;<\/user_idle_text>/);
    assert.match(r.body, /<fkey_label idx="0" perm="">It&apos;s &lt;on&gt; &amp; &quot;off&quot;<\/fkey_label>/);
    assert.doesNotMatch(r.body, /hunter2|pass/);
    assert.equal(phone.settings.get('http_pass'), 'hunter2');
  });

  it('GET and PUT /sim/settings read and merge the store; /sim/reset restores it', async () => {
    const put = await request(`${phone.url}/sim/settings`, {
      method: 'PUT',
      body: JSON.stringify({ language: 'Deutsch' }),
    });
    assert.equal(put.status, 200);
    const got = JSON.parse((await request(`${phone.url}/sim/settings`)).body) as Record<string, string>;
    assert.equal(got.language, 'Deutsch');
    assert.equal(got.mac, phone.mac);
    assert.equal((await request(`${phone.url}/sim/settings`, { method: 'PUT', body: '{"a":1}' })).status, 400);
    await request(`${phone.url}/sim/reset`, { method: 'POST' });
    assert.equal(phone.settings.get('language'), 'English');
  });

  it('refuses malformed setting names and settings.htm without settings=save', async () => {
    await request(`${phone.url}/settings.htm?settings=save&${encodeURIComponent('bad name')}=1&ok_name=2`);
    await request(`${phone.url}/settings.htm?ok_name=3`);
    const s = await getState(phone);
    assert.equal(phone.settings.get('ok_name'), '2');
    assert.equal(phone.settings.has('bad name'), false);
    assert.equal(s.rejected.length, 2);
  });

  it('keeps settings written alongside a minibrowser push', async () => {
    // the push itself fails to fetch (a port that was just closed); the settings still count
    const port = await closedPort();
    await request(
      `${phone.url}/minibrowser.htm?url=${encodeURIComponent(`http://127.0.0.1:${port}/x.xml`)}&settings=save&user_idle_text2=8888`,
    );
    assert.equal(phone.settings.get('user_idle_text2'), '8888');
    const s = await getState(phone);
    assert.equal(s.minibrowser.length, 1);
    assert.ok(s.minibrowser[0].error);
  });
});
