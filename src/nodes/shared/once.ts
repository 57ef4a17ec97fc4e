/**
 * Mount-once guards. Node-RED calls each node module's register function once per runtime, and
 * every such call of ours meets the same apps and event emitter when several of our modules (or a
 * second copy of one, as the test helper loads them) share a runtime: a route or listener added
 * twice would run twice.
 */
const seen = new WeakMap<object, Set<unknown>>();

/**
 * True the first time it is asked for `owner` (an Express app, the runtime's event emitter) and
 * `what` (the thing mounted on it, e.g. a router or the mounting function), false from then on.
 */
export function firstTime(owner: object, what: unknown): boolean {
  let done = seen.get(owner);
  if (!done) seen.set(owner, (done = new Set()));
  if (done.has(what)) return false;
  done.add(what);
  return true;
}
