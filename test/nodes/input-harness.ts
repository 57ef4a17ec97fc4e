// One command node in a real Node-RED runtime (node-red-node-test-helper) with its phone config,
// a Catch and a Status node, against simulated phones over real HTTP. Each message's outcome is
// read the way Node-RED sees it: every done() call through the runtime's onComplete hook, the
// output, the caught error, the node's status; what reached the phone through /sim/received.
import { EventEmitter } from 'node:events';
import type { SimPhone } from '../../src/simulator/phone';
import type { SimReceived } from '../../src/simulator/types';
import { servingHttpNode } from '../support/http-node';
import { catchNode, helper, nodeModule, phoneConfig, statusNode } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simJson } from '../support/sim';

export const COMMAND_NODES = [
  'snom-key',
  'snom-dial',
  'snom-command',
  'snom-touch',
  'snom-csta',
  'snom-settings',
  'snom-xml-push',
] as const;
export type CommandNodeType = (typeof COMMAND_NODES)[number];

const modules = [
  nodeModule('snom-phone'),
  ...COMMAND_NODES.map((t) =>
    t === 'snom-xml-push' ? servingHttpNode(nodeModule(t) as (RED: any) => unknown) : nodeModule(t),
  ),
  catchNode,
  statusNode,
];

export interface Outcome {
  /** the message the node sent on, if it succeeded */
  out?: any;
  /** the message Catch got (msg.error), if it failed */
  err?: any;
  /** every done() call for this message: [error or undefined] */
  dones: Array<Error | undefined>;
  /** statuses the node showed while handling it */
  statuses: Array<{ fill?: string; shape?: string; text?: string }>;
}

export interface NodeUnderTest {
  /** send one message and wait until the node called done for it */
  send(msg: Record<string, unknown>): Promise<Outcome>;
  /** done() calls seen so far for every message id (a late second done shows up here) */
  doneCounts(): Map<string, number>;
}

// The runtime's hooks: onComplete fires on every done() of every node, with or without error.
const hooks = helper._RED.hooks;
const completions = new Map<string, Array<Error | undefined>>();
const events = new EventEmitter();
events.setMaxListeners(0);
let hooked = false;
function hookCompletions(): void {
  if (hooked) return;
  hooked = true;
  hooks.add('onComplete.snom-input-test', (ev: { msg: any; error?: Error; node: { id: string } }) => {
    if (ev.node.id !== 'n1') return;
    const id = String(ev.msg?._msgid);
    const list = completions.get(id) ?? [];
    list.push(ev.error);
    completions.set(id, list);
    events.emit('change');
  });
}

/** Resolves when check() gives a value, re-checked on every flow event; rejects at the deadline (a hang, not a timing check). */
function whenever<T>(what: string, check: () => T | undefined, ms = 20000): Promise<T> {
  return new Promise((resolve, reject) => {
    const test = () => {
      const v = check();
      if (v === undefined) return;
      clearTimeout(timer);
      events.off('change', test);
      resolve(v);
    };
    const timer = setTimeout(() => {
      events.off('change', test);
      reject(new Error(`gave up waiting for ${what}`));
    }, ms);
    events.on('change', test);
    test();
  });
}

/** Take the hook out again (call in after()): other test files use a node n1 too. */
export function unhookCompletions(): void {
  if (!hooked) return;
  hooks.remove('*.snom-input-test');
  hooked = false;
  completions.clear();
}

/**
 * Load a flow with the phone config `p1` for `phone` (model/firmware from the simulator unless
 * `phoneExtra` says otherwise) and node `n1` = `node` (its type and editor fields).
 */
export async function loadNode(
  phone: SimPhone,
  node: Record<string, unknown> & { type: string },
  phoneExtra: Record<string, unknown> = {},
): Promise<NodeUnderTest> {
  hookCompletions();
  await helper.unload();
  completions.clear();
  const flow = [
    phoneConfig('p1', phone.url, { model: phone.config.model, firmware: phone.config.firmware, ...phoneExtra }),
    { ...node, id: 'n1', phone: 'p1', wires: [['out']] },
    { id: 'c1', type: 'catch', scope: ['n1'], uncaught: false, wires: [['err']] },
    { id: 's1', type: 'status', scope: ['n1'], wires: [['st']] },
    { id: 'out', type: 'helper' },
    { id: 'err', type: 'helper' },
    { id: 'st', type: 'helper' },
  ];
  await helper.load(modules, flow, { p1: { user: SIM_USER, password: SIM_PASSWORD } });
  const outs = new Map<string, any>();
  const errs = new Map<string, any>();
  let statuses: Outcome['statuses'] = [];
  const note = (map: Map<string, any>) => (m: any) => {
    map.set(String(m._msgid), m);
    events.emit('change');
  };
  helper.getNode('out').on('input', note(outs));
  helper.getNode('err').on('input', note(errs));
  helper.getNode('st').on('input', (m: any) => {
    statuses.push(m.status);
    events.emit('change');
  });
  let seq = 0;
  return {
    async send(msg) {
      const id = `m${++seq}-${Math.random().toString(36).slice(2)}`;
      statuses = [];
      helper.getNode('n1').receive({ ...msg, _msgid: id });
      // done() first, then what it leads to: the caught error, or the message sent on
      const dones = await whenever(`done() for message ${id}`, () => completions.get(id));
      const failed = dones.some((d) => d !== undefined);
      if (failed) {
        await whenever(`Catch to get message ${id}`, () => errs.get(id));
        await whenever(
          `a red status for ${id}`,
          () => (statuses.some((s) => s.fill === 'red') ? true : undefined),
          5000,
        ).catch(() => undefined);
      } else {
        await whenever(`the output of message ${id}`, () => outs.get(id), 5000).catch(() => undefined);
      }
      return { out: outs.get(id), err: errs.get(id), dones: [...dones], statuses: [...statuses] };
    },
    doneCounts() {
      return new Map([...completions].map(([k, v]) => [k, v.length]));
    },
  };
}

/** The phone-page requests the simulated phone received, as sent. */
export function received(phone: SimPhone): Promise<SimReceived[]> {
  return simJson(phone, 'GET', 'received');
}
