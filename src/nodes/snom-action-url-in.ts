/**
 * snom-action-url-in: an HTTP endpoint for the phones' Action URLs. Wiring only: the form's checks,
 * holding during redeploys, dispatch, the event message, provisioning and the status text live in
 * src/lib/action-url.
 */
import { randomBytes } from 'node:crypto';
import type * as ActionUrl from '../lib/action-url';
import type { ActionEndpoint, ActionUrlRouter, DeliveredEvent, EndpointCounts } from '../lib/action-url';
import { mountAdminRoutes, type ProvisioningNode } from './shared/admin-routes';
import { onFirstUse } from './shared/lazy';
import type { ConfigOf, CredentialsOf } from './shared/node-config';
import { firstTime } from './shared/once';
import type * as PhoneNode from './shared/phone-node';
import type { SnomPhoneConfigNode } from './shared/phone-node';
import type { NodeStatus, RED } from './shared/red';
import { Undelivered, deliveryCanceller, watchDeploys } from './shared/redeploy';
import { localise, translator } from './shared/i18n';

// the receiving side (the router, the event message, provisioning, which config sent) loads with the first node
const receivingSide = onFirstUse<typeof ActionUrl & typeof PhoneNode>('lib/action-url nodes/shared/phone-node');

// Message ids of delivered events: unique per process, without a crypto call per event.
const MSGID_PREFIX = randomBytes(4).toString('hex');
let msgSeq = 0;
const nextMsgId = (): string => MSGID_PREFIX + (++msgSeq).toString(16).padStart(8, '0');

// One router per module load, made with the first node: the path → node map lives here and
// survives redeploys. Held events are released once all flows have started, so that a second node
// on the same path is known before anyone receives (no deploy-order luck).
let router: ActionUrlRouter | undefined;
const routerNow = (): ActionUrlRouter => (router ??= new (receivingSide().ActionUrlRouter)({ autoRelease: false }));
const releaseHeld = (): void => router?.releaseHeld();
// mounted at register; before the first node no path has an endpoint or a hold, so every request passes
const middleware: ActionUrlRouter['middleware'] = (req, res, next) =>
  router || !next ? routerNow().middleware(req, res, next) : next();

type ActionUrlInNode = ProvisioningNode<CredentialsOf<'snom-action-url-in'>>;
type Config = ConfigOf<'snom-action-url-in'>;

