/** Rejection of `run` when the queue already holds `maxWaiting` tasks; nothing was run. */
export class QueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} requests already waiting`);
  }
}

interface Waiter {
  start: () => void;
  fail: (err: Error) => void;
}

/**
 * Runs tasks strictly one at a time in arrival order (phones choke on concurrent
 * requests and key sequences must not interleave). At most `maxWaiting` tasks wait
 * behind the running one; the rest are rejected at once with QueueFullError.
 */
export class SerialQueue {
  private readonly waiters: Waiter[] = [];
  private running = false;
  private closedWith: Error | undefined;

  constructor(private readonly maxWaiting: number) {}

  /** Tasks waiting, not counting the one running. */
  get waiting(): number {
    return this.waiters.length;
  }

  get busy(): boolean {
    return this.running;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (!this.running) return this.execute(task);
    if (this.waiters.length >= this.maxWaiting) return Promise.reject(new QueueFullError(this.waiters.length));
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({
        start: () => {
          this.execute(task).then(resolve, reject);
        },
        fail: reject,
      });
    });
  }

  /** Rejects every waiting task with `err`, and every later one. Idempotent. */
  close(err: Error): void {
    if (this.closedWith) return;
    this.closedWith = err;
    for (const w of this.waiters.splice(0)) w.fail(err);
  }

  private async execute<T>(task: () => Promise<T>): Promise<T> {
    this.running = true;
    try {
      return await task();
    } finally {
      this.running = false;
      const next = this.waiters.shift();
      if (next) next.start();
    }
  }
}

/** One place taken from Slots: `ready` resolves true once it is granted, false once cancelled. */
export interface Slot {
  readonly ready: Promise<boolean>;
  /** gives the place back (granted) or leaves the line (still waiting); idempotent */
  release(): void;
}

/**
 * At most `max` holders at once, granted in arrival order: the bound on phones one configured
 * phone sends to at once (msg.target fan-out). Waiting costs a closure, not a timer.
 */
export class Slots {
  private readonly line: Array<() => void> = [];
  private held = 0;

  constructor(readonly max: number) {}

  /** Places granted now. */
  get active(): number {
    return this.held;
  }

  take(): Slot {
    let state: 'waiting' | 'held' | 'done' = 'waiting';
    let settle!: (granted: boolean) => void;
    const ready = new Promise<boolean>((r) => (settle = r));
    const grant = (): void => {
      state = 'held';
      this.held++;
      settle(true);
    };
    if (this.held < this.max) grant();
    else this.line.push(grant);
    return {
      ready,
      release: () => {
        if (state === 'done') return;
        if (state === 'waiting') {
          const i = this.line.indexOf(grant);
          if (i >= 0) this.line.splice(i, 1);
          settle(false);
        } else {
          this.held--;
          this.line.shift()?.();
        }
        state = 'done';
      },
    };
  }
}
