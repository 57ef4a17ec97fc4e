// Fan-out to many phones: the bound on phones sent to at once, the bound on targets per message,
// and msg.target clients released when idle. Watched at the simulated phones' HTTP servers, with
// latency or stalls from their fault controls, so any concurrency beyond the bound would show.
import assert from 'node:assert/strict';
import type * as http from 'node:http';
import fc from 'fast-check';
import {
  DEFAULT_MAX_TARGETS,
  DEFAULT_PHONES_AT_ONCE,
  type SnomPhone,
  type SnomPhoneOptions,
} from '../../src/lib/phone';
import type { SimPhone } from '../../src/simulator/phone';
import { simFaults, simJson, simReset, simState, startPhones, stopAll } from '../support/sim';
import { configuredPhone } from './phone-harness';
import { rejection } from '../support/assert-error';
import { until } from '../support/until';

const portOf = (p: SimPhone): number => Number(new URL(p.url).port);
const hostOf = (p: SimPhone): string => `127.0.0.1:${portOf(p)}`;
/** The simulated phone's own HTTP server (what the phone sees, not what the client thinks it sent). */
const serverOf = (p: SimPhone): http.Server => (p as unknown as { server: http.Server }).server;

/** Phone-page requests being answered right now, over all these phones together (the control API left out). */
function watchInFlight(phones: SimPhone[]) {
  let now = 0;
  let max = 0;
  let seen = 0;
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (req.url?.startsWith('/sim')) return;
    now++;
    seen++;
    max = Math.max(max, now);
    res.once('close', () => now--);
  };
  for (const p of phones) serverOf(p).on('request', listener);
  return {
    get now() {
      return now;
    },
    get max() {
      return max;
    },
    get seen() {
      return seen;
    },
    reset() {
      max = now;
      seen = 0;
    },
    stop() {
      for (const p of phones) serverOf(p).off('request', listener);
    },
  };
}

