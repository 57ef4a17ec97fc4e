import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  buildDigestAuthorization,
  chooseDigestChallenge,
  computeDigestResponse,
  DigestAlgorithm,
  DigestChallenge,
  DigestQop,
  DigestSession,
  parseWwwAuthenticate,
} from '../../../src/lib/http';
import { authParams } from './servers';
import { RFC, RFC_MD5 } from '../../support/rfc7616';

/*
 * Every expected Digest value here is either written out literally (the RFCs' published vectors,
 * and -sess vectors computed once with `openssl dgst`) or computed by `rfc7616` below, which is
 * RFC 7616 §3.4.1-§3.4.3 spelt out with node:crypto and shares no code with src/lib/http/digest.ts.
 */
interface Case {
  algorithm: DigestAlgorithm;
  user: string;
  realm: string;
  password: string;
  nonce: string;
  method: string;
  uri: string;
  qop?: DigestQop;
  nc?: string;
  cnonce?: string;
  body?: string;
}

function H(algorithm: DigestAlgorithm, data: string): string {
  return createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(data, 'utf8')
    .digest('hex');
}

/** HA1 = H(user:realm:pass); for -sess HA1 = H(H(user:realm:pass):nonce:cnonce). */
function rfcHA1(c: Case): string {
  const base = H(c.algorithm, `${c.user}:${c.realm}:${c.password}`);
  if (c.algorithm === 'MD5' || c.algorithm === 'SHA-256') return base;
  assert.ok(c.cnonce !== undefined, '-sess needs a cnonce');
  return H(c.algorithm, `${base}:${c.nonce}:${c.cnonce}`);
}

/** response = H(HA1:nonce:nc:cnonce:qop:HA2), or H(HA1:nonce:HA2) without qop; HA1 may be given (a session's). */
function rfc7616(c: Case, ha1 = rfcHA1(c)): string {
  const ha2 =
    c.qop === 'auth-int'
      ? H(c.algorithm, `${c.method}:${c.uri}:${H(c.algorithm, c.body ?? '')}`)
      : H(c.algorithm, `${c.method}:${c.uri}`);
  if (!c.qop) return H(c.algorithm, `${ha1}:${c.nonce}:${ha2}`);
  return H(c.algorithm, `${ha1}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`);
}

const RFC_SHA256 = '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1';
/**
 * The same request with the -sess algorithms, qop=auth, nc 00000001 and 00000002 (one session, one
 * cnonce). Computed with openssl, e.g. for MD5-sess:
 *   h(){ printf '%s' "$1" | openssl dgst -md5 -r | cut -d' ' -f1; }
 *   HA1=$(h "$(h 'Mufasa:http-auth@example.org:Circle of Life'):$NONCE:$CNONCE")
 *   h "$HA1:$NONCE:00000001:$CNONCE:auth:$(h 'GET:/dir/index.html')"
 */
const RFC_SESS: Record<'MD5-sess' | 'SHA-256-sess', { ha1: string; nc1: string; nc2: string }> = {
  'MD5-sess': {
    ha1: '2b3d906f52651c3136e1502b3d6f38ee',
    nc1: 'e783283f46242139c486a698fec7211d',
    nc2: '6914b51e16f9459d9abc967ad41c4599',
  },
  'SHA-256-sess': {
    ha1: 'bca21f4c7d7e8bf70d96361085370c7d219947abc1b8cd628f710917b89bed5b',
    nc1: '2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7',
    nc2: '6bb0010aa4bdf46422a798c509ea32e256f27bd37de5cc3bdf8ed51e1d77d650',
  },
};
/** The RFC request with qop=auth-int and an empty body, and without qop (openssl as above). */
const RFC_AUTH_INT = {
  MD5: '8804a53d3640a40a4f73cea12c5ba451',
  'SHA-256': '8bdf6f15638e260831e905028de5450562816d093c9bfc5c13d3a46adcdde940',
};
const RFC_NO_QOP = {
  MD5: '7b2cc3b30e75b4777ea31027084363fd',
  'SHA-256': 'a1306b0595a6c7fe96c448631fb5cfbd5107bd1fe1da729d978dd7446b812363',
};
const RFC_HEADER =
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", ' +
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, ' +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

const ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'];
const rfcChallenge = (algorithm: DigestAlgorithm, qop: DigestQop | 'none' = 'auth'): DigestChallenge => ({
  realm: RFC.realm,
  nonce: RFC.nonce,
  opaque: RFC.opaque,
  algorithm,
  qop: qop === 'none' ? undefined : qop,
  stale: false,
  userhash: false,
});
/** A cnonce source that counts, so a new cnonce per request is visible. */
function counter(prefix = 'cn'): { make: () => string; calls: () => number } {
  let n = 0;
  return { make: () => `${prefix}${++n}`, calls: () => n };
}

describe("http/digest: the test's own RFC 7616 formula reproduces the published vectors", () => {
  it('MD5 and SHA-256 (§3.9.1), RFC 2617 §3.5 and RFC 2069 §2.4', () => {
    assert.equal(rfc7616({ ...RFC, algorithm: 'MD5', qop: 'auth' }), RFC_MD5);
    assert.equal(rfc7616({ ...RFC, algorithm: 'SHA-256', qop: 'auth' }), RFC_SHA256);
    const rfc2617 = {
      user: 'Mufasa',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
    };
    assert.equal(
      rfc7616({
        ...rfc2617,
        algorithm: 'MD5',
        password: 'Circle Of Life',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
      '6629fae49393a05397450978507c4ef1',
    );
    assert.equal(
      rfc7616({ ...rfc2617, algorithm: 'MD5', password: 'CircleOfLife' }),
      '1949323746fe6a43ef61f9606e7febea',
    );
    for (const alg of ['MD5-sess', 'SHA-256-sess'] as const) {
      assert.equal(rfcHA1({ ...RFC, algorithm: alg }), RFC_SESS[alg].ha1);
      assert.equal(rfc7616({ ...RFC, algorithm: alg, qop: 'auth' }), RFC_SESS[alg].nc1);
    }
  });
});

describe('http/digest: computeDigestResponse against written-out vectors', () => {
  it('RFC 7616 §3.9.1: MD5 and SHA-256', () => {
    assert.equal(computeDigestResponse({ ...RFC, algorithm: 'MD5', qop: 'auth' }), RFC_MD5);
    assert.equal(computeDigestResponse({ ...RFC, algorithm: 'SHA-256', qop: 'auth' }), RFC_SHA256);
  });

  it('MD5-sess and SHA-256-sess bind HA1 to nonce and cnonce (nc 1 and 2)', () => {
    for (const alg of ['MD5-sess', 'SHA-256-sess'] as const) {
      assert.equal(computeDigestResponse({ ...RFC, algorithm: alg, qop: 'auth' }), RFC_SESS[alg].nc1, alg);
      assert.equal(
        computeDigestResponse({ ...RFC, algorithm: alg, qop: 'auth', nc: '00000002' }),
        RFC_SESS[alg].nc2,
        alg,
      );
    }
  });

  it('qop=auth-int hashes the body; no qop gives H(HA1:nonce:HA2)', () => {
    for (const alg of ['MD5', 'SHA-256'] as const) {
      assert.equal(
        computeDigestResponse({ ...RFC, algorithm: alg, qop: 'auth-int', body: '' }),
        RFC_AUTH_INT[alg],
        alg,
      );
      assert.equal(computeDigestResponse({ ...RFC, algorithm: alg, qop: undefined }), RFC_NO_QOP[alg], alg);
    }
  });

  it('RFC 2617 §3.5 and RFC 2069 §2.4 (MD5)', () => {
    const old = {
      algorithm: 'MD5',
      user: 'Mufasa',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
    } as const;
    assert.equal(
      computeDigestResponse({ ...old, password: 'Circle Of Life', qop: 'auth', nc: '00000001', cnonce: '0a4f113b' }),
      '6629fae49393a05397450978507c4ef1',
    );
    assert.equal(computeDigestResponse({ ...old, password: 'CircleOfLife' }), '1949323746fe6a43ef61f9606e7febea');
  });

  it('equals RFC 7616 §3.4 for any input, algorithm and qop (property, seed 7616)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 24 });
    fc.assert(
      fc.property(
        fc.constantFrom(...ALGORITHMS),
        fc.constantFrom<DigestQop | undefined>('auth', 'auth-int', undefined),
        fc.record({ user: text, realm: text, password: text, nonce: text, cnonce: text, uri: text, body: text }),
        fc.constantFrom('GET', 'POST'),
        fc.integer({ min: 1, max: 0xffffffff }),
        (algorithm, qop, t, method, n) => {
          // -sess needs the cnonce that only a qop request carries (RFC 2617 §3.2.2.2)
          fc.pre(qop !== undefined || !algorithm.endsWith('-sess'));
          const c: Case = { ...t, algorithm, qop, method, nc: n.toString(16).padStart(8, '0') };
          assert.equal(computeDigestResponse(c), rfc7616(c));
        },
      ),
      { seed: 7616, numRuns: 400 },
    );
  });
});

describe('http/digest: challenge parsing', () => {
  it('parses the RFC example (two challenges in one header) and picks SHA-256', () => {
    const list = parseWwwAuthenticate(RFC_HEADER);
    assert.equal(list.length, 2);
    assert.deepEqual(
      list.map((c) => c.params.algorithm),
      ['SHA-256', 'MD5'],
    );
    assert.equal(list[0].params.qop, 'auth, auth-int');
    const ch = chooseDigestChallenge(RFC_HEADER);
    assert.equal(ch?.algorithm, 'SHA-256');
    assert.equal(ch?.qop, 'auth');
    assert.equal(ch?.opaque, RFC.opaque);
  });
});

describe('http/digest: DigestSession', () => {
  it('signs the RFC request with every algorithm: each header field and the response', () => {
    const expected: Record<DigestAlgorithm, string> = {
      MD5: RFC_MD5,
      'SHA-256': RFC_SHA256,
      'MD5-sess': RFC_SESS['MD5-sess'].nc1,
      'SHA-256-sess': RFC_SESS['SHA-256-sess'].nc1,
    };
    for (const algorithm of ALGORITHMS) {
      const s = new DigestSession(rfcChallenge(algorithm), RFC.user, RFC.password, () => RFC.cnonce);
      const header = s.authorize('GET', RFC.uri);
      assert.match(header, /^Digest \S/);
      // RFC 7616 §3.4: algorithm, nc and qop are tokens; the rest quoted strings
      assert.match(header, new RegExp(`(^Digest |, )algorithm=${algorithm}(,|$)`));
      assert.match(header, /, nc=00000001(,|$)/);
      assert.match(header, /, qop=auth(,|$)/);
      for (const [k, v] of [
        ['username', RFC.user],
        ['realm', RFC.realm],
        ['uri', RFC.uri],
        ['nonce', RFC.nonce],
        ['cnonce', RFC.cnonce],
        ['response', expected[algorithm]],
        ['opaque', RFC.opaque],
      ]) {
        assert.ok(header.includes(`${k}="${v}"`), `${algorithm}: ${k}="${v}" in ${header}`);
      }
      assert.deepEqual(Object.keys(authParams(header)).sort(), [
        'algorithm',
        'cnonce',
        'nc',
        'nonce',
        'opaque',
        'qop',
        'realm',
        'response',
        'uri',
        'username',
      ]);
      assert.equal(s.count, 1);
    }
  });

  it('the second -sess request keeps the first cnonce: nc 00000002 gives the written-out response', () => {
    for (const alg of ['MD5-sess', 'SHA-256-sess'] as const) {
      const cnonces = [RFC.cnonce, 'second-cnonce', 'third-cnonce'];
      const s = new DigestSession(rfcChallenge(alg), RFC.user, RFC.password, () => cnonces.shift() ?? 'more');
      assert.equal(authParams(s.authorize('GET', RFC.uri)).response, RFC_SESS[alg].nc1);
      const second = authParams(s.authorize('GET', RFC.uri));
      assert.equal(second.cnonce, RFC.cnonce, alg);
      assert.equal(second.nc, '00000002');
      assert.equal(second.response, RFC_SESS[alg].nc2, alg);
    }
  });

  it('counts nc in 8 hex digits with one cnonce per nonce (RFC 7616 §3.4: nc keeps each request unique), each response per RFC 7616', () => {
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const cn = counter();
      const s = new DigestSession(rfcChallenge(algorithm), RFC.user, RFC.password, cn.make);
      const seen = Array.from({ length: 17 }, (_, i) =>
        authParams(s.authorize(i % 2 ? 'POST' : 'GET', `/command.htm?key=${i}`)),
      );
      assert.deepEqual(
        seen.map((p) => p.nc),
        [
          '00000001',
          '00000002',
          '00000003',
          '00000004',
          '00000005',
          '00000006',
          '00000007',
          '00000008',
          '00000009',
          '0000000a',
          '0000000b',
          '0000000c',
          '0000000d',
          '0000000e',
          '0000000f',
          '00000010',
          '00000011',
        ],
      );
      assert.deepEqual(
        seen.map((p) => p.cnonce),
        Array.from({ length: 17 }, () => 'cn1'),
      );
      assert.equal(cn.calls(), 1, 'one cnonce made for the nonce');
      assert.equal(s.count, 17);
      seen.forEach((p, i) => {
        const c: Case = {
          ...RFC,
          algorithm,
          qop: 'auth',
          method: i % 2 ? 'POST' : 'GET',
          uri: `/command.htm?key=${i}`,
          nc: p.nc,
          cnonce: 'cn1',
        };
        assert.equal(p.response, rfc7616(c), `${algorithm} request ${i + 1}`);
        assert.equal(p.uri, c.uri);
      });
    }
  });

  it('-sess: one cnonce per nonce, HA1 bound to it for the whole session; a new nonce binds a new cnonce', () => {
    for (const algorithm of ['MD5-sess', 'SHA-256-sess'] as const) {
      const cn = counter();
      const s = new DigestSession(rfcChallenge(algorithm), RFC.user, RFC.password, cn.make);
      // HA1 as a server that computes it once, at the first request of the session (RFC 2617 §3.2.2.2)
      const sessionHA1 = rfcHA1({ ...RFC, algorithm, cnonce: 'cn1' });
      assert.notEqual(sessionHA1, rfcHA1({ ...RFC, algorithm: algorithm === 'MD5-sess' ? 'MD5' : 'SHA-256' }));
      for (let i = 1; i <= 5; i++) {
        const uri = `/command.htm?key=P${i}`;
        const p = authParams(s.authorize('GET', uri));
        assert.equal(p.cnonce, 'cn1', `${algorithm} request ${i}`);
        assert.equal(p.nc, `0000000${i}`);
        assert.equal(p.algorithm, algorithm);
        const c: Case = { ...RFC, algorithm, qop: 'auth', uri, nc: p.nc, cnonce: p.cnonce };
        // the same value for a server that caches HA1 and for one that recomputes it per request
        assert.equal(p.response, rfc7616(c, sessionHA1), `${algorithm} request ${i}`);
        assert.equal(p.response, rfc7616(c));
      }
      assert.equal(cn.calls(), 1, 'one cnonce for the session');
      s.reset({ ...rfcChallenge(algorithm), nonce: 'fresh-nonce' });
      const p = authParams(s.authorize('GET', RFC.uri));
      assert.equal(p.nonce, 'fresh-nonce');
      assert.equal(p.nc, '00000001');
      assert.equal(p.cnonce, 'cn2');
      const c: Case = { ...RFC, algorithm, nonce: 'fresh-nonce', qop: 'auth', nc: '00000001', cnonce: 'cn2' };
      assert.equal(p.response, rfc7616(c, rfcHA1({ ...RFC, algorithm, nonce: 'fresh-nonce', cnonce: 'cn2' })));
      assert.notEqual(p.response, rfc7616(c, sessionHA1));
    }
  });

  it('a new nonce restarts nc with a new cnonce, for every algorithm', () => {
    for (const algorithm of ALGORITHMS) {
      const cn = counter();
      const s = new DigestSession(rfcChallenge(algorithm), RFC.user, RFC.password, cn.make);
      s.authorize('GET', '/a');
      s.authorize('GET', '/b');
      s.reset({ ...rfcChallenge(algorithm), nonce: 'second-nonce' });
      const p = authParams(s.authorize('GET', RFC.uri));
      assert.deepEqual([p.nonce, p.nc, p.cnonce], ['second-nonce', '00000001', 'cn2'], algorithm);
      const c: Case = { ...RFC, algorithm, nonce: 'second-nonce', qop: 'auth', nc: '00000001', cnonce: 'cn2' };
      assert.equal(p.response, rfc7616(c), algorithm);
    }
  });

  it('writes the header buildDigestAuthorization writes, over nonces, realms and algorithms (property, seed 2617)', () => {
    // the session keeps HA1 and the fixed fields per nonce, and H(user:realm:password) per realm and
    // algorithm: after any sequence of new challenges its header must be the one-off header
    const text = fc.string({ unit: 'binary', maxLength: 16 });
    const challenge = fc.record({
      realm: fc.constantFrom('snom', 'other realm', 'a"b'),
      nonce: text,
      opaque: fc.option(text, { nil: undefined }),
      algorithm: fc.constantFrom(...ALGORITHMS),
      qop: fc.constantFrom<DigestQop | undefined>('auth', 'auth-int', undefined),
      userhash: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.record({ user: text, password: text }),
        fc.array(
          fc.tuple(
            challenge,
            fc.array(fc.tuple(fc.constantFrom('GET', 'POST'), text, text), { minLength: 1, maxLength: 4 }),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (cred, steps) => {
          let made = 0;
          let session: DigestSession | undefined;
          for (const [raw, requests] of steps) {
            const ch: DigestChallenge = {
              ...raw,
              // -sess needs a qop (toDigestChallenge refuses the pair)
              algorithm: raw.qop === undefined && raw.algorithm.endsWith('-sess') ? 'MD5' : raw.algorithm,
              stale: false,
            };
            if (session) session.reset(ch);
            else session = new DigestSession(ch, cred.user, cred.password, () => `cnonce-${++made}`);
            requests.forEach(([method, uri, body], i) => {
              const got = session!.authorize(method, uri, body);
              const want = buildDigestAuthorization(ch, {
                ...cred,
                algorithm: ch.algorithm,
                realm: ch.realm,
                nonce: ch.nonce,
                method,
                uri,
                body,
                qop: ch.qop,
                nc: (i + 1).toString(16).padStart(8, '0'),
                cnonce: ch.qop ? `cnonce-${made}` : undefined,
              });
              assert.equal(got, want);
            });
          }
        },
      ),
      { seed: 2617, numRuns: 300 },
    );
  });

  it('qop=auth-int signs the body', () => {
    for (const algorithm of ALGORITHMS) {
      const s = new DigestSession(rfcChallenge(algorithm, 'auth-int'), RFC.user, RFC.password, () => RFC.cnonce);
      const body = '<MakeCall/>';
      const header = s.authorize('POST', '/csta', body);
      assert.match(header, /, qop=auth-int(,|$)/);
      const p = authParams(header);
      const c: Case = { ...RFC, algorithm, qop: 'auth-int', method: 'POST', uri: '/csta', nc: '00000001', body };
      assert.equal(p.response, rfc7616(c), algorithm);
      assert.notEqual(p.response, rfc7616({ ...c, body: '' }));
    }
  });

  it('without qop (RFC 2069 form): no nc, cnonce or qop, response = H(HA1:nonce:HA2)', () => {
    // RFC 2069 §2.4 example: Mufasa / "CircleOfLife", realm testrealm@host.com
    const old: DigestChallenge = {
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      algorithm: 'MD5',
      stale: false,
      userhash: false,
    };
    const header = buildDigestAuthorization(old, {
      algorithm: 'MD5',
      realm: old.realm,
      nonce: old.nonce,
      user: 'Mufasa',
      password: 'CircleOfLife',
      method: 'GET',
      uri: '/dir/index.html',
    });
    const p = authParams(header);
    assert.equal(p.response, '1949323746fe6a43ef61f9606e7febea');
    assert.deepEqual(Object.keys(p).sort(), ['algorithm', 'nonce', 'opaque', 'realm', 'response', 'uri', 'username']);
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const s = new DigestSession(rfcChallenge(algorithm, 'none'), RFC.user, RFC.password);
      const q = authParams(s.authorize('GET', RFC.uri));
      assert.equal(q.response, RFC_NO_QOP[algorithm]);
      assert.equal(q.nc, undefined);
      assert.equal(q.cnonce, undefined);
    }
  });

  it('no opaque in the challenge: none in the header', () => {
    const p = authParams(
      new DigestSession({ ...rfcChallenge('MD5'), opaque: undefined }, RFC.user, RFC.password).authorize('GET', '/'),
    );
    assert.equal(p.opaque, undefined);
  });

  it('quotes and escapes user names', () => {
    const header = new DigestSession(rfcChallenge('MD5'), 'a"b\\c', 'p', () => 'x').authorize('GET', '/');
    assert.ok(header.includes('username="a\\"b\\\\c"'), header);
    const p = authParams(header);
    assert.equal(p.username, 'a"b\\c');
    assert.equal(
      p.response,
      rfc7616({
        ...RFC,
        user: 'a"b\\c',
        password: 'p',
        algorithm: 'MD5',
        qop: 'auth',
        uri: '/',
        nc: '00000001',
        cnonce: 'x',
      }),
    );
  });

  it('userhash=true sends H(user:realm) as the user name; the response still uses the user name', () => {
    const hashed: Record<'MD5' | 'SHA-256', string> = {
      MD5: '4238f3a16167373febb9bc4d43db9cc4',
      'SHA-256': 'a947aad205e80e429958a387394944c6b496301e79f89d35a4cc23b6ee12b5b6',
    };
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const header = new DigestSession(
        { ...rfcChallenge(algorithm), userhash: true },
        RFC.user,
        RFC.password,
        () => RFC.cnonce,
      ).authorize('GET', RFC.uri);
      assert.doesNotMatch(header, /Mufasa/);
      assert.match(header, /, userhash=true(,|$)/);
      const p = authParams(header);
      assert.equal(p.username, hashed[algorithm]);
      assert.equal(p.response, algorithm === 'MD5' ? RFC_MD5 : RFC_SHA256);
    }
  });

  it('a non-ASCII user name goes in username* (RFC 7616 §3.4.4, the §3.9.2 form)', () => {
    const header = new DigestSession(
      { ...rfcChallenge('SHA-256'), realm: 'api@example.org' },
      'Jäsøn Doe',
      'Secret, or not?',
      () => 'c',
    ).authorize('GET', '/doe.json');
    assert.ok(header.includes("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe"), header);
    assert.doesNotMatch(header, /username=/);
    const c: Case = {
      algorithm: 'SHA-256',
      user: 'Jäsøn Doe',
      realm: 'api@example.org',
      password: 'Secret, or not?',
      nonce: RFC.nonce,
      method: 'GET',
      uri: '/doe.json',
      qop: 'auth',
      nc: '00000001',
      cnonce: 'c',
    };
    assert.equal(authParams(header).response, rfc7616(c));
  });
});

