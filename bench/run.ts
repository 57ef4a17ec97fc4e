/**
 * `npm run bench`: key presses against a Digest phone of the simulator, through
 *   (1) a raw undici loop against an auth-less phone (the transport floor),
 *   (2) the library's PhoneClient (Digest, nonce reuse),
 *   (3) a deployed snom-key node in a real Node-RED runtime,
 *   (4) Node-RED's core `http request` node with digest auth doing the same presses.
 * Prints presses/s, ratios to (1) and to (4), and HTTP exchanges per press as the phone counted them.
 * No pass/fail: numbers on a noisy machine are for reading, not asserting.
 */
import { Client } from 'undici';
import { PhoneClient } from '../src/lib/http/client';
import type { SimPhone } from '../src/simulator/phone';
import { collect, helper, nodeModule, phoneConfig } from '../test/support/red';
import { SIM_PASSWORD, SIM_USER, simReset, simState, startPhones, stopAll } from '../test/support/sim';

const N = Number(process.env.BENCH_PRESSES ?? 400);
const WARMUP = 20;
const KEYS = ['1', '2', '3', 'P1', 'ENTER'];

interface Row {
  name: string;
  perSecond: number;
  exchanges: number;
}

async function measure(phone: SimPhone, name: string, press: (key: string) => Promise<void>): Promise<Row> {
  for (let i = 0; i < WARMUP; i++) await press(KEYS[i % KEYS.length]);
  await simReset(phone);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await press(KEYS[i % KEYS.length]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const st = await simState(phone);
  if (st.keys.length !== N) throw new Error(`${name}: the phone saw ${st.keys.length} presses, expected ${N}`);
  return { name, perSecond: N / seconds, exchanges: st.requests / N };
}

/** Send a message into a deployed node and wait for its output (one press at a time, like a user flow). */
function driver(input: any, output: any): (msg: Record<string, unknown>) => Promise<void> {
  const got = collect(output);
  let seen = 0;
  return async (msg) => {
    input.receive(msg);
    await got.wait(++seen, 10000);
  };
}

async function main(): Promise<void> {
  const [digestPhone, openPhone] = await startPhones([
    { model: 'D785', firmware: '10.1.33.33', auth: 'digest', digestAlgorithms: ['MD5'] },
    { model: 'D785', firmware: '10.1.33.33', auth: 'none' },
  ]);
  const rows: Row[] = [];
  try {
    const raw = new Client(openPhone.url, { pipelining: 1 });
    rows.push(
      await measure(openPhone, 'raw undici loop, no auth (floor)', async (key) => {
        const r = await raw.request({ method: 'GET', path: `/command.htm?key=${encodeURIComponent(key)}` });
        await r.body.text();
      }),
    );
    await raw.close();

    const client = new PhoneClient({ host: '127.0.0.1', port: digestPhone.port, auth: 'digest', user: SIM_USER, password: SIM_PASSWORD });
    rows.push(await measure(digestPhone, 'PhoneClient library, Digest', async (key) => void (await client.request({ command: 'key', path: `/command.htm?key=${encodeURIComponent(key)}` }))));
    await client.close();

    await new Promise<void>((r) => helper.startServer(r));
    await helper.load([nodeModule('snom-phone'), nodeModule('snom-key')], [
      phoneConfig('p1', digestPhone.url, { auth: 'digest' }),
      { id: 'k1', type: 'snom-key', phone: 'p1', keys: '', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ], { p1: { user: SIM_USER, password: SIM_PASSWORD } });
    const viaNode = driver(helper.getNode('k1'), helper.getNode('out'));
    rows.push(await measure(digestPhone, 'snom-key node in Node-RED, Digest', (key) => viaNode({ payload: key })));
    await helper.unload();

    const httpRequest = require('@node-red/nodes/core/network/21-httprequest.js');
    await helper.load([httpRequest], [
      { id: 'h1', type: 'http request', method: 'GET', ret: 'txt', paytoqs: 'ignore', url: '', authType: 'digest', persist: true, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ], { h1: { user: SIM_USER, password: SIM_PASSWORD } });
    const viaCore = driver(helper.getNode('h1'), helper.getNode('out'));
    rows.push(await measure(digestPhone, 'core http request node, digest', (key) => viaCore({ url: `${digestPhone.url}/command.htm?key=${encodeURIComponent(key)}` })));
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(r));
  } finally {
    await stopAll([digestPhone, openPhone]);
  }

  const floor = rows[0].perSecond;
  const core = rows[3].perSecond;
  console.log(`\nKey presses, one at a time, ${N} per row (after ${WARMUP} warm-up), Node ${process.version}\n`);
  console.log('| path | presses/s | vs raw undici | vs core http request | HTTP exchanges per press |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.perSecond.toFixed(0)} | ${(r.perSecond / floor).toFixed(2)} | ${(r.perSecond / core).toFixed(2)} | ${r.exchanges.toFixed(2)} |`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
