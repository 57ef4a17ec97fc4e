// Phones with SIP for the SIP tests, and their /sim control API over real HTTP.
import type { SimPhone } from '../../../src/simulator/phone';
import type { SimPhoneConfig } from '../../../src/simulator/types';
import type { SipAssociationView, SipExt } from '../../../src/simulator/sip/types';
import { request, startPhone } from '../helpers';

export type SipView = SipExt & { udpPort: number; tcpPort: number; associations: SipAssociationView[] };

/** A phone with short SIP timers (T1 = 40 ms), so that retransmission tests do not wait long. */
export async function sipPhone(c: Partial<SimPhoneConfig> = {}): Promise<SimPhone> {
  return startPhone({ ...c, sip: { t1Ms: 40, t2Ms: 160, ...(c.sip ?? {}) } });
}

export async function sim<T = Record<string, unknown>>(
  phone: SimPhone,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const r = await request(`${phone.url}/sim/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (r.status !== 200) throw new Error(`sim ${method} ${path}: ${r.status} ${r.body}`);
  return JSON.parse(r.body) as T;
}

export const sipState = (phone: SimPhone): Promise<SipView> => sim<SipView>(phone, 'GET', 'sip');

export const settings = (phone: SimPhone, s: Record<string, string>): Promise<unknown> =>
  sim(phone, 'PUT', 'settings', s);

export async function ring(phone: SimPhone, remote = 'sip:200@pbx.local'): Promise<string> {
  return (await sim<{ cstaId: string }>(phone, 'POST', 'calls', { remote })).cstaId;
}

export async function calls(phone: SimPhone): Promise<Array<{ cstaId: string; state: string }>> {
  return (await sim<{ calls: Array<{ cstaId: string; state: string }> }>(phone, 'GET', 'calls')).calls;
}
