// A full redeploy in the very turn an event was handed to the flow: Node-RED delivers sent messages in
// a setImmediate, so the stop pass runs first and the downstream node, already stopped, would drop it.
// The node cancels such deliveries and holds the events again: delivered once, to the new flow.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import snomActionUrlIn = require('../../src/nodes/snom-action-url-in');
import { servingHttpNode, startHttpNodeServer, type HttpNodeServer } from '../support/http-node';
import { fromNodeRed, helper, withRuntimeHooks } from '../support/red';
import { until } from '../support/until';

const functionNode = require(fromNodeRed('@node-red/nodes/core/function/10-function.js'));
// the runtime's hooks, which the node uses to reclaim messages in flight at a redeploy
const withHooks = withRuntimeHooks(snomActionUrlIn);
const TOKEN = 'in-flight-t0ken-0123456789abcdefgh';

describe('snom-action-url-in: an event in flight when a full redeploy stops the flow', function () {
  let server: HttpNodeServer;
  /** runs in a microtask right after the router answered: after the hand-over, before Node-RED delivers */
  let afterAnswer: (() => void) | undefined;
  const nodes = [servingHttpNode(withHooks), functionNode];
  const flow = [
    { id: 'tab', type: 'tab', label: 't' },
    {
      id: 'a1',
      z: 'tab',
      type: 'snom-action-url-in',
      path: '/snom/race',
      allowlist: '',
      holdMs: 10000,
      holdCount: 50,
      wires: [['fn'], []],
    },
    // a downstream node that stops synchronously, as most do; it records into global context, which survives deploys
    {
      id: 'fn',
      z: 'tab',
      type: 'function',
      func: "const s = global.get('seen') || []; s.push(msg.payload.callId); global.set('seen', s); return null;",
      outputs: 1,
      wires: [[]],
    },
  ];
  const creds = () => ({ a1: { token: TOKEN } });
  const seen = (): string[] => (helper.getNode('fn')?.context().global.get('seen') as string[] | undefined) ?? [];

  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    server = await startHttpNodeServer((_req, res: ServerResponse) => {
      const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
      res.end = ((...a: unknown[]) => {
        const after = afterAnswer;
        afterAnswer = undefined;
        if (after) queueMicrotask(after);
        return end(...a);
      }) as typeof res.end;
    });
  });
  after(async () => {
    await server.close();
    await new Promise<void>((r) => helper.stopServer(r));
  });
  afterEach(async () => {
    await helper.unload();
  });

  it('is delivered exactly once, to the new flow', async () => {
    await helper.load(nodes, flow, creds());
    helper.getNode('fn').context().global.set('seen', []);
    let deploy: Promise<void> | undefined;
    afterAnswer = () => {
      deploy = helper.setFlows(flow, 'full', creds());
    };
    const r = await fetch(`${server.url}/snom/race?t=${TOKEN}&e=incoming&cid=race-1`);
    assert.equal(r.status, 200);
    assert.ok(deploy, 'the redeploy started right after the answer');
    await deploy;
    await until('the event in the new flow', async () => (seen().includes('race-1') ? true : undefined), 5000);
    // and nothing more: the next event follows it, and the first is not there twice
    assert.equal((await fetch(`${server.url}/snom/race?t=${TOKEN}&e=incoming&cid=race-2`)).status, 200);
    await until('the next event', async () => (seen().includes('race-2') ? true : undefined), 5000);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen(), ['race-1', 'race-2']);
  });
});
