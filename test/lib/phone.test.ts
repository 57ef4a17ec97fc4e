// One phone, one queue: SnomPhone with its fleet against simulated phones that answer slowly
// (latency), so that any concurrency or interleaving would show at the phone.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SnomError } from '../../src/lib/errors';
import type { SnomPhone, SnomPhoneOptions, TargetLease } from '../../src/lib/phone';
import type { SimPhone } from '../../src/simulator/phone';
import { simFaults, simJson, simReset, simState, startPhones, stopAll } from '../support/sim';
import { configuredPhone } from './phone-harness';
import { rejection } from '../support/assert-error';

/** Every way of writing 127.0.0.1:port that names the same socket. */
function aliases(port: number): string[] {
  return [
    '127.0.0.1',
    'LOCALHOST',
    'localhost.',
    '127.0.0.1.',
    '2130706433',
    '0x7f.1',
    '0177.0.0.1',
    '127.1',
    '[::ffff:127.0.0.1]',
  ].map((h) => `${h}:${port}`);
}

function port(p: SimPhone): number {
  return Number(new URL(p.url).port);
}

/** Paths of the phone pages requested, in the order the phone saw them. */
async function seenQueries(p: SimPhone): Promise<string[]> {
  const st = await simState(p);
  return st.log.filter((e) => e.kind === 'request' && e.path === '/info.htm').map((e) => String(e.query));
}

