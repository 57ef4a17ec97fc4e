/**
 * The model table: what each Snom model's hardware has (docs/protocol.md §1.1, §1.3: P-key counts
 * are IP-Symcon's fkey index ranges for the D-series, the classic counts Snom's page and the old
 * FAQ). A model missing here is handled permissively by the profile. Models without a P-key count
 * and the expansion-module flags are our choices (§11.3 K2, K3).
 */
export type Series = 'classic' | 'D1' | 'D3' | 'D7' | 'D8';

export interface ModelInfo {
  id: string;
  series: Series;
  /** F1..F4 present */
  softkeys: string[];
  pKeys?: number;
  expansion: boolean;
  touchScreen: boolean;
}

const F4 = ['F1', 'F2', 'F3', 'F4'];
const F3 = ['F1', 'F2', 'F3'];

function classic(id: string, pKeys: number | undefined, extra: Partial<ModelInfo> = {}): ModelInfo {
  return { id, series: 'classic', softkeys: F4, pKeys, expansion: false, touchScreen: false, ...extra };
}

function dSeries(id: string, pKeys?: number): ModelInfo {
  const series = `D${id[1]}` as Series;
  return { id, series, softkeys: F4, pKeys, expansion: series === 'D3' || series === 'D7', touchScreen: false };
}

const TABLE: ModelInfo[] = [
  classic('snom190', 5, { softkeys: F3 }),
  classic('snom200', 5, { softkeys: F3 }),
  classic('snom220', 5),
  classic('snom300', 4, { expansion: true }),
  classic('snom320', 12, { expansion: true }),
  classic('snom360', 12, { expansion: true }),
  classic('snom370', 12, { expansion: true }),
  classic('snom710', undefined),
  classic('snom715', undefined),
  classic('snom720', undefined, { expansion: true }),
  classic('snom725', undefined),
  classic('snom760', undefined, { expansion: true }),
  classic('snom820', 12),
  classic('snom821', undefined),
  classic('snom870', 15, { softkeys: [], touchScreen: true }),
  dSeries('D120'),
  dSeries('D140'),
  dSeries('D150'),
  dSeries('D305'),
  dSeries('D315'),
  dSeries('D335', 32),
  dSeries('D345'),
  dSeries('D375'),
  dSeries('D385', 48),
  dSeries('D710'),
  dSeries('D712'),
  dSeries('D713', 4),
  dSeries('D715'),
  dSeries('D717'),
  dSeries('D725'),
  dSeries('D735', 32),
  dSeries('D745'),
  dSeries('D765'),
  dSeries('D785', 24),
  dSeries('D812'),
  dSeries('D815'),
  dSeries('D862', 32),
  dSeries('D865', 40),
];

const BY_ID = new Map(TABLE.map((m) => [m.id.toLowerCase(), m]));

/** All model ids the table knows, for the editor's drop-down. */
export const KNOWN_MODELS: readonly string[] = TABLE.map((m) => m.id);

/**
 * Normalise what users and phones write ("D785", "snomD785", "snom 320", "320", "D785N") to a
 * table id; undefined when it is not a model we know.
 */
export function normaliseModel(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text
    .trim()
    .replace(/^snom\s*/i, '')
    .replace(/\s+/g, '');
  const d = /^d(\d{3})[a-z]*$/i.exec(t);
  if (d) return BY_ID.get(`d${d[1]}`)?.id ?? `D${d[1]}`;
  const c = /^(\d{3})[a-z]*$/i.exec(t);
  if (c) return BY_ID.get(`snom${c[1]}`)?.id ?? `snom${c[1]}`;
  return undefined;
}

export function lookupModel(id: string | undefined): ModelInfo | undefined {
  return id ? BY_ID.get(id.toLowerCase()) : undefined;
}

/** D8xx (the new D8 series, not the old snom820/821/870) has no HTTP remote control. */
export function seriesOf(id: string): Series | undefined {
  if (/^D8\d\d$/.test(id)) return 'D8';
  if (/^D[137]\d\d$/.test(id)) return `D${id[1]}` as Series;
  if (/^snom\d{3}$/.test(id)) return 'classic';
  return undefined;
}
