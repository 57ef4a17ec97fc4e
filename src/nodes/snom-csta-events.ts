/**
 * snom-csta-events: CSTA events from a phone's uaCSTA association (MonitorStart on one identity),
 * one message per event. Wiring only: the association, its keep-alive and re-establishment live in
 * src/lib/sip (UaCstaLink), the requests and the event reading in src/lib/csta.
 */
import type * as Csta from '../lib/csta';
import type * as CstaIdentity from '../lib/csta/identity';
import { SnomError } from '../lib/errors';
import type * as CstaRoute from '../lib/profile/csta-route';
import type { MonitorHandle } from '../lib/sip';
import type * as Link from '../lib/sip/uacsta-link';
import { onFirstUse } from './shared/lazy';
import type { ConfigOf } from './shared/node-config';
import { firstTime } from './shared/once';
import type { SnomPhoneConfigNode } from './shared/phone-node';
import type { Node, RED } from './shared/red';
import { acquireUaCsta, uaCstaTarget, type UaCstaLease } from './shared/uacsta-link';
import { localise, translator } from './shared/i18n';
import { missingPhoneStatus } from './shared/missing-phone';

type Config = ConfigOf<'snom-csta-events'>;

// the monitor's requests, its route and its status texts load with the first node deployed
const monitoring = onFirstUse<typeof Csta & typeof CstaIdentity & typeof CstaRoute & typeof Link>(
  'lib/csta lib/csta/identity lib/profile/csta-route lib/sip/uacsta-link',
);

/** A start that failed for a passing reason (phone unreachable) is tried again after this long. */
const START_RETRY_MS = 5000;

const asSnomError = (e: unknown): SnomError =>
  e instanceof SnomError ? e : new SnomError('E_INPUT', String((e as Error)?.message ?? e).slice(0, 200));

/** Whether the runtime's flows are running, watched once per runtime (the test helper registers nodes per load). */
const running = new WeakMap<object, { on: boolean }>();

function flowsRunning(RED: RED): (fn: () => void) => void {
  const events = RED.events;
  if (!events) return (fn) => fn();
  if (firstTime(events, running)) {
    const state = { on: false };
    running.set(events, state);
    events.on('flows:started', () => (state.on = true));
    events.on('flows:stopping', () => (state.on = false));
  }
  return (fn) => {
    if (running.get(events)?.on) fn();
    else events.once('flows:started', fn);
  };
}

export = function register(RED: RED): void {
  // Starts wait for the flows to run, so that the phone config and the Catch nodes exist when a start fails.
  const whenRunning = flowsRunning(RED);
  const t = translator(RED);

  function SnomCstaEvents(this: Node, config: Config): void {
    RED.nodes.createNode(this, config);
    run(this, config);
  }

  function run(node: Node, config: Config): void {
    const {
      buildMonitorStart,
      buildMonitorStop,
      cstaEventMessage,
      firstIdentity,
      keepAliveMsFrom,
      requireUaCsta,
      uaCstaCaps,
      monitorStatusText,
      monitorStatusView,
    } = monitoring();
    const phoneNode = (config.phone ? RED.nodes.getNode(config.phone) : null) as SnomPhoneConfigNode | null;
    if (!phoneNode) {
      node.status(missingPhoneStatus(config.phone, t));
      return;
    }
    const phone = phoneNode;
    let closed = false;
    let lease: UaCstaLease | undefined;
    let handle: MonitorHandle | undefined;
    let retry: NodeJS.Timeout | undefined;

    async function start(): Promise<void> {
      node.status({ fill: 'blue', shape: 'ring', text: t('status.monitor.connecting') });
      const keepAliveMs = keepAliveMsFrom(config.keepAlive);
      const profile = await phone.phone.profile();
      requireUaCsta(profile, 'CSTA events');
      uaCstaTarget(phone);
      const caps = uaCstaCaps(profile);
      const given = typeof config.device === 'string' ? config.device.trim() : '';
      const device = given || (await firstIdentity(phone.phone, profile, undefined, caps));
      const request = buildMonitorStart(device, caps);
      if (closed) return;
      lease = acquireUaCsta(phone);
      const shown = String(device);
      handle = lease.link.monitor({
        start: request,
        stop: caps.extendedOps ? (ref) => buildMonitorStop(ref, caps) : undefined,
        keepAliveMs,
        onEvent: (ev) => {
          if (!closed) node.send({ ...cstaEventMessage(ev, { phone: phone.phone.label, config: phone.id }) });
        },
        onStatus: (s) => {
          if (closed) return;
          const said = monitorStatusText(s, shown);
          node.status({ ...monitorStatusView(s, shown), text: t(`status.${said.key}`, said.params) });
          if (s.state === 'lost' || s.state === 'failed')
            node.log(`uaCSTA monitoring of ${shown} on ${phone.phone.label}: ${s.state} (${s.error?.message ?? ''})`);
        },
      });
    }

    function begin(): void {
      start().catch((err) => {
        const e = asSnomError(err);
        if (closed) return;
        node.status({ fill: 'red', shape: 'ring', text: e.code });
        node.error(localise(t, e));
        // bad configuration stays bad; an unreachable phone may come back
        if (e.code !== 'E_INPUT' && e.code !== 'E_UNSUPPORTED') {
          retry = setTimeout(begin, START_RETRY_MS);
          retry.unref();
        }
      });
    }
    whenRunning(() => {
      if (!closed) begin();
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      clearTimeout(retry);
      const h = handle;
      const l = lease;
      handle = undefined;
      lease = undefined;
      Promise.resolve()
        .then(() => h?.close())
        .then(() => l?.release())
        .catch(() => undefined)
        .then(() => done());
    });
  }

  RED.nodes.registerType('snom-csta-events', SnomCstaEvents);
};
