import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { exampleFlows } from '../../src/dev/userdir';
import { recorderNodes, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { until } from '../support/until';
import { SIM_PASSWORD, SIM_USER, startPhones, stopAll } from '../support/sim';

type FlowNode = Record<string, any>;

/**
 * A shipped example pointed at a simulated phone, with a recorder behind the named debug node:
 * whatever reaches that debug node is also kept, and GET /seen returns it.
 */
async function runExample(name: string, debugName: string, phone: SimPhone) {
  const example = exampleFlows([name]) as FlowNode[];
  const credentials: Record<string, Record<string, string>> = {};
  for (const n of example) {
    if (n.type === 'snom-phone') credentials[n.id] = { user: SIM_USER, password: SIM_PASSWORD };
    if (n.type === 'snom-action-url-in') credentials[n.id] = { token: `tok-${n.id}-0123456789abcdef` };
  }
  let flows: FlowNode[] = [];
  const red = await startNodeRed((port) => {
    flows = exampleFlows([name]) as FlowNode[];
    const tab = flows.find((n) => n.type === 'tab')!.id;
    for (const n of flows) {
      if (n.type === 'snom-phone') Object.assign(n, { port: String(phone.port), baseUrl: `http://127.0.0.1:${port}` });
      // the example's URL key points at Node-RED's default port
      if (n.type === 'inject' && typeof n.payload === 'string')
        n.payload = n.payload.replace('127.0.0.1:1880', `127.0.0.1:${port}`);
    }
    const dbg = flows.find((n) => n.type === 'debug' && n.name === debugName)!.id;
    for (const n of flows) for (const out of n.wires ?? []) if (out.includes(dbg)) out.push('rec');
    flows.push(...recorderNodes(tab, 'msg.payload'));
    return flows;
  }, credentials);
  const press = async (injectName: string) => {
    const id = flows.find((n) => n.type === 'inject' && n.name === injectName)!.id;
    assert.equal((await fetch(`${red.url}/inject/${id}`, { method: 'POST' })).status, 200);
  };
  const seen = async () => (await (await fetch(`${red.url}/seen`)).json()) as unknown[];
  return { red, press, seen };
}

describe('end to end: the shipped examples against a simulated phone', function () {
  this.timeout(60000);
  let phone: SimPhone;
  let red: NodeRedProcess | undefined;
  before(async () => {
    [phone] = await startPhones([{ model: 'D785', firmware: '10.1.33.33', auth: 'digest' }]);
  });
  afterEach(async () => {
    await red?.stop();
    red = undefined;
    await fetch(`${phone.url}/sim/reset`, { method: 'POST' });
  });
  after(async () => {
    await stopAll([phone]);
  });

  it('Firewall test: provision action_fwtest_url, fire the test, the event arrives', async () => {
    const ex = await runExample('Firewall test', 'result', phone);
    red = ex.red;
    await ex.press('1. Provision action_fwtest_url');
    await until('action_fwtest_url set', async () => {
      const s = (await (await fetch(`${phone.url}/sim/settings`)).json()) as Record<string, string>;
      return s.action_fwtest_url ? true : undefined;
    });
    await ex.press('2. Fire the test');
    const result = await until('firewall result', async () => (await ex.seen())[0]);
    assert.equal(result, 'Firewall test passed: the phone reached Node-RED');
  });

  it('Function key to automation: P3 as a URL key and a long press both reach the flow', async () => {
    const ex = await runExample('Function key to automation', 'automation', phone);
    red = ex.red;
    await ex.press('Make P3 a URL key');
    await ex.press('Provision long press');
    await until('fkey2 and action_longpress_url set', async () => {
      const s = (await (await fetch(`${phone.url}/sim/settings`)).json()) as Record<string, string>;
      return s.fkey2?.startsWith('url ') && s.fkey_label2 === 'Lights' && s.action_longpress_url ? true : undefined;
    });
    await ex.press('Try it: press P3');
    await until('short press', async () =>
      (await ex.seen()).includes('P3 pressed: toggle the living-room lights') ? true : undefined,
    );
    await ex.press('Try it: hold P3 for 3 s');
    await until('long press', async () => ((await ex.seen()).includes('P3 held: all lights off') ? true : undefined));
  });
});