describe('lib/phone: fan-out to many phones', function () {
  this.timeout(60000);
  let phones: SimPhone[];
  let home: SimPhone;
  let targets: SimPhone[];
  const made: SnomPhone[] = [];
  const configured = (extra: Partial<SnomPhoneOptions> = {}): SnomPhone => configuredPhone(made, portOf(home), extra);
  before(async () => {
    phones = await startPhones(Array.from({ length: 6 }, () => ({ auth: 'digest' as const })));
    [home, ...targets] = phones;
  });
  afterEach(async () => {
    await Promise.all(made.splice(0).map((s) => s.close()));
    for (const p of phones) await simReset(p);
  });
  after(() => stopAll(phones));

  it('property: never more than "phones at once" requests in flight over all phones, never two at one phone', async () => {
    const watch = watchInFlight(phones);
    try {
      const command = fc.record({
        // indexes into phones (0: the configured phone); undefined: no msg.target
        targets: fc.option(fc.uniqueArray(fc.nat({ max: phones.length - 1 }), { minLength: 1, maxLength: 6 }), {
          nil: undefined,
        }),
        requests: fc.integer({ min: 1, max: 2 }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.array(command, { minLength: 1, maxLength: 8 }),
          async (atOnce, commands) => {
            for (const p of phones) {
              await simReset(p);
              await simFaults(p, { latencyMs: 15 });
            }
            const cfg = configured({ phonesAtOnce: atOnce });
            watch.reset();
            let expected = 0;
            const runs: Array<Promise<unknown>> = [];
            commands.forEach((c, ci) => {
              const leases = c.targets
                ? cfg.targets(c.targets.map((i) => hostOf(phones[i])))!
                : [{ phone: cfg, release: () => undefined }];
              for (const l of leases) {
                const reqs = Array.from({ length: c.requests }, (_, ri) => ({
                  command: 'cmd',
                  path: `/info.htm?c=${ci}-${ri}`,
                }));
                expected += reqs.length;
                runs.push(l.phone.run(reqs).finally(() => l.release()));
              }
            });
            await Promise.all(runs);
            assert.ok(watch.max <= atOnce, `${watch.max} requests in flight at once; the bound is ${atOnce}`);
            for (const p of phones) {
              const st = await simState(p);
              assert.ok(st.maxConcurrent <= 1, `${p.url} saw ${st.maxConcurrent} requests at once`);
            }
            // every request arrived (plus one Digest challenge per new connection at most)
            assert.ok(watch.seen >= expected, `${watch.seen} of ${expected} requests arrived`);
            await cfg.close();
          },
        ),
        { seed: 9, numRuns: 10, endOnFailure: true },
      );
    } finally {
      watch.stop();
    }
  });

  it('with 3 phones at once and 5 stalled phones, exactly 3 are asked; each one that answers lets the next in', async () => {
    const watch = watchInFlight(phones);
    try {
      const cfg = configured({ fleet: '127.0.0.0/8', phonesAtOnce: 3, auth: 'digest' });
      for (const p of targets) await simFaults(p, { stall: true });
      const leases = cfg.targets(targets.map(hostOf))!;
      assert.equal(leases.length, 5);
      const runs = leases.map((l) => l.phone.run([{ command: 'key', path: '/info.htm?k' }]).finally(() => l.release()));
      await until('3 phones asked', async () => (watch.now === 3 ? true : undefined));
      assert.equal(cfg.slots.active, 3);
      const stalled = async () => {
        const busy: SimPhone[] = [];
        for (const p of targets) if ((await simState(p)).concurrent > 0) busy.push(p);
        return busy;
      };
      const first = await stalled();
      assert.equal(first.length, 3);
      await simJson(first[0], 'DELETE', 'faults'); // one phone answers
      await until('a fourth phone asked in its place', async () => {
        const busy = await stalled();
        return busy.length === 3 && !busy.includes(first[0]) ? true : undefined;
      });
      for (const p of targets) await simJson(p, 'DELETE', 'faults');
      await Promise.all(runs);
      assert.equal(watch.max, 3);
      assert.equal(cfg.slots.active, 0);
    } finally {
      watch.stop();
    }
  });

  it('a command whose time runs out while it waits for a place among the phones at once fails E_TIMEOUT and is never sent', async () => {
    const cfg = configured({ fleet: '127.0.0.0/8', phonesAtOnce: 1 });
    await simFaults(targets[0], { stall: true, count: 1 });
    const [a, b] = cfg.targets([hostOf(targets[0]), hostOf(targets[1])])!;
    const first = a.phone.run([{ command: 'slow', path: '/info.htm?slow' }], { timeoutMs: 20000 });
    await until('the first phone asked', async () =>
      (await simState(targets[0])).concurrent === 1 ? true : undefined,
    );
    const err = await rejection(b.phone.run([{ command: 'waits', path: '/info.htm?waits' }], { timeoutMs: 200 }));
    assert.equal(err.code, 'E_TIMEOUT');
    assert.match(err.message, /nothing was sent/);
    await simJson(targets[0], 'DELETE', 'faults');
    await first;
    assert.equal((await simState(targets[1])).requests, 0, 'the expired command never reached its phone');
    // its place was given back: the next command goes
    await b.phone.run([{ command: 'next', path: '/info.htm?next' }]);
    a.release();
    b.release();
  });

  it('no deadlock with one phone at once: a target asking for Basic waits for the configured phone to be learned, without holding the place', async () => {
    const basic = (await startPhones([{ auth: 'basic' }]))[0];
    try {
      // auth auto and nothing learned yet: the target's Basic challenge makes the configured phone be asked
      const cfg = configured({ fleet: '127.0.0.0/8', phonesAtOnce: 1, auth: 'auto' });
      const [lease] = cfg.targets([hostOf(basic)])!;
      const err = await rejection(lease.phone.run([{ command: 'key', path: '/info.htm?x' }]));
      lease.release();
      assert.equal(err.code, 'E_AUTH');
      assert.match(err.message, /uses Digest: the password is not sent in clear/);
      assert.ok((await simState(home)).requests >= 1, 'the configured phone was asked for its scheme');
      assert.equal(cfg.slots.active, 0);
    } finally {
      await stopAll([basic]);
    }
  });

  it(`takes ${DEFAULT_MAX_TARGETS.toLocaleString('en')} targets by default; one more is refused with E_INPUT before any client is made`, () => {
    assert.ok(DEFAULT_MAX_TARGETS >= 2000);
    assert.ok(DEFAULT_PHONES_AT_ONCE >= 1000, 'one command to 1,000 phones goes out in one wave');
    const cfg = configured({ fleet: '10.0.0.0/8' });
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    const leases = cfg.targets(hosts(DEFAULT_MAX_TARGETS))!;
    assert.equal(leases.length, DEFAULT_MAX_TARGETS);
    for (const l of leases) l.release();
    const over = (() => {
      try {
        cfg.targets(hosts(DEFAULT_MAX_TARGETS + 1));
      } catch (e) {
        return e as { code?: string; message: string };
      }
      return undefined;
    })();
    assert.equal(over?.code, 'E_INPUT');
    assert.match(over!.message, /names 2001 phones.*at most 2000 per message.*Nothing was sent/);
    // aliases of one phone count once
    assert.equal(cfg.targets([...hosts(DEFAULT_MAX_TARGETS), '10.0.0.1', '10.0.0.1'])!.length, DEFAULT_MAX_TARGETS);
  });

  it('a configured bound on targets per message is respected (above and below the default), nothing sent beyond it', async () => {
    const cfg = configured({ fleet: '127.0.0.0/8', maxTargets: 3 });
    assert.equal(cfg.targets(targets.slice(0, 3).map(hostOf))!.length, 3);
    const err = (() => {
      try {
        cfg.targets(targets.slice(0, 4).map(hostOf));
      } catch (e) {
        return e as { code?: string; message: string };
      }
      return undefined;
    })();
    assert.equal(err?.code, 'E_INPUT');
    assert.match(err!.message, /names 4 phones.*at most 3 per message/);
    for (const p of targets) assert.equal((await simState(p)).requests, 0);
    const big = configured({ fleet: '10.0.0.0/8', maxTargets: 3000 });
    assert.equal(big.targets(Array.from({ length: 3000 }, (_, i) => `10.1.${i >> 8}.${i & 255}`))!.length, 3000);
  });

  it('an idle msg.target client is closed and its socket released after the (configurable) idle time', async () => {
    const cfg = configured({ fleet: '127.0.0.0/8', targetIdleMs: 50 });
    // the sockets the phone answered its pages on (the test's own control calls use others)
    const used = new Set<import('node:net').Socket>();
    const listener = (req: http.IncomingMessage): void => {
      if (!req.url?.startsWith('/sim')) used.add(req.socket);
    };
    serverOf(targets[0]).on('request', listener);
    try {
      const lease = cfg.forHost(hostOf(targets[0]));
      const phone = lease.phone;
      await phone.run([{ command: 'key', path: '/info.htm?k' }]);
      assert.equal(used.size, 1, 'one kept-alive socket');
      assert.ok(![...used][0].destroyed, 'kept alive while in use');
      lease.release();
      await until('the idle client closed', async () => (cfg.targetClients === 0 ? true : undefined));
      await until('its socket closed', async () => ([...used].every((s) => s.destroyed) ? true : undefined));
      // the next command to that phone makes a new client
      const again = cfg.forHost(hostOf(targets[0]));
      assert.notEqual(again.phone, phone);
      await again.phone.run([{ command: 'key', path: '/info.htm?k2' }]);
      again.release();
    } finally {
      serverOf(targets[0]).off('request', listener);
    }
  });

  it('a msg.target phone released when idle keeps its Digest nonce: the next command costs one exchange, not a challenge again', async () => {
    const cfg = configured({ fleet: '127.0.0.0/8', targetIdleMs: 50, auth: 'digest' });
    const watch = watchInFlight([targets[1]]);
    try {
      const first = cfg.forHost(hostOf(targets[1]));
      await first.phone.run([{ command: 'key', path: '/command.htm?key=1' }]);
      assert.equal(watch.seen, 2, 'first contact: the challenge, then the signed request');
      first.release();
      await until('the idle client closed', async () => (cfg.targetClients === 0 ? true : undefined));
      assert.equal(cfg.client.share.keptNonces, 1, 'its session kept with the config');
      watch.reset();
      const again = cfg.forHost(hostOf(targets[1]));
      assert.notEqual(again.phone, first.phone, 'a new client');
      const { response } = await again.phone.run([{ command: 'key', path: '/command.htm?key=2' }]);
      assert.equal(response.status, 200);
      assert.equal(watch.seen, 1, 'signed with the kept nonce at once');
      again.release();
    } finally {
      watch.stop();
    }
  });

  it('a redeploy (the configured phone closed) keeps no nonce: only an idle release hands one over', async () => {
    const cfg = configured({ fleet: '127.0.0.0/8', targetIdleMs: 60_000, auth: 'digest' });
    const leases = targets.slice(0, 3).map((t) => cfg.forHost(hostOf(t)));
    try {
      await Promise.all(leases.map((l) => l.phone.run([{ command: 'key', path: '/command.htm?key=1' }])));
    } finally {
      for (const l of leases) l.release();
    }
    const share = cfg.client.share;
    await cfg.close();
    assert.equal(share.keptNonces, 0, 'the closed config keeps no sessions');
  });

  it('a kept nonce the phone no longer accepts (expired: 401 stale) costs one retry, and the command goes through', async () => {
    const [short] = await startPhones([{ auth: 'digest' as const, nonceLifetimeMs: 150 }]);
    const cfg = configured({ fleet: '127.0.0.0/8', targetIdleMs: 20, auth: 'digest' });
    const watch = watchInFlight([short]);
    try {
      const first = cfg.forHost(hostOf(short));
      await first.phone.run([{ command: 'key', path: '/command.htm?key=1' }]);
      first.release();
      await until('the idle client closed', async () => (cfg.targetClients === 0 ? true : undefined));
      await new Promise((r) => setTimeout(r, 300)); // the phone's nonce expires
      watch.reset();
      const again = cfg.forHost(hostOf(short));
      const { response } = await again.phone.run([{ command: 'key', path: '/command.htm?key=2' }]);
      assert.equal(response.status, 200);
      assert.equal(watch.seen, 2, 'the stale answer, then the request signed with the new nonce');
      again.release();
    } finally {
      watch.stop();
      await stopAll([short]);
    }
  });
});
