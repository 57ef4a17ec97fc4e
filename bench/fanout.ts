// One snom-key command to N phones through msg.target, in the in-process Node-RED runtime, against
// fleet phones that answer after a fixed latency. "Cold" is the first command after a deploy (new
// clients: connect + Digest challenge, 2 exchanges per phone); "warm" is the same command again.
import type { InProcessRuntime, RedMsg, Sink } from './red';
import { SIM_PASSWORD, SIM_USER, type SimEndpoint } from './sim';

export interface FanoutSample {
  ms: number;
  ok: number;
  failed: number;
  /** the whole message was refused (e.g. too many targets): its error text */
  refused?: string;
  timedOut?: boolean;
  /** the first per-phone failure, if any */
  firstError?: string;
}

interface Running {
  n: number;
  ok: number;
  failed: number;
  firstError?: string;
  done: (refused?: string) => void;
}

export class FanoutDriver {
  private running: Running | undefined;

  constructor(out: Sink) {
    out.on(() => {
      const r = this.running;
      if (!r) return;
      r.ok++;
      if (r.ok + r.failed >= r.n) r.done();
    });
  }

  /** A Catch node saw an error of the fan-out node. */
  caught(m: RedMsg): void {
    const r = this.running;
    if (!r) return;
    const text = m.error?.message ?? m.snom?.error?.message ?? 'error';
    // a per-phone failure carries the request it was running; a refused message has none
    if (m.snom?.request === undefined) return r.done(text.replace(/^\w*Error: /, ''));
    r.failed++;
    r.firstError ??= text;
    if (r.ok + r.failed >= r.n) r.done();
  }

  async command(runtime: InProcessRuntime, targets: string[], timeoutMs: number): Promise<FanoutSample> {
    if (this.running) throw new Error('one fan-out at a time');
    let timer: NodeJS.Timeout | undefined;
    const t0 = performance.now();
    const outcome = await new Promise<{ refused?: string; timedOut?: boolean }>((resolve) => {
      this.running = { n: targets.length, ok: 0, failed: 0, done: (refused) => resolve({ refused }) };
      timer = setTimeout(() => resolve({ timedOut: true }), timeoutMs);
      try {
        runtime.node('fan-k').receive({ payload: 'P1', target: targets });
      } catch (e) {
        this.running = undefined;
        throw e;
      }
    }).finally(() => clearTimeout(timer));
    const ms = performance.now() - t0;
    const r = this.running!;
    this.running = undefined;
    return { ms, ok: r.ok, failed: r.failed, ...(r.firstError ? { firstError: r.firstError } : {}), ...outcome };
  }
}

/** The fan-out nodes; `generation` changes the config node so that a "modified nodes" deploy restarts it. */
export function fanoutFlow(
  first: SimEndpoint,
  generation: number,
): { nodes: Array<Record<string, unknown>>; credentials: Record<string, Record<string, string>> } {
  return {
    nodes: [
      {
        id: 'fan-p',
        type: 'snom-phone',
        name: `fleet ${generation}`,
        host: '127.0.0.1',
        port: String(first.port),
        protocol: 'http',
        model: 'D785',
        firmware: '10.1.33.33',
        auth: 'digest',
        timeout: '10000',
        queueSize: '100',
        // the fleet allow-list (issue 9 / trust): every loopback phone
        fleet: '127.0.0.0/8',
      },
      { id: 'fan-k', type: 'snom-key', phone: 'fan-p', keys: '', wires: [['fan-out']] },
      { id: 'fan-out', type: 'helper' },
    ],
    credentials: { 'fan-p': { user: SIM_USER, password: SIM_PASSWORD } },
  };
}

export function targetsOf(phones: readonly SimEndpoint[], n: number): string[] {
  return phones.slice(0, n).map((p) => `127.0.0.1:${p.port}`);
}
