// Child processes and temporary directories the bench starts: all of them are stopped and removed
// at the end, on an error, and on Ctrl-C / SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const cleanups: Array<() => Promise<void>> = [];

/** A node process running `script` with `args`; output is kept, not printed. */
export interface Child {
  proc: ChildProcess;
  output(): string;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
}

export function spawnNode(
  nodeArgs: string[],
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Child {
  const proc = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.add(proc);
  let out = '';
  const keep = (d: Buffer): void => {
    // bounded: only the tail matters for error messages
    out = (out + d.toString('utf8')).slice(-2_000_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      children.delete(proc);
      resolve(code);
    });
  });
  return { proc, output: () => out, exited };
}

/** SIGTERM (or the given signal), then SIGKILL after `graceMs`. */
export async function stopChild(c: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill(signal);
  const t = setTimeout(() => c.proc.kill('SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(t);
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux; NaN elsewhere).
 * Kernel ticks are 10 ms, so it is read only around bursts that take hundreds of ms.
 */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name in parentheses: utime and stime are the 12th and 13th
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100;

/** CPU time (ms) of this process so far. */
export function ownCpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

/** Registers an async cleanup (closing clients, unloading a runtime) run before children are killed. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

let cleaning: Promise<void> | undefined;
let signalled = false;

/** True once Ctrl-C / SIGTERM arrived: errors after that are the stop, not a failure. */
export function interrupted(): boolean {
  return signalled;
}

export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      await Promise.race([fn().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
    }
    await Promise.all(
      [...children].map((proc) =>
        stopChild({ proc, output: () => '', exited: new Promise((r) => proc.once('exit', r)) }),
      ),
    );
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    tempDirs.clear();
  })();
  return cleaning;
}

/** Ctrl-C / SIGTERM: stop everything, then exit; a last synchronous kill on any exit. */
export function installSignalHandlers(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      signalled = true;
      process.stderr.write(`\nbench: ${sig}, stopping what it started…\n`);
      const hard = setTimeout(() => process.exit(sig === 'SIGINT' ? 130 : 143), 15000);
      hard.unref();
      cleanupAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  });
}
