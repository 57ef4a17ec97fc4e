import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import fc from 'fast-check';
import { SnomError } from '../../src/lib/errors';
import { endpointKey, Fleet, parseEndpoint } from '../../src/lib/fleet';
import { SnomPhone } from '../../src/lib/phone';

const key = (s: string) => endpointKey(parseEndpoint(s, 'msg.target'), 80);
const inputErr = (re: RegExp) => (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT' && re.test(e.message);

describe('lib/fleet: canonical hosts', () => {
  it('writes every alias of 127.0.0.1 one way: case, trailing dot, integer, hex, octal, short, IPv4-mapped, localhost', () => {
    for (const alias of [
      '127.0.0.1',
      'LOCALHOST',
      'localhost.',
      'LocalHost',
      '127.0.0.1.',
      '2130706433',
      '0x7f.1',
      '0x7F000001',
      '0177.0.0.1',
      '127.1',
      '[::ffff:127.0.0.1]',
      '[::FFFF:7f00:1]',
      '::ffff:127.0.0.1',
    ]) {
      assert.equal(key(alias), '127.0.0.1:80', alias);
    }
    assert.equal(key('LOCALHOST:8080'), '127.0.0.1:8080');
    assert.equal(key('127.0.0.1:80'), key('127.0.0.1'), 'the default port written out is the same phone');
  });

  it('writes IPv6 compressed and lower-case, names lower-case without the trailing dot', () => {
    assert.equal(key('[0:0:0:0:0:0:0:1]'), '[::1]:80');
    assert.equal(key('FE80:0:0::1'), '[fe80::1]:80');
    assert.equal(key('[FE80::1]:8080'), '[fe80::1]:8080');
    assert.equal(key('Phone-1.Office.LAN.'), 'phone-1.office.lan:80');
    assert.notEqual(key('[::1]'), key('127.0.0.1'), '::1 is another socket');
  });

  it('refuses what is not a host, ports 0 and above 65535, and the unspecified address', () => {
    for (const bad of [
      '',
      ' ',
      'a b',
      'user@host',
      'host/path',
      'ex%41mple',
      'héllo',
      '1.2.3.4.5',
      '256.0.0.1',
      '[zz::1]',
      'h:',
      'h:x',
      '[::1]x',
      '0.0.0.0',
      '[::]',
      'a..b',
    ]) {
      assert.throws(
        () => parseEndpoint(bad, 'msg.target'),
        (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT',
        bad,
      );
    }
    assert.throws(() => parseEndpoint('10.0.0.1:0', 'msg.target'), inputErr(/port 0, not between 1 and 65535/));
    assert.throws(() => parseEndpoint('10.0.0.1:99999', 'msg.target'), inputErr(/port 99999, not between 1 and 65535/));
    assert.throws(() => parseEndpoint(42, 'msg.target[3]'), inputErr(/^msg\.target\[3\] is not a host/));
  });

  it('property: any four dot-separated numbers are canonical exactly as the URL parser writes them (leading zeros, octal, out of range)', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '010', '0x7f', '08'));
    fc.assert(
      fc.property(fc.tuple(part, part, part, part), (parts) => {
        const raw = parts.join('.');
        let expected: string | undefined;
        try {
          expected = new URL(`http://${raw}/`).hostname;
        } catch {
          expected = undefined;
        }
        let got: string | undefined;
        try {
          got = parseEndpoint(raw, 'msg.target').host;
        } catch {
          got = undefined;
        }
        if (expected === '0.0.0.0') assert.equal(got, undefined, 'the unspecified address is refused');
        else assert.equal(got, expected, raw);
      }),
      { seed: 29, numRuns: 400 },
    );
  });

  it('quotes input briefly: a megabyte of it makes a short error', () => {
    const huge = 'x'.repeat(1_000_000) + ' y';
    try {
      parseEndpoint(huge, 'msg.target');
      assert.fail('expected E_INPUT');
    } catch (e) {
      // the quote is cut at ~200 characters (errors.ts quoteInput); the rest is the sentence around it
      assert.ok((e as Error).message.length < 320, `${(e as Error).message.length} characters`);
      assert.ok(!(e as Error).message.includes('x'.repeat(201)), 'quotes more than 200 characters of the input');
    }
  });
});

