/**
 * Coalesces status updates so that a burst of events sets the status at most once per
 * interval; the last value always wins and is shown at the end of the interval.
 */
export class StatusThrottle<T> {
  private last = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private pending: T | undefined;
  /** set by update(): the pending value is made from it at flush */
  private compute: (() => T) | undefined;
  private hasPending = false;

  constructor(
    private readonly apply: (value: T) => void,
    private readonly intervalMs = 500,
    private readonly now: () => number = Date.now,
  ) {}

  set(value: T): void {
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0 && !this.timer) {
      this.last = this.now();
      this.apply(value);
      return;
    }
    this.pending = value;
    this.compute = undefined;
    this.hasPending = true;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), Math.max(0, wait));
      this.timer.unref?.();
    }
  }

  /**
   * Like set, but the value is made only when it is shown: a burst of events costs one
   * computation per interval instead of one per event.
   */
  update(compute: () => T): void {
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0 && !this.timer) {
      this.last = this.now();
      this.apply(compute());
      return;
    }
    this.compute = compute;
    this.hasPending = true;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), Math.max(0, wait));
      this.timer.unref?.();
    }
  }

  /** Show a value at once (errors and warnings must not wait), replacing anything pending. */
  force(value: T): void {
    this.cancel();
    this.last = this.now();
    this.apply(value);
  }

  /** Apply what is pending now (also used before shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.hasPending) return;
    this.hasPending = false;
    this.last = this.now();
    const compute = this.compute;
    this.compute = undefined;
    this.apply(compute ? compute() : (this.pending as T));
  }

  /** Forget the pending value and stop the timer. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.hasPending = false;
    this.compute = undefined;
  }
}