describe('http/digest: header parsing', () => {
  it('keeps commas and escaped quotes inside quoted strings', () => {
    const [c] = parseWwwAuthenticate('Digest realm="a, b \\"c\\"", nonce="n,1", qop=auth');
    assert.equal(c.scheme, 'Digest');
    assert.equal(c.params.realm, 'a, b "c"');
    assert.equal(c.params.nonce, 'n,1');
    assert.equal(c.params.qop, 'auth');
  });

  it('splits Basic and Digest in one header, in either order', () => {
    const a = parseWwwAuthenticate('Basic realm="snom, phone", Digest realm="x", nonce="y"');
    assert.deepEqual(
      a.map((c) => c.scheme),
      ['Basic', 'Digest'],
    );
    assert.equal(a[0].params.realm, 'snom, phone');
    const b = parseWwwAuthenticate('Digest realm="x", nonce="y", algorithm=MD5, Basic realm="z"');
    assert.deepEqual(
      b.map((c) => c.scheme),
      ['Digest', 'Basic'],
    );
    assert.equal(b[0].params.algorithm, 'MD5');
    assert.equal(b[1].params.realm, 'z');
  });

  it('reads several header values, token68 schemes, and odd spacing', () => {
    const list = parseWwwAuthenticate(['Negotiate abc==', 'Digest  realm = "r" ,nonce=n1 , stale=TRUE', 'Bearer']);
    assert.deepEqual(
      list.map((c) => c.scheme),
      ['Negotiate', 'Digest', 'Bearer'],
    );
    assert.equal(list[0].token68, 'abc==');
    assert.equal(list[1].params.realm, 'r');
    assert.equal(list[1].params.nonce, 'n1');
    assert.equal(chooseDigestChallenge(list)?.stale, true);
  });

  it('RFC 9110 example: Newauth with params, then Basic', () => {
    const list = parseWwwAuthenticate(
      'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
    );
    assert.equal(list.length, 2);
    assert.equal(list[0].params.title, 'Login to "apps"');
    assert.equal(list[0].params.type, '1');
    assert.equal(list[1].params.realm, 'simple');
  });

  it('returns nothing for an empty or missing header', () => {
    assert.deepEqual(parseWwwAuthenticate(undefined), []);
    assert.deepEqual(parseWwwAuthenticate(''), []);
    assert.equal(chooseDigestChallenge('Basic realm="x"'), undefined);
  });
});

