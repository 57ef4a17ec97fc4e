/**
 * snom-action-url-in: an HTTP endpoint for the phones' Action URLs. Thin: parsing, checks,
 * holding during redeploys and dispatch live in src/lib/action-url.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ACTION_EVENT_NAMES,
  ActionEndpoint,
  ActionUrlRouter,
  DeliveredEvent,
  StatusThrottle,
  eventPayload,
  generateToken,
  hostOnly,
  normalizeAddress,
  normalizePath,
  parseAllowlist,
  provisionPhone,
  type ProvisionResult,
} from '../lib/action-url';
import { SnomError } from '../lib/errors';
import type { SnomPhoneConfigNode } from './shared/phone-node';
import type { NodeStatus } from './shared/red';

/* The Node-RED API shapes this input node uses beyond the shared ones. */
interface RedNode {
  id: string;
  credentials?: { token?: string };
  status(s: NodeStatus): void;
  warn(m: string): void;
  error(m: unknown, msg?: object): void;
  send(msg: object | Array<object | null>): void;
  on(ev: 'close', fn: (removed: boolean, done: () => void) => void): void;
  on(ev: 'input', fn: (msg: Record<string, unknown>, send: (m: Array<object | null>) => void, done: (err?: Error) => void) => void): void;
  provision?: (phoneIds: string[] | undefined, unprovision: boolean) => Promise<ProvisionReport>;
}
interface NodeConfig {
  id: string;
  name?: string;
  path?: string;
  events?: string[] | string;
  allowlist?: string;
  holdMs?: number | string;
  holdCount?: number | string;
  /** snom-phone config node ids to provision */
  phones?: string[] | string;
}

interface ProvisionReport {
  results: ProvisionResult[];
  errors: Array<{ phone: string; code: string; message: string }>;
}
type Middleware = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;
interface RedApi {
  settings?: { httpNodeRoot?: string | false };
  httpNode?: { use(fn: Middleware): void };
  events?: { on(ev: string, fn: () => void): void };
  nodes: {
    createNode(node: object, config: object): void;
    registerType(type: string, ctor: (this: RedNode, config: NodeConfig) => void, opts?: object): void;
    eachNode(fn: (n: { id: string; type: string; host?: unknown }) => void): void;
    addCredentials?(id: string, creds: object): void;
    getNode(id: string): unknown;
  };
  httpAdmin?: { post(path: string, ...handlers: unknown[]): void };
  auth?: { needsPermission(permission: string): unknown };
}

const DEFAULT_PATH = '/snom/events';

// One router per module load: the path → node map lives here and survives redeploys.
// Held events are released once all flows have started, so that a second node on the same
// path is known before anyone receives (no deploy-order luck).
const router = new ActionUrlRouter({ autoRelease: false });
const mounted = new WeakSet<object>();
const listened = new WeakSet<object>();
const adminMounted = new WeakSet<object>();

