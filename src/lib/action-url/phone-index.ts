/**
 * Which phone config answers for an event's sender address. Configs enter and leave as they are
 * deployed and closed, so an event finds its phone in one Map lookup: scanning every deployed node
 * per event cost as much as the whole rest of the event at 2,000 configs (docs/performance.md).
 */
import { normalizeAddress } from './allowlist';
import { hostOnly } from './message';

export class PhoneAddressIndex {
  /** normalised address → config ids, in the order they were added (the first answers) */
  private readonly byAddress = new Map<string, string[]>();

  private static key(host: string): string {
    return normalizeAddress(hostOnly(host));
  }

  /** A config whose phone is at `host` (as written in the config: name or address, optional port). */
  add(host: string, id: string): void {
    if (!host.trim()) return;
    const key = PhoneAddressIndex.key(host);
    const ids = this.byAddress.get(key);
    if (!ids) this.byAddress.set(key, [id]);
    else if (!ids.includes(id)) ids.push(id);
  }

  remove(host: string, id: string): void {
    const key = PhoneAddressIndex.key(host);
    const ids = this.byAddress.get(key);
    if (!ids) return;
    const rest = ids.filter((x) => x !== id);
    if (rest.length) this.byAddress.set(key, rest);
    else this.byAddress.delete(key);
  }

  /** The config for a sender address (already normalised, as the router hands it on). */
  find(address: string): string | undefined {
    return this.byAddress.get(address)?.[0];
  }

  get size(): number {
    return this.byAddress.size;
  }
}
