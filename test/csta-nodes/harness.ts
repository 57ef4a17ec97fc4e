// A Node-RED flow around one node under test, driven message by message, plus the simulator's
// call-control API. Messages are awaited without timers that could reject after a test is over.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch } from 'undici';
import { simCertificate } from '../../src/simulator/certificate';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, helper, nodeModule, phoneConfig } from '../support/red';
import { SIM_PASSWORD, SIM_USER } from '../support/sim';

export const phoneNode = nodeModule('snom-phone');
export const cstaNode = nodeModule('snom-csta');
export const settingsNode = nodeModule('snom-settings');
export const commandNode = nodeModule('snom-command');
const xmlPushModule = nodeModule('snom-xml-push') as (RED: any) => void;

// The helper gives every load a new RED.httpNode app and serves none of them; this server
// serves the current one on loopback, as Node-RED's own HTTP server would.
let httpNode: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
export function xmlPushNode(RED: any): void {
  httpNode = RED.httpNode;
  xmlPushModule(RED);
}

export interface HttpNodeServer {
  url: string;
  close(): Promise<void>;
}

export async function startHttpNodeServer(): Promise<HttpNodeServer> {
  const server = http.createServer((req, res) => (httpNode ? httpNode(req, res) : res.writeHead(503).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

export interface Result {
  out?: any;
  err?: any;
}

export interface Flow {
  /** send one message into the node and wait for what comes out (message or caught error) */
  send(msg: Record<string, unknown>): Promise<Result>;
}

/** Load phone config + node under test + catch; `node` holds the node's type and fields. */
export async function openFlow(phone: SimPhone, node: Record<string, unknown>, phoneExtra: Record<string, unknown> = {}): Promise<Flow> {
  await helper.unload();
  const flow = [
    phoneConfig('p1', phone.url, { model: phone.config.model, firmware: phone.config.firmware, ...phoneExtra }),
    { id: 'n1', phone: 'p1', wires: [['out']], ...node },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 'out', type: 'helper' },
    { id: 'err', type: 'helper' },
  ];
  await helper.load([phoneNode, cstaNode, settingsNode, commandNode, xmlPushNode, catchNode], flow, { p1: { user: SIM_USER, password: SIM_PASSWORD } });
  const queue: Result[] = [];
  let wake: (() => void) | undefined;
  helper.getNode('out').on('input', (m: any) => { queue.push({ out: m }); wake?.(); });
  helper.getNode('err').on('input', (m: any) => { queue.push({ err: m }); wake?.(); });
  return {
    async send(msg) {
      queue.length = 0;
      helper.getNode('n1').receive(msg);
      while (queue.length === 0) await new Promise<void>((r) => { wake = r; });
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

const dispatcher = new Agent({ connect: { ca: simCertificate().cert } });

export async function simJson(phone: SimPhone, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${phone.url}/sim/${path}`, {
    method,
    dispatcher,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`sim ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
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
export async function eventually<T>(read: () => Promise<T>, cond: (v: T) => boolean, what: string, limitMs = 8000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await read();
    if (cond(v)) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The simulator's extension state (calls, csta, screen, dnd, forwarding, actionUrls). */
export async function ext(phone: SimPhone): Promise<any> {
  return (await simJson(phone, 'GET', 'state')).ext;
}
