// A real Node-RED runtime inside the bench process (node-red-node-test-helper), holding the nodes of
// the press rows and the fan-out rows at once, so that rows can interleave without redeploys.
import { helper, nodeModule } from '../test/support/red';

/* The few Node-RED runtime shapes the bench touches. */
export interface RedNode {
  id: string;
  receive(msg: Record<string, unknown>): void;
  on(ev: 'input', fn: (msg: RedMsg) => void): void;
}
export interface RedMsg {
  payload?: unknown;
  statusCode?: number;
  error?: { message?: string; source?: { id?: string } };
  snom?: { phone?: string; request?: string; error?: { code?: string; message?: string } };
  [k: string]: unknown;
}

interface HelperInternals {
  _sandbox?: { restore(): void };
  _logSpy?: { restore(): void };
  _redNodes: { setFlows(flows: unknown[], creds: object, type: string): Promise<unknown> };
  _events: { once(ev: string, fn: () => void): void; off(ev: string, fn: () => void): void };
}

/** Delivers each message that reaches a `helper` node to whoever is waiting for it. */
export class Sink {
  private handler: ((msg: RedMsg) => void) | undefined;
  private attached = new WeakSet<object>();

  attach(node: RedNode): void {
    if (this.attached.has(node)) return;
    this.attached.add(node);
    node.on('input', (msg) => this.handler?.(msg));
  }

  on(fn: ((msg: RedMsg) => void) | undefined): void {
    this.handler = fn;
  }
}

export interface RuntimeFlows {
  flows: Array<Record<string, unknown>>;
  credentials: Record<string, Record<string, string>>;
}

export class InProcessRuntime {
  private started = false;

  async start(f: RuntimeFlows): Promise<void> {
    await new Promise<void>((r) => helper.startServer(r));
    this.started = true;

    const httpRequest = require('@node-red/nodes/core/network/21-httprequest.js');
    await helper.load([nodeModule('snom-phone'), nodeModule('snom-key'), httpRequest], f.flows, f.credentials);
    // The test helper wraps Node.prototype.send/status/log/... in Sinon spies that record every call
    // (memory grows per message). Tests need them; the bench measures the runtime without them.
    // Nodes copy Node.prototype.send when they are wired, so a full redeploy after the restore
    // makes every node anew with the runtime's own methods.
    const h = helper as HelperInternals;
    h._sandbox?.restore();
    h._logSpy?.restore();
    await this.redeploy(f, 'full');
    for (const n of f.flows) {
      const node = helper.getNode(String(n.id)) as { send?: { getCall?: unknown } } | null;
      if (node && typeof node.send?.getCall === 'function')
        throw new Error(`node ${String(n.id)} still sends through a test spy`);
    }
  }

  /** Deploys changed nodes only ("modified nodes" deploy): untouched nodes keep running. */
  redeployChanged(f: RuntimeFlows): Promise<void> {
    return this.redeploy(f, 'nodes');
  }

  private async redeploy(f: RuntimeFlows, type: 'full' | 'nodes', timeoutMs = 30_000): Promise<void> {
    const h = helper as HelperInternals;
    let onStarted: () => void = () => undefined;
    let timer: NodeJS.Timeout | undefined;
    // the runtime answers setFlows before the changed nodes have started
    const started = new Promise<void>((resolve, reject) => {
      onStarted = resolve;
      h._events.once('flows:started', onStarted);
      timer = setTimeout(() => reject(new Error(`redeploy: flows did not start within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await h._redNodes.setFlows(f.flows, f.credentials, type);
      await started;
    } finally {
      clearTimeout(timer);
      h._events.off('flows:started', onStarted);
    }
  }

  node(id: string): RedNode {
    const n = helper.getNode(id) as RedNode | null;
    if (!n) throw new Error(`node ${id} is not deployed`);
    return n;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(r));
  }
}
