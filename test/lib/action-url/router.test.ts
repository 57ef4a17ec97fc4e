import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ActionEndpoint,
  ActionUrlRouter,
  DeliveredEvent,
  RefusalReason,
  parseAllowlist,
} from '../../../src/lib/action-url';

interface TestEndpoint extends ActionEndpoint {
  got: DeliveredEvent[];
  /** deliveries after the endpoint was closed: a stopped node drops these, so they are lost */
  late: DeliveredEvent[];
  closed: boolean;
  refused: RefusalReason[];
  ignored: string[];
  duplicate: boolean[];
  dropped: Array<{ dropped: number; expired: number }>;
}

function endpoint(over: Partial<ActionEndpoint> = {}, log?: string[]): TestEndpoint {
  const ep: TestEndpoint = {
    path: '/snom/events',
    token: 'secret-token',
    allowlist: parseAllowlist(''),
    events: null,
    holdMs: 10000,
    holdCount: 3,
    got: [],
    late: [],
    closed: false,
    refused: [],
    ignored: [],
    duplicate: [],
    dropped: [],
    deliver(ev) {
      log?.push(`deliver ${ev.event}`);
      (ep.closed ? ep.late : ep.got).push(ev);
    },
    onRefused: (r) => ep.refused.push(r),
    onIgnored: (e) => ep.ignored.push(e),
    onDuplicate: (d) => ep.duplicate.push(d),
    onDropped: (c) => ep.dropped.push(c),
    ...over,
  };
  return ep;
}

/** As a node's close handler: stops taking events, then leaves the router. */
function close(router: ActionUrlRouter, ep: TestEndpoint): void {
  ep.closed = true;
  router.remove(ep);
}

