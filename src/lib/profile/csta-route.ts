/**
 * Which route a CSTA request takes: CSTA over HTTP (docs/protocol.md §8.2) or uaCSTA over SIP
 * (§10.7, from 8.7.1), and the dialect a uaCSTA request is written in.
 */
import { inputError, quoteInput, unsupportedError } from '../errors';
import { atLeast } from './firmware';
import { hasCstaOverHttp, requireCstaOverHttp } from './profile';
import type { CstaCaps, CstaTransport, CstaTransportChoice, Profile } from './types';

export const CSTA_TRANSPORT_CHOICES: readonly CstaTransportChoice[] = ['auto', 'http', 'sip'];

/** E_UNSUPPORTED saying why when the firmware has no uaCSTA; `what` names the refused thing. */
export function requireUaCsta(profile: Pick<Profile, 'uaCsta' | 'firmware'>, what: string): void {
  if (profile.uaCsta) return;
  const firmware = profile.firmware?.raw ?? '';
  throw unsupportedError(
    `${what} over SIP (uaCSTA) is not possible: firmware ${firmware} is older than 8.7.1, which brought uaCSTA; use CSTA over HTTP or update the phone.`,
  ).withText('csta.noUaCsta', { field: what, firmware });
}

/**
 * The route for a choice: 'http' and 'sip' as asked (refused with E_UNSUPPORTED where the firmware
 * lacks it); 'auto' takes HTTP where the firmware has it and SIP on 8.7.0–8.7.2, whose HTTP CSTA is broken.
 * An empty choice is 'auto'; anything else is E_INPUT.
 */
export function cstaTransport(profile: Profile, choice: unknown, what: string): CstaTransport {
  const c = choice === undefined || choice === null || choice === '' ? 'auto' : choice;
  if (c === 'http') {
    requireCstaOverHttp(profile, what);
    return 'http';
  }
  if (c === 'sip') {
    requireUaCsta(profile, what);
    return 'sip';
  }
  if (c !== 'auto')
    throw inputError(`${quoteInput(c, 40)} is not a CSTA transport: use "auto", "http" or "sip".`, {
      field: 'transport',
    }).withText('csta.transport', { value: quoteInput(c, 40) });
  if (hasCstaOverHttp(profile)) return 'http';
  if (profile.uaCsta && profile.csta.dialect === 'gap') return 'sip';
  requireCstaOverHttp(profile, what);
  return 'http';
}

/**
 * The dialect of requests in a uaCSTA association: bare ECMA-323 ed5 with `<callID>` connections
 * whatever `csta_legacy_control` says (§10.7 lists ed5 only), identity indexes and the 8.7.4
 * operations from 8.7.4 (or when the firmware is not known, as over HTTP: §11.1 C6).
 */
export function uaCstaCaps(profile: Pick<Profile, 'firmware'>): CstaCaps {
  const v874 = !profile.firmware || atLeast(profile.firmware, '8.7.4');
  return { dialect: 'current', identityIndex: v874, extendedOps: v874 };
}
