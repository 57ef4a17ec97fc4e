/**
 * Provisioning several phones at once: the fan-out over the chosen phones (in parallel, each phone
 * keeping its own order) and its report. Nothing it hands on (report, errors) carries the token,
 * even when a phone echoes it.
 */
import { SnomError, type SnomErrorCode, type TextKey } from '../errors';
import type { SnomPhone } from '../phone';
import { parseExtraVariables } from './extra-variables';
import { provisionPhone, type ProvisionResult } from './provision';
import { redactError, redactToken } from './redact';
import type { EventSelection } from './url';

export type ProvisionAction = 'provision' | 'unprovision';

export interface ProvisionFailure {
  /** the phone's label, or the id that named no phone (cut to 64 characters) */
  phone: string;
  code: SnomErrorCode;
  message: string;
  /** the message's catalog entry (not enumerable: the report's JSON stays as it is) */
  readonly text?: TextKey;
}

function failure(phone: string, code: SnomErrorCode, message: string, text?: TextKey): ProvisionFailure {
  const f: ProvisionFailure = { phone, code, message };
  if (text) Object.defineProperty(f, 'text', { value: text });
  return f;
}

export interface ProvisionReport {
  results: ProvisionResult[];
  errors: ProvisionFailure[];
}

/** A phone to provision and where it reaches Node-RED (its config's base URL). */
export interface ProvisionTarget {
  phone: SnomPhone;
  baseUrl: string;
}

export interface FanOutOptions {
  /** phone config ids for this run; none (or an empty list) means `configured` */
  ids?: readonly string[];
  /** the endpoint's own list of phone config ids */
  configured: readonly string[];
  /** id → its phone; undefined when no such phone config is deployed */
  phoneFor(id: string): ProvisionTarget | undefined;
  events: EventSelection | null;
  httpNodeRoot: string;
  path: string;
  token: string;
  /** extra phone variables as given (parseExtraVariables), checked before anything is sent */
  variables: unknown;
  unprovision: boolean;
}

const ID_SHOWN = 64;

/** Phone config ids from a form's list or one text of ids separated by spaces or commas. */
export function phoneIdList(v: unknown): string[] {
  return (Array.isArray(v) ? v : String(v ?? '').split(/[\s,]+/)).filter(Boolean);
}

/** msg.topic (else msg.payload) as an action: "provision" or "unprovision", any case; else E_INPUT. */
export function provisionAction(v: unknown): ProvisionAction {
  const action = String(v ?? '').toLowerCase();
  if (action === 'provision' || action === 'unprovision') return action;
  throw new SnomError(
    'E_INPUT',
    'Send msg.topic "provision" or "unprovision" to write or clear the phones\' action URL settings',
  ).withText('provision.action');
}

/**
 * Writes (or clears) the action_* settings on every chosen phone. A phone that fails is reported in
 * `errors` and does not stop the others; an empty choice or bad variables throw E_INPUT before
 * anything is sent.
 */
export async function provisionPhones(o: FanOutOptions): Promise<ProvisionReport> {
  const report: ProvisionReport = { results: [], errors: [] };
  const list = o.ids && o.ids.length ? o.ids : o.configured;
  try {
    if (list.length === 0)
      throw new SnomError(
        'E_INPUT',
        'No phones chosen: tick phones in the node or send msg.phones (snom-phone config ids)',
      ).withText('provision.noPhones');
    const extraVariables = parseExtraVariables(o.variables);
    await Promise.all(
      list.map(async (id) => {
        const target = o.phoneFor(id);
        if (!target) {
          const shown = id.slice(0, ID_SHOWN);
          const e = new SnomError('E_INPUT', `No snom-phone config node with id ${shown} is deployed`).withText(
            'provision.noSuchPhone',
            { id: shown },
          );
          report.errors.push(failure(shown, e.code, e.message, e.text));
          return;
        }
        try {
          report.results.push(
            await provisionPhone(target.phone, {
              events: o.events,
              baseUrl: target.baseUrl,
              httpNodeRoot: o.httpNodeRoot,
              path: o.path,
              token: o.token,
              extraVariables,
              unprovision: o.unprovision,
            }),
          );
        } catch (err) {
          const e = redactError(err, o.token);
          report.errors.push(failure(target.phone.label, e.code, redactToken(e.message, o.token), e.text));
        }
      }),
    );
  } catch (err) {
    throw redactError(err, o.token);
  }
  return report;
}

/** The error a run with failures ends in (Catch nodes see it): the first failure, and how many failed. */
export function provisionFailure(action: ProvisionAction, report: ProvisionReport): SnomError | undefined {
  const first = report.errors[0];
  if (!first) return undefined;
  const n = report.errors.length;
  return new SnomError(first.code, `${action} failed on ${n} phone(s): ${first.phone}: ${first.message}`).withText(
    action === 'provision' ? 'provision.failed' : 'provision.unprovisionFailed',
    { n, phone: first.phone, reason: first.message },
    { reason: first.text },
  );
}
