/**
 * The three simulated phones of `npm start` and the snom-phone config of each, as the examples
 * carry them (examples/*.json use these ids and names, so an imported example finds its phone).
 * Ports are the defaults; `devPorts` moves them for tests and for machines where they are taken.
 */
import type { SimPhoneConfig } from '../simulator/types';

export const SIM_USER = 'admin';
export const SIM_PASSWORD = 'snom-sim';

/** Where `npm start` listens; each can be moved by env (see `devPorts`). */
export interface DevPorts {
  nodeRed: number;
  /** first of three consecutive HTTP ports, one per phone */
  phones: number;
  /** first of three consecutive SIP ports (UDP and TCP), one per phone */
  sip: number;
}

export const DEFAULT_PORTS: DevPorts = { nodeRed: 1880, phones: 8081, sip: 5081 };

function envPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65533) throw new Error(`${name}=${raw} is not a port number`);
  return n;
}

/** NODE_RED_PORT, SNOM_SIM_PORT, SNOM_SIM_SIP_PORT (the last two: first of three). */
export function devPorts(env: NodeJS.ProcessEnv = process.env): DevPorts {
  return {
    nodeRed: envPort(env, 'NODE_RED_PORT', DEFAULT_PORTS.nodeRed),
    phones: envPort(env, 'SNOM_SIM_PORT', DEFAULT_PORTS.phones),
    sip: envPort(env, 'SNOM_SIM_SIP_PORT', DEFAULT_PORTS.sip),
  };
}

export interface DevPhone {
  /** the snom-phone config node's id in examples/ */
  configId: string;
  /** the config node's name, with the default port */
  configName: string;
  sim: Omit<SimPhoneConfig, 'port' | 'sip' | 'user' | 'password'>;
}

export const DEV_PHONES: DevPhone[] = [
  {
    configId: 'd785000000008081',
    configName: 'Reception D785 (simulator :8081)',
    sim: {
      name: 'reception',
      model: 'D785',
      firmware: '10.1.33.33',
      auth: 'digest',
      digestAlgorithms: ['SHA-256', 'MD5'],
    },
  },
  {
    configId: 'd385000000008082',
    configName: 'Office D385 (simulator :8082)',
    sim: { name: 'office', model: 'D385', firmware: '10.1.54.13', auth: 'basic' },
  },
  {
    configId: '0870000000008083',
    configName: 'Touch snom870 (simulator :8083)',
    sim: { name: 'touch', model: 'snom870', firmware: '8.7.5.35', auth: 'digest' },
  },
];

/** The simulator configs for these ports. */
export function devSimConfigs(ports: DevPorts): SimPhoneConfig[] {
  return DEV_PHONES.map((p, i) => ({
    ...p.sim,
    port: ports.phones + i,
    sip: { udpPort: ports.sip + i, tcpPort: ports.sip + i },
    user: SIM_USER,
    password: SIM_PASSWORD,
    // the phone's real delay when a push keeps the connection open (docs/protocol.md §2.5)
    keepAliveMinibrowserDelayMs: 8000,
  }));
}

/** Default port → the port in use: Node-RED's, the phones' HTTP and SIP ports. */
export function portMap(ports: DevPorts): Map<number, number> {
  const m = new Map<number, number>([[DEFAULT_PORTS.nodeRed, ports.nodeRed]]);
  DEV_PHONES.forEach((_p, i) => {
    m.set(DEFAULT_PORTS.phones + i, ports.phones + i);
    m.set(DEFAULT_PORTS.sip + i, ports.sip + i);
  });
  return m;
}
