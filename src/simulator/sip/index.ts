// The SIP extension: each phone (unless config.sip.enabled is false) also listens for SIP on a
// loopback UDP port and a TCP port, started and stopped with its HTTP server.
import type { SimPhone } from '../phone';
import { registerSipControl } from './control';
import { SipService, checkSipConfig } from './service';

const services = new WeakMap<SimPhone, SipService>();

export function installSip(phone: SimPhone): void {
  if (!checkSipConfig(phone.config.sip).enabled) return;
  const sip = new SipService(phone);
  services.set(phone, sip);
  phone.services.push(sip);
  registerSipControl(sip);
}

/** The phone's SIP side, or undefined when it has none. */
export function sipOf(phone: SimPhone): SipService | undefined {
  return services.get(phone);
}

export { SipService } from './service';
export type * from './types';