function positive(v: unknown, fallback: number): number {
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function selectedEvents(v: NodeConfig['events']): Set<string> | null {
  if (v === undefined || v === null || v === 'all') return null;
  const list = Array.isArray(v) ? v : String(v).split(/[\s,]+/).filter(Boolean);
  return new Set(list.filter((e) => ACTION_EVENT_NAMES.includes(e)));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export = function register(RED: RedApi): void {
  const httpOff = RED.settings?.httpNodeRoot === false;
  if (!httpOff && RED.httpNode && !mounted.has(RED.httpNode)) {
    mounted.add(RED.httpNode);
    RED.httpNode.use(router.middleware);
  }
  if (RED.events && !listened.has(RED.events)) {
    listened.add(RED.events);
    RED.events.on('flows:started', () => router.releaseHeld());
  }

  function phoneConfigFor(address: string): string | undefined {
    let found: string | undefined;
    RED.nodes.eachNode((n) => {
      if (found || n.type !== 'snom-phone' || typeof n.host !== 'string' || !n.host) return;
      if (normalizeAddress(hostOnly(n.host)) === address) found = n.id;
    });
    return found;
  }

  function SnomActionUrlIn(this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    if (httpOff) {
      node.warn('httpNodeRoot is set to false in the Node-RED settings, so this node cannot receive phone events.');
      node.status({ fill: 'red', shape: 'ring', text: 'HTTP endpoints disabled' });
      return;
    }
    let path: string;
    let allowlist: ReturnType<typeof parseAllowlist>;
    try {
      path = normalizePath(config.path || DEFAULT_PATH);
      allowlist = parseAllowlist(config.allowlist);
    } catch (e) {
      node.error(e instanceof Error ? e.message : String(e));
      node.status({ fill: 'red', shape: 'ring', text: 'invalid configuration' });
      return;
    }
    let token = node.credentials?.token ?? '';
    if (!token) {
      token = generateToken();
      RED.nodes.addCredentials?.(node.id, { ...(node.credentials ?? {}), token });
      node.warn(
        `No token was configured for ${path}: a new one was generated. Phones must be (re)provisioned ` +
          'with the new URL; open the node in the editor and deploy to keep a token.',
      );
    }

    let received = 0;
    let refused = 0;
    let dropped = 0;
    let duplicate = false;
    let closed = false;
    const throttle = new StatusThrottle<NodeStatus>((s) => node.status(s), 500);
    const render = (): NodeStatus => {
      if (duplicate) return { fill: 'red', shape: 'ring', text: `duplicate path ${path}` };
      const parts: string[] = [];
      if (received || refused || dropped) parts.push(plural(received, 'event'));
      else parts.push(`listening ${path}`);
      if (refused) parts.push(`${refused} refused`);
      if (dropped) parts.push(`${plural(dropped, 'event')} dropped`);
      return { fill: dropped ? 'yellow' : 'green', shape: 'dot', text: parts.join(', ') };
    };

    const endpoint: ActionEndpoint = {
      path,
      token,
      allowlist,
      events: selectedEvents(config.events),
      holdMs: positive(config.holdMs, 10000),
      holdCount: Math.floor(positive(config.holdCount, 200)),
      deliver(ev: DeliveredEvent) {
        if (closed) return;
        const msg: Record<string, unknown> = {
          topic: ev.event,
          payload: eventPayload(ev, phoneConfigFor(ev.address)),
          _snom: ev.held ? { receivedAt: ev.receivedAt, held: true } : { receivedAt: ev.receivedAt },
        };
        if (ev.variables.cstaId) msg.cstaId = ev.variables.cstaId;
        received++;
        node.send([msg, null]);
        throttle.set(render());
      },
      onDuplicate(d: boolean) {
        duplicate = d;
        if (d) node.warn(`Another snom-action-url-in node also listens on ${path}: neither receives events until one path is changed.`);
        throttle.force(render());
      },
      onDropped(c) {
        const lost = c.dropped + c.expired;
        dropped += lost;
        node.warn(`${plural(lost, 'phone event')} for ${path} were lost while no node was deployed (hold buffer full or too old).`);
        throttle.force(render());
      },
      onRefused() {
        refused++;
        throttle.set(render());
      },
    };
    throttle.force(render());
    router.add(endpoint);

    const configuredPhones = (Array.isArray(config.phones) ? config.phones : String(config.phones ?? '').split(/[\s,]+/)).filter(Boolean);
    const events = selectedEvents(config.events);
    // writes action_* settings on each phone in parallel (each phone keeps its own order)
    node.provision = async (phoneIds, unprovision) => {
      const report: ProvisionReport = { results: [], errors: [] };
      const list = phoneIds && phoneIds.length ? phoneIds : configuredPhones;
      if (list.length === 0) throw new SnomError('E_INPUT', 'No phones chosen: tick phones in the node or send msg.phones (snom-phone config ids)');
      await Promise.all(
        list.map(async (id) => {
          const cfg = RED.nodes.getNode(id) as SnomPhoneConfigNode | null;
          if (!cfg || !cfg.phone) {
            report.errors.push({ phone: id, code: 'E_INPUT', message: `No snom-phone config node with id ${id} is deployed` });
            return;
          }
          try {
            report.results.push(
              await provisionPhone(cfg.phone, {
                events: events ? [...events] : 'all',
                baseUrl: cfg.baseUrl,
                httpNodeRoot: typeof RED.settings?.httpNodeRoot === 'string' ? RED.settings.httpNodeRoot : '/',
                path,
                token,
                unprovision,
              }),
            );
          } catch (err) {
            const e = err instanceof SnomError ? err : new SnomError('E_INPUT', String((err as Error)?.message ?? err));
            report.errors.push({ phone: cfg.phone.label, code: e.code, message: e.message });
          }
        }),
      );
      return report;
    };

    // input: { topic: "provision" | "unprovision", phones?: [config ids] } → report on output 2
    node.on('input', (msg, send, done) => {
      const action = String(msg.topic ?? msg.payload ?? '').toLowerCase();
      if (action !== 'provision' && action !== 'unprovision') {
        done(new SnomError('E_INPUT', 'Send msg.topic "provision" or "unprovision" to write or clear the phones\' action URL settings'));
        return;
      }
      const ids = Array.isArray(msg.phones) ? msg.phones.map(String) : undefined;
      node.provision!(ids, action === 'unprovision').then((report) => {
        send([null, { topic: action === 'provision' ? 'provisioned' : 'unprovisioned', payload: report }]);
        if (report.errors.length) {
          const first = report.errors[0];
          done(new SnomError(first.code as SnomError['code'], `${action} failed on ${report.errors.length} phone(s): ${first.phone}: ${first.message}`));
        } else done();
      }, done);
    });

    node.on('close', (_removed, done) => {
      closed = true;
      router.remove(endpoint);
      throttle.cancel();
      done();
    });
  }

  RED.nodes.registerType('snom-action-url-in', SnomActionUrlIn, {
    credentials: { token: { type: 'password' } },
  });

  // the editor's "write to phones" button; answers setting names and errors, never URLs (they hold the token)
  if (RED.httpAdmin && RED.auth && !adminMounted.has(RED.httpAdmin)) {
    adminMounted.add(RED.httpAdmin);
    RED.httpAdmin.post('/snom-action-url-in/:id/provision', RED.auth.needsPermission('snom-action-url-in.write'), (req: any, res: any) => {
      const node = RED.nodes.getNode(String(req.params.id)) as RedNode | null;
      if (!node || !node.provision) {
        res.status(404).json({ error: 'Deploy this node first: provisioning uses the deployed node and its token.' });
        return;
      }
      const unprovision = req.body?.action === 'unprovision';
      const ids = Array.isArray(req.body?.phones) ? req.body.phones.map(String) : undefined;
      node.provision(ids, unprovision).then(
        (report) => res.json(report),
        (err: SnomError) => res.status(400).json({ error: err.message, code: err.code }),
      );
    });
  }
};
