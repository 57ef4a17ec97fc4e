import { SnomError, inputError } from '../../lib/errors';
import type { CommandPlan } from '../../lib/commands/plan';
import type { PhoneResponse } from '../../lib/http/types';
import type { SnomPhone } from '../../lib/phone';
import type { Profile } from '../../lib/profile/types';
import type { SnomPhoneConfigNode } from './phone-node';
import type { DoneFn, Node, NodeDef, NodeMessage, RED, SendFn } from './red';

export interface BuildContext {
  config: NodeDef;
  msg: NodeMessage;
  profile: Profile;
  phoneNode: SnomPhoneConfigNode;
}

export interface ActionSpec {
  /** builds and validates everything; throws E_INPUT / E_UNSUPPORTED before anything is sent */
  build(ctx: BuildContext): CommandPlan | Promise<CommandPlan>;
  /**
   * msg.payload from what the plan read from the phone's answers (`plan.read`); by default that
   * data itself, and undefined leaves payload as is. May throw: the message then fails like a
   * failed request. `run` gives every response, the phone they came from, and the plan.
   */
  payload?(data: unknown, ctx: BuildContext, run: PayloadRun): unknown;
  /** extra fields for msg.snom (e.g. which settings route was used) */
  snomExtra?(ctx: BuildContext, plan: CommandPlan): Record<string, unknown>;
  /** short green status text after success */
  statusText?(plan: CommandPlan, ctx: BuildContext): string;
}

/** What a payload parser may need beyond the last response. */
export interface PayloadRun {
  responses: PhoneResponse[];
  phone: SnomPhone;
  plan: CommandPlan;
}

const MAX_TARGETS = 200;

/** msg.target: a host or an array of hosts; undefined = this config's phone. */
export function parseTargets(target: unknown): string[] | undefined {
  if (target === undefined || target === null || target === '') return undefined;
  const list = Array.isArray(target) ? target : [target];
  if (list.length === 0) throw inputError('msg.target is an empty array');
  if (list.length > MAX_TARGETS) throw inputError(`msg.target lists ${list.length} phones; at most ${MAX_TARGETS}`);
  const hosts = list.map((h, i) => {
    if (typeof h !== 'string' || !/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(h.trim())) {
      throw inputError(`msg.target[${i}] is not a host name or address (optionally with :port)`);
    }
    return h.trim();
  });
  return [...new Set(hosts)];
}

/** msg.timeout: whole milliseconds 1..600000 as a number or decimal digits (true, [500] or 10n are not numbers). */
function parseTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[0-9]{1,6}\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 600000) throw inputError('msg.timeout must be whole milliseconds from 1 to 600000, as a number or digits', { field: 'timeout' });
  return n;
}

function asSnomError(err: unknown): SnomError {
  if (err instanceof SnomError) return err;
  const e = new SnomError('E_INPUT', (err as Error)?.message ?? String(err));
  return e;
}

function shortText(text: string, max = 32): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The shared life of every action node: read config and msg, ask the profile, build the plan (nothing
 * sent on bad input), run it on each target phone in parallel (never within one), report.
 */
export function registerActionNode(RED: RED, type: string, spec: ActionSpec): void {
  function ActionNode(this: Node & Record<string, any>, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const phoneNode = RED.nodes.getNode(config.phone) as SnomPhoneConfigNode | null;
    let busy = 0;
    let unsubscribe: (() => void) | undefined;
    if (!phoneNode) {
      node.status({ fill: 'red', shape: 'ring', text: 'no phone configured' });
    } else {
      unsubscribe = phoneNode.state.subscribe((s) => {
        if (busy === 0) node.status(s);
      });
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      handle(msg, send, done).catch((err) => done(asSnomError(err)));
    });

    async function handle(msg: NodeMessage, send: SendFn, done: DoneFn): Promise<void> {
      let ctx: BuildContext | undefined;
      let plan: CommandPlan | undefined;
      let targets: string[] | undefined;
      let timeoutMs: number | undefined;
      try {
        if (!phoneNode) throw inputError('No Snom phone is configured for this node');
        targets = parseTargets(msg.target);
        timeoutMs = parseTimeout(msg.timeout);
        const profile = await phoneNode.phone.profile();
        ctx = { config, msg, profile, phoneNode };
        plan = await spec.build(ctx);
      } catch (err) {
        const e = asSnomError(err);
        node.status({ fill: 'red', shape: 'ring', text: e.code });
        msg.snom = { phone: phoneNode?.phone.label, error: e.toJSON() };
        done(e);
        return;
      }
      const phones: SnomPhone[] = targets
        ? await Promise.all(targets.map((t) => phoneNode!.phone.forHost(t)))
        : [phoneNode!.phone];
      busy++;
      node.status({ fill: 'blue', shape: 'dot', text: `${plan.command}…` });
      const results = await Promise.all(
        phones.map(async (phone) => {
          const out = phones.length > 1 ? RED.util.cloneMessage(msg) : msg;
          try {
            const r = await phone.run(plan!.requests, timeoutMs);
            out.snom = { phone: phone.label, request: plan!.summary, status: r.response.status, durationMs: r.durationMs, ...spec.snomExtra?.(ctx!, plan!) };
            const data = plan!.read?.(r.responses, phone.label);
            const payload = spec.payload ? spec.payload(data, { ...ctx!, msg: out }, { responses: r.responses, phone, plan: plan! }) : data;
            if (payload !== undefined) out.payload = payload;
            return { out };
          } catch (err) {
            const e = asSnomError(err);
            out.snom = { phone: phone.label, request: plan!.summary, status: e.status, error: e.toJSON() };
            return { out, err: e };
          }
        }),
      );
      busy--;
      const failed = results.filter((r) => r.err);
      for (const r of results) if (!r.err) send(r.out);
      const first = failed[0]?.err;
      // the phone's shared state first, so this node's own result stays on top
      if (first) {
        if (first.code === 'E_AUTH' || first.code === 'E_UNREACHABLE') {
          phoneNode!.state.set({ fill: 'red', shape: 'ring', text: `${first.code}: ${shortText(phoneNode!.phone.label)}` });
        }
        node.status({ fill: 'red', shape: 'ring', text: `${first.code} ${shortText(plan.command)}` });
      } else {
        phoneNode!.state.set({ fill: 'green', shape: 'ring', text: 'phone ready' });
        const text = spec.statusText?.(plan, ctx!) ?? plan.command;
        node.status({ fill: 'green', shape: 'dot', text: shortText(phones.length > 1 ? `${text} → ${phones.length} phones` : text) });
      }
      if (failed.length === 0) return done();
      if (results.length === 1) return done(first);
      // fan-out: every failed phone reaches Catch nodes with its own message
      for (const r of failed) node.error(r.err, r.out);
      done();
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      unsubscribe?.();
      done();
    });
  }
  RED.nodes.registerType(type, ActionNode);
}

/** Editor field, else the message: the rule every action node follows. */
export function fieldOr<T>(field: T | undefined | null | '', fromMsg: unknown): T | unknown {
  return field === undefined || field === null || field === '' ? fromMsg : field;
}
