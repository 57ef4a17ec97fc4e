import type { NodeStatus } from './red';

/**
 * The phone's last known state, pushed to every node that uses the phone, so a wrong password or
 * an unplugged phone shows on all of them and not only on the node that happened to send.
 */
export class PhoneState {
  private readonly listeners = new Set<(s: NodeStatus) => void>();
  private current: NodeStatus | undefined;
  /** A standing configuration fault (an invalid fleet): shown instead of "phone ready". */
  private fault: NodeStatus | undefined;

  /** `readyText`: "phone ready" in the runtime's language. */
  constructor(private readonly readyText = 'phone ready') {}

  /** Marks a configuration fault that a working phone does not mend. */
  setFault(status: NodeStatus): void {
    this.fault = status;
    this.set(status);
  }

  /** The phone answered as it should. */
  ready(): void {
    this.set(this.fault ?? { fill: 'green', shape: 'ring', text: this.readyText });
  }

  subscribe(listener: (s: NodeStatus) => void): () => void {
    this.listeners.add(listener);
    if (this.current) listener(this.current);
    return () => this.listeners.delete(listener);
  }

  set(status: NodeStatus): void {
    const c = this.current;
    if (c && c.fill === status.fill && c.shape === status.shape && c.text === status.text) return;
    this.current = status;
    for (const l of this.listeners) l(status);
  }

  get(): NodeStatus | undefined {
    return this.current;
  }
}
