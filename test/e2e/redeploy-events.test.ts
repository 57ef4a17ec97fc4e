// Phone events through full redeploys of a real `node-red` process (issue 7 §2): every event answered
// 200 reaches the flow exactly once; wrong tokens are refused even while the node is away; the body
// limit holds although Node-RED's admin body parser (default roots) reads bodies first.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, fetch } from 'undici';
import { startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { until } from '../support/until';

const TOKEN = 'e2e-redeploy-t0ken-0123456789abcdef';
const TAB = 'tab';
type FlowNode = Record<string, unknown>;

/** events node → file node appending one JSON line per message (a sink that survives redeploys). */
function flows(sinkFile: string): FlowNode[] {
  return [
    { id: TAB, type: 'tab', label: 'redeploy' },
    {
      id: 'ev',
      z: TAB,
      type: 'snom-action-url-in',
      name: '',
      path: '/snom/events',
      allowlist: '',
      holdMs: 10000,
      holdCount: 200,
      phones: [],
      x: 100,
      y: 100,
      wires: [['sink'], []],
    },
    {
      id: 'sink',
      z: TAB,
      type: 'file',
      name: '',
      filename: sinkFile,
      filenameType: 'str',
      appendNewline: true,
      createDir: false,
      overwriteFile: 'false',
      encoding: 'none',
      x: 300,
      y: 100,
      wires: [[]],
    },
  ];
}

interface Answer {
  seq: number;
  status: number | 'error';
}

describe('end to end: phone events across full redeploys of a real node-red process', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let sinkDir: string;
  let sinkFile: string;
  let flowJson: FlowNode[];
  // many sockets, like many phones; keep-alive so the test itself is not the bottleneck
  const agent = new Agent({ connections: 64, pipelining: 1 });

  before(async () => {
    sinkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'snom-sink-'));
    sinkFile = path.join(sinkDir, 'events.jsonl');
    flowJson = flows(sinkFile);
    red = await startNodeRed(flowJson, { ev: { token: TOKEN } });
  });
  after(async () => {
    await red?.stop();
    await agent.close();
    fs.rmSync(sinkDir, { recursive: true, force: true });
  });

  const event = async (seq: number, token = TOKEN, prefix = 's'): Promise<Answer> => {
    try {
      const r = await fetch(`${red.url}/snom/events?t=${encodeURIComponent(token)}&e=connected&cid=${prefix}${seq}`, {
        dispatcher: agent,
      });
      await r.arrayBuffer();
      return { seq, status: r.status };
    } catch {
      return { seq, status: 'error' };
    }
  };
  const deployFull = async (flows: FlowNode[] = flowJson): Promise<void> => {
    const r = await fetch(`${red.url}/flows`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows),
    });
    assert.equal(r.status, 204, await r.text());
  };
  /** call ids in the sink file, in order */
  const delivered = (): string[] =>
    fs.existsSync(sinkFile)
      ? fs
          .readFileSync(sinkFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { callId: string }).callId)
      : [];

  it('delivers every event answered 200 exactly once through 12 full redeploys at 250 events/s with bursts', async () => {
    const answers: Array<Promise<Answer>> = [];
    let seq = 0;
    let sending = true;
    // a steady 250 events/s: 5 every 20 ms
    const steady = (async () => {
      while (sending) {
        for (let i = 0; i < 5; i++) answers.push(event(seq++));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    for (let d = 0; d < 12; d++) {
      let deploying = true;
      const deploy = deployFull().finally(() => (deploying = false));
      // a burst in the redeploy window, as when several phones report calls at once
      for (let sent = 0; deploying && sent < 60; sent += 5) {
        for (let i = 0; i < 5; i++) answers.push(event(seq++));
        await new Promise((r) => setTimeout(r, 5));
      }
      await deploy;
      await new Promise((r) => setTimeout(r, 150));
    }
    await new Promise((r) => setTimeout(r, 300));
    sending = false;
    await steady;
    const all = await Promise.all(answers);
    const ok = new Set(all.filter((a) => a.status === 200).map((a) => `s${a.seq}`));
    const errors = all.filter((a) => a.status === 'error').length;
    const other = all.filter((a) => a.status !== 200 && a.status !== 'error');
    // the sink has caught up when every accepted event is there (deadline, not a timing assertion)
    await until(
      'the sink to catch up',
      async () => (delivered().filter((c) => ok.has(c)).length >= ok.size ? true : undefined),
      15000,
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300)); // late duplicates would show here
    const got = delivered();
    const counts = new Map<string, number>();
    for (const c of got) counts.set(c, (counts.get(c) ?? 0) + 1);
    const lost = [...ok].filter((c) => !counts.has(c));
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([c]) => c);
    const unasked = [...counts.keys()].filter((c) => !ok.has(c));
    console.log(
      `      sent ${all.length}, answered 200: ${ok.size}, delivered ${got.length}, lost ${lost.length}, duplicated ${duplicated.length}, ` +
        `other answers ${other.length} (${[...new Set(other.map((a) => a.status))].join(' ')}), transport errors ${errors}`,
    );
    if (lost.length) console.log('LOST', lost.join(' '));
    assert.deepEqual(lost, [], 'answered 200 but never delivered');
    assert.deepEqual(duplicated, [], 'delivered twice');
    const failed = new Set(all.filter((a) => a.status === 'error').map((a) => `s${a.seq}`));
    assert.deepEqual(
      unasked.filter((c) => !failed.has(c)),
      [],
      'delivered without a 200',
    );
    // the others are 503s from a full hold buffer, whose share grows with how long a redeploy takes
    // on a loaded machine (62–95 % were answered 200 with other work beside it): the bound only
    // rules out a run that refused most events and so proved nothing
    assert.ok(ok.size >= 0.5 * all.length, `most events answered 200 (${ok.size} of ${all.length})`);
  });

  it('answers wrong tokens 403 while the node is away and during redeploys; 200 junk requests leave room for a genuine event', async () => {
    // away: a deploy without the events node (its path is held), then one that brings it back
    await deployFull(flowJson.filter((n) => n.id !== 'ev'));
    const junk = await Promise.all(
      Array.from({ length: 200 }, (_, i) => event(i, `${TOKEN.slice(0, -2)}${i % 100}`, 'junk')),
    );
    const missing = await fetch(`${red.url}/snom/events?e=connected&cid=junk-none`, { dispatcher: agent });
    await missing.arrayBuffer();
    const genuine = await event(0, TOKEN, 'genuine');
    // back, with its token as the editor sends it (removing the node removed its credentials)
    await deployFull(flowJson.map((n) => (n.id === 'ev' ? { ...n, credentials: { token: TOKEN } } : n)));
    const away = [...new Set(junk.map((a) => a.status))];
    console.log(
      `      while away: 200 wrong tokens → ${away.join(' ')}, no token → ${missing.status}, genuine → ${genuine.status}`,
    );
    assert.deepEqual(away, [403]);
    assert.equal(missing.status, 403);
    assert.equal(genuine.status, 200);
    await until('the genuine event', async () => (delivered().includes('genuine0') ? true : undefined));

    // and in the short windows of full redeploys
    const answers: Array<Promise<Answer>> = [];
    let seq = 0;
    for (let d = 0; d < 5; d++) {
      let deploying = true;
      const deploy = deployFull().finally(() => (deploying = false));
      while (deploying) {
        answers.push(event(seq++, `${TOKEN}-wrong`, 'w'));
        answers.push(event(seq++, TOKEN.slice(1), 'w'));
        await new Promise((r) => setTimeout(r, 2));
      }
      await deploy;
    }
    const all = await Promise.all(answers);
    const statuses = [...new Set(all.filter((a) => a.status !== 'error').map((a) => a.status))];
    console.log(`      wrong-token requests during 5 redeploys: ${all.length}, answers: ${statuses.join(' ')}`);
    assert.deepEqual(statuses, [403]);
    assert.equal((await event(0, TOKEN, 'after-w')).status, 200);
    await until('the event after', async () => (delivered().includes('after-w0') ? true : undefined));
    assert.deepEqual(
      delivered().filter((c) => /^(w|junk)/.test(c)),
      [],
      'no forged event delivered',
    );
  });

  it("keeps the 16 KiB body limit although Node-RED's admin body parser reads bodies first (default roots)", async () => {
    const post = async (cid: string, padding: number): Promise<number> => {
      const r = await fetch(`${red.url}/snom/events?t=${TOKEN}`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `e=missed&cid=${cid}&x=${'a'.repeat(padding)}`,
      });
      await r.arrayBuffer();
      return r.status;
    };
    assert.equal(await post('small-post', 100), 200);
    assert.equal(await post('big-1m', 1024 * 1024), 413);
    assert.equal(await post('big-4m', 4 * 1024 * 1024), 413);
    const big = await fetch(`${red.url}/snom/events?t=${TOKEN}&e=missed&cid=long-get&x=${'a'.repeat(9000)}`, {
      dispatcher: agent,
    });
    assert.equal(big.status, 414);
    await until('the small one', async () => (delivered().includes('small-post') ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      delivered().filter((c) => /^(big|long)/.test(c)),
      [],
      'oversized requests never reach the flow',
    );
  });
});