describe('http/digest: choosing the strongest challenge', () => {
  const d = (alg: string) => `Digest realm="r", nonce="n-${alg}", qop="auth"${alg ? `, algorithm=${alg}` : ''}`;

  it('SHA-256-sess > SHA-256 > MD5-sess > MD5, whatever the order', () => {
    assert.equal(
      chooseDigestChallenge([d('MD5'), d('SHA-256-sess'), d('SHA-256'), d('MD5-sess')])?.algorithm,
      'SHA-256-sess',
    );
    assert.equal(chooseDigestChallenge([d('MD5'), d('MD5-sess'), d('SHA-256')])?.algorithm, 'SHA-256');
    assert.equal(chooseDigestChallenge(`${d('MD5')}, ${d('MD5-sess')}`)?.algorithm, 'MD5-sess');
  });

  it('ignores unknown algorithms and treats a missing one as MD5', () => {
    const ch = chooseDigestChallenge([d('SHA-512-256'), d('')]);
    assert.equal(ch?.algorithm, 'MD5');
    assert.equal(ch?.nonce, 'n-');
    assert.equal(chooseDigestChallenge(d('SHA-512-256')), undefined);
  });

  it('-sess without qop is unusable (its HA1 needs a cnonce, which only a qop request carries)', () => {
    assert.equal(chooseDigestChallenge('Digest realm="r", nonce="n", algorithm=MD5-sess'), undefined);
    assert.equal(chooseDigestChallenge('Digest realm="r", nonce="n", algorithm=SHA-256-sess'), undefined);
    const fallback = chooseDigestChallenge([
      'Digest realm="r", nonce="n", algorithm=SHA-256-sess',
      'Digest realm="r", nonce="n", algorithm=MD5',
    ]);
    assert.equal(fallback?.algorithm, 'MD5');
    assert.equal(fallback?.qop, undefined);
    assert.equal(
      chooseDigestChallenge('Digest realm="r", nonce="n", qop="auth", algorithm=MD5-sess')?.algorithm,
      'MD5-sess',
    );
  });

  it('rejects a challenge without nonce, or whose qop has no auth/auth-int', () => {
    assert.equal(chooseDigestChallenge('Digest realm="r"'), undefined);
    assert.equal(chooseDigestChallenge('Digest realm="r", nonce="n", qop="weird"'), undefined);
    assert.equal(chooseDigestChallenge('Digest realm="r", nonce="n", qop="auth-int"')?.qop, 'auth-int');
  });
});
