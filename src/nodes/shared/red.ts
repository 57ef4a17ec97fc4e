/**
 * Node-RED's runtime API in the words of @types/node-red (a dev dependency: these imports are
 * type-only, so nothing of it reaches the package), plus the few names our nodes share. Every
 * node file takes its Node-RED types from here; src/lib never does (test/package/layers.test.ts).
 */
import type { NodeAPI, NodeAPISettingsWithData, Node, NodeDef, NodeMessage, NodeStatus } from 'node-red';

export type { Node, NodeDef, NodeMessage, NodeStatus };

/** The runtime settings our nodes read; @types/node-red 1.3.5 lacks runtimeSyncDelivery (Node-RED 4). */
export interface SnomRuntimeSettings extends NodeAPISettingsWithData {
  runtimeSyncDelivery?: boolean;
}

/** What a node module's register function is given. */
export type RED = NodeAPI<SnomRuntimeSettings>;

/** The `send` and `done` an input handler is given. */
export type SendFn = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;
export type DoneFn = (err?: Error) => void;
