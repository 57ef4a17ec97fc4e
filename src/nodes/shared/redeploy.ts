/**
 * Node-RED plumbing for messages on their way when a full deploy stops the flows. Node-RED hands a
 * sent message on in a setImmediate; a delivery still pending at flows:stopping would reach a
 * stopped node and vanish. Such deliveries are cancelled (an onReceive hook, only until they have
 * run) and handed back to their sender, which holds them for the next flow.
 */
import type { InFlight } from '../../lib/action-url';
import type * as InFlightModule from '../../lib/action-url/in-flight';
import { onFirstUse } from './lazy';
import { firstTime } from './once';
import type { RED } from './red';

// with the first sender, not at register
const inFlightModule = onFirstUse<typeof InFlightModule>('lib/action-url/in-flight');

const CANCEL_HOOK = 'onReceive.snomActionUrlIn';
// every running tracker's hand-back, called on flows:stopping before any node stops
const reclaimers = new Set<() => void>();

/** `started` on every flows:started (once per runtime and callback); the hand-backs on every flows:stopping. */
export function watchDeploys(RED: RED, started: () => void): void {
  if (!RED.events) return;
  if (firstTime(RED.events, started)) RED.events.on('flows:started', started);
  if (firstTime(RED.events, reclaimers)) {
    RED.events.on('flows:stopping', () => {
      for (const reclaim of reclaimers) reclaim();
    });
  }
}

/** Cancels pending deliveries by message id; false when this runtime cannot (no hooks, or synchronous delivery). */
export type CancelDeliveries = (ids: string[]) => boolean;

/** One per runtime (register call): the hook is added for a batch and removed once the batch has run. */
export function deliveryCanceller(RED: RED): { sync: boolean; cancel: CancelDeliveries } {
  const sync = RED.settings?.runtimeSyncDelivery === true;
  const cancelled = new Set<string>();
  const cancel = (ids: string[]): boolean => {
    const hooks = RED.hooks;
    if (!hooks || sync) return false;
    if (cancelled.size === 0) {
      hooks.add(CANCEL_HOOK, (ev: { msg?: { _msgid?: string } }) =>
        ev.msg?._msgid !== undefined && cancelled.has(ev.msg._msgid) ? false : undefined,
      );
      // queued after the pending deliveries, so it runs once they are all done
      setImmediate(() => {
        hooks.remove(CANCEL_HOOK);
        cancelled.clear();
      });
    }
    for (const id of ids) cancelled.add(id);
    return true;
  };
  return { sync, cancel };
}

/**
 * One sender's messages not yet delivered. At flows:stopping those still pending are cancelled and
 * handed to `reclaim`, unless the runtime cannot cancel them (then they are delivered as usual).
 */
export class Undelivered<T> {
  private readonly inFlight: InFlight<T> = new (inFlightModule().InFlight)<T>();
  private readonly onStopping = (): void => {
    const pending = this.inFlight.take();
    if (pending.length === 0 || !this.canceller.cancel(pending.map((p) => p.id))) return;
    this.reclaim(pending.map((p) => p.item));
  };

  constructor(
    private readonly canceller: { sync: boolean; cancel: CancelDeliveries },
    private readonly reclaim: (items: T[]) => void,
  ) {
    reclaimers.add(this.onStopping);
  }

  /** Call right after `send`: the delivery Node-RED queued then runs before this forgets the message. */
  sent(msgId: string, item: T): void {
    if (!this.canceller.sync) this.inFlight.add(msgId, item);
  }

  /** The node closed: it hands nothing back any more. */
  close(): void {
    reclaimers.delete(this.onStopping);
  }
}
