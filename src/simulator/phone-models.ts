// What a simulated model can do (docs/protocol.md §1.1, §1.3, §3.3, §4.6, §7.5).
// Kept apart from src/lib/profile on purpose: the simulator must not share the client's mistakes.

/** 'snomD785' / 'd785' / 'D785' → 'D785'; 'snom870' / '870' → '870'. */
export function normaliseModel(model: string): string {
  return model
    .trim()
    .replace(/^snom[\s-]*/i, '')
    .toUpperCase();
}

/** Numeric parts of a firmware version; missing parts count as 0. */
export function parseFirmware(v: string): number[] {
  const parts = v
    .trim()
    .split('.')
    .map((p) => parseInt(p, 10));
  while (parts.length < 4) parts.push(0);
  return parts.map((n) => (Number.isFinite(n) ? n : 0));
}

/** <0, 0, >0 like a sort comparator. */
export function compareFirmware(a: string, b: string): number {
  const x = parseFirmware(a);
  const y = parseFirmware(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// P-key counts (docs/protocol.md §1.3): Snom's page and the old FAQ for the snom models, IP-Symcon's
// table for the D-series; 48 for a model neither names is our guess (§11.3 K2).
const P_KEYS: Record<string, number> = {
  '870': 15,
  '320': 12,
  '360': 12,
  '370': 12,
  '820': 12,
  '300': 4,
  '190': 5,
  '200': 5,
  '220': 5,
  D335: 32,
  D385: 48,
  D713: 4,
  D735: 32,
  D785: 24,
  D862: 32,
  D865: 40,
};
const UNKNOWN_P_KEYS = 48;
/** highest EK index accepted (IP-Symcon allows 144 expansion keys, docs/protocol.md §1.3) */
export const MAX_EK = 143;

// prettier-ignore
const COMMON_KEYS = [
  'CANCEL', 'ENTER', 'OFFHOOK', 'ONHOOK', 'RIGHT', 'LEFT', 'UP', 'DOWN', 'VOLUME_UP', 'VOLUME_DOWN', 'MENU', 'MUTE',
  'REDIAL', 'DND', 'REC', 'SPEAKER', 'HEADSET', 'TRANSFER', 'F_HOLD', 'F_R', 'DISCONNECT', '0', '1', '2', '3', '4',
  '5', '6', '7', '8', '9', '*', '#',
];
/** legacy keys of the old 1xx/2xx models (docs/protocol.md §3.3) */
const LEGACY_KEYS = ['CLEAR', 'FUNCTION', 'RECALL'];

export interface ModelInfo {
  /** normalised id, e.g. 'D785' or '870' */
  id: string;
  /** new D8xx series: no HTTP remote control, /info.htm says "Phone Manager" */
  d8xx: boolean;
  pKeys: number;
  expansion: boolean;
  touch: boolean;
  minibrowserPush: boolean;
  /** from 8.4.32 the pushed URL needs a scheme; before, it must not have one */
  minibrowserNeedsScheme: boolean;
  /** fixed keys accepted besides Pn / EKn */
  keys: Set<string>;
}

export function modelInfo(model: string, firmware: string): ModelInfo {
  const id = normaliseModel(model);
  const d8xx = /^D8\d{2}/.test(id);
  const keys = new Set(COMMON_KEYS);
  const softkeys = id === '870' ? [] : id === '190' || id === '200' ? ['F1', 'F2', 'F3'] : ['F1', 'F2', 'F3', 'F4'];
  for (const k of softkeys) keys.add(k);
  if (/^[12]\d\d$/.test(id)) for (const k of LEGACY_KEYS) keys.add(k);
  const fw = firmware;
  // docs/protocol.md §4.6, read as §11.3 K5 says
  const touch =
    id === '870' &&
    ((compareFirmware(fw, '8.4.34') >= 0 && compareFirmware(fw, '8.5') < 0) || compareFirmware(fw, '8.7.2') >= 0);
  return {
    id,
    d8xx,
    pKeys: P_KEYS[id] ?? UNKNOWN_P_KEYS,
    expansion: /^3\d\d$/.test(id) || /^D[37]\d{2}/.test(id),
    touch,
    minibrowserPush: compareFirmware(fw, '8.2.7') >= 0,
    minibrowserNeedsScheme: compareFirmware(fw, '8.4.32') >= 0,
    keys,
  };
}

/** null when the key exists on this model, else why not. */
export function checkKey(info: ModelInfo, key: string): string | null {
  if (info.keys.has(key)) return null;
  let m = /^P(\d+)$/.exec(key);
  if (m) {
    const n = Number(m[1]);
    return n >= 1 && n <= info.pKeys ? null : `P-key ${key} does not exist on snom ${info.id} (P1..P${info.pKeys})`;
  }
  m = /^EK(\d+)$/.exec(key);
  if (m) {
    if (!info.expansion) return `snom ${info.id} takes no expansion module, so ${key} does not exist`;
    return Number(m[1]) <= MAX_EK ? null : `expansion key ${key} is out of range (EK0..EK${MAX_EK})`;
  }
  return `unknown key ${JSON.stringify(key)} for snom ${info.id}`;
}
