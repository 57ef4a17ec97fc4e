/**
 * Items handed on whose delivery may still be pending. Node-RED delivers a sent message in a
 * setImmediate queued during `send`; one queued after it here runs later, so an item is forgotten
 * exactly when its delivery has run. What is still here at a redeploy was never delivered.
 */
export class InFlight<T> {
  private readonly items = new Map<string, T>();

  add(id: string, item: T): void {
    this.items.set(id, item);
    setImmediate(() => this.items.delete(id));
  }

  get size(): number {
    return this.items.size;
  }

  /** Everything still pending, oldest first; forgotten here. */
  take(): Array<{ id: string; item: T }> {
    const out = [...this.items].map(([id, item]) => ({ id, item }));
    this.items.clear();
    return out;
  }
}
