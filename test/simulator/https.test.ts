import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SimPhone } from '../../src/simulator/phone';
import { basic, request, startPhone, type StateReply } from './helpers';

// The certificate as shipped in the source tree (tests run from dist/test/simulator).
const CERT = fs.readFileSync(
  path.join(__dirname, '..', '..', '..', 'src', 'simulator', 'assets', 'sim-cert.pem'),
  'utf8',
);

describe('simulator HTTPS', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ https: true, auth: 'basic', password: 'pw' });
  });
  after(() => phone.stop());

  it('serves HTTPS with the simulator certificate for 127.0.0.1', async () => {
    assert.match(phone.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await request(`${phone.url}/command.htm?key=ENTER`, {
      ca: CERT,
      headers: { Authorization: basic('admin', 'pw') },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.server, 'snom embedded');
    const s = JSON.parse((await request(`${phone.url}/sim/state`, { ca: CERT })).body) as StateReply;
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['ENTER'],
    );
  });

  it('is refused by a client that trusts nothing extra (self-signed)', async () => {
    await assert.rejects(request(`${phone.url}/info.htm`), /self[- ]signed|certificate/i);
  });
});
