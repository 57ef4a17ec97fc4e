import assert from 'node:assert/strict';
import {
  buildDigestAuthorization,
  chooseDigestChallenge,
  computeDigestResponse,
  DigestChallenge,
  DigestSession,
  parseWwwAuthenticate,
} from '../../src/lib/http';
import { authParams } from './servers';

// RFC 7616 §3.9.1
const RFC = {
  user: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  method: 'GET',
  uri: '/dir/index.html',
  nc: '00000001',
};
const RFC_MD5 = '8ca523f5e9506fed4657c9700eebdbec';
const RFC_SHA256 = '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1';
const RFC_HEADER =
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", ' +
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, ' +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

describe('http/digest: RFC 7616 §3.9.1 vectors', () => {
  it('computes the MD5 response', () => {
    assert.equal(computeDigestResponse({ ...RFC, algorithm: 'MD5', qop: 'auth' }), RFC_MD5);
  });

  it('computes the SHA-256 response', () => {
    assert.equal(computeDigestResponse({ ...RFC, algorithm: 'SHA-256', qop: 'auth' }), RFC_SHA256);
  });

  it('parses the RFC example (two challenges in one header) and picks SHA-256', () => {
    const list = parseWwwAuthenticate(RFC_HEADER);
    assert.equal(list.length, 2);
    assert.deepEqual(list.map((c) => c.params.algorithm), ['SHA-256', 'MD5']);
    assert.equal(list[0].params.qop, 'auth, auth-int');
    const ch = chooseDigestChallenge(RFC_HEADER);
    assert.equal(ch?.algorithm, 'SHA-256');
    assert.equal(ch?.qop, 'auth');
    assert.equal(ch?.opaque, RFC.opaque);
  });

  it('a session signs the RFC request: header carries the RFC response, nc and cnonce', () => {
    for (const [algorithm, expected] of [
      ['MD5', RFC_MD5],
      ['SHA-256', RFC_SHA256],
    ] as const) {
      const ch: DigestChallenge = { realm: RFC.realm, nonce: RFC.nonce, opaque: RFC.opaque, algorithm, qop: 'auth', stale: false, userhash: false };
      const s = new DigestSession(ch, RFC.user, RFC.password, () => RFC.cnonce);
      const header = s.authorize('GET', RFC.uri);
      assert.match(header, /^Digest /);
      const p = authParams(header);
      assert.equal(p.response, expected);
      assert.equal(p.username, 'Mufasa');
      assert.equal(p.nc, '00000001');
      assert.equal(p.cnonce, RFC.cnonce);
      assert.equal(p.qop, 'auth');
      assert.equal(p.algorithm, algorithm);
      assert.equal(p.opaque, RFC.opaque);
      assert.equal(p.uri, RFC.uri);
    }
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
    assert.deepEqual(a.map((c) => c.scheme), ['Basic', 'Digest']);
    assert.equal(a[0].params.realm, 'snom, phone');
    const b = parseWwwAuthenticate('Digest realm="x", nonce="y", algorithm=MD5, Basic realm="z"');
    assert.deepEqual(b.map((c) => c.scheme), ['Digest', 'Basic']);
    assert.equal(b[0].params.algorithm, 'MD5');
    assert.equal(b[1].params.realm, 'z');
  });

  it('reads several header values, token68 schemes, and odd spacing', () => {
    const list = parseWwwAuthenticate(['Negotiate abc==', 'Digest  realm = "r" ,nonce=n1 , stale=TRUE', 'Bearer']);
    assert.deepEqual(list.map((c) => c.scheme), ['Negotiate', 'Digest', 'Bearer']);
    assert.equal(list[0].token68, 'abc==');
    assert.equal(list[1].params.realm, 'r');
    assert.equal(list[1].params.nonce, 'n1');
    assert.equal(chooseDigestChallenge(list)?.stale, true);
  });

  it('RFC 9110 example: Newauth with params, then Basic', () => {
    const list = parseWwwAuthenticate('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"');
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
    assert.equal(chooseDigestChallenge([d('MD5'), d('SHA-256-sess'), d('SHA-256'), d('MD5-sess')])?.algorithm, 'SHA-256-sess');
    assert.equal(chooseDigestChallenge([d('MD5'), d('MD5-sess'), d('SHA-256')])?.algorithm, 'SHA-256');
    assert.equal(chooseDigestChallenge(`${d('MD5')}, ${d('MD5-sess')}`)?.algorithm, 'MD5-sess');
  });

  it('ignores unknown algorithms and treats a missing one as MD5', () => {
    const ch = chooseDigestChallenge([d('SHA-512-256'), d('')]);
    assert.equal(ch?.algorithm, 'MD5');
    assert.equal(ch?.nonce, 'n-');
    assert.equal(chooseDigestChallenge(d('SHA-512-256')), undefined);
  });

  it('rejects a challenge without nonce, or whose qop has no auth/auth-int', () => {
    assert.equal(chooseDigestChallenge('Digest realm="r"'), undefined);
    assert.equal(chooseDigestChallenge('Digest realm="r", nonce="n", qop="weird"'), undefined);
    assert.equal(chooseDigestChallenge('Digest realm="r", nonce="n", qop="auth-int"')?.qop, 'auth-int');
  });
});

