/**
 * snom-sip-notify: a minibrowser document, talk/hold, LED/label control or check-sync to the phone
 * over SIP (docs/sip.md, docs/protocol.md §10), through its snom-phone config's one SipClient; and
 * "Prepare phone", which writes the phone-side settings these need through the settings route.
 * Wiring only: the requests are built in lib/sip/notify, the routes decided by lib/profile/sip.
 */
import { briefText, SnomError } from '../lib/errors';
import type * as SipRoute from '../lib/profile/sip';
import type * as Settings from '../lib/settings/plan';
import type { SipNotifyKind, SipNotifyParams } from '../lib/sip';
import type * as Notify from '../lib/sip/notify';
import { isObj } from '../lib/util';
import { mountAdminRoutes, type PreparingNode } from './shared/admin-routes';
import { onFirstUse } from './shared/lazy';
import type { ConfigOf, FieldsOf } from './shared/node-config';
import type { SnomPhoneConfigNode } from './shared/phone-node';
import type { DoneFn, NodeMessage, RED, SendFn } from './shared/red';
import { localise, translator } from './shared/i18n';
import { missingPhoneError, missingPhoneStatus } from './shared/missing-phone';

// the requests, their route and Prepare phone's settings plans load with the first node deployed
const sipNotifySide = onFirstUse<typeof Notify & typeof SipRoute & typeof Settings>(
  'lib/sip/notify lib/profile/sip lib/settings/plan',
);

const FROM_MSG = 'msg';
const PREPARE = 'prepare';

/** What Prepare phone wrote and what it found. */
interface PrepareReport {
  phone: string;
  written: Record<string, string>;
  route: string;
  /** the phone's challenge_checksync, when it could be read */
  challengeChecksync: string | null;
  warnings: string[];
}

function asSnomError(err: unknown): SnomError {
  return err instanceof SnomError ? err : new SnomError('E_INPUT', briefText(String((err as Error)?.message ?? err)));
}

