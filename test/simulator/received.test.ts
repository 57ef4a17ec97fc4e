import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { basic, request, startPhone } from './helpers';

describe('simulator GET /sim/received', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ model: 'D785', firmware: '10.1.33.33', auth: 'basic', user: 'admin', password: 'pw' });
  });
  after(() => phone.stop());

  const received = async () => JSON.parse((await request(`${phone.url}/sim/received`)).body);

  it('lists every phone-page request as it arrived, 401s included, and not the /sim calls', async () => {
    await request(`${phone.url}/command.htm?key=P1;%23`);
    await request(`${phone.url}/csta`, {
      method: 'POST',
      headers: { authorization: basic('admin', 'pw'), 'content-type': 'text/xml' },
      body: '<RequestSystemStatus/>',
    });
    const r = await received();
    assert.deepEqual(
      r.map((x: any) => [x.method, x.target, x.contentType ?? null, x.body]),
      [
        ['GET', '/command.htm?key=P1;%23', null, ''],
        ['POST', '/csta', 'text/xml', '<RequestSystemStatus/>'],
      ],
    );
  });

  it('forgets them on reset', async () => {
    await request(`${phone.url}/sim/reset`, { method: 'POST' });
    assert.deepEqual(await received(), []);
  });
});
