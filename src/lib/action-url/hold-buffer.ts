/** Bounds of an EventHoldBuffer. */
export interface HoldBufferOptions {
  /** most items held at once; more are refused and counted in `dropped` */
  maxCount: number;
  /** items older than this when drained are discarded and counted in `expired` */
  maxAgeMs: number;
  /** clock, replaceable for tests */
  now?: () => number;
}

/**
 * Holding area for events that arrive while no node is deployed for their path (a redeploy
 * in progress). Bounded by count and age; nothing is lost silently: refusals and expiries are
 * counted so that the next node can say so in its status.
 */
export class EventHoldBuffer<T> {
  private items: Array<{ at: number; item: T }> = [];
  private readonly maxCount: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  /** items refused because the buffer was full */
  dropped = 0;
  /** items discarded because they were too old when drained */
  expired = 0;

  constructor(opts: HoldBufferOptions) {
    this.maxCount = Math.max(0, Math.floor(opts.maxCount));
    this.maxAgeMs = Math.max(0, opts.maxAgeMs);
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * Hold an item; false (and counted as dropped) when the buffer is full. `force` skips the
   * count bound, for items that only wait to keep their order behind held ones.
   */
  push(item: T, force = false): boolean {
    this.prune();
    if (!force && this.items.length >= this.maxCount) {
      this.dropped++;
      return false;
    }
    this.items.push({ at: this.now(), item });
    return true;
  }

  /**
   * Put items back at the front (they were taken for delivery, which did not happen), outside the
   * count bound: they were accepted already.
   */
  pushFront(items: readonly T[]): void {
    if (items.length === 0) return;
    this.prune();
    // as old as the oldest held item, so that the age order the pruning relies on holds
    const at = this.items[0]?.at ?? this.now();
    this.items.unshift(...items.map((item) => ({ at, item })));
  }

  /** Take every item still young enough, oldest first; the rest count as expired. */
  drain(): T[] {
    this.prune();
    const out = this.items.map((x) => x.item);
    this.items = [];
    return out;
  }

  /** Reset the counters, returning what they were (for reporting once). */
  takeCounts(): { dropped: number; expired: number } {
    const c = { dropped: this.dropped, expired: this.expired };
    this.dropped = 0;
    this.expired = 0;
    return c;
  }

  private prune(): void {
    const limit = this.now() - this.maxAgeMs;
    let n = 0;
    while (n < this.items.length && this.items[n].at < limit) n++;
    if (n > 0) {
      this.items.splice(0, n);
      this.expired += n;
    }
  }
}
