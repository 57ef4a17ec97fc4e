/**
 * Modules loaded on first use. Node-RED requires every node file at start-up and calls its register
 * function; what only a deployed node, a message or an admin route needs (the SIP stack, the CSTA and
 * settings builders, the phone client) is loaded there instead (issue 9, test/package/load.test.ts):
 * `const sip = lazy(() => require('../../lib/sip/client') as typeof SipClientModule)`, with
 * `import type * as SipClientModule` for the types. The require stays in the calling file so that
 * its path is relative to it (scripts/build-nodes.js rebases the node files' requires).
 */
export function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