export = function register(RED: RED): void {
  const httpOff = RED.settings?.httpNodeRoot === false;
  if (!httpOff && RED.httpNode && firstTime(RED.httpNode, middleware)) RED.httpNode.use(middleware);
  watchDeploys(RED, releaseHeld);
  mountAdminRoutes(RED);
  const canceller = deliveryCanceller(RED);
  const t = translator(RED);
  // the endpoint's status in the runtime's language
  const statusOf = (c: EndpointCounts): NodeStatus => ({
    ...receivingSide().endpointStatus(c),
    text: receivingSide()
      .endpointStatusParts(c)
      .map((p) => t(`status.${p.key}`, p.params))
      .join(', '),
  });

  function SnomActionUrlIn(this: ActionUrlInNode, config: Config): void {
    RED.nodes.createNode(this, config);
    if (httpOff) {
      this.warn(t('errors.actionUrl.httpOff'));
      this.status({ fill: 'red', shape: 'ring', text: t('status.httpDisabled') });
      return;
    }
    start(this, config);
  }

  function start(node: ActionUrlInNode, config: Config): void {
    const {
      StatusThrottle,
      endpointConfig,
      eventMessage,
      generateToken,
      phoneConfigIdFor,
      phoneIdList,
      provisionAction,
      provisionFailure,
      provisionPhones,
      redactError,
    } = receivingSide();
    const router = routerNow();
    let form: ReturnType<typeof endpointConfig>;
    try {
      form = endpointConfig(config);
    } catch (e) {
      node.error(e instanceof Error ? localise(t, e).message : String(e));
      node.status({ fill: 'red', shape: 'ring', text: t('status.endpoint.invalidConfig') });
      return;
    }
    const { problem, ...settings } = form;
    const { path, events } = settings;
    if (problem) node.error(form.problemError ? localise(t, form.problemError).message : problem);
    let token = node.credentials?.token ?? '';
    if (!token) {
      token = generateToken();
      void RED.nodes.addCredentials?.(node.id, { ...(node.credentials ?? {}), token });
      node.warn(t('errors.actionUrl.newToken', { path }));
    }

    let closed = false;
    const counts: EndpointCounts = { path, problem, duplicate: false, received: 0, refused: 0, dropped: 0 };
    const throttle = new StatusThrottle<NodeStatus>((s) => node.status(s), 500);
    const currentStatus = (): NodeStatus => statusOf(counts);
    const endpoint: ActionEndpoint = {
      ...settings,
      token,
      unavailable: problem !== undefined,
      deliver(ev: DeliveredEvent) {
        if (closed) return;
        counts.received++;
        // our own id, so that a delivery still pending at a redeploy can be recognised and cancelled
        const _msgid = nextMsgId();
        node.send([{ ...eventMessage(ev, phoneConfigIdFor(ev.address)), _msgid }, null]);
        undelivered.sent(_msgid, ev);
        throttle.update(currentStatus);
      },
      onDuplicate(d: boolean) {
        counts.duplicate = d;
        if (d) node.warn(t('errors.actionUrl.samePath', { path }));
        throttle.force(statusOf(counts));
      },
      onDropped(c) {
        const lost = c.dropped + c.expired;
        counts.dropped += lost;
        node.warn(t(lost === 1 ? 'errors.actionUrl.lostOne' : 'errors.actionUrl.lost', { n: lost, path }));
        throttle.force(statusOf(counts));
      },
      onRefused() {
        counts.refused++;
        throttle.update(currentStatus);
      },
    };
    // handed back at a redeploy: held again for the next flow, and no longer counted as received
    const undelivered = new Undelivered<DeliveredEvent>(canceller, (items) => {
      counts.received -= items.length;
      router.reclaim(endpoint, items);
    });
    throttle.force(statusOf(counts));
    router.add(endpoint);

    const configured = phoneIdList(config.phones);
    node.provision = (ids, unprovision, variables) =>
      provisionPhones({
        ids,
        configured,
        unprovision,
        path,
        token,
        events: events ? [...events] : 'all',
        httpNodeRoot: typeof RED.settings?.httpNodeRoot === 'string' ? RED.settings.httpNodeRoot : '/',
        // msg.variables replaces the node's list for this run
        variables: variables === undefined ? config.variables : variables,
        phoneFor: (id) => {
          const cfg = RED.nodes.getNode(id) as SnomPhoneConfigNode | null;
          return cfg && cfg.phone ? { phone: cfg.phone, baseUrl: cfg.baseUrl } : undefined;
        },
      });

    // input: { topic: "provision" | "unprovision", phones?: [config ids], variables? } → report on output 2
    node.on('input', (msg, send, done) => {
      let action: ReturnType<typeof provisionAction>;
      try {
        action = provisionAction(msg.topic ?? msg.payload);
      } catch (e) {
        done(localise(t, e as Error));
        return;
      }
      const ids = Array.isArray(msg.phones) ? msg.phones.map(String) : undefined;
      node.provision!(ids, action === 'unprovision', msg.variables).then(
        (report) => {
          send([null, { topic: action === 'provision' ? 'provisioned' : 'unprovisioned', payload: report }]);
          done(localise(t, provisionFailure(action, report)));
        },
        (err) => done(localise(t, redactError(err, token))),
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      undelivered.close();
      router.remove(endpoint);
      throttle.cancel();
      done();
    });
  }

  RED.nodes.registerType('snom-action-url-in', SnomActionUrlIn, {
    credentials: { token: { type: 'password' } },
  });
};