/** Wait until the router's setImmediate deliveries and releases have run. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(() => setImmediate(r)));

describe('ActionUrlRouter over real HTTP', () => {
  let clock = 1_000_000;
  // released by hand, as the Node-RED node does on flows:started
  const router = new ActionUrlRouter({ now: () => clock, autoRelease: false });
  const log: string[] = [];
  let server: http.Server;
  let base = '';
  /** runs right after the router has handled a request, in the same turn (a redeploy at the worst moment) */
  let afterHandle: (() => void) | undefined;

  before(async () => {
    server = http.createServer((req, res) => {
      const end = res.end.bind(res) as (...a: unknown[]) => http.ServerResponse;
      res.end = ((...a: unknown[]) => {
        log.push(`answered ${res.statusCode}`);
        return end(...a);
      }) as typeof res.end;
      router.handle(req, res);
      const after = afterHandle;
      afterHandle = undefined;
      after?.();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  beforeEach(() => {
    log.length = 0;
  });

  const get = async (path: string, init?: RequestInit) => {
    const r = await fetch(base + path, init);
    return { status: r.status, body: await r.text() };
  };

  it('answers 200 with an empty body, then delivers the event with its sender', async () => {
    const ep = endpoint({ path: '/a' }, log);
    router.add(ep);
    const r = await get('/a?t=secret-token&e=incoming&remote=sip:200@pbx&csta=-18&zz=1', {
      headers: { 'user-agent': 'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 x 000413922D24)' },
    });
    await settle();
    assert.deepEqual(r, { status: 200, body: '' });
    assert.deepEqual(log, ['answered 200', 'deliver incoming'], 'answer first, event after');
    assert.equal(ep.got.length, 1);
    const ev = ep.got[0];
    assert.equal(ev.address, '127.0.0.1');
    assert.equal(ev.held, false);
    assert.deepEqual(ev.variables, { remote: 'sip:200@pbx', cstaId: '-18' });
    assert.deepEqual(ev.extra, { zz: '1' });
    assert.match(ev.userAgent ?? '', /snomD785/);
    assert.ok(!JSON.stringify(ev).includes('secret-token'), 'the token is not handed on');
    router.remove(ep);
  });

  it('refuses wrong tokens, foreign senders, bad events, methods and sizes with the right status', async () => {
    const ep = endpoint({ path: '/b', events: new Set(['hold']) });
    router.add(ep);
    const cases: Array<[string, RequestInit | undefined, number]> = [
      ['/b?t=wrong&e=hold', undefined, 403],
      ['/b?e=hold', undefined, 403],
      ['/b?t=wrong&e=nonsense', undefined, 403], // token first: no hint about the event
      ['/b?t=secret-token&e=nonsense', undefined, 400],
      ['/b?t=secret-token', undefined, 400],
      ['/b?t=secret-token&e=hold', { method: 'PUT' }, 405],
      ['/b?t=secret-token&e=hold&x=' + 'a'.repeat(9000), undefined, 414],
      ['/elsewhere?t=secret-token&e=hold', undefined, 404],
      ['/b?t=secret-token&e=unhold', undefined, 200], // not selected: answered, not delivered
    ];
    for (const [path, init, status] of cases) {
      const r = await get(path, init);
      assert.equal(r.status, status, path.slice(0, 60));
      assert.equal(r.body, '');
    }
    await settle();
    assert.equal(ep.got.length, 0);
    assert.deepEqual(ep.refused, ['token', 'token', 'token', 'event', 'event']);
    assert.deepEqual(ep.ignored, ['unhold']);
    router.remove(ep);

    const far = endpoint({ path: '/c', allowlist: parseAllowlist('10.0.0.0/8') });
    router.add(far);
    assert.equal((await get('/c?t=secret-token&e=hold')).status, 403);
    assert.deepEqual(far.refused, ['address']);
    router.remove(far);
  });

  it('treats POST forms like GET and limits the body', async () => {
    const ep = endpoint({ path: '/d' });
    router.add(ep);
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const ok = await get('/d?t=secret-token', { ...form, body: 'e=missed&remote=sip%3A1%40x&drem=A+B' });
    assert.equal(ok.status, 200);
    const big = await get('/d?t=secret-token', { ...form, body: 'e=missed&x=' + 'a'.repeat(17 * 1024) });
    assert.equal(big.status, 413);
    await settle();
    assert.equal(ep.got.length, 1);
    assert.equal(ep.got[0].event, 'missed');
    assert.deepEqual(ep.got[0].variables, { remote: 'sip:1@x', displayRemote: 'A B' });
    router.remove(ep);
  });

  it('still delivers a good event after a flood of bad ones', async () => {
    const ep = endpoint({ path: '/f' });
    router.add(ep);
    const bad = Array.from({ length: 200 }, (_, i) => get(`/f?t=guess${i}&e=incoming`));
    const good = get('/f?t=secret-token&e=connected');
    const results = await Promise.all([...bad, good]);
    await settle();
    assert.equal(results.filter((r) => r.status === 403).length, 200);
    assert.equal(results[200].status, 200);
    assert.deepEqual(
      ep.got.map((e) => e.event),
      ['connected'],
    );
    router.remove(ep);
  });

  it('tells both endpoints on one path that they are duplicates, and neither receives', async () => {
    const a = endpoint({ path: '/dup' });
    const b = endpoint({ path: '/dup' });
    router.add(a);
    router.add(b);
    assert.deepEqual(a.duplicate, [true]);
    assert.deepEqual(b.duplicate, [true]);
    assert.equal((await get('/dup?t=secret-token&e=hold')).status, 503);
    await settle();
    assert.equal(a.got.length + b.got.length, 0);
    router.remove(b);
    assert.deepEqual(a.duplicate, [true, false]);
    assert.equal((await get('/dup?t=secret-token&e=hold')).status, 200);
    await settle();
    assert.equal(a.got.length, 1);
    router.remove(a);
  });

  it('holds events during a redeploy and delivers them once to the new endpoint, counting the overflow', async () => {
    const old = endpoint({ path: '/h', holdCount: 3, holdMs: 5000 });
    router.add(old);
    router.remove(old);
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await get(`/h?t=secret-token&e=incoming&cid=c${i}`)).status);
    assert.deepEqual(statuses, [200, 200, 200, 503, 503]);
    assert.equal((await get('/h?e=incoming')).status, 403, 'no token: not even held');
    assert.equal((await get('/h?t=x&e=incoming')).status, 403, 'wrong token: not held either');
    assert.equal((await get('/h?t=secret-token&e=bogus')).status, 400);
    assert.equal(router.heldCount('/h'), 3);

    const fresh = endpoint({ path: '/h' });
    router.add(fresh);
    // an event arriving before the release queues behind the held ones
    assert.equal((await get('/h?t=secret-token&e=incoming&cid=c6')).status, 200);
    await settle();
    assert.equal(fresh.got.length, 0, 'nothing before the release');
    assert.equal(router.heldCount('/h'), 4);
    router.releaseHeld();
    assert.deepEqual(
      fresh.got.map((e) => e.variables.callId),
      ['c1', 'c2', 'c3', 'c6'],
    );
    assert.ok(fresh.got.every((e) => e.held));
    router.releaseHeld();
    assert.equal(fresh.got.length, 4, 'a second release delivers nothing again');
    assert.deepEqual(fresh.dropped, [{ dropped: 2, expired: 0 }]);
    assert.equal((await get('/h?t=secret-token&e=incoming&cid=c7')).status, 200);
    await settle();
    assert.equal(fresh.got.length, 5);
    assert.equal(fresh.got[4].held, false);
    router.remove(fresh);
  });

  it('authenticates with the last token while away, delivers held events to the next endpoint, and stops holding after the hold time', async () => {
    const old = endpoint({ path: '/k', holdMs: 1000 });
    router.add(old);
    close(router, old);
    assert.equal((await get('/k?t=other-token&e=hold')).status, 403, 'the path remembers its token');
    assert.equal((await get('/k?t=secret-token&e=hold&cid=k1')).status, 200);
    clock += 1001;
    assert.equal((await get('/k?t=secret-token&e=hold')).status, 404, 'hold time over');
    const fresh = endpoint({ path: '/k', token: 'new-token' });
    router.add(fresh);
    router.releaseHeld('/k');
    assert.equal(fresh.got.length, 0);
    assert.deepEqual(fresh.dropped, [{ dropped: 0, expired: 1 }], 'the held one was too old');

    close(router, fresh);
    assert.equal(
      (await get('/k?t=secret-token&e=hold')).status,
      403,
      'the old token is gone with the endpoint that had it',
    );
    assert.equal((await get('/k?t=new-token&e=hold&cid=k2')).status, 200);
    // a new token: what was accepted under the last one is still handed on (it was answered 200)
    const other = endpoint({ path: '/k', token: 'other-token' });
    router.add(other);
    router.releaseHeld('/k');
    assert.deepEqual(
      other.got.map((e) => e.variables.callId),
      ['k2'],
    );
    assert.deepEqual(other.refused, []);
    close(router, other);
  });

  it('holds reclaimed events (delivered, but the receiver stopped first) ahead of newer ones, for the next release', async () => {
    const ep = endpoint({ path: '/rc' });
    router.add(ep);
    for (const cid of ['x1', 'x2']) assert.equal((await get(`/rc?t=secret-token&e=hold&cid=${cid}`)).status, 200);
    router.reclaim(ep, ep.got.splice(0));
    assert.equal(router.heldCount('/rc'), 2);
    assert.equal((await get('/rc?t=secret-token&e=hold&cid=x3')).status, 200, 'newer events queue behind');
    assert.equal(ep.got.length, 0);
    router.releaseHeld('/rc');
    assert.deepEqual(
      ep.got.map((e) => [e.variables.callId, e.held]),
      [
        ['x1', true],
        ['x2', true],
        ['x3', true],
      ],
    );

    // a release that never comes (no flows:started): the next request after half the hold time releases
    router.reclaim(ep, ep.got.splice(0, 1));
    assert.equal((await get('/rc?t=secret-token&e=hold&cid=x4')).status, 200);
    assert.equal(ep.got.length, 2, 'x4 waits behind x1');
    clock += ep.holdMs / 2 + 1;
    assert.equal((await get('/rc?t=secret-token&e=hold&cid=x5')).status, 200);
    assert.deepEqual(
      ep.got.slice(2).map((e) => e.variables.callId),
      ['x1', 'x4', 'x5'],
    );
    close(router, ep);
  });

  it('hands an event answered 200 on in the same turn: a redeploy right after the answer loses nothing', async () => {
    const first = endpoint({ path: '/r' });
    router.add(first);
    afterHandle = () => close(router, first); // the node stops right after answering
    assert.equal((await get('/r?t=secret-token&e=incoming&cid=r1')).status, 200);
    const second = endpoint({ path: '/r' });
    router.add(second);
    router.releaseHeld('/r');
    await settle();
    assert.deepEqual(first.late, [], 'nothing reached the closed endpoint');
    assert.deepEqual(
      [...first.got, ...second.got].map((e) => e.variables.callId),
      ['r1'],
      'delivered exactly once',
    );
    close(router, second);
  });

  it('holds a POST whose body arrives after its endpoint left, for the next endpoint', async () => {
    const first = endpoint({ path: '/pb' });
    router.add(first);
    let req!: http.ClientRequest;
    const status = new Promise<number>((resolve) => {
      req = http.request(
        `${base}/pb?t=secret-token`,
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
    });
    req.write('e=missed');
    await new Promise((r) => setTimeout(r, 50)); // the head is in, the body not yet complete
    close(router, first);
    req.end('&cid=p1');
    assert.equal(await status, 200);
    const second = endpoint({ path: '/pb' });
    router.add(second);
    router.releaseHeld('/pb');
    assert.deepEqual(first.late, []);
    assert.deepEqual(
      [...first.got, ...second.got].map((e) => e.variables.callId),
      ['p1'],
    );
    close(router, second);
  });

  it('refuses wrong tokens with 403 while the path has no endpoint: 300 junk requests leave room for a genuine event', async () => {
    const old = endpoint({ path: '/j', holdCount: 5 });
    router.add(old);
    close(router, old);
    const junk = await Promise.all(
      Array.from({ length: 300 }, (_, i) => get(`/j?t=guess-${i}&e=incoming&cid=junk${i}`)),
    );
    assert.deepEqual([...new Set(junk.map((r) => r.status))], [403]);
    assert.equal(router.heldCount('/j'), 0, 'nothing held');
    assert.equal((await get('/j?t=secret-token&e=incoming&cid=genuine')).status, 200);
    const fresh = endpoint({ path: '/j' });
    router.add(fresh);
    router.releaseHeld('/j');
    assert.deepEqual(
      fresh.got.map((e) => e.variables.callId),
      ['genuine'],
    );
    close(router, fresh);
  });

  it('remembers the allowlist and the event selection while away', async () => {
    const old = endpoint({ path: '/al', allowlist: parseAllowlist('10.0.0.0/8'), events: new Set(['hold']) });
    router.add(old);
    close(router, old);
    assert.equal((await get('/al?t=secret-token&e=hold')).status, 403, 'foreign sender');
    const open = endpoint({ path: '/sel', events: new Set(['hold']), holdCount: 2 });
    router.add(open);
    close(router, open);
    for (let i = 0; i < 5; i++)
      assert.equal((await get('/sel?t=secret-token&e=unhold')).status, 200, 'answered like a running node');
    assert.equal(router.heldCount('/sel'), 0, 'unselected events do not fill the buffer');
    assert.equal((await get('/sel?t=secret-token&e=hold')).status, 200);
    assert.equal(router.heldCount('/sel'), 1);
    const back = endpoint({ path: '/sel', events: new Set(['hold']) });
    router.add(back);
    router.releaseHeld('/sel');
    assert.deepEqual(
      back.got.map((e) => e.event),
      ['hold'],
    );
    close(router, back);
  });

  it('answers 503 for an unavailable (misconfigured) endpoint once the token is right, before and after it leaves', async () => {
    const bad = endpoint({ path: '/u', unavailable: true });
    router.add(bad);
    assert.equal((await get('/u?t=wrong&e=hold')).status, 403);
    assert.equal((await get('/u?t=secret-token&e=hold')).status, 503);
    close(router, bad);
    assert.equal((await get('/u?t=secret-token&e=hold')).status, 503, 'still nobody to receive it');
    await settle();
    assert.deepEqual([...bad.got, ...bad.late], []);
  });

  it('keeps the body limit when an earlier middleware has already parsed the body', async () => {
    const ep = endpoint({ path: '/bp' });
    router.add(ep);
    // a body parser in front, as Node-RED's admin app is on the default roots
    const parsing = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        (req as http.IncomingMessage & { body?: unknown }).body = Object.fromEntries(
          new URLSearchParams(Buffer.concat(chunks).toString()),
        );
        router.handle(req, res);
      });
    });
    await new Promise<void>((r) => parsing.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(parsing.address() as AddressInfo).port}/bp?t=secret-token`;
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    try {
      const statuses: number[] = [];
      for (const size of [100, 20 * 1024, 1024 * 1024]) {
        const r = await fetch(url, { ...form, body: `e=missed&cid=b${size}&x=${'a'.repeat(size)}` });
        statuses.push(r.status);
      }
      // without Content-Length (chunked): measured on what the parser produced
      const chunked = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          url,
          { method: 'POST', headers: { ...form.headers, 'transfer-encoding': 'chunked' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(`e=missed&cid=chunked&x=${'a'.repeat(64 * 1024)}`);
      });
      statuses.push(chunked);
      assert.deepEqual(statuses, [200, 413, 413, 413]);
      await settle();
      assert.deepEqual(
        ep.got.map((e) => e.variables.callId),
        ['b100'],
      );
    } finally {
      parsing.closeAllConnections();
      await new Promise((r) => parsing.close(r));
      router.remove(ep);
    }
  });
});
