import assert from 'node:assert/strict';
import { SimPhone } from '../../src/simulator/phone';
import { basic, challenges, digest, getState, request, sleep, startPhone, type Reply } from './helpers';

const USER = 'admin';
const PASS = 'pa:ss wörd';

describe('simulator auth: Basic', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ auth: 'basic', user: USER, password: PASS });
  });
  after(() => phone.stop());

  it('challenges with Basic realm="snom..." and counts the 401', async () => {
    const r = await request(`${phone.url}/command.htm?key=ENTER`);
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /^Basic realm="snom[^"]*"$/);
    const s = await getState(phone);
    assert.equal(s.challenges, 1);
    assert.equal(s.requests, 1);
    assert.equal(s.keys.length, 0);
  });

  it('accepts the right credentials and refuses wrong ones every time', async () => {
    await request(`${phone.url}/sim/reset`, { method: 'POST' });
    const ok = await request(`${phone.url}/command.htm?key=ENTER`, { headers: { Authorization: basic(USER, PASS) } });
    assert.equal(ok.status, 200);
    for (let i = 0; i < 3; i++) {
      const bad = await request(`${phone.url}/command.htm?key=CANCEL`, {
        headers: { Authorization: basic(USER, 'nope') },
      });
      assert.equal(bad.status, 401);
    }
    const s = await getState(phone);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['ENTER'],
    );
    assert.equal(s.challenges, 3);
    assert.equal(s.requests, 4);
  });

  it('the control API needs no login and is not counted', async () => {
    await request(`${phone.url}/sim/reset`, { method: 'POST' });
    const r = await request(`${phone.url}/sim/settings`);
    assert.equal(r.status, 200);
    assert.equal((await getState(phone)).requests, 0);
  });
});