describe('lib/phone: one phone, one queue', function () {
  this.timeout(60000);
  let a: SimPhone;
  let b: SimPhone;
  const made: SnomPhone[] = [];
  const configured = (extra: Partial<SnomPhoneOptions> = {}) => configuredPhone(made, port(a), extra);
  before(async () => {
    [a, b] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33', auth: 'digest' },
      { model: 'D785', firmware: '10.1.33.33', auth: 'digest' },
    ]);
  });
  afterEach(async () => {
    await Promise.all(made.splice(0).map((s) => s.close()));
    for (const p of [a, b]) await simReset(p);
  });
  after(() => stopAll([a, b]));

  it('8 commands arriving together for a new target share one client: the phone never sees 2 at once', async () => {
    await simFaults(b, { latencyMs: 40 });
    const cfg = configured();
    const host = `127.0.0.1:${port(b)}`;
    const leases = Array.from({ length: 8 }, () => cfg.forHost(host));
    assert.equal(new Set(leases.map((l) => l.phone)).size, 1, 'one SnomPhone for the target');
    assert.equal(cfg.targetClients, 1);
    await Promise.all(
      leases.map((l, i) => l.phone.run([{ command: 'key', path: `/info.htm?m=${i}` }]).finally(() => l.release())),
    );
    const st = await simState(b);
    assert.equal(st.maxConcurrent, 1);
    assert.deepEqual(
      await seenQueries(b),
      Array.from({ length: 8 }, (_, i) => `m=${i}`),
    );
  });

  it('aliases of one phone, and the configured host written another way, are one phone', () => {
    const cfg = configured();
    for (const alias of aliases(port(a))) assert.equal(cfg.forHost(alias).phone, cfg, alias);
    const leases = aliases(port(b)).map((alias) => cfg.forHost(alias));
    assert.equal(new Set(leases.map((l) => l.phone)).size, 1);
    assert.equal(leases[0].phone.label, `127.0.0.1:${port(b)}`);
    assert.equal(cfg.targetClients, 1);
    // one message naming a phone twice sends to it once
    assert.equal(cfg.targets([`LOCALHOST:${port(b)}`, `2130706433:${port(b)}`, `127.0.0.1.:${port(a)}`])!.length, 2);
  });

  it('property: one request at a time per phone, whole commands in arrival order, whatever the fan-out and aliases', async () => {
    await simFaults(a, { latencyMs: 3 });
    await simFaults(b, { latencyMs: 3 });
    const spelling = fc.record({ phone: fc.constantFrom<'a' | 'b'>('a', 'b'), alias: fc.nat({ max: 8 }) });
    const command = fc.record({
      // undefined: no msg.target (the configured phone)
      targets: fc.option(fc.array(spelling, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      requests: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 10 }), async (commands) => {
        for (const p of [a, b]) {
          // forget the log and the counters, keep the latency
          await simReset(p);
          await simFaults(p, { latencyMs: 3 });
        }
        const cfg = configured();
        const expected: Record<'a' | 'b', string[]> = { a: [], b: [] };
        const runs: Array<Promise<unknown>> = [];
        commands.forEach((c, ci) => {
          const leases: TargetLease[] = c.targets
            ? cfg.targets(c.targets.map((t) => aliases(port(t.phone === 'a' ? a : b))[t.alias]))!
            : [{ phone: cfg, release: () => undefined }];
          for (const l of leases) {
            const which = l.phone === cfg ? 'a' : 'b';
            const reqs = Array.from({ length: c.requests }, (_, ri) => ({
              command: 'cmd',
              path: `/info.htm?c=${ci}-${ri}`,
            }));
            expected[which].push(...reqs.map((r) => r.path.slice('/info.htm?'.length)));
            runs.push(l.phone.run(reqs).finally(() => l.release()));
          }
        });
        await Promise.all(runs);
        assert.ok(cfg.targetClients <= 1, 'one client for phone b');
        for (const [which, p] of [
          ['a', a],
          ['b', b],
        ] as const) {
          const st = await simState(p);
          assert.ok(st.maxConcurrent <= 1, `phone ${which} saw ${st.maxConcurrent} requests at once`);
          // each command's requests back to back, commands in arrival order
          assert.deepEqual(await seenQueries(p), expected[which]);
        }
        await cfg.close();
      }),
      { seed: 7, numRuns: 12, endOnFailure: true },
    );
  });

  it('the timeout bounds the whole command: time spent waiting counts, and a command whose time ran out is never sent', async () => {
    const cfg = configured();
    await simFaults(a, { stall: true, count: 1 });
    const first = cfg.run([{ command: 'slow', path: '/info.htm?first' }], { timeoutMs: 20000 });
    const queued = cfg.run([{ command: 'queued', path: '/info.htm?queued' }], { timeoutMs: 300 });
    const err = await rejection(queued);
    assert.equal(err.code, 'E_TIMEOUT');
    assert.match(err.message, /waited for its turn.*nothing was sent/);
    // the first command is still waiting for the phone: the queued one did not wait for it
    assert.equal((await simState(a)).concurrent, 1);
    await simJson(a, 'DELETE', 'faults'); // lets the stalled request go on
    await first;
    await cfg.run([{ command: 'after', path: '/info.htm?after' }]);
    assert.deepEqual(await seenQueries(a), ['first', 'after'], 'the expired command never reached the phone');
    // a deadline that passed before the command was queued sends nothing either
    const late = await rejection(
      cfg.run([{ command: 'late', path: '/info.htm?late' }], { timeoutMs: 50, acceptedAt: performance.now() - 100 }),
    );
    assert.equal(late.code, 'E_TIMEOUT');
    assert.deepEqual(await seenQueries(a), ['first', 'after']);
  });

  it('msg.target phones are released when idle and bounded in number: 5,000 targets do not keep 5,000 clients', async () => {
    const cfg = configured({ fleet: '10.0.0.0/8', targetIdleMs: 30, maxTargetClients: 2048 });
    let peak = 0;
    for (let i = 0; i < 5000; i++) {
      const lease = cfg.forHost(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      lease.release();
      peak = Math.max(peak, cfg.targetClients);
    }
    assert.equal(peak, 2048, 'never more clients than the bound: idle ones make room');
    await until(() => cfg.targetClients === 0);
    // a held phone is never evicted: with every slot held, a new target is refused (E_BUSY)
    const small = configured({ fleet: '10.0.0.0/8', targetIdleMs: 30, maxTargetClients: 3 });
    const held = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((h) => small.forHost(h));
    const busy = (() => {
      try {
        small.forHost('10.0.0.4');
      } catch (e) {
        return e as SnomError;
      }
      return undefined;
    })();
    assert.equal(busy?.code, 'E_BUSY');
    held[1].release();
    assert.notEqual(small.forHost('10.0.0.4').phone, held[1].phone, 'the idle one made room');
    assert.equal(small.targetClients, 3);
    // a phone still in use keeps its client past the idle time
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(small.forHost('10.0.0.1').phone, held[0].phone);
  });

  it('the default bound is at least 2,000 phones and the default idle time is documented (60 s)', async () => {
    const { DEFAULT_MAX_TARGET_CLIENTS, DEFAULT_TARGET_IDLE_MS } = await import('../../src/lib/phone');
    assert.ok(DEFAULT_MAX_TARGET_CLIENTS >= 2000);
    assert.equal(DEFAULT_TARGET_IDLE_MS, 60000);
  });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('gave up waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
