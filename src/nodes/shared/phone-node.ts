import { hostOnly, normalizeAddress } from '../../lib/action-url';
import type { SnomPhone } from '../../lib/phone';
import type { CredentialsOf } from './node-config';
import type { PhoneState } from './phone-state';
import type { Node, RED } from './red';

/** What a `snom-phone` config node offers the nodes that use it. */
export interface SnomPhoneConfigNode extends Node<CredentialsOf<'snom-phone'>> {
  phone: SnomPhone;
  state: PhoneState;
  /** base URL at which phones reach Node-RED (minibrowser documents, action URLs) */
  baseUrl: string;
  host: string;
}

/** The id of the snom-phone config node whose host is `address` (normalised), if one is in the flows. */
export function phoneConfigIdFor(RED: RED, address: string): string | undefined {
  let found: string | undefined;
  RED.nodes.eachNode((n: { id: string; type: string; host?: unknown }) => {
    if (found || n.type !== 'snom-phone' || typeof n.host !== 'string' || !n.host) return;
    if (normalizeAddress(hostOnly(n.host)) === address) found = n.id;
  });
  return found;
}
