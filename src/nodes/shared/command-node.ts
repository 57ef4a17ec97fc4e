import { briefText, SnomError, inputError } from '../../lib/errors';
import type { CommandPlan } from '../../lib/commands/plan';
import type { PhoneResponse } from '../../lib/http/types';
import type { SnomPhone, TargetLease } from '../../lib/phone';
import type { Profile } from '../../lib/profile/types';
import type { SnomPhoneConfigNode } from './phone-node';
import type { ConfigOf, NodeType } from './node-config';
import type { DoneFn, Node, NodeMessage, RED, SendFn } from './red';
import { digitsOrNumber } from '../../lib/util';
import { localise, translator, type Translate } from './i18n';
import { missingPhoneError, missingPhoneStatus } from './missing-phone';
import { resolveTyped } from './typed-props';

/** The nodes that send commands to a phone (every node with a phone field but the phone config itself). */
export type CommandNodeType = Exclude<NodeType, 'snom-phone' | 'snom-action-url-in' | 'snom-csta-events'>;

export interface BuildContext<T extends CommandNodeType = CommandNodeType> {
  config: ConfigOf<T>;
  msg: NodeMessage;
  profile: Profile;
  phoneNode: SnomPhoneConfigNode;
  /** how many phones this plan goes to (msg.target phones of this profile), 1 without msg.target */
  phones: number;
}

export interface CommandSpec<T extends CommandNodeType> {
  /** builds and validates everything; throws E_INPUT / E_UNSUPPORTED before anything is sent */
  build(ctx: BuildContext<T>): CommandPlan | Promise<CommandPlan>;
  /**
   * msg.payload from what the plan read from the phone's answers (`plan.read`); by default that
   * data itself, and undefined leaves payload as is. May throw: the message then fails like a
   * failed request. `run` gives every response, the phone they came from, and the plan.
   */
  payload?(data: unknown, ctx: BuildContext<T>, run: PayloadRun): unknown;
  /** extra fields for msg.snom (e.g. which settings route was used) */
  snomExtra?(ctx: BuildContext<T>, plan: CommandPlan): Record<string, unknown>;
  /** short green status text after success */
  statusText?(plan: CommandPlan, ctx: BuildContext<T>, t: Translate): string;
}

/** What a payload parser may need beyond the last response. */
export interface PayloadRun {
  responses: PhoneResponse[];
  phone: SnomPhone;
  plan: CommandPlan;
}

/** msg.timeout: whole milliseconds 1..600000 as a number or decimal digits (true, [500] or 10n are not numbers). */
function parseTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = digitsOrNumber(value);
  if (!Number.isInteger(n) || n < 1 || n > 600000)
    throw inputError('msg.timeout must be whole milliseconds from 1 to 600000, as a number or digits', {
      field: 'timeout',
    }).withText('timeout');
  return n;
}

function asSnomError(err: unknown): SnomError {
  if (err instanceof SnomError) return err;
  // not ours, so possibly long: quoted briefly
  return new SnomError('E_INPUT', shortText(String((err as Error)?.message ?? err), 200));
}

/** Status texts are short: Node-RED shows them under the node. */
const shortText = (text: string, max = 32): string => briefText(text, max);

/** Keys of the profiles seen: the msg.target phones of a configured model share one profile object. */
const profileKeys = new WeakMap<Profile, string>();

/** Phones with equal profiles share one plan; warnings do not change what is sent. */
function profileKey(p: Profile): string {
  let k = profileKeys.get(p);
  if (k === undefined) {
    k = JSON.stringify({ ...p, warnings: undefined });
    profileKeys.set(p, k);
  }
  return k;
}

interface Planned<T extends CommandNodeType> {
  phone: SnomPhone;
  plan?: CommandPlan;
  ctx?: BuildContext<T>;
  err?: SnomError;
}

/**
 * The shared life of every command node: read config and msg, ask each phone's profile, build the
 * plan per profile (nothing sent on bad input), run it on each target phone in parallel (never
 * within one), report. The command's timeout counts from the moment the message arrives.
 */
