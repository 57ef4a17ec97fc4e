import assert from 'node:assert/strict';
import type { SimPhone } from '../../../src/simulator/phone';
import { bare, ext, Receiver, request, startPhone } from './helpers';

describe('simulator screen and /csta through the core', () => {
  let phone: SimPhone;
  const docs = new Receiver();
  before(async () => {
    await docs.start();
    phone = await startPhone({ auth: 'basic', user: 'admin', password: 'pw' });
  });
  after(async () => {
    await phone.stop();
    await docs.close();
  });
  const auth = { Authorization: 'Basic ' + Buffer.from('admin:pw').toString('base64') };

  it('a document the phone fetched through minibrowser.htm becomes the screen', async () => {
    const doc = '<SnomIPPhoneText><Text>Doorbell</Text></SnomIPPhoneText>';
    docs.answer = { status: 200, type: 'text/xml', body: doc };
    const r = await request(
      `${phone.url}/minibrowser.htm?url=${encodeURIComponent(`${docs.base}/door.xml`)}`,
      'GET',
      undefined,
      auth,
    );
    assert.equal(r.status, 200);
    const screen = (await ext(phone)).screen;
    assert.equal(screen?.via, 'minibrowser');
    assert.equal(screen?.document, doc);
  });

  it('POST /csta is a phone page: it needs the web login like the others', async () => {
    const body = bare('RequestSystemStatus');
    const denied = await request(`${phone.url}/csta`, 'POST', body, { 'Content-Type': 'text/xml' });
    assert.equal(denied.status, 401);
    assert.equal((await ext(phone)).csta.length, 0, 'nothing reaches CSTA without the login');
    const ok = await request(`${phone.url}/csta`, 'POST', body, { 'Content-Type': 'text/xml', ...auth });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /<systemStatus>normal<\/systemStatus>/);
  });
});
