// Start and stop several simulated phones together.
import { SimPhone } from './phone';
import type { SimPhoneConfig } from './types';

const running = new Set<SimPhone>();

/** Starts one phone per config; if one fails, stops those already started and throws. */
export async function startSimPhones(configs: SimPhoneConfig[]): Promise<SimPhone[]> {
  const phones: SimPhone[] = [];
  try {
    for (const c of configs) {
      const p = new SimPhone(c);
      await p.start();
      phones.push(p);
      running.add(p);
    }
  } catch (err) {
    await stopAll(phones);
    throw err;
  }
  return phones;
}

/** Stops the given phones, or every phone started by startSimPhones when none are given. */
export async function stopAll(phones?: SimPhone[]): Promise<void> {
  const list = phones ?? [...running];
  await Promise.all(
    list.map(async (p) => {
      running.delete(p);
      await p.stop();
    }),
  );
}
