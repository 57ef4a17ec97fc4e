// node-red-node-test-helper around a real Node-RED runtime, with the package's compiled nodes.
import * as path from 'node:path';

// SNOM_NODE_RED_DIR (the version matrix in .ci/run): a folder whose node_modules holds another Node-RED
const nodeRedDir = process.env.SNOM_NODE_RED_DIR;
export const fromNodeRed = (id: string): string =>
  require.resolve(id, nodeRedDir ? { paths: [nodeRedDir] } : undefined);

export const helper = require('node-red-node-test-helper');
helper.init(fromNodeRed('node-red'));

// what Node-RED loads: the package's nodes/ folder (package.json node-red.nodes)
const NODES = path.resolve(__dirname, '..', '..', '..', 'nodes');

/** The compiled node modules, by type name. */
/**
 * A node module handed RED.hooks as the real runtime hands it (@node-red/util's hooks, which its
 * message routing runs); node-red-node-test-helper leaves it out.
 */
export function withRuntimeHooks(mod: (RED: any) => unknown): (RED: { hooks?: unknown }) => unknown {
  const { hooks } = require(fromNodeRed('@node-red/util'));
  return (RED) => mod(RED.hooks ? RED : Object.assign(Object.create(RED), { hooks }));
}

export function nodeModule(type: string): unknown {
  const mod = require(path.join(NODES, `${type}.js`));
  // snom-phone restores msg.error.code on Node-RED 3.x through a hook (src/nodes/shared/catch-code.ts)
  return type === 'snom-phone' ? withRuntimeHooks(mod) : mod;
}

export const catchNode = require(fromNodeRed('@node-red/nodes/core/common/25-catch.js'));
export const statusNode = require(fromNodeRed('@node-red/nodes/core/common/25-status.js'));

export interface Collected {
  msgs: any[];
  wait(count: number, timeoutMs?: number): Promise<any[]>;
}

/** Collect the messages a helper node receives; wait for a number of them. */
export function collect(node: any): Collected {
  const msgs: any[] = [];
  const waiters: Array<() => void> = [];
  node.on('input', (msg: any) => {
    msgs.push(msg);
    waiters.splice(0).forEach((w) => w());
  });
  return {
    msgs,
    wait(count: number, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(
              new Error(
                `expected ${count} messages, got ${msgs.length}: ${JSON.stringify(msgs.map((m) => m.error ?? m.payload))}`,
              ),
            ),
          timeoutMs,
        );
        const check = () => {
          if (msgs.length >= count) {
            clearTimeout(t);
            resolve(msgs);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

export function phoneConfig(id: string, url: string, extra: Record<string, unknown> = {}) {
  const u = new URL(url);
  return {
    id,
    type: 'snom-phone',
    name: '',
    host: u.hostname,
    port: u.port,
    protocol: u.protocol.replace(':', ''),
    model: 'D785',
    firmware: '10.1.33.33',
    auth: 'auto',
    timeout: '3000',
    queueSize: '100',
    ...extra,
  };
}
