import assert from 'node:assert/strict';
import snomActionUrlIn = require('../../src/nodes/snom-action-url-in');
import { servingHttpNode, startHttpNodeServer, type HttpNodeServer } from '../support/http-node';
import { helper, nodeModule } from '../support/red';

type AnyNode = any;
type Msg = Record<string, any>;

const TOKEN = 'tOk3n-for-tests_0123456789abcdef';
const SNOM_UA = 'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413922D24 SXM:0 UXM:0)';

// RED.httpNode (new for every helper.load) is served by a real HTTP server on loopback.
const nodes = servingHttpNode((RED: any): void => {
  // the real config node: an event names the running snom-phone config at its sender's address
  (nodeModule('snom-phone') as (red: unknown) => void)(RED);
  snomActionUrlIn(RED);
});

const order: string[] = [];
let server: HttpNodeServer;
let base = '';

function statusesOf(node: AnyNode): Array<{ fill?: string; text?: string }> {
  return node.status
    .getCalls()
    .filter((c: any) => c.thisValue === node)
    .map((c: any) => c.args[0]);
}
function errorsOf(node: AnyNode): string[] {
  return node.error
    .getCalls()
    .filter((c: any) => c.thisValue === node)
    .map((c: any) => String(c.args[0]));
}
function warningsOf(node: AnyNode): string[] {
  return node.warn
    .getCalls()
    .filter((c: any) => c.thisValue === node)
    .map((c: any) => String(c.args[0]));
}
async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const r = await fetch(base + path, { headers });
  return { status: r.status, body: await r.text() };
}
function collect(node: AnyNode): Msg[] {
  const got: Msg[] = [];
  node.on('input', (msg: Msg) => {
    order.push(`message ${msg.topic}`);
    got.push(msg);
  });
  return got;
}
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));

function inNode(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'snom-action-url-in',
    name: '',
    path: `/snom/${id}`,
    allowlist: '',
    holdMs: 10000,
    holdCount: 200,
    wires: [['out']],
    ...over,
  };
}
const outNode = { id: 'out', type: 'helper' };

