// Small statistics over per-round samples.

export interface Summary {
  min: number;
  median: number;
  max: number;
  n: number;
}

function finite(xs: readonly number[]): number[] {
  return xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
}

export function median(xs: readonly number[]): number {
  const s = finite(xs);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summary(xs: readonly number[]): Summary {
  const s = finite(xs);
  return { min: s.length ? s[0] : NaN, median: median(s), max: s.length ? s[s.length - 1] : NaN, n: s.length };
}

/** Nearest-rank percentile (p in 0..100) of raw samples. */
export function percentile(xs: ArrayLike<number>, p: number): number {
  const s = Array.from(xs)
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1];
}

/** Element-wise a[i] / b[i] (same round), NaN where either is missing. */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => (Number.isFinite(x) && Number.isFinite(b[i]) && b[i] !== 0 ? x / b[i] : NaN));
}
