import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { DigestSession, newCnonce, type DigestChallenge } from '../../../src/lib/http/digest';
import { ClosedError } from '../../../src/lib/http/errors';
import { ClientShare } from '../../../src/lib/http/share';
import { SnomPhone } from '../../../src/lib/phone';
import { RFC, RFC_MD5 } from '../../support/rfc7616';

const challenge: DigestChallenge = {
  algorithm: 'MD5',
  realm: RFC.realm,
  nonce: RFC.nonce,
  opaque: RFC.opaque,
  qop: 'auth',
  stale: false,
  userhash: false,
};

describe('lib/http/share: what the clients of one configured phone share', () => {
  it("signs with the shared H(user:realm:password) exactly as with the password (RFC 7616 §3.9.1's vector)", () => {
    const share = new ClientShare(RFC.user, RFC.password);
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    assert.equal(share.passwordHash('MD5', RFC.realm), md5(`${RFC.user}:${RFC.realm}:${RFC.password}`));
    const shared = new DigestSession(
      challenge,
      RFC.user,
      (a, r) => share.passwordHash(a, r),
      () => RFC.cnonce,
    );
    const own = new DigestSession(challenge, RFC.user, RFC.password, () => RFC.cnonce);
    const header = shared.authorize('GET', RFC.uri);
    assert.equal(header, own.authorize('GET', RFC.uri));
    assert.match(header, new RegExp(`response="${RFC_MD5}"`));
  });

  it('a fleet shares one set with its configured phone; credentials never cross to a client with others', () => {
    const base = new SnomPhone({
      host: '127.0.0.1',
      port: 9,
      auth: 'digest',
      user: 'admin',
      password: 'pw',
      fleet: '127.0.0.0/8',
    });
    const a = base.forHost('127.0.0.2:80');
    const b = base.forHost('127.0.0.3:80');
    try {
      assert.equal(a.phone.client.share, base.client.share);
      assert.equal(b.phone.client.share, base.client.share);
      assert.ok(base.client.share.holds('admin', 'pw'));
      assert.ok(!base.client.share.holds('admin', 'other'));
      // a client given a share with other credentials makes its own
      const other = new SnomPhone({
        host: '127.0.0.4',
        port: 9,
        user: 'admin',
        password: 'other',
        share: base.client.share,
      });
      assert.notEqual(other.client.share, base.client.share);
      void other.close();
    } finally {
      a.release();
      b.release();
      void base.close();
    }
  });

  it("msg.target phones of a configured model and firmware share the configured phone's profile (one plan key for all)", async () => {
    const base = new SnomPhone({
      host: '127.0.0.1',
      port: 9,
      model: 'D785',
      firmware: '10.1.33.33',
      fleet: '127.0.0.0/8',
    });
    const leases = ['127.0.0.2', '127.0.0.3:8080'].map((h) => base.forHost(h));
    try {
      const own = await base.profile();
      for (const l of leases) assert.equal(await l.phone.profile(), own);
    } finally {
      for (const l of leases) l.release();
      void base.close();
    }
  });

  it("closing makes its error without a stack (a redeploy closes thousands), and leaves Node's stack limit as it was", () => {
    const before = Error.stackTraceLimit;
    const e = new ClosedError();
    assert.equal(Error.stackTraceLimit, before);
    assert.equal(e.message, 'client closed');
    assert.doesNotMatch(String(e.stack), /\n\s+at /);
    assert.match(String(new Error('x').stack), /\n\s+at /);
  });

  it('property: cnonces from the pooled draw are 32 hex digits and never repeat (fixed seed, bounded)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), (n) => {
        const seen = new Set<string>();
        for (let i = 0; i < n; i++) {
          const c = newCnonce();
          assert.match(c, /^[0-9a-f]{32}$/);
          assert.ok(!seen.has(c), `cnonce ${c} repeated`);
          seen.add(c);
        }
      }),
      { seed: 7, numRuns: 20 },
    );
  });
});
