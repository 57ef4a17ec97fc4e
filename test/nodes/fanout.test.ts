// Fan-out from a real Node-RED runtime: the snom-phone fields "Phones at once" and "Targets per
// message", one status per command, and one message per phone without copying msg.target per phone.
import assert from 'node:assert/strict';
import type * as http from 'node:http';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig, statusNode } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simFaults, simReset, simState, startPhones, stopAll } from '../support/sim';

const phoneNode = nodeModule('snom-phone');
const keyNode = nodeModule('snom-key');
const creds = { p1: { user: SIM_USER, password: SIM_PASSWORD } };
const hostOf = (p: SimPhone): string => `127.0.0.1:${new URL(p.url).port}`;
const serverOf = (p: SimPhone): http.Server => (p as unknown as { server: http.Server }).server;

function flow(url: string, phoneExtra: Record<string, unknown>) {
  return [
    phoneConfig('p1', url, { fleet: '127.0.0.0/8', ...phoneExtra }),
    { id: 'k1', type: 'snom-key', phone: 'p1', keys: '', wires: [['out']] },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 's1', type: 'status', scope: ['k1'], wires: [['st']] },
    { id: 'out', type: 'helper' },
    { id: 'err', type: 'helper' },
    { id: 'st', type: 'helper' },
  ];
}

describe('snom-phone fan-out: phones at once, targets per message', function () {
  this.timeout(30000);
  let phones: SimPhone[];

  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    phones = await startPhones(Array.from({ length: 5 }, () => ({ auth: 'digest' as const })));
  });
  afterEach(async () => {
    await helper.unload();
    await Promise.all(phones.map(simReset));
  });
  after(() => stopAll(phones).then(() => new Promise<void>((r) => helper.stopServer(r))));

  async function load(phoneExtra: Record<string, unknown> = {}) {
    await helper.load([phoneNode, keyNode, catchNode, statusNode], flow(phones[0].url, phoneExtra), creds);
    return {
      k1: helper.getNode('k1'),
      out: collect(helper.getNode('out')),
      err: collect(helper.getNode('err')),
      st: collect(helper.getNode('st')),
    };
  }

  it('"Targets per message" bounds msg.target: one more is refused with E_INPUT, a red status, and nothing sent', async () => {
    const c = await load({ maxTargets: '3' });
    c.k1.receive({ payload: 'P1', target: phones.slice(1, 5).map(hostOf) });
    const [e] = await c.err.wait(1);
    assert.equal(e.error.code, 'E_INPUT');
    assert.match(e.error.message, /names 4 phones.*at most 3 per message/);
    await c.st.wait(1);
    assert.equal(c.st.msgs.at(-1).status.fill, 'red');
    for (const p of phones) assert.equal((await simState(p)).requests, 0, `${p.url} was asked something`);
    c.k1.receive({ payload: 'P1', target: phones.slice(1, 4).map(hostOf) });
    await c.out.wait(3);
  });

  it('"Phones at once" bounds the phones asked at once (40 ms latency): never more than 2 of 4, each one at a time', async () => {
    let now = 0;
    let max = 0;
    const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      if (req.url?.startsWith('/sim')) return;
      max = Math.max(max, ++now);
      res.once('close', () => now--);
    };
    for (const p of phones) serverOf(p).on('request', listener);
    try {
      for (const p of phones) await simFaults(p, { latencyMs: 40 });
      const c = await load({ phonesAtOnce: '2' });
      c.k1.receive({ payload: 'P1', target: phones.slice(1, 5).map(hostOf) });
      c.k1.receive({ payload: 'P2', target: phones.slice(1, 5).map(hostOf) });
      await c.out.wait(8);
      assert.equal(c.err.msgs.length, 0);
      assert.ok(max <= 2, `${max} requests in flight at once`);
      for (const p of phones.slice(1)) {
        const st = await simState(p);
        assert.equal(st.maxConcurrent, 1);
        assert.deepEqual(
          st.keys.map((k) => k.key),
          ['P1', 'P2'],
        );
      }
    } finally {
      for (const p of phones) serverOf(p).off('request', listener);
    }
  });

  it('one status update per command to one phone: its result, with its text', async () => {
    const c = await load();
    // the first command also turns the phone's shared state to "phone ready" (a change of state, shown once)
    c.k1.receive({ payload: 'P1' });
    await c.out.wait(1);
    await c.st.wait(1);
    await new Promise((r) => setTimeout(r, 100));
    const before = c.st.msgs.length;
    c.k1.receive({ payload: 'P2' });
    await c.out.wait(2);
    c.k1.receive({ payload: 'P3' });
    await c.out.wait(3);
    await c.st.wait(before + 2);
    // room for a late second update of the last command to show up (it would fail the count)
    await new Promise((r) => setTimeout(r, 100));
    const own = c.st.msgs.slice(before).map((m) => m.status);
    assert.deepEqual(
      own.map((s) => [s.source?.id, s.fill, s.shape]),
      [
        ['k1', 'green', 'dot'],
        ['k1', 'green', 'dot'],
      ],
      JSON.stringify(own),
    );
    assert.match(own[1].text, /P3/);
  });

  it('each phone of a fan-out gets its own message, but msg.target is the one list, not a copy per phone', async () => {
    const c = await load();
    const target = phones.slice(1, 4).map(hostOf);
    c.k1.receive({ payload: 'P1', target, extra: { deep: [1, 2] } });
    const msgs = await c.out.wait(3);
    assert.equal(new Set(msgs.map((m: any) => m.snom.phone)).size, 3);
    assert.equal(new Set(msgs).size, 3, 'a message per phone');
    assert.equal(new Set(msgs.map((m: any) => m.extra)).size, 3, 'the rest of the message is copied');
    assert.equal(new Set(msgs.map((m: any) => m.target)).size, 1, 'msg.target is shared');
    assert.deepEqual(msgs[0].target, target);
    // a fan-out says that it runs, then its result
    await c.st.wait(2);
    assert.deepEqual(
      c.st.msgs.map((m) => m.status.fill),
      ['blue', 'green'],
    );
    assert.match(c.st.msgs[1].status.text, /→ 3 phones/);
  });
});
