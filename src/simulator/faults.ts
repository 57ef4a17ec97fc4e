// Fault injection for phone pages: latency, a forced status, a reset socket, or a stall.
import type { SimFaults } from './types';

export class FaultInjector {
  private current: SimFaults | null = null;
  private waiters: Array<() => void> = [];

  get active(): SimFaults | null {
    return this.current ? { ...this.current } : null;
  }

  /** Validates and installs faults; returns why they are invalid, or null. */
  set(f: unknown): string | null {
    if (!f || typeof f !== 'object' || Array.isArray(f)) return 'faults must be a JSON object';
    const o = f as Record<string, unknown>;
    const known = ['latencyMs', 'status', 'reset', 'stall', 'count'];
    for (const k of Object.keys(o)) if (!known.includes(k)) return `unknown fault ${k}`;
    const num = (k: string, min: number, max: number): boolean =>
      o[k] === undefined ||
      (typeof o[k] === 'number' && Number.isInteger(o[k]) && (o[k] as number) >= min && (o[k] as number) <= max);
    if (!num('latencyMs', 0, 600000)) return 'latencyMs must be an integer 0..600000';
    if (!num('status', 100, 599)) return 'status must be an HTTP status 100..599';
    if (!num('count', 1, 1e9)) return 'count must be a positive integer';
    for (const k of ['reset', 'stall'])
      if (o[k] !== undefined && typeof o[k] !== 'boolean') return `${k} must be true or false`;
    this.clear();
    this.current = { ...(o as SimFaults) };
    return null;
  }

  /** Removes the faults and lets stalled requests go on. */
  clear(): void {
    this.current = null;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The faults for the next request (uses up one of `count`). */
  take(): SimFaults | null {
    const f = this.current;
    if (!f) return null;
    if (f.count !== undefined) {
      f.count -= 1;
      if (f.count <= 0) this.current = null;
    }
    return { ...f };
  }

  /** Resolves when the faults are cleared (or the phone stops). */
  waitCleared(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
