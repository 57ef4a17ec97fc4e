// Where a saved password may go for Detect / Test connection (src/lib/detect-login.ts): the running
// phone or its fleet, never over a weaker channel. The running phones here have a fixed auth mode,
// so nothing is sent anywhere.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { withSavedLogin } from '../../../src/lib/detect-login';
import { SnomPhone, type SnomPhoneOptions } from '../../../src/lib/phone';

const phones: SnomPhone[] = [];
function running(o: Partial<SnomPhoneOptions> = {}): SnomPhone {
  const p = new SnomPhone({ host: '10.0.0.5', protocol: 'https', allowSelfSigned: true, auth: 'digest', ...o });
  phones.push(p);
  return p;
}

const refusal = (re: RegExp) => (err: any) => err.code === 'E_INPUT' && re.test(err.message);

describe('lib/detect-login: the saved password for Detect and Test', () => {
  after(() => Promise.all(phones.map((p) => p.close())));

  it("is used for the running phone, written another way too, and keeps the form's user", async () => {
    const saved = { phone: running(), user: 'admin', password: 's3cret' };
    const out = await withSavedLogin(saved, {
      host: '10.0.0.5:443',
      protocol: 'https',
      allowSelfSigned: true,
      user: 'ops',
    });
    assert.equal(out.password, 's3cret');
    assert.equal(out.user, 'ops');
    assert.equal((await withSavedLogin(saved, { host: '10.0.0.5', protocol: 'https' })).user, 'admin');
  });

  it('is used for a fleet phone, and refused for any other', async () => {
    const saved = { phone: running({ fleet: '10.0.0.0/24' }), password: 's3cret' };
    assert.equal((await withSavedLogin(saved, { host: '10.0.0.77', protocol: 'https' })).password, 's3cret');
    await assert.rejects(
      withSavedLogin(saved, { host: '10.0.1.1', protocol: 'https' }),
      refusal(/neither this phone nor in its fleet/),
    );
    await assert.rejects(withSavedLogin(saved, { host: 'evil.example', protocol: 'https' }), refusal(/fleet/));
  });

  it('is refused over HTTP when the running phone uses HTTPS, and for a newly accepted self-signed certificate', async () => {
    await assert.rejects(
      withSavedLogin({ phone: running(), password: 'x' }, { host: '10.0.0.5', port: 443, protocol: 'http' }),
      refusal(/uses HTTPS, the form HTTP/),
    );
    await assert.rejects(
      withSavedLogin(
        { phone: running({ allowSelfSigned: false }), password: 'x' },
        { host: '10.0.0.5', protocol: 'https', allowSelfSigned: true },
      ),
      refusal(/self-signed/),
    );
  });

  it('is refused with Basic where the running phone uses Digest; "auto" becomes Digest', async () => {
    const saved = { phone: running(), password: 'x' };
    await assert.rejects(
      withSavedLogin(saved, { host: '10.0.0.5', protocol: 'https', auth: 'basic' }),
      refusal(/Digest, the form with Basic/),
    );
    assert.equal((await withSavedLogin(saved, { host: '10.0.0.5', protocol: 'https', auth: 'auto' })).auth, 'digest');
    const basic = { phone: running({ auth: 'basic' }), password: 'x' };
    assert.equal((await withSavedLogin(basic, { host: '10.0.0.5', protocol: 'https', auth: 'basic' })).auth, 'basic');
  });

  it('property: any host outside the running phone and its fleet never gets the saved password', async () => {
    const saved = { phone: running({ fleet: '10.0.0.6\n192.168.7.0/24' }), password: 's3cret' };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.ipV4(),
          fc.constantFrom('10.0.0.5', '10.0.0.6', '10.0.0.7'),
          fc.integer({ min: 0, max: 255 }).map((n) => `192.168.${n % 2 ? 7 : 8}.${n}`),
        ),
        async (ip) => {
          const inside = ip === '10.0.0.5' || ip === '10.0.0.6' || ip.startsWith('192.168.7.');
          const got = await withSavedLogin(saved, { host: ip, protocol: 'https' }).then(
            (o) => o.password,
            () => undefined,
          );
          assert.equal(got === 's3cret', inside, ip);
        },
      ),
      { seed: 10, numRuns: 300 },
    );
  });
});
