/**
 * One-click provisioning: write (or clear) the action_* settings of a phone so that it reports the
 * chosen events to a snom-action-url-in endpoint. Nobody types URLs into the phone's web page.
 */
import { inputError } from '../errors';
import { planSettingsSet } from '../settings/plan';
import type { SnomPhone } from '../phone';
import { hasCstaOverHttp } from '../profile/profile';
import type { Profile } from '../profile/types';
import { ACTION_EVENTS, eventByName } from './events';
import type { ExtraVariable } from './extra-variables';
import { redactError, tokenForms } from './redact';
import { settingsForProvisioning, settingsForUnprovisioning, type EventSelection } from './url';

export interface ProvisionOptions {
  /** events to report; null or 'all' = every event */
  events: EventSelection | null;
  /** where this phone reaches Node-RED (the phone config's base URL) */
  baseUrl: string;
  /** Node-RED's httpNodeRoot ('/' by default) */
  httpNodeRoot?: string;
  path: string;
  token: string;
  /** phone variables asked for on top of each event's own (parseExtraVariables) */
  extraVariables?: readonly ExtraVariable[];
  /** clear the settings instead of writing them */
  unprovision?: boolean;
}

export interface ProvisionResult {
  phone: string;
  action: 'provision' | 'unprovision';
  /** setting names written (never their values: they carry the token) */
  settings: string[];
  route: string;
  /** events left out on this phone, and why */
  skipped?: string[];
}

/** base URL + httpNodeRoot, e.g. http://10.0.0.5:1880 + /api → http://10.0.0.5:1880/api */
export function endpointBase(baseUrl: string, httpNodeRoot = '/'): string {
  if (!baseUrl) {
    throw inputError(
      'This phone config has no "Base URL at which the phone reaches Node-RED": set it (e.g. http://192.168.1.10:1880) so the phone knows where to send its events',
    ).withText('provision.noBaseUrl');
  }
  const root = httpNodeRoot.replace(/^\/*/, '/').replace(/\/+$/, '');
  return baseUrl.replace(/\/+$/, '') + root;
}

/** The settings to write for this phone; the firewall test needs CSTA, so phones without it skip that one. */
export function provisioningValues(
  o: ProvisionOptions,
  profile: Profile,
): { values: Record<string, string>; skipped: string[] } {
  const chosen = o.events === null || o.events === 'all' ? ACTION_EVENTS.map((e) => e.name) : [...o.events];
  const skipped: string[] = [];
  const cstaOk = hasCstaOverHttp(profile);
  const events = chosen.filter((name) => {
    if (eventByName(name)?.setting === 'action_fwtest_url' && !cstaOk) {
      skipped.push(`${name}: action_fwtest_url can only be written with CSTA, which this firmware lacks`);
      return false;
    }
    return true;
  });
  if (events.length === 0) throw inputError('No events left to provision on this phone').withText('provision.noEvents');
  const values = o.unprovision
    ? settingsForUnprovisioning(events)
    : settingsForProvisioning(events, {
        baseUrl: endpointBase(o.baseUrl, o.httpNodeRoot),
        path: o.path,
        token: o.token,
        extraVariables: o.extraVariables,
      });
  return { values, skipped };
}

/**
 * Write the settings on one phone, as one turn on it; CSTA faults and HTTP errors throw, without
 * the token: the requests carry it, and phones' error pages echo requests.
 */
export async function provisionPhone(phone: SnomPhone, o: ProvisionOptions): Promise<ProvisionResult> {
  let values: Record<string, string>;
  let skipped: string[];
  let plan: ReturnType<typeof planSettingsSet>;
  try {
    const profile = await phone.profile();
    ({ values, skipped } = provisioningValues(o, profile));
    plan = planSettingsSet(values, profile);
    // `secrets`: the HTTP client blanks these in every error of the request (PhoneRequest.secrets)
    const secrets = tokenForms(o.token);
    const run = await phone.run(plan.requests.map((r) => ({ ...r, secrets })));
    plan.read?.(run.responses, phone.label);
  } catch (err) {
    throw redactError(err, o.token);
  }
  return {
    phone: phone.label,
    action: o.unprovision ? 'unprovision' : 'provision',
    settings: Object.keys(values),
    route: plan.route,
    ...(skipped.length ? { skipped } : {}),
  };
}
