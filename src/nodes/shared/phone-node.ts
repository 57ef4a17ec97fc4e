import { PhoneAddressIndex } from '../../lib/action-url/phone-index';
import type { SnomPhone } from '../../lib/phone';
import type { CredentialsOf } from './node-config';
import type { PhoneState } from './phone-state';
import type { SipEndpoint } from './sip-endpoint';
import type { Node } from './red';

/** What a `snom-phone` config node offers the nodes that use it. */
export interface SnomPhoneConfigNode extends Node<CredentialsOf<'snom-phone'>> {
  phone: SnomPhone;
  state: PhoneState;
  /** base URL at which phones reach Node-RED (minibrowser documents, action URLs) */
  baseUrl: string;
  host: string;
  /** the phone's SIP address and this config's one SipClient */
  sip: SipEndpoint;
}

/** The running snom-phone configs by address: each enters when it starts and leaves when it closes. */
export const phoneConfigs = new PhoneAddressIndex();

/** The id of the running snom-phone config whose host is `address` (normalised), if there is one. */
export function phoneConfigIdFor(address: string): string | undefined {
  return phoneConfigs.find(address);
}
