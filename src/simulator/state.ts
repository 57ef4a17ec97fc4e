import type { SimState } from './types';

/** Longest event log kept (a long-running `snom-sim` must not grow without bound). */
export const MAX_LOG = 10000;

/** Most requests GET /sim/received keeps (the newest), and most characters of targets and bodies in all. */
export const MAX_RECEIVED = 1000;
export const MAX_RECEIVED_CHARS = 16 * 1024 * 1024;

export function newState(identities: string[]): SimState {
  return {
    keys: [],
    dials: [],
    dtmf: [],
    commands: [],
    ringer: { last: null, count: 0 },
    reboots: 0,
    resets: 0,
    lists: { dialed: [], missed: [], received: [] },
    firmwareUpdates: [],
    registrations: identities.map((identity, i) => ({
      index: i + 1,
      identity,
      registered: true,
      logoffs: 0,
      reregisters: 0,
    })),
    touches: [],
    minibrowser: [],
    settingsWrites: [],
    rejected: [],
    requests: 0,
    challenges: 0,
    maxConcurrent: 0,
    concurrent: 0,
    log: [],
    ext: {},
  };
}
