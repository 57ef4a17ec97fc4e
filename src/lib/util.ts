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

/**
 * User input that must be a whole number: a number, or up to six decimal digits as text; anything
 * else (true, [5], 5n, blank, "1e3") is NaN, so a caller's range check refuses it instead of reading 0.
 */
export function digitsOrNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^\s*[0-9]{1,6}\s*$/.test(value) ? Number(value) : NaN;
}