describe('lib/fleet: the list of phones that may use the credentials', () => {
  const ep = (s: string) => parseEndpoint(s, 'msg.target');

  it('parses names, addresses, ports and CIDR ranges, one per line or comma separated, # comments', () => {
    const f = Fleet.parse(
      'phone1.office.lan\n10.0.0.5:8080, [fd00::7]:81\n192.168.1.0/24 # the office\n\nfd00:1::/64\n',
    );
    assert.equal(f.error, undefined);
    assert.equal(f.hosts.length, 3);
    assert.equal(f.ranges.length, 2);
    assert.ok(f.allows(ep('PHONE1.office.lan.'), 80), 'names are case-insensitive');
    assert.ok(f.allows(ep('phone1.office.lan:8443'), 80), 'a host without port: any port');
    assert.ok(f.allows(ep('10.0.0.5:8080'), 80));
    assert.ok(!f.allows(ep('10.0.0.5'), 80), 'a host with a port: only that port');
    assert.ok(f.allows(ep('[FD00::7]:81'), 80));
    assert.ok(f.allows(ep('192.168.1.200'), 80));
    assert.ok(f.allows(ep('3232235976'), 80), '192.168.1.200 as an integer is in the range too');
    assert.ok(!f.allows(ep('192.168.2.1'), 80));
    assert.ok(f.allows(ep('[fd00:1::abcd]:8080'), 80));
    assert.ok(!f.allows(ep('fd00:2::1'), 80));
    assert.ok(!f.allows(ep('evil.example'), 80));
  });

  it('ranges match addresses, never names (DNS is not asked)', () => {
    const f = Fleet.parse('0.0.0.0/0');
    assert.ok(f.allows(ep('8.8.8.8'), 80));
    assert.ok(!f.allows(ep('phone.lan'), 80));
  });

  it('lists hosts, not ranges, for msg.target "*"', () => {
    const f = Fleet.parse(['10.0.0.1', '10.0.0.0/24', 'Phone2:8080']);
    assert.deepEqual(f.listed(), [
      { host: '10.0.0.1', kind: 'ipv4' },
      { host: 'phone2', kind: 'name', port: 8080 },
    ]);
  });

  it('is empty by default; an invalid entry makes an invalid fleet that allows nothing, never a throw', () => {
    for (const v of [undefined, null, '', ' \n, ,', []]) assert.ok(Fleet.parse(v).empty, String(v));
    for (const bad of [
      '10.0.0.1, not a host',
      '10.0.0.0/33',
      'fd00::/129',
      '10.0.0.0/8:80',
      'phone:0',
      'phone:70000',
      '10.0.0.1/x',
      [7],
      { a: 1 },
      12,
    ]) {
      const f = Fleet.parse(bad);
      assert.ok(f.error instanceof SnomError, JSON.stringify(bad));
      assert.equal(f.error.code, 'E_INPUT');
      assert.match(f.error.message, /^The fleet is invalid: /);
      assert.ok(!f.empty);
      assert.ok(!f.allows(ep('10.0.0.1'), 80));
      assert.deepEqual(f.listed(), []);
    }
  });

  it('property: a listed host allows exactly its aliases; nothing outside the list passes', () => {
    const octet = fc.integer({ min: 1, max: 254 });
    fc.assert(
      fc.property(
        fc.tuple(octet, octet),
        fc.tuple(octet, octet),
        fc.integer({ min: 1, max: 65535 }),
        ([a, b], [c, d], port) => {
          const listed = `10.${a}.${b}.1`;
          const f = Fleet.parse(`${listed}:${port}`);
          const asInt = String(((10 << 24) >>> 0) + (a << 16) + (b << 8) + 1);
          assert.ok(f.allows(ep(`${listed}:${port}`), 80));
          assert.ok(f.allows(ep(`${asInt}:${port}`), 80));
          assert.ok(f.allows(ep(`[::ffff:${listed}]:${port}`), 80));
          const other = `10.${c}.${d}.2`;
          assert.ok(!f.allows(ep(`${other}:${port}`), 80));
          assert.equal(f.allows(ep(`${listed}:${(port % 65535) + 1}`), 80), false);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it("property: IPv4 ranges match exactly what Node's BlockList matches (an implementation we did not write)", () => {
    const quad = fc.ipV4();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(quad, fc.integer({ min: 0, max: 32 })), { maxLength: 4 }),
        fc.array(quad),
        (ranges, hosts) => {
          const f = Fleet.parse(ranges.map(([a, p]) => `${a}/${p}`));
          assert.equal(f.error, undefined);
          const reference = new BlockList();
          for (const [a, p] of ranges) reference.addSubnet(a, p, 'ipv4');
          for (const h of [...hosts, ...ranges.map(([a]) => a)]) {
            if (h === '0.0.0.0') continue; // refused as a target before any fleet check
            assert.equal(f.allows(ep(h), 80), reference.check(h, 'ipv4'), `${h} in ${JSON.stringify(ranges)}`);
          }
        },
      ),
      { seed: 23, numRuns: 300 },
    );
  });
});

describe('lib/phone: msg.target reaches only the fleet', () => {
  it('property: any msg.target either is refused with E_INPUT (no client made) or names only fleet phones and this one', async () => {
    const fleetText = '10.0.0.0/24, phone2.lan, [fd00::5]:8080';
    const fleet = Fleet.parse(fleetText);
    // mostly near misses of the fleet, some noise
    const host = fc.oneof(
      {
        arbitrary: fc.constantFrom(
          '10.0.0.7',
          '10.0.1.7',
          '167772167',
          '0xa.0.0.7',
          'PHONE2.lan.',
          'phone3.lan',
          '[fd00::5]',
          'fd00::5',
          'LOCALHOST',
          '127.0.0.1.',
          '::1',
          '*',
          '',
        ),
        weight: 6,
      },
      { arbitrary: fc.ipV4(), weight: 1 },
      { arbitrary: fc.domain(), weight: 1 },
      { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
    );
    const port = fc.option(fc.oneof(fc.integer({ min: -1, max: 70000 }), fc.constantFrom(80, 8080, 0, 65535)), {
      nil: undefined,
      freq: 2,
    });
    const spelled = fc
      .tuple(host, port)
      .map(([h, p]) => (p === undefined ? h : `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${p}`));
    const target = fc.oneof(
      spelled,
      fc.array(spelled, { maxLength: 4 }),
      fc.constantFrom<unknown>(42, null, {}, ['*'], [[]]),
    );
    const phone = new SnomPhone({
      host: '127.0.0.1',
      port: 8080,
      model: 'D785',
      firmware: '10.1.33.33',
      fleet: fleetText,
      user: 'admin',
      password: 'x',
    });
    try {
      fc.assert(
        fc.property(target, (t) => {
          const before = phone.targetClients;
          let leases;
          try {
            leases = phone.targets(t);
          } catch (e) {
            assert.ok(e instanceof SnomError, String(e));
            assert.equal(e.code, 'E_INPUT', e.message);
            assert.ok(e.message.length < 600, 'a short message');
            assert.equal(phone.targetClients, before, 'a refused target makes no client');
            return;
          }
          for (const l of leases ?? []) {
            l.release();
            if (l.phone === phone) continue;
            const ep = parseEndpoint(l.phone.key, 'key');
            assert.ok(fleet.allows(ep, 80), `${l.phone.key} is not in the fleet`);
          }
        }),
        { seed: 3, numRuns: 600 },
      );
    } finally {
      await phone.close();
    }
  });
});
