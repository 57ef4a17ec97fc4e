/**
 * Which SIP channels of snom-sip-notify a phone has (docs/protocol.md §10.2–§10.6, §10.9): the
 * x-buttons LED control needs firmware 7 ([LRC]); the minibrowser document and x-buttons need the
 * Snom XML minibrowser and function keys of the D3xx/D7xx/snom line, which the D8xx series does not
 * run (our reading, like its missing HTTP remote control, §1.1); talk/hold and check-sync are plain
 * SIP and allowed everywhere. Unknown model or firmware: allowed (permissive, as elsewhere).
 */
import { unsupportedError } from '../errors';
import { atLeast } from './firmware';
import type { Profile } from './types';

export type SipNotifyRoute = 'minibrowser' | 'talk' | 'hold' | 'buttons' | 'check-sync';

/** Why the phone cannot take this kind, or undefined when it can. */
export function sipNotifyRefusal(
  profile: Pick<Profile, 'model' | 'firmware' | 'httpRemote'>,
  kind: SipNotifyRoute,
): string | undefined {
  const phone = `${profile.model}${profile.firmware ? ` ${profile.firmware.raw}` : ''}`;
  if ((kind === 'minibrowser' || kind === 'buttons') && !profile.httpRemote)
    return `This phone (${phone}) is a D8xx, which runs no Snom XML minibrowser and has no function keys of type button: ${kind === 'buttons' ? 'LED/label control by SIP MESSAGE' : 'a minibrowser document by SIP NOTIFY'} is not possible.`;
  if (kind === 'buttons' && profile.firmware && !atLeast(profile.firmware, '7.0.0'))
    return `This phone (${phone}) cannot take LED/label control by SIP MESSAGE (application/x-buttons): that needs firmware 7 or later.`;
  return undefined;
}

/** E_UNSUPPORTED in plain words when the phone's profile has no such SIP channel. */
export function requireSipNotify(
  profile: Pick<Profile, 'model' | 'firmware' | 'httpRemote'>,
  kind: SipNotifyRoute,
): void {
  const why = sipNotifyRefusal(profile, kind);
  if (why) throw unsupportedError(why, { command: `sip ${kind}` });
}