describe("simulator auth: the tests' own Digest signer", () => {
  // RFC 7616 §3.9.1 (MD5, SHA-256) and the same request with -sess (values from openssl, see
  // test/http/digest.test.ts): pins the oracle the simulator is checked against.
  const rfc = { realm: 'http-auth@example.org', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', qop: 'auth' };
  const expected: Record<string, string> = {
    MD5: '8ca523f5e9506fed4657c9700eebdbec',
    'MD5-sess': 'e783283f46242139c486a698fec7211d',
    'SHA-256': '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    'SHA-256-sess': '2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7',
  };
  for (const [algorithm, response] of Object.entries(expected)) {
    it(`signs the RFC 7616 request with ${algorithm}`, () => {
      const h = digest(
        { ...rfc, algorithm },
        {
          user: 'Mufasa',
          password: 'Circle of Life',
          method: 'GET',
          uri: '/dir/index.html',
          nc: 1,
          cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
        },
      );
      assert.ok(h.includes(`response="${response}"`), h);
    });
  }
});

describe('simulator auth: Digest', () => {
  const phones: SimPhone[] = [];
  const start = async (c: Parameters<typeof startPhone>[0]): Promise<SimPhone> => {
    const p = await startPhone({ auth: 'digest', user: USER, password: PASS, ...c });
    phones.push(p);
    return p;
  };
  after(() => Promise.all(phones.map((p) => p.stop())));

  /** One challenge, then the signed request; returns the second reply. */
  async function signed(p: SimPhone, path: string, alg?: string, method = 'GET'): Promise<Reply> {
    const first = await request(p.url + path, { method });
    assert.equal(first.status, 401);
    const chs = challenges(first);
    const ch = alg ? chs.find((c) => c.algorithm === alg) : chs[0];
    assert.ok(ch, `challenge for ${alg}`);
    return request(p.url + path, {
      method,
      headers: { Authorization: digest(ch, { user: USER, password: PASS, method, uri: path }) },
    });
  }

  it('offers one WWW-Authenticate header per algorithm, in order, with qop, nonce and opaque', async () => {
    const p = await start({ digestAlgorithms: ['SHA-256', 'MD5'] });
    const r = await request(`${p.url}/command.htm?key=ENTER`);
    assert.equal(r.status, 401);
    const chs = challenges(r);
    assert.deepEqual(
      chs.map((c) => c.algorithm),
      ['SHA-256', 'MD5'],
    );
    for (const c of chs) {
      assert.equal(c.scheme, 'Digest');
      assert.match(c.realm, /^snom/);
      assert.equal(c.qop, 'auth');
      assert.ok(c.nonce && c.opaque);
    }
  });

  for (const alg of ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'] as const) {
    it(`accepts a correct ${alg} response and refuses a wrong password`, async () => {
      const p = await start({ digestAlgorithms: [alg] });
      const ok = await signed(p, '/command.htm?key=P1', alg);
      assert.equal(ok.status, 200);
      const first = await request(`${p.url}/command.htm?key=P2`);
      const ch = challenges(first)[0];
      const bad = await request(`${p.url}/command.htm?key=P2`, {
        headers: {
          Authorization: digest(ch, { user: USER, password: 'wrong', method: 'GET', uri: '/command.htm?key=P2' }),
        },
      });
      assert.equal(bad.status, 401);
      assert.doesNotMatch(String(bad.headers['www-authenticate']), /stale=true/);
      assert.deepEqual(
        (await getState(p)).keys.map((k) => k.key),
        ['P1'],
      );
    });
  }

  it('signs POST with the POST method', async () => {
    const p = await start({});
    const r = await signed(p, '/command.htm?key=DND', undefined, 'POST');
    assert.equal(r.status, 200);
  });

  it('works without qop (RFC 2069 form) and reuses the nonce', async () => {
    const p = await start({ qop: 'none' });
    const first = await request(`${p.url}/command.htm?key=1`);
    const ch = challenges(first)[0];
    assert.equal(ch.qop, undefined);
    for (const k of ['1', '2']) {
      const uri = `/command.htm?key=${k}`;
      const r = await request(p.url + uri, {
        headers: { Authorization: digest(ch, { user: USER, password: PASS, method: 'GET', uri }) },
      });
      assert.equal(r.status, 200);
    }
    assert.deepEqual(
      (await getState(p)).keys.map((k) => k.key),
      ['1', '2'],
    );
  });

  it('reuses a nonce with increasing nc and refuses a replayed nc', async () => {
    const p = await start({});
    const first = await request(`${p.url}/command.htm?key=1`);
    const ch = challenges(first)[0];
    const send = (k: string, nc: number) => {
      const uri = `/command.htm?key=${k}`;
      return request(p.url + uri, {
        headers: { Authorization: digest(ch, { user: USER, password: PASS, method: 'GET', uri, nc }) },
      });
    };
    assert.equal((await send('1', 1)).status, 200);
    assert.equal((await send('2', 2)).status, 200);
    assert.equal((await send('3', 2)).status, 401);
    assert.equal((await send('4', 1)).status, 401);
    assert.equal((await send('5', 7)).status, 200);
    const s = await getState(p);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['1', '2', '5'],
    );
    assert.equal(s.challenges, 3);
  });

  it('answers stale=true for an expired nonce with a correct response, then accepts the new nonce', async () => {
    const p = await start({ nonceLifetimeMs: 150 });
    const first = await request(`${p.url}/command.htm?key=1`);
    const ch = challenges(first)[0];
    await sleep(300);
    const uri = '/command.htm?key=1';
    const r = await request(p.url + uri, {
      headers: { Authorization: digest(ch, { user: USER, password: PASS, method: 'GET', uri }) },
    });
    assert.equal(r.status, 401);
    const ch2 = challenges(r)[0];
    assert.equal(ch2.stale, 'true');
    assert.notEqual(ch2.nonce, ch.nonce);
    const r2 = await request(p.url + uri, {
      headers: { Authorization: digest(ch2, { user: USER, password: PASS, method: 'GET', uri }) },
    });
    assert.equal(r2.status, 200);
  });

  it('refuses a response computed for another uri, a missing cnonce, and a foreign algorithm', async () => {
    const p = await start({ digestAlgorithms: ['MD5'] });
    const first = await request(`${p.url}/command.htm?key=1`);
    const ch = challenges(first)[0];
    const other = digest(ch, { user: USER, password: PASS, method: 'GET', uri: '/command.htm?key=2' });
    assert.equal((await request(`${p.url}/command.htm?key=1`, { headers: { Authorization: other } })).status, 401);
    const noQop = digest(ch, { user: USER, password: PASS, method: 'GET', uri: '/command.htm?key=1', noQop: true });
    assert.equal((await request(`${p.url}/command.htm?key=1`, { headers: { Authorization: noQop } })).status, 401);
    const sha = digest(
      { ...ch, algorithm: 'SHA-256' },
      { user: USER, password: PASS, method: 'GET', uri: '/command.htm?key=1' },
    );
    assert.equal((await request(`${p.url}/command.htm?key=1`, { headers: { Authorization: sha } })).status, 401);
    assert.equal((await getState(p)).keys.length, 0);
  });

  it('does not fall back to Basic (credentials in the URL)', async () => {
    const p = await start({});
    const r = await request(`${p.url}/command.htm?key=1`, { headers: { Authorization: basic(USER, PASS) } });
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /^Digest /);
  });

  it('takes a new http_pass written through the settings', async () => {
    const p = await start({});
    const r = await signed(p, '/dummy.htm?settings=save&http_pass=newpw');
    assert.equal(r.status, 200);
    const first = await request(`${p.url}/command.htm?key=1`);
    const ch = challenges(first)[0];
    const uri = '/command.htm?key=1';
    const old = await request(p.url + uri, {
      headers: { Authorization: digest(ch, { user: USER, password: PASS, method: 'GET', uri, nc: 1 }) },
    });
    assert.equal(old.status, 401);
    const now = await request(p.url + uri, {
      headers: { Authorization: digest(ch, { user: USER, password: 'newpw', method: 'GET', uri, nc: 2 }) },
    });
    assert.equal(now.status, 200);
  });
});
