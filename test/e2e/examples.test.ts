// The shipped examples as `npm start` runs them: every examples/*.json deployed together in one real
// node-red process (devFlows, the flows npm start writes) against the three simulated phones of npm
// start (devSimConfigs), each example pressed through its own inject buttons. Every file in examples/
// needs its entry in EXAMPLES below: the first test fails for a file without one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEV_PHONES, devSimConfigs, type DevPorts } from '../../src/dev/phones';
import { devFlows } from '../../src/dev/start';
import { PACKAGE_ROOT, exampleFlows, exampleNames } from '../../src/dev/userdir';
import { startSimPhones, stopAll } from '../../src/simulator/cluster';
import type { SimPhone } from '../../src/simulator/phone';
import { startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { simJson, simReset, simState } from '../support/sim';
import { until } from '../support/until';
import { editorProblems } from './editor-check';
import { freeRun } from './ports';

type FlowNode = Record<string, any>;

/** What reached a debug node: the recorder behind it keeps these fields of the message. */
interface Seen {
  debug: string;
  topic?: unknown;
  payload?: any;
  code?: string;
  error?: string;
  phone?: string;
  cstaId?: string;
}

/** One example, deployed: its inject buttons, what reached its debug nodes, the phones. */
interface Example {
  press(injectName: string): Promise<void>;
  /** records of this example's debug nodes (all, or those of one debug node), in arrival order */
  seen(debug?: string): Promise<Seen[]>;
  /** waits until `debug` has at least `n` records and returns them */
  arrived(debug: string, n?: number): Promise<Seen[]>;
  nodes: FlowNode[];
  /** Reception D785 (Digest), Office D385 (Basic, its config holds the fleet), Touch snom870 */
  reception: SimPhone;
  office: SimPhone;
  touch: SimPhone;
  nodeRedUrl: string;
}

const settingsOf = (p: SimPhone) => simJson(p, 'GET', 'settings') as Promise<Record<string, string>>;
const phonesOf = (seen: Seen[]) => seen.map((s) => s.phone).sort();

/** Presses an inject with bad input: E_INPUT reaches the Catch node and nothing reaches the phone. */
async function refused(ex: Example, phone: SimPhone, injectName: string): Promise<Seen> {
  const before = (await simState(phone)).requests;
  await ex.press(injectName);
  const [err] = await ex.arrived('errors');
  assert.equal(err.code, 'E_INPUT');
  assert.equal((await simState(phone)).requests, before, 'nothing was sent');
  return err;
}

/**
 * One entry per file in examples/ (the name without .json). Helpers adding an example add its
 * entry here: press its buttons, assert on the phones (their /sim API) and the debug nodes.
 */
const EXAMPLES: Record<string, (ex: Example) => Promise<void>> = {
  'Getting started': async (ex) => {
    await ex.press('Press P1');
    await until('P1 at reception', async () => ((await simState(ex.reception)).keys.length === 1 ? true : undefined));
    assert.equal((await simState(ex.reception)).keys[0].key, 'P1');
    await ex.press('Dial 9196, hold * 1 s');
    await ex.press('Call 0301234567');
    await until('the dial', async () => (await simState(ex.reception)).dials[0]);
    assert.equal((await simState(ex.reception)).dials[0].number, '0301234567');
    const keys = (await simState(ex.reception)).keys.map((k) => k.key).join(';');
    assert.equal(keys, 'P1;9;1;9;6;ENTER;*;#');
    await ex.press('Play ringer 3');
    await until('ringer 3', async () => ((await simState(ex.reception)).ringer.last === 3 ? true : undefined));
    await ex.press('DND on all three phones');
    const fanOut = await until('DND on three phones', async () => {
      const dnd = (await ex.seen('phone answers')).filter((s) => s.payload === 'DND' && s.phone);
      return dnd.length >= 3 ? dnd : undefined;
    });
    assert.equal(new Set(phonesOf(fanOut)).size, 3);
    for (const p of [ex.reception, ex.office, ex.touch])
      assert.ok((await simState(p)).keys.some((k) => k.key === 'DND'));
    assert.match((await refused(ex, ex.reception, 'Bad key (shows E_INPUT)')).error!, /NOSUCHKEY/);
  },

  'Caller popup (CTI)': async (ex) => {
    // test/e2e/cti-flow.test.ts follows this one call by call; here: it runs next to all the others
    await ex.press('Provision the phone (once)');
    await until('provisioned', async () => ((await settingsOf(ex.reception)).action_incoming_url ? true : undefined));
    await ex.press('Simulate an incoming call (simulator)');
    const [answered] = await ex.arrived('answered');
    assert.equal(answered.code, undefined);
    const screen = (await simState(ex.reception)).ext.screen as { document: string };
    assert.match(screen.document, /Ada Lovelace/);
    await until('connected', async () =>
      (await ex.seen('call state')).some((s) => s.topic === 'connected') ? true : undefined,
    );
  },

  // test/e2e/examples-sip-notify.test.ts runs every step of these two; here they run beside the others
  'SIP notify': async (ex) => {
    await ex.press('1. Prepare phone');
    const [prepared] = await ex.arrived('sip result');
    assert.match(String(prepared.payload), /prepare/);
    const s = await settingsOf(ex.reception);
    assert.deepEqual([s.mb_trusted_hosts, s.filter_registrar, s.fkey6], ['127.0.0.1', 'off', 'button 6']);
    await ex.press('3. Door key red');
    const results = await ex.arrived('sip result', 2);
    assert.equal(results[1].code, undefined);
  },

  'SIP auto-answer (Alert-Info)': async (ex) => {
    await ex.press('Auto-answer when idle');
    await until('answer_after_policy idle', async () =>
      (await settingsOf(ex.reception)).answer_after_policy === 'idle' ? true : undefined,
    );
  },

  // test/e2e/examples-uacsta.test.ts follows these on firmware 8.7.1; here on npm start's D785
  'Call events without Action URLs': async (ex) => {
    await ex.press('1. Switch on csta_control (once)');
    await until('csta_control on', async () =>
      (await settingsOf(ex.reception)).csta_control === 'on' ? true : undefined,
    );
  },

  'CSTA over SIP (firmware 8.7.1)': async (ex) => {
    await ex.press('1. Switch on csta_control (once)');
    await until('csta_control on', async () =>
      (await settingsOf(ex.reception)).csta_control === 'on' ? true : undefined,
    );
  },

  'Firewall test': async (ex) => {
    await ex.press('1. Provision action_fwtest_url');
    await until('action_fwtest_url set', async () =>
      (await settingsOf(ex.reception)).action_fwtest_url ? true : undefined,
    );
    await ex.press('2. Fire the test');
    const [result] = await ex.arrived('result');
    assert.equal(result.payload, 'Firewall test passed: the phone reached Node-RED');
  },

  'Function key to automation': async (ex) => {
    await ex.press('Make P3 a URL key');
    await ex.press('Provision long press');
    await until('fkey2 and action_longpress_url set', async () => {
      const s = await settingsOf(ex.reception);
      return s.fkey2?.startsWith('url ') && s.fkey_label2 === 'Lights' && s.action_longpress_url ? true : undefined;
    });
    assert.equal(new URL((await settingsOf(ex.reception)).fkey2.slice(4)).origin, ex.nodeRedUrl);
    await ex.press('Try it: press P3');
    await until('short press', async () =>
      (await ex.seen('automation')).some((s) => s.payload === 'P3 pressed: toggle the living-room lights')
        ? true
        : undefined,
    );
    await ex.press('Try it: hold P3 for 3 s');
    await until('long press', async () =>
      (await ex.seen('automation')).some((s) => s.payload === 'P3 held: all lights off') ? true : undefined,
    );
  },

  'Doorbell - ring every phone and show a message': async (ex) => {
    await ex.press('Doorbell pressed');
    const seen = await ex.arrived('doorbell', 6);
    assert.deepEqual(
      seen.map((s) => s.code),
      Array(6).fill(undefined),
    );
    for (const p of [ex.reception, ex.office, ex.touch]) {
      const st = await simState(p);
      assert.equal(st.ringer.last, 3, `${p.config.model} rang`);
      const screen = st.ext.screen as { document: string } | undefined;
      assert.match(screen?.document ?? '', /Someone is at the front door/, `${p.config.model} shows it`);
    }
  },

  'Night reboot of all phones': async (ex) => {
    const inject = ex.nodes.find((n) => n.type === 'inject')!;
    assert.equal(inject.crontab, '00 03 * * *');
    await ex.press('Every night at 03:00');
    const seen = await ex.arrived('rebooted', 3);
    assert.equal(new Set(phonesOf(seen)).size, 3);
    for (const p of [ex.reception, ex.office, ex.touch]) assert.equal((await simState(p)).reboots, 1);
  },

  'snom-key (press keys)': async (ex) => {
    await ex.press('Press P1');
    await ex.arrived('sent', 1);
    await ex.press('MENU, DOWN (held 0.5 s), CANCEL');
    await ex.arrived('sent', 2);
    await ex.press('Volume up twice (an array)');
    await ex.arrived('sent', 3);
    const keys = (await simState(ex.reception)).keys.map((k) => [k.key, k.time]);
    assert.deepEqual(keys.slice(0, 4), [
      ['P1', undefined],
      ['MENU', undefined],
      ['DOWN', 500],
      ['CANCEL', undefined],
    ]);
    assert.deepEqual(
      keys.slice(4).map((k) => k[0]),
      ['VOLUME_UP', 'VOLUME_UP'],
    );
    await refused(ex, ex.reception, 'Bad key: P1,abc (E_INPUT)');
  },

  'snom-dial (dial and DTMF)': async (ex) => {
    await ex.press('Call 0301234567');
    await ex.arrived('sent', 1);
    await ex.press('Send DTMF 1 2 #');
    await ex.arrived('sent', 2);
    await ex.press('Hang up');
    await ex.arrived('sent', 3);
    await ex.press('Call the number in msg.payload');
    await ex.arrived('sent', 4);
    const st = await simState(ex.office);
    assert.deepEqual(
      st.dials.map((d) => d.number),
      ['0301234567', '0897654321'],
    );
    assert.deepEqual(
      st.dtmf.map((d) => d.digits),
      ['12#'],
    );
    assert.equal((await ex.seen('errors')).length, 0);
  },

  'snom-command (remote commands)': async (ex) => {
    await ex.press('Play ringer 5');
    await ex.press('Re-register identity 1');
    await ex.press('Clear the missed calls list');
    const done = await ex.arrived('done', 3);
    assert.deepEqual(
      done.map((d) => d.code),
      [undefined, undefined, undefined],
    );
    const st = await simState(ex.reception);
    assert.equal(st.ringer.last, 5);
    assert.equal(st.registrations[0].reregisters, 1);
    assert.ok(st.commands.some((c) => /missed/i.test(c.name)));
  },

  'snom-touch (snom870 touch screen)': async (ex) => {
    await ex.press('Tap the centre');
    await ex.arrived('touched', 1);
    await ex.press('Swipe left to right');
    await ex.arrived('touched', 2);
    assert.deepEqual(
      (await simState(ex.touch)).touches.map((t) => [t.x, t.y, t.action]),
      [
        [240, 136, 'pr'],
        [60, 136, 'p'],
        [420, 136, 'r'],
      ],
    );
    await refused(ex, ex.touch, 'Off the screen: 500 100 (E_INPUT)');
  },

  'snom-csta (call control)': async (ex) => {
    await ex.press('Call 200, hang up after 2 s');
    const [made, cleared] = await ex.arrived('csta', 2);
    assert.equal(made.code, undefined);
    assert.ok(made.cstaId, 'MakeCall set msg.cstaId');
    assert.equal(cleared.code, undefined);
    assert.equal(cleared.cstaId, made.cstaId, 'ClearConnection took the call from msg.cstaId');
    await ex.press('Which calls are there?');
    await ex.arrived('csta', 3);
    await ex.press('Do not disturb on');
    const all = await ex.arrived('csta', 4);
    assert.deepEqual(
      all.map((s) => s.code),
      [undefined, undefined, undefined, undefined],
    );
    const calls = (await simJson(ex.reception, 'GET', 'calls')) as { dnd?: unknown };
    assert.equal(calls.dnd, true, 'DND is on at the phone');
    assert.equal(all[2].payload.operation, 'SnapshotDeviceResponse');
    assert.deepEqual(all[3].payload.data, { doNotDisturbOn: 'true' }, 'GetDoNotDisturb reads it back');
  },

  'snom-settings (read and write settings)': async (ex) => {
    await ex.press('Read model, firmware, MAC');
    const [read] = await ex.arrived('settings', 1);
    assert.match(String(read.payload.phone_type), /D385/);
    assert.equal(read.payload.firmware_version, ex.office.config.firmware);
    await ex.press('Write ntp_server');
    await ex.arrived('settings', 2);
    await ex.press('Write two from msg.payload');
    await ex.arrived('settings', 3);
    const s = await settingsOf(ex.office);
    assert.equal(s.ntp_server, 'pool.ntp.org');
    assert.equal(s.user_realname1, 'Office');
    assert.equal(s.timezone, 'GER+1');
    assert.equal((await ex.seen('errors')).length, 0);
  },

  'snom-xml-push (show a screen)': async (ex) => {
    await ex.press('Text screen from an object');
    await ex.arrived('shown', 1);
    const first = (await simState(ex.office)).ext.screen as { document: string };
    assert.match(first.document, /Node-RED is talking to this phone/);
    await ex.press('Menu from XML');
    await ex.arrived('shown', 2);
    const menu = (await simState(ex.office)).ext.screen as { document: string };
    assert.match(menu.document, /<SnomIPPhoneMenu>/);
    assert.equal((await ex.seen('errors')).length, 0);
  },

  'snom-action-url-in (phone events)': async (ex) => {
    await ex.press('Provision the phone (once)');
    await ex.arrived('provisioning', 1);
    const url = new URL((await settingsOf(ex.touch)).action_incoming_url);
    assert.equal(url.origin + url.pathname, `${ex.nodeRedUrl}/snom/touch-events`);
    await ex.press('Ring the phone (simulator)');
    const [incoming] = await ex.arrived('events', 1);
    assert.equal(incoming.topic, 'incoming');
    assert.match(String(incoming.payload.remote), /0897654321/);
    await ex.press('Answer');
    await ex.press('Hang up');
    const events = await ex.arrived('events', 3);
    assert.deepEqual(
      events.map((e) => e.topic),
      ['incoming', 'connected', 'disconnected'],
    );
  },
};

/**
 * The test hooks: behind every debug node a function node that keeps what reached it in global
 * context, and GET /seen that returns it all.
 */
function withRecorders(flows: FlowNode[]): FlowNode[] {
  const extra: FlowNode[] = [];
  for (const dbg of flows.filter((n) => n.type === 'debug')) {
    const rec = `rec-${dbg.id}`;
    for (const n of flows) for (const out of n.wires ?? []) if (out.includes(dbg.id)) out.push(rec);
    const entry = `{ tab: ${JSON.stringify(dbg.z)}, debug: ${JSON.stringify(dbg.name)}, topic: msg.topic, payload: msg.payload, code: msg.error && msg.error.code, error: msg.error && msg.error.message, phone: msg.snom && msg.snom.phone, cstaId: msg.cstaId }`;
    extra.push({
      id: rec,
      z: dbg.z,
      type: 'function',
      x: 1,
      y: 1,
      func: `const s = global.get('seen') || []; s.push(JSON.parse(JSON.stringify(${entry}))); global.set('seen', s); return null;`,
      outputs: 1,
      wires: [[]],
    });
  }
  const tab = flows.find((n) => n.type === 'tab')!.id;
  extra.push(
    { id: 'seenIn', z: tab, type: 'http in', x: 1, y: 1, url: '/seen', method: 'get', wires: [['seenFn']] },
    {
      id: 'seenFn',
      z: tab,
      type: 'change',
      x: 1,
      y: 1,
      rules: [
        {
          t: 'set',
          p: 'payload',
          pt: 'msg',
          tot: 'jsonata',
          to: "$globalContext('seen') ? $globalContext('seen') : []",
        },
      ],
      wires: [['seenOut']],
    },
    { id: 'seenOut', z: tab, type: 'http response', x: 1, y: 1, wires: [] },
  );
  return [...flows, ...extra];
}

describe('the shipped examples', function () {
  it('has a test below for every file in examples/, and none for a file that is gone', () => {
    const names = exampleNames();
    assert.deepEqual(
      names.filter((n) => !Object.hasOwn(EXAMPLES, n)),
      [],
      'examples without an entry in EXAMPLES (test/e2e/examples.test.ts)',
    );
    assert.deepEqual(
      Object.keys(EXAMPLES).filter((n) => !names.includes(n)),
      [],
      'entries in EXAMPLES without a file',
    );
  });

  it('are valid in the editor: no node "not properly configured" on import', () => {
    for (const name of exampleNames()) {
      const flows = exampleFlows([name]) as FlowNode[];
      assert.deepEqual(editorProblems(flows), [], name);
    }
  });

  it("use the phones of npm start: each snom-phone config is one of npm start's, the same in every file", () => {
    const byId = new Map(DEV_PHONES.map((p, i) => [p.configId, { ...p, port: String(8081 + i) }]));
    const seen = new Map<string, string>();
    for (const name of exampleNames()) {
      const nodes = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'examples', `${name}.json`), 'utf8'));
      const ids = new Set((nodes as FlowNode[]).map((n) => n.id));
      for (const n of nodes as FlowNode[]) {
        // every reference to a config node resolves inside the file: the file imports on its own
        if (typeof n.phone === 'string') assert.ok(ids.has(n.phone), `${name}: ${n.id} names phone ${n.phone}`);
        if (n.type !== 'snom-phone') continue;
        const dev = byId.get(n.id);
        assert.ok(dev, `${name}: config ${n.id} ("${n.name}") is not one of npm start's phones`);
        assert.equal(n.name, dev.configName, name);
        assert.equal(n.port, dev.port, name);
        assert.equal(n.host, '127.0.0.1', name);
        const text = JSON.stringify(n);
        if (seen.has(n.id)) assert.equal(text, seen.get(n.id), `${name}: config ${n.id} differs from another file's`);
        seen.set(n.id, text);
      }
    }
  });

  describe('deployed together as npm start deploys them, against its three simulated phones', function () {
    this.timeout(60000);
    let red: NodeRedProcess;
    let phones: SimPhone[];
    let flows: FlowNode[] = [];
    before(async function () {
      this.timeout(90000);
      const ports: DevPorts = { nodeRed: 0, phones: await freeRun(3), sip: await freeRun(3, true) };
      phones = await startSimPhones(devSimConfigs(ports));
      const credentials: Record<string, Record<string, string>> = {};
      red = await startNodeRed((port) => {
        const dev = devFlows({ ...ports, nodeRed: port });
        Object.assign(credentials, dev.credentials);
        flows = withRecorders(dev.flows);
        return flows;
      }, credentials);
    });
    beforeEach(async () => {
      for (const p of phones) await simReset(p);
    });
    after(async () => {
      await red?.stop();
      if (phones) await stopAll(phones);
    });

    for (const name of Object.keys(EXAMPLES)) {
      it(name, async () => {
        const tab = flows.find((n) => n.type === 'tab' && n.label === name)!.id;
        const nodes = flows.filter((n) => n.z === tab);
        const seen = async (debug?: string) =>
          ((await (await fetch(`${red.url}/seen`)).json()) as Array<Seen & { tab: string }>).filter(
            (s) => s.tab === tab && (debug === undefined || s.debug === debug),
          );
        const ex: Example = {
          nodes,
          reception: phones[0],
          office: phones[1],
          touch: phones[2],
          nodeRedUrl: red.url,
          seen,
          async press(injectName) {
            const inject = nodes.find((n) => n.type === 'inject' && n.name === injectName);
            assert.ok(inject, `${name} has an inject node "${injectName}"`);
            assert.equal((await fetch(`${red.url}/inject/${inject.id}`, { method: 'POST' })).status, 200);
          },
          arrived: (debug, n = 1) =>
            until(`${n} at debug "${debug}"`, async () => {
              const s = await seen(debug);
              return s.length >= n ? s : undefined;
            }),
        };
        await EXAMPLES[name](ex);
        const errors = (await seen('errors')).filter((e) => e.code !== 'E_INPUT');
        assert.deepEqual(errors, [], `${name}: no error other than the E_INPUT it shows`);
      });
    }
  });
});