describe('http/digest: session and header forms', () => {
  const ch: DigestChallenge = { realm: 'r', nonce: 'n', algorithm: 'MD5', qop: 'auth', stale: false, userhash: false };

  it('counts nc in 8 hex digits with a fresh cnonce per request, and restarts on a new nonce', () => {
    const s = new DigestSession(ch, 'u', 'p');
    const seen = Array.from({ length: 17 }, () => authParams(s.authorize('GET', '/x')));
    assert.equal(seen[0].nc, '00000001');
    assert.equal(seen[15].nc, '00000010');
    assert.equal(seen[16].nc, '00000011');
    assert.equal(new Set(seen.map((p) => p.cnonce)).size, 17);
    s.reset({ ...ch, nonce: 'n2' });
    const after = authParams(s.authorize('GET', '/x'));
    assert.equal(after.nc, '00000001');
    assert.equal(after.nonce, 'n2');
  });

  it('-sess keeps the session cnonce and binds HA1 to it', () => {
    const s = new DigestSession({ ...ch, algorithm: 'MD5-sess' }, 'u', 'p');
    const a = authParams(s.authorize('GET', '/x'));
    const b = authParams(s.authorize('GET', '/x'));
    assert.equal(a.cnonce, b.cnonce);
    assert.notEqual(a.response, b.response); // nc differs
    const expected = computeDigestResponse({ algorithm: 'MD5-sess', realm: 'r', nonce: 'n', user: 'u', password: 'p', method: 'GET', uri: '/x', qop: 'auth', nc: '00000002', cnonce: b.cnonce });
    assert.equal(b.response, expected);
    assert.notEqual(expected, computeDigestResponse({ algorithm: 'MD5', realm: 'r', nonce: 'n', user: 'u', password: 'p', method: 'GET', uri: '/x', qop: 'auth', nc: '00000002', cnonce: b.cnonce }));
  });

  it('RFC 2069 form without qop: no nc/cnonce, response = H(HA1:nonce:HA2)', () => {
    // RFC 2069 §2.4 example: Mufasa / "CircleOfLife", realm testrealm@host.com
    const old: DigestChallenge = { realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', opaque: '5ccc069c403ebaf9f0171e9517f40e41', algorithm: 'MD5', stale: false, userhash: false };
    const header = buildDigestAuthorization(old, { algorithm: 'MD5', realm: old.realm, nonce: old.nonce, user: 'Mufasa', password: 'CircleOfLife', method: 'GET', uri: '/dir/index.html' });
    const p = authParams(header);
    assert.equal(p.response, '1949323746fe6a43ef61f9606e7febea');
    assert.equal(p.nc, undefined);
    assert.equal(p.cnonce, undefined);
    assert.equal(p.qop, undefined);
  });

  it('quotes and escapes user names; userhash hides the user', () => {
    const p = authParams(new DigestSession(ch, 'a"b\\c', 'p').authorize('GET', '/'));
    assert.equal(p.username, 'a"b\\c');
    const hidden = new DigestSession({ ...ch, algorithm: 'SHA-256', userhash: true }, RFC.user, 'p').authorize('GET', '/');
    assert.doesNotMatch(hidden, /Mufasa/);
    assert.match(hidden, /userhash=true/);
  });
});
