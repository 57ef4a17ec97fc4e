/**
 * snom-action-url-in: an HTTP endpoint for the phones' Action URLs. Thin: parsing, checks,
 * holding during redeploys and dispatch live in src/lib/action-url.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ACTION_EVENT_NAMES,
  ActionEndpoint,
  ActionUrlRouter,
  DeliveredEvent,
  InFlight,
  StatusThrottle,
  eventPayload,
  generateToken,
  hostOnly,
  normalizeAddress,
  normalizePath,
  parseAllowlist,
  parseExtraVariables,
  provisionPhone,
  redactError,
  redactToken,
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
  provision?: (phoneIds: string[] | undefined, unprovision: boolean, variables?: unknown) => Promise<ProvisionReport>;
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
  /** extra phone variables for provisioned URLs: "$sip_header(X-Foo), user_uid[1]" */
  variables?: string;
}

interface ProvisionReport {
  results: ProvisionResult[];
  errors: Array<{ phone: string; code: string; message: string }>;
}
type Middleware = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;
interface RedApi {
  settings?: { httpNodeRoot?: string | false; runtimeSyncDelivery?: boolean };
  hooks?: { add(id: string, fn: (ev: { msg?: { _msgid?: string } }) => unknown): void; remove(id: string): void };
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
// Each running node's hand-back of messages not yet delivered, called on flows:stopping.
const reclaimers = new Set<() => void>();
const CANCEL_HOOK = 'onReceive.snomActionUrlIn';
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
    // before any node stops: messages sent but not yet delivered would reach stopped nodes and vanish
    RED.events.on('flows:stopping', () => {
      for (const reclaim of reclaimers) reclaim();
    });
  }

  // Node-RED hands a sent message on in a setImmediate. Deliveries still pending when a deploy stops
  // the flows are cancelled (an onReceive hook, only until they have run) and the events held again.
  const syncDelivery = RED.settings?.runtimeSyncDelivery === true;
  const cancelled = new Set<string>();
  function cancelDeliveries(ids: string[]): boolean {
    if (!RED.hooks || syncDelivery) return false;
    if (cancelled.size === 0) {
      RED.hooks.add(CANCEL_HOOK, (ev) => (ev.msg?._msgid !== undefined && cancelled.has(ev.msg._msgid) ? false : undefined));
      // queued after the pending deliveries, so it runs once they are all done
      setImmediate(() => {
        RED.hooks!.remove(CANCEL_HOOK);
        cancelled.clear();
      });
    }
    for (const id of ids) cancelled.add(id);
    return true;
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
    try {
      path = normalizePath(config.path || DEFAULT_PATH);
    } catch (e) {
      node.error(e instanceof Error ? e.message : String(e));
      node.status({ fill: 'red', shape: 'ring', text: 'invalid configuration' });
      return;
    }
    // A bad allowlist or variable list is a deploy-time error; the path then answers 503 (after
    // the token check), never a 200 that nobody receives.
    let problem: string | undefined;
    let allowlist = parseAllowlist('');
    try {
      allowlist = parseAllowlist(config.allowlist);
      parseExtraVariables(config.variables);
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
      node.error(problem);
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
    const inFlight = new InFlight<DeliveredEvent>();
    const throttle = new StatusThrottle<NodeStatus>((s) => node.status(s), 500);
    const render = (): NodeStatus => {
      if (problem) return { fill: 'red', shape: 'ring', text: 'invalid configuration' };
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
      unavailable: problem !== undefined,
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
        // our own id, so that a delivery still pending at a redeploy can be recognised and cancelled
        const id = randomBytes(8).toString('hex');
        msg._msgid = id;
        node.send([msg, null]);
        if (!syncDelivery) inFlight.add(id, ev);
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
    const reclaim = (): void => {
      const pending = inFlight.take();
      if (pending.length === 0 || !cancelDeliveries(pending.map((p) => p.id))) return;
      received -= pending.length;
      router.reclaim(endpoint, pending.map((p) => p.item));
    };
    reclaimers.add(reclaim);

    const configuredPhones = (Array.isArray(config.phones) ? config.phones : String(config.phones ?? '').split(/[\s,]+/)).filter(Boolean);
    const events = selectedEvents(config.events);
    // writes action_* settings on each phone in parallel (each phone keeps its own order);
    // nothing it hands on (report, errors) carries the token, even when a phone echoes it
    node.provision = async (phoneIds, unprovision, variables) => {
      const report: ProvisionReport = { results: [], errors: [] };
      const list = phoneIds && phoneIds.length ? phoneIds : configuredPhones;
      try {
        if (list.length === 0) throw new SnomError('E_INPUT', 'No phones chosen: tick phones in the node or send msg.phones (snom-phone config ids)');
        // msg.variables replaces the node's list for this run; checked before anything is sent
        const extraVariables = parseExtraVariables(variables === undefined ? config.variables : variables);
        await Promise.all(
          list.map(async (id) => {
            const cfg = RED.nodes.getNode(id) as SnomPhoneConfigNode | null;
            if (!cfg || !cfg.phone) {
              report.errors.push({ phone: id.slice(0, 64), code: 'E_INPUT', message: `No snom-phone config node with id ${id.slice(0, 64)} is deployed` });
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
                  extraVariables,
                  unprovision,
                }),
              );
            } catch (err) {
              const e = redactError(err, token);
              report.errors.push({ phone: cfg.phone.label, code: e.code, message: redactToken(e.message, token) });
            }
          }),
        );
      } catch (err) {
        throw redactError(err, token);
      }
      return report;
    };

    // input: { topic: "provision" | "unprovision", phones?: [config ids], variables? } → report on output 2
    node.on('input', (msg, send, done) => {
      const action = String(msg.topic ?? msg.payload ?? '').toLowerCase();
      if (action !== 'provision' && action !== 'unprovision') {
        done(new SnomError('E_INPUT', 'Send msg.topic "provision" or "unprovision" to write or clear the phones\' action URL settings'));
        return;
      }
      const ids = Array.isArray(msg.phones) ? msg.phones.map(String) : undefined;
      node.provision!(ids, action === 'unprovision', msg.variables).then((report) => {
        send([null, { topic: action === 'provision' ? 'provisioned' : 'unprovisioned', payload: report }]);
        if (report.errors.length) {
          const first = report.errors[0];
          done(new SnomError(first.code as SnomError['code'], `${action} failed on ${report.errors.length} phone(s): ${first.phone}: ${first.message}`));
        } else done();
      }, (err) => done(redactError(err, token)));
    });

    node.on('close', (_removed, done) => {
      closed = true;
      reclaimers.delete(reclaim);
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
      // node.provision answers and fails without the token
      node.provision(ids, unprovision).then(
        (report) => res.json(report),
        (err: SnomError) => res.status(400).json({ error: err.message, code: err.code }),
      );
    });
  }
};
