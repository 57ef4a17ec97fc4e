/**
 * msg.error.code on Node-RED 3.x. From 4.0 the runtime copies an error's `code` into the Catch node's
 * msg.error; 3.x passes only message and source. Our errors print as `SnomError [E_CODE]: text`
 * (the shape of Node.js's own coded errors), so on 3.x an onReceive hook reads the code back from that
 * text for Catch nodes reporting one of our nodes. Stateless: it works for done(err) and node.error().
 */
import type { RED } from './red';

const HOOK = 'onReceive.snom-catch-code';
const CODED = /^SnomError \[(E_[A-Z_]+)\]: /;

interface ReceiveEvent {
  msg?: { error?: { code?: unknown; message?: unknown; source?: { type?: unknown } } };
  destination?: { node?: { type?: string } };
}

interface Hooks {
  has(id: string): boolean;
  add(id: string, fn: (event: ReceiveEvent) => void): void;
}

/** True when the runtime leaves `code` out of a Catch node's msg.error (Node-RED before 4.0). */
export function dropsErrorCode(version: string): boolean {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  return Number.isInteger(major) && major < 4;
}

export function restoreCatchCodes(red: RED): void {
  // the node API's version() answers a string (@types/node-red types it as the runtime API's promise)
  // (node-red-node-test-helper gives none: then the hook goes in, a no-op where the code is there)
  const api = red as unknown as { hooks?: Hooks; version?: () => unknown };
  const hooks = api.hooks;
  const known = typeof api.version === 'function';
  if (
    !hooks ||
    typeof hooks.has !== 'function' ||
    (known && !dropsErrorCode(String(api.version!()))) ||
    hooks.has(HOOK)
  )
    return;
  hooks.add(HOOK, (event) => {
    if (event.destination?.node?.type !== 'catch') return;
    const error = event.msg?.error;
    if (!error || error.code !== undefined || typeof error.message !== 'string') return;
    if (typeof error.source?.type !== 'string' || !error.source.type.startsWith('snom-')) return;
    const m = CODED.exec(error.message);
    if (m) error.code = m[1];
  });
}
