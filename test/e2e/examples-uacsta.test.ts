// The uaCSTA examples in a real node-red process against a simulated phone on firmware 8.7.1: what their
// debug nodes show is recorded (GET /seen), and the phone's own state says what happened.
import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { exampleFlows } from '../../src/dev/userdir';
import { recorderNodes, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { SIM_PASSWORD, SIM_USER, simJson, startPhones, stopAll } from '../support/sim';
import { until } from '../support/until';

type N = Record<string, any>;

/** The example, aimed at `phone` (HTTP and SIP ports, the simulator's URL), with `recorded` debug nodes recorded. */
async function deploy(example: string, phone: SimPhone, recorded: string[]) {
  let flows: N[] = [];
  const red = await startNodeRed(
    () => {
      flows = exampleFlows([example]) as N[];
      for (const n of flows) {
        if (n.type === 'snom-phone')
          Object.assign(n, { port: String(phone.port), sipPort: String(phone.sipPorts!.udp) });
        if (n.type === 'http request') n.url = n.url.replace('http://127.0.0.1:8081', phone.url);
      }
      const ids = flows.filter((n) => n.type === 'debug' && recorded.includes(n.name)).map((n) => n.id);
      for (const n of flows)
        for (const out of n.wires ?? []) if (out.some((w: string) => ids.includes(w))) out.push('rec');
      flows.push(
        ...recorderNodes(flows.find((n) => n.type === 'tab')!.id, '{ topic: msg.topic, payload: msg.payload }'),
      );
      return flows;
    },
    Object.fromEntries(
      exampleFlows([example])
        .filter((n: any) => n.type === 'snom-phone')
        .map((n: any) => [n.id, { user: SIM_USER, password: SIM_PASSWORD }]),
    ),
  );
  const inject = async (name: string): Promise<void> => {
    const id = flows.find((n) => n.type === 'inject' && n.name === name)!.id;
    assert.equal((await fetch(`${red.url}/inject/${id}`, { method: 'POST' })).status, 200);
  };
  const seen = async (): Promise<N[]> => (await (await fetch(`${red.url}/seen`)).json()) as N[];
  return { red, inject, seen };
}

/** The example's events node has set up its association and monitors (after csta_control was switched on). */
const monitoring = (phone: SimPhone): Promise<true> =>
  until('monitoring', async () => {
    const s = await simJson(phone, 'GET', 'sip');
    return s.associations.some((a: N) => a.monitors.length > 0) ? true : undefined;
  });

describe('end to end: the uaCSTA examples on simulated firmware 8.7.1', function () {
  this.timeout(60000);
  let phone: SimPhone;
  let red: NodeRedProcess | undefined;
  before(async () => {
    [phone] = await startPhones([{ model: 'D785', firmware: '8.7.1', auth: 'digest' }]);
  });
  afterEach(async () => {
    await red?.stop();
    red = undefined;
    await fetch(`${phone.url}/sim/reset`, { method: 'POST' });
  });
  after(async () => stopAll([phone]));

  it('CSTA over SIP (firmware 8.7.1): csta_control on, a call rings, is answered over SIP and cleared; its events arrive', async () => {
    const ex = await deploy('CSTA over SIP (firmware 8.7.1)', phone, ['events', 'answered', 'cleared']);
    red = ex.red;
    await ex.inject('1. Switch on csta_control (once)');
    await monitoring(phone);
    await ex.inject('Simulate an incoming call (simulator)');
    const seen = await until('the call cleared', async () => {
      const s = await ex.seen();
      return s.some((m) => m.payload?.operation === 'ClearConnectionResponse') &&
        s.some((m) => m.topic === 'connectionCleared')
        ? s
        : undefined;
    });
    const events = seen.filter((m) => m.payload?.cstaEvent).map((m) => m.topic);
    assert.deepEqual(events, ['delivered', 'established', 'connectionCleared']);
    assert.ok(seen.some((m) => m.payload?.operation === 'AnswerCallResponse'));
    const ext = (await simJson(phone, 'GET', 'state')).ext;
    assert.deepEqual(
      ext.calls.map((c: N) => c.state),
      ['disconnected'],
    );
    assert.equal(ext.csta.length, 0, 'nothing went over HTTP CSTA');
  });

  it('Call events without Action URLs: one line per event in the call log', async () => {
    const ex = await deploy('Call events without Action URLs', phone, ['call log']);
    red = ex.red;
    await ex.inject('1. Switch on csta_control (once)');
    await monitoring(phone);
    await ex.inject('Simulate an incoming call (simulator)');
    const [line] = await until('a call log line', async () => {
      const s = await ex.seen();
      return s.length ? s : undefined;
    });
    assert.match(line.payload, /^call -?\d+ with sip:0301234567@pbx\.local: rings$/);
  });
});
