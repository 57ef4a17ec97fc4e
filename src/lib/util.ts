/** A plain object (not null, not an array): the shape of JSON objects users send in msg.payload. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
