// Property: whatever the order of requests, redeploys (close/open) and releases — including a close in
// the same turn right after an answer — an event answered 200 is delivered exactly once, and a
// request with a wrong or missing token is answered 403, never held and never delivered.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { ActionEndpoint, ActionUrlRouter, DeliveredEvent, parseAllowlist } from '../../../src/lib/action-url';

type Cmd =
  | { t: 'req'; token: 'right' | 'wrong' | 'none'; event: 'hold' | 'unhold' | 'bogus'; closeAfter: boolean }
  | { t: 'close' }
  | { t: 'open'; newToken: boolean; release: boolean }
  | { t: 'release' };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('req' as const),
      token: fc.constantFrom('right' as const, 'right' as const, 'wrong' as const, 'none' as const),
      event: fc.constantFrom('hold' as const, 'unhold' as const, 'bogus' as const),
      closeAfter: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'close' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('open' as const), newToken: fc.boolean(), release: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'release' as const }) },
);

interface Ep extends ActionEndpoint {
  got: DeliveredEvent[];
  late: DeliveredEvent[];
  closed: boolean;
}

describe('ActionUrlRouter property: nothing lost, nothing forged, whatever the timing', function () {
  this.timeout(120000);
  const router = new ActionUrlRouter({ autoRelease: false });
  let server: http.Server;
  let base = '';
  let afterHandle: (() => void) | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  before(async () => {
    server = http.createServer((req, res) => {
      router.handle(req, res);
      const after = afterHandle;
      afterHandle = undefined;
      after?.(); // same turn as the answer: the worst moment for a redeploy
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const get = (path: string): Promise<number> =>
    new Promise((resolve, reject) => {
      http
        .get(base + path, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject);
    });

  let run = 0;
  it('holds for generated schedules (fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 30 }), async (cmds) => {
        const path = `/prop${run++}`;
        const all: Ep[] = [];
        let current: Ep | undefined;
        let token = 'tok-0';
        let tokens = 0;
        const open = (newToken: boolean): void => {
          if (newToken) token = `tok-${++tokens}`;
          const ep: Ep = {
            path,
            token,
            allowlist: parseAllowlist(''),
            events: new Set(['hold']),
            holdMs: 60000,
            holdCount: 6,
            got: [],
            late: [],
            closed: false,
            deliver(ev) {
              (ep.closed ? ep.late : ep.got).push(ev);
            },
          };
          all.push(ep);
          current = ep;
          router.add(ep);
        };
        const close = (): void => {
          if (!current) return;
          current.closed = true;
          router.remove(current);
          current = undefined;
        };
        open(false);
        const ok200 = new Set<string>();
        const forged = new Set<string>();
        let n = 0;
        for (const c of cmds) {
          if (c.t === 'close') close();
          else if (c.t === 'open') {
            if (!current) open(c.newToken);
            if (c.release) router.releaseHeld(path);
          } else if (c.t === 'release') router.releaseHeld(path);
          else {
            const id = `c${n++}`;
            const t = c.token === 'right' ? `t=${token}&` : c.token === 'wrong' ? `t=${token}x&` : '';
            const heldBefore = router.heldCount(path);
            if (c.closeAfter) afterHandle = close;
            const status = await get(`${path}?${t}e=${c.event}&cid=${id}`);
            afterHandle = undefined;
            if (c.token !== 'right') {
              forged.add(id);
              assert.equal(status, 403, `${c.token} token → 403`);
              assert.equal(router.heldCount(path), heldBefore, 'a forged request is never held');
            } else if (c.event === 'bogus') assert.equal(status, 400);
            else if (status === 200 && c.event === 'hold') ok200.add(id);
            else assert.ok(status === 200 || status === 503, `status ${status}`);
          }
        }
        // the last redeploy completes
        if (!current) open(false);
        router.releaseHeld(path);
        await new Promise((r) => setImmediate(r));
        const delivered = all.flatMap((e) => e.got.map((g) => g.variables.callId!));
        const late = all.flatMap((e) => e.late);
        close();
        assert.deepEqual(late, [], 'nothing handed to a closed endpoint');
        assert.deepEqual([...delivered].sort(), [...ok200].sort(), 'every hold answered 200 delivered exactly once');
        assert.equal(delivered.filter((d) => forged.has(d)).length, 0, 'nothing forged delivered');
      }),
      { seed: 20240607, numRuns: 60, endOnFailure: true },
    );
  });
});