describe('snom-action-url-in node in a Node-RED runtime', function () {
  before(async () => {
    await helper.startServer();
    server = await startHttpNodeServer((_req, res) => res.on('finish', () => order.push(`answered ${res.statusCode}`)));
    base = server.url;
  });

  after(async () => {
    await server.close();
    await helper.stopServer();
  });

  beforeEach(() => {
    order.length = 0;
  });

  afterEach(async () => {
    helper.settings({});
    await helper.unload();
  });

  it('names the running phone config at the sender address without walking the flows, and follows redeploys', async () => {
    const walks = { count: 0 };
    const eachNode = helper._redNodes.eachNode;
    helper._redNodes.eachNode = (...args: unknown[]) => {
      walks.count++;
      return eachNode.apply(helper._redNodes, args);
    };
    try {
      const flow = (host: string) => [
        inNode('a1'),
        outNode,
        { id: 'other', type: 'snom-phone', host: '10.9.9.9' },
        { id: 'ph', type: 'snom-phone', host },
      ];
      await helper.load(nodes, flow('127.0.0.1:80'), { a1: { token: TOKEN } });
      let got = collect(helper.getNode('out'));
      const before = walks.count;
      for (let i = 0; i < 20; i++) assert.equal((await get(`/snom/a1?t=${TOKEN}&e=incoming`)).status, 200);
      await waitFor('20 messages', () => got.length === 20);
      assert.ok(
        got.every((m) => m.payload.phone.config === 'ph'),
        'every event names the config at 127.0.0.1',
      );
      assert.equal(walks.count, before, 'an event looked its phone up by walking every deployed node');

      // the config moves to another host: events from 127.0.0.1 no longer name it
      await helper.unload();
      await helper.load(nodes, flow('192.0.2.10'), { a1: { token: TOKEN } });
      got = collect(helper.getNode('out'));
      assert.equal((await get(`/snom/a1?t=${TOKEN}&e=incoming`)).status, 200);
      await waitFor('the message', () => got.length === 1);
      assert.equal(got[0].payload.phone.config, undefined);
    } finally {
      helper._redNodes.eachNode = eachNode;
    }
  });

  it('answers 200 with an empty body first, then sends one message with the event', async () => {
    const flow = [inNode('a1'), outNode, { id: 'ph', type: 'snom-phone', host: '127.0.0.1:80' }];
    await helper.load(nodes, flow, { a1: { token: TOKEN } });
    const got = collect(helper.getNode('out'));
    const r = await get(
      `/snom/a1?t=${TOKEN}&e=incoming&local=sip:100@pbx&remote=sip:+4930200@pbx&cid=abc@1.2.3.4&csta=-18` +
        '&drem=Anna%20M&calls=1&mac=$mac&akey=P1&color=blue',
      { 'user-agent': SNOM_UA },
    );
    assert.deepEqual(r, { status: 200, body: '' });
    await waitFor('the message', () => got.length === 1);
    assert.deepEqual(order, ['answered 200', 'message incoming'], 'the phone is answered before the flow runs');
    const msg = got[0];
    assert.equal(msg.topic, 'incoming');
    assert.equal(msg.cstaId, '-18');
    assert.equal(typeof msg._snom.receivedAt, 'number');
    assert.deepEqual(msg.payload, {
      event: 'incoming',
      phone: { address: '127.0.0.1', mac: '000413922D24', model: 'D785', firmware: '10.1.33.33', config: 'ph' },
      local: 'sip:100@pbx',
      remote: 'sip:+4930200@pbx',
      callId: 'abc@1.2.3.4',
      cstaId: '-18',
      displayRemote: 'Anna M',
      nrOngoingCalls: 1,
      activeKey: 'P1',
      extra: { color: 'blue' },
    });
    const node = helper.getNode('a1');
    await waitFor('the counter in the status', () => statusesOf(node).some((s) => s.text === '1 event'));
    assert.deepEqual(statusesOf(node)[0], { fill: 'green', shape: 'dot', text: 'listening /snom/a1' });
  });

  it('refuses a wrong or missing token and a foreign address with 403, and sends nothing', async () => {
    await helper.load(nodes, [inNode('b1'), inNode('b2', { allowlist: '10.0.0.0/8, 2001:db8::/32' }), outNode], {
      b1: { token: TOKEN },
      b2: { token: TOKEN },
    });
    const got = collect(helper.getNode('out'));
    for (const path of [`/snom/b1?t=${TOKEN}x&e=incoming`, '/snom/b1?e=incoming', `/snom/b2?t=${TOKEN}&e=incoming`]) {
      assert.deepEqual(await get(path), { status: 403, body: '' }, path);
    }
    assert.equal((await get(`/snom/b1?t=${TOKEN}&e=ringing`)).status, 400);
    await settle();
    assert.equal(got.length, 0);
    const b1 = helper.getNode('b1');
    await waitFor('refusals in the status', () => statusesOf(b1).some((s) => /3 refused/.test(s.text ?? '')));
  });

  it('answers events that are not selected without sending them', async () => {
    await helper.load(nodes, [inNode('c1', { events: ['hold', 'unhold'] }), outNode], { c1: { token: TOKEN } });
    const got = collect(helper.getNode('out'));
    for (const e of ['incoming', 'hold', 'missed', 'unhold']) {
      assert.equal((await get(`/snom/c1?t=${TOKEN}&e=${e}`)).status, 200);
    }
    await waitFor('two messages', () => got.length === 2);
    await settle();
    assert.deepEqual(
      got.map((m) => m.topic),
      ['hold', 'unhold'],
    );
  });

  it('turns both nodes on one path red with a warning, and neither receives', async () => {
    await helper.load(nodes, [inNode('d1', { path: '/snom/same' }), inNode('d2', { path: '/snom/same/' }), outNode], {
      d1: { token: TOKEN },
      d2: { token: TOKEN },
    });
    const got = collect(helper.getNode('out'));
    for (const id of ['d1', 'd2']) {
      const node = helper.getNode(id);
      const last = statusesOf(node).at(-1);
      assert.equal(last?.fill, 'red', id);
      assert.equal(last?.text, 'duplicate path /snom/same');
      assert.ok(
        warningsOf(node).some((w) => w.includes('/snom/same')),
        id,
      );
    }
    assert.equal((await get(`/snom/same?t=${TOKEN}&e=incoming`)).status, 503);
    await settle();
    assert.equal(got.length, 0);
  });

  it('delivers every event held during a redeploy exactly once and counts the overflow', async () => {
    const withNode = [inNode('e1', { holdCount: 5 }), outNode];
    // a fresh object each time: Node-RED keeps (and later cleans) the very object it is given
    const creds = () => ({ e1: { token: TOKEN } });
    await helper.load(nodes, withNode, creds());
    const got = collect(helper.getNode('out'));
    assert.equal((await get(`/snom/e1?t=${TOKEN}&e=connected&cid=c0`)).status, 200);
    await waitFor('the first message', () => got.length === 1);

    await helper.setFlows([outNode], 'nodes'); // the node is gone: its path is held
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => `c${i + 1}`).map(async (cid) => ({
        cid,
        status: (await get(`/snom/e1?t=${TOKEN}&e=connected&cid=${cid}`)).status,
      })),
    );
    const accepted = answers.filter((a) => a.status === 200).map((a) => a.cid);
    assert.equal(accepted.length, 5, 'hold count');
    assert.equal(answers.filter((a) => a.status === 503).length, 3, 'beyond the bound: refused, not silently lost');
    await settle();
    assert.equal(got.length, 1, 'nothing delivered while no node is deployed');

    await helper.setFlows(withNode, 'nodes', creds()); // back: held events flow out
    await waitFor('the held messages', () => got.length === 6);
    assert.equal((await get(`/snom/e1?t=${TOKEN}&e=disconnected&cid=c9`)).status, 200);
    await waitFor('the message after the redeploy', () => got.length === 7);
    await settle();
    const ids = got.map((m) => m.payload.callId);
    assert.equal(got.length, 7);
    assert.equal(new Set(ids).size, 7, 'no event delivered twice');
    assert.deepEqual(ids.slice(1, 6).sort(), accepted.sort(), 'exactly the accepted events were delivered');
    assert.equal(ids[6], 'c9');
    assert.ok(got.slice(1, 6).every((m) => m._snom.held === true));
    const node = helper.getNode('e1');
    await waitFor('the drop count in the status', () =>
      statusesOf(node).some((s) => /3 events dropped/.test(s.text ?? '')),
    );
    assert.equal(statusesOf(node).find((s) => /dropped/.test(s.text ?? ''))?.fill, 'yellow');
    assert.ok(warningsOf(node).some((w) => w.includes('3 phone events')));
  });

  it('refuses wrong tokens while the node is away, and 200 junk requests leave room for a genuine event', async () => {
    const withNode = [inNode('w1', { holdCount: 20 }), outNode];
    const creds = () => ({ w1: { token: TOKEN } });
    await helper.load(nodes, withNode, creds());
    const got = collect(helper.getNode('out'));
    await helper.setFlows([outNode], 'nodes'); // the redeploy window: no node on the path
    const junk = await Promise.all(
      Array.from({ length: 200 }, (_, i) => get(`/snom/w1?t=${TOKEN.slice(0, -1)}${i % 10}&e=connected&cid=junk${i}`)),
    );
    assert.deepEqual([...new Set(junk.map((r) => r.status))], [403], 'wrong tokens are refused, not held');
    assert.equal((await get(`/snom/w1?e=connected&cid=none`)).status, 403);
    assert.equal((await get(`/snom/w1?t=${TOKEN}&e=connected&cid=genuine`)).status, 200);
    await helper.setFlows(withNode, 'nodes', creds());
    await waitFor('the genuine event', () => got.length >= 1);
    await settle();
    assert.deepEqual(
      got.map((m) => m.payload.callId),
      ['genuine'],
    );
    assert.equal(got[0]._snom.held, true);
  });

  it('an invalid allowlist is a deploy-time error and a red status, and its requests get 503 (also right after a valid deploy)', async () => {
    const creds = () => ({ v1: { token: TOKEN } });
    await helper.load(nodes, [inNode('v1'), outNode], creds());
    const got = collect(helper.getNode('out'));
    await helper.setFlows([inNode('v1', { allowlist: '10.0.0.0/8, 10.0.0.300' }), outNode], 'nodes', creds());
    const node = helper.getNode('v1');
    assert.ok(
      errorsOf(node).some((e) => e.includes('10.0.0.300')),
      'node.error at construction names the entry',
    );
    assert.deepEqual(statusesOf(node).at(-1), { fill: 'red', shape: 'ring', text: 'invalid configuration' });
    assert.equal((await get(`/snom/v1?t=${TOKEN}&e=incoming`)).status, 503, 'not a 200 followed by silence');
    assert.equal((await get(`/snom/v1?t=wrong&e=incoming`)).status, 403);
    await settle();
    assert.equal(got.length, 0);
    await helper.unload();
    await helper.load(nodes, [inNode('v2', { allowlist: 'nonsense' }), outNode], { v2: { token: TOKEN } });
    assert.equal((await get(`/snom/v2?t=${TOKEN}&e=incoming`)).status, 503, 'first deploy too');
    assert.equal(statusesOf(helper.getNode('v2')).at(-1)?.fill, 'red');
  });

  it('delivers requested SIP headers and phone settings under readable names', async () => {
    await helper.load(nodes, [inNode('x1'), outNode], { x1: { token: TOKEN } });
    const got = collect(helper.getNode('out'));
    const r = await get(
      `/snom/x1?t=${TOKEN}&e=incoming&remote=sip:200@pbx&h.X-Foo=ticket%2042&h.X-Empty=$sip_header(X-Empty)` +
        '&v.user_uid%5B1%5D=u-7&v.language=Deutsch&auser=100&h.__proto__=p',
    );
    assert.equal(r.status, 200);
    await waitFor('the message', () => got.length === 1);
    const p = got[0].payload;
    assert.deepEqual(p.sipHeaders, { 'X-Foo': 'ticket 42' });
    assert.deepEqual(p.phoneVariables, { 'user_uid[1]': 'u-7', language: 'Deutsch' });
    assert.equal(p.activeUser, '100');
    assert.equal(p.remote, 'sip:200@pbx');
    assert.deepEqual(p.extra, {});
  });

  it('recognises the firewall test under both setting names', async () => {
    await helper.load(nodes, [inNode('fw'), outNode], { fw: { token: TOKEN } });
    const got = collect(helper.getNode('out'));
    for (const e of ['firewallTest', 'action_fwtest_url', 'action_firewall_test']) {
      assert.equal((await get(`/snom/fw?t=${TOKEN}&e=${e}&mac=000413922D24`)).status, 200, e);
    }
    await waitFor('three messages', () => got.length === 3);
    assert.deepEqual(
      got.map((m) => m.topic),
      ['firewallTest', 'firewallTest', 'firewallTest'],
    );
  });

  it('never shows the token in status, warnings or messages', async () => {
    await helper.load(nodes, [inNode('f1'), outNode], { f1: { token: TOKEN } });
    const got = collect(helper.getNode('out'));
    await get(`/snom/f1?t=${TOKEN}&e=hold&remote=x`);
    await get(`/snom/f1?t=${TOKEN}&e=hold&token=${TOKEN}&note=${TOKEN.slice(0, 4)}`);
    await get(`/snom/f1?t=nope&e=hold`);
    await waitFor('two messages', () => got.length === 2);
    const node = helper.getNode('f1');
    await waitFor('a settled status', () => statusesOf(node).some((s) => s.text === '2 events, 1 refused'));
    const seen = JSON.stringify({ s: statusesOf(node), w: warningsOf(node), m: got });
    assert.ok(!seen.includes(TOKEN), 'token leaked');
  });

  it('generates a token when none is configured and warns that phones need it', async () => {
    await helper.load(nodes, [inNode('g1'), outNode]);
    const got = collect(helper.getNode('out'));
    const node = helper.getNode('g1');
    await waitFor('the warning', () => warningsOf(node).some((w) => /provisioned/.test(w)));
    assert.equal((await get('/snom/g1?t=&e=hold')).status, 403);
    assert.equal((await get('/snom/g1?e=hold')).status, 403);
    await settle();
    assert.equal(got.length, 0);
  });

  it('does not listen when httpNodeRoot is false, and says so', async () => {
    helper.settings({ httpNodeRoot: false });
    await helper.load(nodes, [inNode('h1'), outNode], { h1: { token: TOKEN } });
    const node = helper.getNode('h1');
    assert.equal(statusesOf(node).at(-1)?.fill, 'red');
    assert.ok(warningsOf(node).some((w) => /httpNodeRoot/.test(w)));
    assert.equal((await get(`/snom/h1?t=${TOKEN}&e=hold`)).status, 404);
  });
});
