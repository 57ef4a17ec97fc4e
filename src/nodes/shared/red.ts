/**
 * The small part of the Node-RED runtime API our nodes use. Node-RED ships no types of its own,
 * and @types/node-red would be another dependency for a handful of calls.
 */
export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type NodeMessage = Record<string, any> & { _msgid?: string };

export type SendFn = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;
export type DoneFn = (err?: Error) => void;

export interface Node {
  id: string;
  type: string;
  name?: string;
  credentials?: Record<string, string | undefined>;
  on(event: 'input', cb: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', cb: (removed: boolean, done: () => void) => void): void;
  send(msg: NodeMessage | Array<NodeMessage | null>): void;
  status(status: NodeStatus | Record<string, never>): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
}

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  [key: string]: any;
}

export interface RED {
  nodes: {
    createNode(node: any, config: NodeDef): void;
    registerType(type: string, ctor: any, opts?: { credentials?: Record<string, { type: 'text' | 'password' }>; settings?: any }): void;
    getNode(id: string): any;
    eachNode(cb: (n: NodeDef) => void): void;
    getCredentials(id: string): Record<string, string> | undefined;
  };
  util: { cloneMessage<T>(msg: T): T; generateId(): string };
  settings: Record<string, any>;
  httpNode: any;
  httpAdmin: any;
  auth: { needsPermission(permission: string): any };
  log: { warn(m: unknown): void; info(m: unknown): void; error(m: unknown): void };
  _(key: string, subs?: Record<string, unknown>): string;
}
