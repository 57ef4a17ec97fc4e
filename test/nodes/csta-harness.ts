// A Node-RED flow around one node under test, driven message by message, plus the simulator's
// call-control API. Messages are awaited without timers that could reject after a test is over.
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, helper, nodeModule, phoneConfig } from '../support/red';
import { servingHttpNode } from '../support/http-node';
import { SIM_PASSWORD, SIM_USER, simJson } from '../support/sim';
import { until } from '../support/until';

export const phoneNode = nodeModule('snom-phone');
export const cstaNode = nodeModule('snom-csta');
export const settingsNode = nodeModule('snom-settings');
export const commandNode = nodeModule('snom-command');
export const xmlPushNode = servingHttpNode(nodeModule('snom-xml-push') as (RED: any) => void);
export { startHttpNodeServer, type HttpNodeServer } from '../support/http-node';
export { simJson };

export interface Result {
  out?: any;
  err?: any;
}

export interface Flow {
  /** send one message into the node and wait for what comes out (message or caught error) */
  send(msg: Record<string, unknown>): Promise<Result>;
}

/** Other node modules to load, and more phone-config credentials (e.g. the SIP password). */
export interface FlowExtras {
  modules?: unknown[];
  credentials?: Record<string, string>;
}

/** Load phone config + node under test + catch; `node` holds the node's type and fields. */
export async function openFlow(
  phone: SimPhone,
  node: Record<string, unknown>,
  phoneExtra: Record<string, unknown> = {},
  extras: FlowExtras = {},
): Promise<Flow> {
  await helper.unload();
  const flow = [
    phoneConfig('p1', phone.url, { model: phone.config.model, firmware: phone.config.firmware, ...phoneExtra }),
    { id: 'n1', phone: 'p1', wires: [['out']], ...node },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 'out', type: 'helper' },
    { id: 'err', type: 'helper' },
  ];
  const modules = [phoneNode, cstaNode, settingsNode, commandNode, xmlPushNode, catchNode, ...(extras.modules ?? [])];
  await helper.load(modules, flow, {
    p1: { user: SIM_USER, password: SIM_PASSWORD, ...extras.credentials },
  });
  const queue: Result[] = [];
  let wake: (() => void) | undefined;
  helper.getNode('out').on('input', (m: any) => {
    queue.push({ out: m });
    wake?.();
  });
  helper.getNode('err').on('input', (m: any) => {
    queue.push({ err: m });
    wake?.();
  });
  return {
    async send(msg) {
      queue.length = 0;
      helper.getNode('n1').receive(msg);
      while (queue.length === 0)
        await new Promise<void>((r) => {
          wake = r;
        });
      wake = undefined;
      return queue.shift() as Result;
    },
  };
}

/** The message's result, failing with the node's error when there is one. */
export function ok(r: Result): any {
  if (r.err) throw new Error(`expected success, got ${r.err.error?.code}: ${r.err.error?.message}`);
  return r.out;
}

export function failed(r: Result): any {
  if (!r.err) throw new Error(`expected an error, got payload ${JSON.stringify(r.out?.payload)}`);
  return r.err;
}

/** An incoming call rings on the phone; its cstaId. */
export async function incomingCall(phone: SimPhone, remote = 'sip:200@sim.local'): Promise<string> {
  return (await simJson(phone, 'POST', 'calls', { remote })).cstaId;
}

export async function calls(phone: SimPhone): Promise<any[]> {
  return (await simJson(phone, 'GET', 'state')).ext.calls;
}

export async function callState(phone: SimPhone, cstaId: string): Promise<string | undefined> {
  return (await calls(phone)).find((c) => c.cstaId === String(cstaId))?.state;
}

/** Poll the simulator's state until `cond` holds (asynchronous effects such as a fired action URL). */
export function eventually<T>(
  read: () => Promise<T>,
  cond: (v: T) => boolean,
  what: string,
  limitMs = 8000,
): Promise<T> {
  return until(
    what,
    async () => {
      const v = await read();
      return cond(v) ? v : undefined;
    },
    limitMs,
  );
}

/** The simulator's extension state (calls, csta, screen, dnd, forwarding, actionUrls). */
export async function ext(phone: SimPhone): Promise<any> {
  return (await simJson(phone, 'GET', 'state')).ext;
}
