import assert from 'node:assert/strict';
import type { SimPhone } from '../../../src/simulator/phone';
import { key, query, settings, phoneWithReceiver } from './helpers';

describe('simulator function keys: url keys and long press', () => {
  let phone: SimPhone;
  const rx = phoneWithReceiver({ model: 'D785', firmware: '10.1.33.33' }, (p) => (phone = p));

  it('a P-key programmed "url …" (fkey index = P-number − 1) sends its GET with variables filled in', async () => {
    await settings(phone, { fkey2: `url ${rx.base}/lights?k=$active_key&m=$mac` });
    await key(phone, 'P3');
    const [r] = await rx.wait(1);
    assert.equal(new URL(r.url, 'http://x').pathname, '/lights');
    assert.equal(query(r).get('k'), 'P3');
    assert.equal(query(r).get('m'), phone.mac);
    await key(phone, 'P2');
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(rx.got.length, 1, 'an unprogrammed key sends nothing');
  });

  it('a key held longer than 2 s fires action_longpress_url with $longpress_key; a short press does not', async () => {
    await settings(phone, { action_longpress_url: `${rx.base}/long?key=$longpress_key` });
    await key(phone, 'P5,500');
    await key(phone, 'P5,2500');
    const [r] = await rx.wait(1);
    assert.equal(query(r).get('key'), 'P5');
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(rx.got.length, 1);
  });
});
