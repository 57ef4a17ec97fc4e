// Simulated phones for node tests: started on ephemeral ports, read back through their /sim API
// over real HTTP (the tests look at the phone the way a user would, not at our client).
import { Agent, fetch } from 'undici';
import { simCertificate } from '../../src/simulator/certificate';
import { startSimPhones, stopAll } from '../../src/simulator/cluster';
import type { SimPhone } from '../../src/simulator/phone';
import type { SimFaults, SimPhoneConfig, SimState } from '../../src/simulator/types';

export const SIM_USER = 'admin';
export const SIM_PASSWORD = 'n0t-in-any-log!';

export async function startPhones(configs: Array<Partial<SimPhoneConfig>>): Promise<SimPhone[]> {
  return startSimPhones(
    configs.map(
      (c) =>
        ({
          model: 'D785',
          firmware: '10.1.33.33',
          auth: 'digest',
          user: SIM_USER,
          password: SIM_PASSWORD,
          ...c,
        }) as SimPhoneConfig,
    ),
  );
}

export { stopAll };

// the test trusts exactly the simulator's certificate, as a user would add it
const dispatcher = new Agent({ connect: { ca: simCertificate().cert } });

function simFetch(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return fetch(url, { ...init, dispatcher });
}

/** One call to a phone's /sim control API; throws on a non-2xx answer. */
export async function simJson(phone: SimPhone, method: string, path: string, body?: unknown): Promise<any> {
  const res = await simFetch(`${phone.url}/sim/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`sim ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function simState(phone: SimPhone): Promise<SimState> {
  const res = await simFetch(`${phone.url}/sim/state`);
  return (await res.json()) as SimState;
}

export async function simReset(phone: SimPhone): Promise<void> {
  await simFetch(`${phone.url}/sim/reset`, { method: 'POST' });
  await simFetch(`${phone.url}/sim/faults`, { method: 'DELETE' });
}

export async function simFaults(phone: SimPhone, faults: SimFaults): Promise<void> {
  const res = await simFetch(`${phone.url}/sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`faults: ${res.status}`);
}
