// Simulated phones in their own `snom-sim` process (dist/src/simulator/cli.js --config FILE),
// read and steered through their /sim control API over loopback HTTP.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import type { SimPhoneConfig } from '../src/simulator/types';
import { spawnNode, stopChild, tempDir, type Child } from './procs';

export const SIM_USER = 'admin';
export const SIM_PASSWORD = 'bench-secret-0000';

const CLI = path.resolve(__dirname, '..', 'src', 'simulator', 'cli.js');

export interface SimEndpoint {
  name: string;
  url: string;
  port: number;
}

export interface SimProcess {
  phones: SimEndpoint[];
  child: Child;
  stop(): Promise<void>;
}

/** Starts one simulator process for these phones; resolves once every phone listens. */
export async function startSim(label: string, configs: SimPhoneConfig[], timeoutMs = 120_000): Promise<SimProcess> {
  const dir = tempDir(`snom-bench-sim-${label}-`);
  const file = path.join(dir, 'phones.json');
  fs.writeFileSync(file, JSON.stringify(configs));
  const child = spawnNode([], CLI, ['--config', file]);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = child.output();
    if (out.includes('Control API:')) break;
    if (child.proc.exitCode !== null) throw new Error(`simulator ${label} exited early:\n${out.slice(-2000)}`);
    if (Date.now() > deadline) {
      await stopChild(child, 'SIGKILL');
      throw new Error(`simulator ${label} did not start within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const phones: SimEndpoint[] = [];
  for (const m of child.output().matchAll(/^(\S+): (http:\/\/127\.0\.0\.1:(\d+))\s/gm)) {
    phones.push({ name: m[1], url: m[2], port: Number(m[3]) });
  }
  if (phones.length !== configs.length)
    throw new Error(`simulator ${label}: ${phones.length} phones listed, ${configs.length} configured`);
  return { phones, child, stop: () => stopChild(child, 'SIGTERM') };
}

/** One short-lived connection per control call: thousands of phones must not each keep a socket. */
const control = new Agent({ keepAliveTimeout: 1000, connections: 4 });

export function closeControl(): Promise<void> {
  return control.close();
}

export async function simCall(
  url: string,
  method: 'GET' | 'POST' | 'DELETE',
  sub: string,
  body?: unknown,
): Promise<unknown> {
  const res = await request(`${url}/sim/${sub}`, {
    method,
    dispatcher: control,
    reset: true,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`sim ${method} ${sub} at ${url}: ${res.statusCode} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

export interface SimCounts {
  keys: number;
  requests: number;
  challenges: number;
  maxConcurrent: number;
}

export async function simCounts(url: string): Promise<SimCounts> {
  const s = (await simCall(url, 'GET', 'state')) as {
    keys: unknown[];
    requests: number;
    challenges: number;
    maxConcurrent: number;
  };
  return { keys: s.keys.length, requests: s.requests, challenges: s.challenges, maxConcurrent: s.maxConcurrent };
}

export async function simReset(url: string): Promise<void> {
  await simCall(url, 'POST', 'reset');
}

/** Runs fn over items with at most `limit` at a time. */
export async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function phoneConfig(name: string, auth: SimPhoneConfig['auth']): SimPhoneConfig {
  return {
    name,
    model: 'D785',
    firmware: '10.1.33.33',
    auth,
    user: SIM_USER,
    password: SIM_PASSWORD,
    digestAlgorithms: ['MD5'],
  };
}
