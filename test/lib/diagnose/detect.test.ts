// Detect (src/lib/detect.ts): model, firmware and MAC from a simulated phone's /info.htm, with its login.
import assert from 'node:assert/strict';
import { detectPhone } from '../../../src/lib/detect';
import type { SimPhone } from '../../../src/simulator/phone';
import { SIM_PASSWORD, SIM_USER, startPhones, stopAll } from '../../support/sim';

function at(phone: SimPhone) {
  const u = new URL(phone.url);
  return { host: u.hostname, port: Number(u.port), user: SIM_USER, password: SIM_PASSWORD };
}

describe('lib/detect: what the phone says about itself', function () {
  let phones: SimPhone[];
  before(async () => {
    phones = await startPhones([
      { model: 'D785', firmware: '10.1.33.33', mac: '000413A1B2C3' },
      { model: 'snom870', firmware: '8.7.5.35', auth: 'basic' },
      { model: 'D865' },
    ]);
  });
  after(() => stopAll());

  it('reads model, firmware, MAC and the scheme the login used', async () => {
    assert.deepEqual(await detectPhone(at(phones[0])), {
      model: 'D785',
      firmware: '10.1.33.33',
      mac: '000413A1B2C3',
      d8xx: false,
      snom: true,
      scheme: 'digest',
    });
    const touch = await detectPhone(at(phones[1]));
    assert.equal(touch.model, 'snom870');
    assert.equal(touch.firmware, '8.7.5.35');
    assert.equal(touch.scheme, 'basic');
  });

  it('recognises a D8xx', async () => {
    const d = await detectPhone(at(phones[2]));
    assert.equal(d.d8xx, true);
  });

  it('fails with E_AUTH on a wrong password, without the password in the error', async () => {
    await assert.rejects(detectPhone({ ...at(phones[0]), password: 'nope-secret' }), (err: any) => {
      assert.equal(err.code, 'E_AUTH');
      assert.ok(!JSON.stringify(err.toJSON()).includes('nope-secret'));
      return true;
    });
  });
});
