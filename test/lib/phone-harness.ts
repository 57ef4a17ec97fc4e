// The configured phone of the lib/phone tests: a D785 simulator with the test credentials.
import { SnomPhone, type SnomPhoneOptions } from '../../src/lib/phone';
import { SIM_PASSWORD, SIM_USER } from '../support/sim';

/** A SnomPhone for 127.0.0.1:port (fleet: 127.0.0.1 unless `extra` says otherwise), kept in `made` for closing. */
export function configuredPhone(made: SnomPhone[], port: number, extra: Partial<SnomPhoneOptions> = {}): SnomPhone {
  const s = new SnomPhone({
    host: '127.0.0.1',
    port,
    user: SIM_USER,
    password: SIM_PASSWORD,
    model: 'D785',
    firmware: '10.1.33.33',
    fleet: '127.0.0.1',
    ...extra,
  });
  made.push(s);
  return s;
}
