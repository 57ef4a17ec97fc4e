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
