import assert from 'node:assert/strict';
import * as http from 'node:http';
import { SimPhone } from '../../src/simulator/phone';
import { getState, request, startPhone, waitState } from './helpers';

const json = (body: unknown) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' },
});

describe('simulator faults and concurrency', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({});
  });
  after(() => phone.stop());
  beforeEach(() => request(`${phone.url}/sim/reset`, { method: 'POST' }));

  it('counts two parallel requests as maxConcurrent 2 (stalled until cleared)', async () => {
    assert.equal((await request(`${phone.url}/sim/faults`, json({ stall: true }))).status, 200);
    const a = request(`${phone.url}/command.htm?key=1`);
    const b = request(`${phone.url}/command.htm?key=2`);
    const s = await waitState(phone, (st) => st.concurrent === 2);
    assert.equal(s.maxConcurrent, 2);
    assert.equal(s.keys.length, 0);
    await request(`${phone.url}/sim/faults`, { method: 'DELETE' });
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(ra.status, 200);
    assert.equal(rb.status, 200);
    const after = await getState(phone);
    assert.equal(after.concurrent, 0);
    assert.equal(after.maxConcurrent, 2);
    assert.deepEqual(after.keys.map((k) => k.key).sort(), ['1', '2']);
  });

  it('one request at a time keeps maxConcurrent at 1, also on one kept-alive connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    agent.on('free', (sock) => sockets.add(sock));
    for (const k of ['1', '2', '3']) {
      const r = await request(`${phone.url}/command.htm?key=${k}`, { agent });
      assert.equal(r.status, 200);
    }
    await request(`${phone.url}/command.htm?key=4`, { agent });
    agent.destroy();
    const s = await getState(phone);
    assert.equal(s.maxConcurrent, 1);
    assert.equal(s.requests, 4);
    assert.equal(sockets.size, 1);
  });

  it('latency delays the answer but the page still works', async () => {
    await request(`${phone.url}/sim/faults`, json({ latencyMs: 1500, count: 1 }));
    let done = false;
    const a = request(`${phone.url}/command.htm?key=ENTER`).then((r) => {
      done = true;
      return r;
    });
    await waitState(phone, (st) => st.concurrent === 1);
    assert.equal(done, false);
    const r = await a;
    assert.equal(r.status, 200);
    const s = await getState(phone);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['ENTER'],
    );
    assert.ok(s.log.some((e) => e.kind === 'fault' && e.latencyMs === 1500));
    assert.equal(s.faults, null);
  });

  it('status answers with that status for the next count requests only', async () => {
    await request(`${phone.url}/sim/faults`, json({ status: 503, count: 2 }));
    assert.equal((await request(`${phone.url}/command.htm?key=1`)).status, 503);
    assert.equal((await request(`${phone.url}/info.htm`)).status, 503);
    assert.equal((await request(`${phone.url}/command.htm?key=2`)).status, 200);
    assert.deepEqual(
      (await getState(phone)).keys.map((k) => k.key),
      ['2'],
    );
  });

  it('reset destroys the connection without an answer', async () => {
    await request(`${phone.url}/sim/faults`, json({ reset: true, count: 1 }));
    await assert.rejects(request(`${phone.url}/command.htm?key=1`), (err: NodeJS.ErrnoException) => {
      assert.ok(
        ['ECONNRESET', 'UND_ERR_SOCKET'].includes(err.code ?? '') || /socket hang up/.test(err.message),
        err.message,
      );
      return true;
    });
    assert.equal((await request(`${phone.url}/command.htm?key=2`)).status, 200);
    const s = await getState(phone);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['2'],
    );
    assert.equal(s.concurrent, 0);
  });

  it('faults do not touch the control API, and bad fault bodies are refused', async () => {
    await request(`${phone.url}/sim/faults`, json({ status: 500 }));
    assert.equal((await request(`${phone.url}/sim/state`)).status, 200);
    assert.equal((await request(`${phone.url}/sim/faults`)).status, 200);
    await request(`${phone.url}/sim/faults`, { method: 'DELETE' });
    assert.equal((await request(`${phone.url}/sim/faults`, json({ latencyMs: -1 }))).status, 400);
    assert.equal((await request(`${phone.url}/sim/faults`, json({ explode: true }))).status, 400);
    assert.equal((await request(`${phone.url}/sim/faults`, { method: 'POST', body: '{' })).status, 400);
    assert.equal((await request(`${phone.url}/command.htm?key=1`)).status, 200);
  });

  it('stop() ends a stalled request and is idempotent', async () => {
    const p = await startPhone({});
    await request(`${p.url}/sim/faults`, json({ stall: true }));
    const pending = request(`${p.url}/command.htm?key=1`);
    await waitState(p, (st) => st.concurrent === 1);
    await p.stop();
    await p.stop();
    await assert.rejects(pending);
    await assert.rejects(request(`${p.url}/info.htm`));
  });
});
