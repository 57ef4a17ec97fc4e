/**
 * Modules loaded on first use. Node-RED requires every node file at start-up and calls its register
 * function; what only a deployed node, a message or an admin route needs (the SIP stack, the CSTA,
 * settings and minibrowser builders, the phone client, the Action URL receiving side) loads at that
 * seam instead (issue 9; test/package/load.test.ts holds it). The types come from `import type`,
 * which loads nothing.
 */
import * as path from 'node:path';

/** `load` once, on the first call. */
function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/** the compiled src/ (dist/src): node files in nodes/ load this file from dist/src/nodes/shared too */
const SRC = path.join(__dirname, '..', '..');
const deferred = new Set<string>();

/**
 * The exports of the modules at `paths` (below src/, space-separated: 'lib/csta lib/profile') as
 * one object of type T, loaded on the first call: `onFirstUse<typeof Csta & typeof Profile>(...)`.
 */
export function onFirstUse<T>(paths: string): () => T {
  const list = paths.split(' ');
  deferred.add(paths);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return lazy(() => Object.assign({}, ...list.map((p) => require(path.join(SRC, p)) as object)) as T);
}

/** The `paths` of every onFirstUse so far (test/package/load.test.ts: none loaded by registering, no name twice). */
export function deferredGroups(): string[] {
  return [...deferred];
}
