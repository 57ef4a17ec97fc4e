/**
 * "The phone's first identity", the device CSTA requests name when the user gives none.
 * Firmware 8.7.4+ accepts the identity index, so 1 is sent and nothing is read. Older
 * firmware needs the SIP URI: it is read once per phone with Snom's proprietary CSTA
 * GetSettings (user_name1 + user_host1; Snom documents that request and these names,
 * docs/protocol.md §8.4, §9.2, whereas the settings.xml shape is a guess, §5.3) and cached.
 * Firmware without CSTA over HTTP (8.7.1–8.7.2, which reach CSTA over SIP only) is read through
 * the web route's settings.xml instead.
 */
import { inputError } from '../errors';
import { buildCstaRequest, type CstaResult } from './';
import type { SnomPhone } from '../phone';
import { hasCstaOverHttp } from '../profile/profile';
import type { CstaCaps, Profile } from '../profile/types';
import { planSettingsGet } from '../settings/plan';
import { cstaPlan } from './transport';

const cache = new WeakMap<SnomPhone, Promise<string>>();

/** `caps`: the dialect the request goes out in (uaCSTA's differs from HTTP's: lib/profile uaCstaCaps). */
export function firstIdentity(
  phone: SnomPhone,
  profile: Profile,
  timeoutMs?: number,
  caps: CstaCaps = profile.csta,
): Promise<string | number> {
  if (caps.identityIndex) return Promise.resolve(1);
  let known = cache.get(phone);
  if (!known) {
    // messages arriving together share one read; a failed read is not kept, the next message tries again
    known = readFirstIdentity(phone, profile, timeoutMs);
    cache.set(phone, known);
    known.catch(() => cache.delete(phone));
  }
  return known;
}

async function readFirstIdentity(phone: SnomPhone, profile: Profile, timeoutMs?: number): Promise<string> {
  const overHttp = hasCstaOverHttp(profile);
  const plan = overHttp
    ? cstaPlan(buildCstaRequest('GetSettings', {}, profile.csta), { command: 'read first identity' })
    : { ...planSettingsGet(['user_name1', 'user_host1'], profile), command: 'read first identity' };
  const run = await phone.run(plan.requests, timeoutMs);
  const read = plan.read!(run.responses, phone.label);
  const settings = (overHttp ? ((read as CstaResult).data.settings ?? {}) : (read ?? {})) as Record<
    string,
    string | null
  >;
  const user = (settings.user_name1 ?? '').trim();
  const host = (settings.user_host1 ?? '').trim();
  if (!user || !host || /[\s@]/.test(user) || /[\s@]/.test(host)) {
    throw inputError(
      `Phone ${phone.label} has no usable first identity (user_name1 "${user}", user_host1 "${host}"); give the device (e.g. sip:100@pbx) in the node or msg.payload.deviceId.`,
      { phone: phone.label, field: 'deviceId' },
    ).withText('csta.noIdentity', { phone: phone.label, user, host });
  }
  return `sip:${user}@${host}`;
}
