import type { SnomPhone } from '../../lib/phone';
import type { PhoneState } from './phone-state';

/** What a `snom-phone` config node offers the nodes that use it. */
export interface SnomPhoneConfigNode {
  id: string;
  phone: SnomPhone;
  state: PhoneState;
  /** base URL at which phones reach Node-RED (minibrowser documents, action URLs) */
  baseUrl: string;
  host: string;
}
