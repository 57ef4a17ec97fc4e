/** A plain object (not null, not an array): the shape of JSON objects users send in msg.payload. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A number given as a number or as text (an editor field); anything else is NaN. */
function numeric(v: unknown): number {
  if (typeof v === 'number') return v;
  return typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
}

/** A finite number > 0, else the fallback. */
export function positiveNumber(v: unknown, fallback: number): number {
  const n = numeric(v);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** A whole number > 0, else the fallback. */
export function positiveInt(v: unknown, fallback: number): number {
  const n = numeric(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** A finite number >= 0 (0 allowed: "hold nothing"), else the fallback. */
export function nonNegative(v: unknown, fallback: number): number {
  const n = numeric(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