export function registerCommandNode<T extends CommandNodeType>(RED: RED, type: T, spec: CommandSpec<T>): void {
  const t = translator(RED);
  function CommandNode(this: Node, config: ConfigOf<T>) {
    RED.nodes.createNode(this, config);
    start(this, config);
  }

  function start(node: Node, config: ConfigOf<T>): void {
    const phoneNode = (config.phone ? RED.nodes.getNode(config.phone) : null) as SnomPhoneConfigNode | null;
    let busy = 0;
    let unsubscribe: (() => void) | undefined;
    if (!phoneNode) {
      node.status(missingPhoneStatus(config.phone, t));
    } else {
      unsubscribe = phoneNode.state.subscribe((s) => {
        if (busy === 0) node.status(s);
      });
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      handle(msg, send, done).catch((err) => done(localise(t, asSnomError(err))));
    });

    function refuse(msg: NodeMessage, err: unknown, done: DoneFn, phone = phoneNode?.phone.label): void {
      const e = asSnomError(err);
      node.status({ fill: 'red', shape: 'ring', text: e.code });
      msg.snom = { phone, error: e.toJSON() };
      done(localise(t, e));
    }

    async function handle(msg: NodeMessage, send: SendFn, done: DoneFn): Promise<void> {
      const acceptedAt = performance.now();
      let leases: TargetLease[] | undefined;
      let timeoutMs: number | undefined;
      try {
        if (!phoneNode) throw missingPhoneError(config.phone);
        timeoutMs = parseTimeout(msg.timeout);
        // synchronous: messages arriving together for a new phone share its one client
        leases = phoneNode.phone.targets(msg.target);
      } catch (err) {
        refuse(msg, err, done);
        return;
      }
      try {
        await deliver(phoneNode, leases ? leases.map((l) => l.phone) : [phoneNode.phone], msg, send, done, {
          timeoutMs,
          acceptedAt,
        });
      } finally {
        for (const l of leases ?? []) l.release();
      }
    }

    async function deliver(
      phoneNode: SnomPhoneConfigNode,
      phones: SnomPhone[],
      msg: NodeMessage,
      send: SendFn,
      done: DoneFn,
      run: { timeoutMs?: number; acceptedAt: number },
    ): Promise<void> {
      const planned: Planned<T>[] = [];
      try {
        // fields the form takes from msg, flow, global or env: read once per message
        const cfg = await resolveTyped(RED, node, type, config, msg);
        // each phone its own profile: detected per phone, or the configured model for all
        const profiles = await Promise.all(phones.map((p) => p.profile()));
        const groups = new Map<string, { profile: Profile; phones: SnomPhone[] }>();
        phones.forEach((p, i) => {
          const k = profileKey(profiles[i]);
          const g = groups.get(k);
          if (g) g.phones.push(p);
          else groups.set(k, { profile: profiles[i], phones: [p] });
        });
        for (const g of groups.values()) {
          const ctx: BuildContext<T> = { config: cfg, msg, profile: g.profile, phoneNode, phones: g.phones.length };
          try {
            const plan = await spec.build(ctx);
            for (const phone of g.phones) planned.push({ phone, plan, ctx });
          } catch (err) {
            const e = asSnomError(err);
            // bad input is bad for every phone; one phone alone reports as before
            if (e.code === 'E_INPUT' || phones.length === 1) throw e;
            for (const phone of g.phones) planned.push({ phone, err: e });
          }
        }
      } catch (err) {
        refuse(msg, err, done, phones.length === 1 ? phones[0].label : undefined);
        return;
      }
      const command = planned.find((p) => p.plan)?.plan?.command ?? 'command';
      busy++;
      // one status per command: the result; a fan-out, which may take a while, says first that it runs
      if (planned.length > 1) node.status({ fill: 'blue', shape: 'dot', text: t('status.running', { command }) });
      const results = await Promise.all(
        planned.map(async ({ phone, plan, ctx, err: buildErr }) => {
          const out = planned.length > 1 ? copyFor(msg) : msg;
          if (buildErr || !plan || !ctx) {
            const e = buildErr ?? new SnomError('E_INPUT', 'nothing to send');
            out.snom = { phone: phone.label, error: e.toJSON() };
            return { phone, out, err: e };
          }
          try {
            const r = plan.execute ? await plan.execute(phone, run) : await phone.run(plan.requests, run);
            out.snom = {
              phone: phone.label,
              request: plan.summary,
              status: r.response.status,
              durationMs: r.durationMs,
              ...spec.snomExtra?.(ctx, plan),
            };
            const data = plan.read?.(r.responses, phone.label);
            const payload = spec.payload
              ? spec.payload(data, { ...ctx, msg: out }, { responses: r.responses, phone, plan })
              : data;
            if (payload !== undefined) out.payload = payload;
            return { phone, out };
          } catch (err) {
            const e = asSnomError(err);
            out.snom = { phone: phone.label, request: plan.summary, status: e.status, error: e.toJSON() };
            return { phone, out, err: e };
          }
        }),
      );
      busy--;
      const failed = results.filter((r) => r.err);
      for (const r of results) if (!r.err) send(r.out);
      const first = failed[0]?.err;
      // the shared state speaks for the configured phone only: another phone's failure is its message's
      const own = results.find((r) => r.phone === phoneNode.phone);
      if (own?.err && (own.err.code === 'E_AUTH' || own.err.code === 'E_UNREACHABLE')) {
        phoneNode.state.set({
          fill: 'red',
          shape: 'ring',
          text: t('status.phoneFault', { code: own.err.code, phone: shortText(phoneNode.phone.label) }),
        });
      } else if (own && !own.err) {
        phoneNode.state.ready();
      }
      // then this node's own result, so it stays on top
      if (first && failed.length === results.length) {
        node.status({
          fill: 'red',
          shape: 'ring',
          text: t('status.failed', { code: first.code, command: shortText(command) }),
        });
      } else if (first) {
        node.status({
          fill: 'yellow',
          shape: 'ring',
          text: shortText(
            t('status.partial', {
              command,
              ok: results.length - failed.length,
              total: results.length,
              code: first.code,
            }),
            40,
          ),
        });
      } else {
        const plan = planned[0].plan!;
        const text = spec.statusText?.(plan, planned[0].ctx!, t) ?? plan.command;
        node.status({
          fill: 'green',
          shape: 'dot',
          text: shortText(results.length > 1 ? t('status.fanout', { text, phones: results.length }) : text),
        });
      }
      if (failed.length === 0) return done();
      if (results.length === 1) return done(localise(t, first));
      // fan-out: every failed phone reaches Catch nodes with its own message
      for (const r of failed) node.error(localise(t, r.err!), r.out);
      done();
    }

    /**
     * The message for one phone of a fan-out: its own copy, but msg.target (up to thousands of
     * phones) is the input's list, shared and not copied once per phone.
     */
    function copyFor(msg: NodeMessage): NodeMessage {
      if (!Object.hasOwn(msg, 'target')) return RED.util.cloneMessage(msg);
      const { target, ...rest } = msg;
      const out = RED.util.cloneMessage(rest as NodeMessage);
      out.target = target;
      return out;
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      unsubscribe?.();
      done();
    });
  }
  RED.nodes.registerType(type, CommandNode);
}

/** Editor field, else the message: the rule every command node follows. */
export function fieldOr<T>(field: T | undefined | null | '', fromMsg: unknown): T | unknown {
  return field === undefined || field === null || field === '' ? fromMsg : field;
}
