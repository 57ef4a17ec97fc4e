import assert from 'node:assert/strict';
import { SnomError } from '../../../src/lib/errors';
import { parseSnomUserAgent } from '../../../src/lib/profile';
import fc from 'fast-check';
import {
  TokenMatcher,
  generateToken,
  isAllowed,
  normalizeAddress,
  parseAllowlist,
  tokensEqual,
} from '../../../src/lib/action-url';

describe('tokens', () => {
  it('generates url-safe tokens of at least 128 bits, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const t = generateToken();
      assert.match(t, /^[A-Za-z0-9_-]+$/);
      assert.ok(Buffer.from(t, 'base64url').length * 8 >= 128);
      seen.add(t);
    }
    assert.equal(seen.size, 200);
  });

  it('compares equal tokens true and anything else false', () => {
    const t = generateToken();
    assert.equal(tokensEqual(t, String(t)), true);
    assert.equal(tokensEqual(t, t.slice(0, -1)), false);
    assert.equal(tokensEqual(t, t + 'x'), false);
    assert.equal(tokensEqual(t, t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase()), false);
    assert.equal(tokensEqual(t, undefined), false);
    assert.equal(tokensEqual('', ''), false, 'an empty token never authenticates');
    assert.equal(tokensEqual(undefined, undefined), false);
  });

  it('a TokenMatcher (expected token hashed once) agrees with plain equality of non-empty tokens (property)', () => {
    const token = fc.string({ maxLength: 40 });
    fc.assert(
      fc.property(token, token, fc.boolean(), (a, b, same) => {
        const candidate = same ? a : b;
        const m = new TokenMatcher(a);
        const want = a !== '' && candidate === a;
        return m.matches(candidate) === want && m.matches(candidate) === want && tokensEqual(a, candidate) === want;
      }),
      { seed: 17, numRuns: 500 },
    );
    assert.equal(new TokenMatcher('').matches(''), false);
    assert.equal(new TokenMatcher(undefined).matches(undefined), false);
  });
});

describe('allowlist', () => {
  it('allows everyone when empty', () => {
    const a = parseAllowlist('  ');
    assert.equal(a.entries.length, 0);
    assert.equal(isAllowed(a, '203.0.113.9'), true);
    assert.equal(isAllowed(parseAllowlist(undefined), '::1'), true);
  });

  it('matches IPv4 addresses and CIDR ranges', () => {
    const a = parseAllowlist('10.0.0.7, 192.168.1.0/24;172.16.0.0/12');
    assert.deepEqual(a.entries, ['10.0.0.7', '192.168.1.0/24', '172.16.0.0/12']);
    assert.equal(isAllowed(a, '10.0.0.7'), true);
    assert.equal(isAllowed(a, '10.0.0.8'), false);
    assert.equal(isAllowed(a, '192.168.1.254'), true);
    assert.equal(isAllowed(a, '192.168.2.1'), false);
    assert.equal(isAllowed(a, '172.31.255.1'), true);
    assert.equal(isAllowed(a, '172.32.0.1'), false);
    assert.equal(isAllowed(a, undefined), false);
    assert.equal(isAllowed(a, 'garbage'), false);
  });

  it('matches IPv6 addresses and ranges, with or without zone', () => {
    const a = parseAllowlist('2001:db8::/32 fe80::1 [::1]');
    assert.equal(isAllowed(a, '2001:db8:1::5'), true);
    assert.equal(isAllowed(a, '2001:db9::5'), false);
    assert.equal(isAllowed(a, 'fe80::1%eth0'), true);
    assert.equal(isAllowed(a, '::1'), true);
    assert.equal(isAllowed(a, '10.0.0.1'), false);
  });

  it('treats IPv4-mapped IPv6 as IPv4, both in the list and in the sender', () => {
    const a = parseAllowlist('192.168.1.0/24');
    assert.equal(isAllowed(a, '::ffff:192.168.1.20'), true);
    assert.equal(isAllowed(a, '::FFFF:192.168.2.20'), false);
    const b = parseAllowlist('::ffff:10.1.2.3, ::ffff:10.9.0.0/112');
    assert.deepEqual(b.entries, ['10.1.2.3', '10.9.0.0/16']);
    assert.equal(isAllowed(b, '10.1.2.3'), true);
    assert.equal(isAllowed(b, '::ffff:10.9.200.1'), true);
    assert.equal(normalizeAddress('::ffff:127.0.0.1'), '127.0.0.1');
  });

  it('refuses bad entries with E_INPUT naming the entry', () => {
    for (const bad of ['10.0.0.300', '10.0.0.0/33', '2001:db8::/129', 'phone.local', '10.0.0.0/x', '10.0.0.0/']) {
      assert.throws(
        () => parseAllowlist(`10.0.0.1, ${bad}`),
        (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT' && e.message.includes(bad),
        bad,
      );
    }
  });
});

describe('Snom User-Agent', () => {
  it('reads model, firmware and MAC from the forms of docs/protocol.md §1.2', () => {
    assert.deepEqual(
      parseSnomUserAgent(
        'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413922D24 SXM:0 UXM:0)',
      ),
      { model: 'D785', firmware: '10.1.33.33', mac: '000413922D24' },
    );
    assert.deepEqual(
      parseSnomUserAgent('Mozilla/4.0 (compatible; snom710-SIP 8.7.5.35 1.1.5-IFX-05.01.12 000413741767)'),
      {
        model: 'snom710',
        firmware: '8.7.5.35',
        mac: '000413741767',
      },
    );
    assert.deepEqual(parseSnomUserAgent('Mozilla/4.0 (compatible; snom320-SIP 8.4.18 1.1.3-s)'), {
      model: 'snom320',
      firmware: '8.4.18',
    });
    assert.deepEqual(parseSnomUserAgent('snomD345/10.1.39.11'), { model: 'D345', firmware: '10.1.39.11' });
    assert.equal(parseSnomUserAgent('curl/8.0'), undefined);
    assert.equal(parseSnomUserAgent(undefined), undefined);
  });
});