/** The kind: the form's, else msg.topic (when the form says "from msg.topic"). */
function kindOf(config: FieldsOf<'snom-sip-notify'>, msg: NodeMessage): SipNotifyKind {
  const { sipNotifyKind } = sipNotifySide();
  const form = config.kind ?? '';
  if (form !== '' && form !== FROM_MSG) return sipNotifyKind(form, 'kind');
  return sipNotifyKind(msg.topic, 'msg.topic');
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** The kind's parameters: each form field, else msg.payload. */
function paramsOf(kind: SipNotifyKind, config: FieldsOf<'snom-sip-notify'>, msg: NodeMessage): SipNotifyParams {
  const payload: unknown = msg.payload;
  const own = (k: string): unknown => (isObj(payload) && Object.hasOwn(payload, k) ? payload[k] : undefined);
  switch (kind) {
    case 'minibrowser':
      return { document: text(config.document) || payload, event: text(config.event) || undefined };
    case 'buttons':
      return { lamps: text(config.buttons) || payload };
    case 'check-sync':
      return { reboot: config.reboot === true ? true : typeof payload === 'boolean' ? payload : own('reboot') };
    default:
      return { dialog: own('dialog') };
  }
}

export = function register(RED: RED): void {
  const t = translator(RED);
  function SnomSipNotifyNode(this: PreparingNode, config: ConfigOf<'snom-sip-notify'>) {
    RED.nodes.createNode(this, config);
    start(this, config);
  }

  function start(node: PreparingNode, config: ConfigOf<'snom-sip-notify'>): void {
    const { buildSipNotify, buttonKeyList, planSettingsGet, planSettingsSet, prepareSettings, requireSipNotify } =
      sipNotifySide();
    const phoneNode = (config.phone ? RED.nodes.getNode(config.phone) : null) as SnomPhoneConfigNode | null;
    if (!phoneNode) node.status(missingPhoneStatus(config.phone, t));

    function fail(msg: NodeMessage, err: unknown, done: DoneFn, label?: string): void {
      const e = asSnomError(err);
      node.status({ fill: 'red', shape: 'ring', text: briefText(`${e.code}${label ? ` ${label}` : ''}`, 32) });
      msg.snom = {
        phone: e.phone ?? phoneNode?.phone.label,
        status: e.status,
        reason: e.details.reason,
        error: e.toJSON(),
      };
      done(localise(t, e));
    }

    async function send(msg: NodeMessage, out: SendFn, done: DoneFn): Promise<void> {
      if (!phoneNode) throw missingPhoneError(config.phone);
      if (msg.target !== undefined)
        throw new SnomError('E_INPUT', 'snom-sip-notify sends to its own phone config only; msg.target is not taken.', {
          field: 'target',
        }).withText('notify.noTarget');
      const kind = kindOf(config, msg);
      // everything is checked before the first byte leaves: the request, the route, the address
      const spec = buildSipNotify(kind, paramsOf(kind, config, msg));
      requireSipNotify(await phoneNode.phone.profile(), kind);
      const sip = phoneNode.sip;
      const target = sip.target();
      const client = sip.client();
      const phone = `${target.host}:${target.port ?? 5060}`;
      node.status({ fill: 'blue', shape: 'dot', text: t('status.running', { command: kind }) });
      const started = performance.now();
      let res;
      try {
        res = await client.send(spec, { target, credentials: sip.credentials(), phone });
      } catch (err) {
        return fail(msg, err, done, kind);
      }
      msg.snom = {
        phone,
        kind,
        request: `${spec.method} (${spec.command})`,
        transport: client.transportName,
        status: res.status,
        reason: res.reason,
        durationMs: Math.round(performance.now() - started),
      };
      node.status({ fill: 'green', shape: 'dot', text: briefText(`${kind} ${res.status} ${res.reason}`, 32) });
      out(msg);
      done();
    }

    /** Prepare phone: mb_trusted_hosts, filter_registrar, button keys, through the settings route. */
    const prepare = async (keys?: unknown): Promise<PrepareReport> => {
      if (!phoneNode) throw missingPhoneError(config.phone);
      const buttonKeys = buttonKeyList(keys === undefined || keys === '' ? config.keys : keys);
      const sip = phoneNode.sip;
      const target = sip.target();
      const trustedHost = await sip.client().addressToward(target.host);
      const profile = await phoneNode.phone.profile();
      const readPlan = planSettingsGet(['mb_trusted_hosts', 'challenge_checksync'], profile);
      const read = await phoneNode.phone.run(readPlan.requests);
      const current = readPlan.read?.(read.responses, phoneNode.phone.label) as Record<string, string | null>;
      const written = prepareSettings({ trustedHost, currentTrusted: current.mb_trusted_hosts, buttonKeys });
      const writePlan = planSettingsSet(written, profile);
      await phoneNode.phone.run(writePlan.requests);
      const challenge = current.challenge_checksync ?? null;
      const warnings: string[] = [];
      if (challenge === 'on' && !sip.credentials())
        warnings.push(
          'challenge_checksync is on: check-sync will be answered 401 unless the phone config has the SIP user and password.',
        );
      return { phone: phoneNode.phone.label, written, route: writePlan.route, challengeChecksync: challenge, warnings };
    };

    node.prepare = prepare;

    async function prepareMsg(msg: NodeMessage, out: SendFn, done: DoneFn): Promise<void> {
      node.status({ fill: 'blue', shape: 'dot', text: t('status.preparing') });
      const payload: unknown = msg.payload;
      const keys = isObj(payload) && Object.hasOwn(payload, 'keys') ? payload.keys : undefined;
      let report: PrepareReport;
      try {
        report = await prepare(keys);
      } catch (err) {
        return fail(msg, err, done, 'prepare');
      }
      msg.payload = report;
      msg.snom = { phone: report.phone, kind: PREPARE, route: report.route };
      node.status({ fill: 'green', shape: 'dot', text: t('status.prepared') });
      out(msg);
      done();
    }

    node.on('input', (msg: NodeMessage, out: SendFn, done: DoneFn) => {
      const run = msg.topic === PREPARE ? prepareMsg : send;
      run(msg, out, done).catch((err) => fail(msg, err, done));
    });
  }

  RED.nodes.registerType('snom-sip-notify', SnomSipNotifyNode);
  mountAdminRoutes(RED);
};
