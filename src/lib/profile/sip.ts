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

/** Why the phone cannot take this kind (its catalog key, runtime.errors.notify.<key>), or undefined when it can. */
function refusal(
  profile: Pick<Profile, 'model' | 'firmware' | 'httpRemote'>,
  kind: SipNotifyRoute,
): { key: 'd8xxButtons' | 'd8xxMinibrowser' | 'buttonsFirmware'; text: string; phone: string } | undefined {
  const phone = `${profile.model}${profile.firmware ? ` ${profile.firmware.raw}` : ''}`;
  if ((kind === 'minibrowser' || kind === 'buttons') && !profile.httpRemote) {
    const what = kind === 'buttons' ? 'LED/label control by SIP MESSAGE' : 'a minibrowser document by SIP NOTIFY';
    const text = `This phone (${phone}) is a D8xx, which runs no Snom XML minibrowser and has no function keys of type button: ${what} is not possible.`;
    return { key: kind === 'buttons' ? 'd8xxButtons' : 'd8xxMinibrowser', text, phone };
  }
  if (kind === 'buttons' && profile.firmware && !atLeast(profile.firmware, '7.0.0'))
    return {
      key: 'buttonsFirmware',
      text: `This phone (${phone}) cannot take LED/label control by SIP MESSAGE (application/x-buttons): that needs firmware 7 or later.`,
      phone,
    };
  return undefined;
}

/** Why the phone cannot take this kind, or undefined when it can. */
export function sipNotifyRefusal(
  profile: Pick<Profile, 'model' | 'firmware' | 'httpRemote'>,
  kind: SipNotifyRoute,
): string | undefined {
  return refusal(profile, kind)?.text;
}

/** E_UNSUPPORTED in plain words when the phone's profile has no such SIP channel. */
export function requireSipNotify(
  profile: Pick<Profile, 'model' | 'firmware' | 'httpRemote'>,
  kind: SipNotifyRoute,
): void {
  const why = refusal(profile, kind);
  if (!why) return;
  const err = unsupportedError(why.text, { command: `sip ${kind}` });
  const params = { phone: why.phone };
  if (why.key === 'd8xxButtons') throw err.withText('notify.d8xxButtons', params);
  if (why.key === 'd8xxMinibrowser') throw err.withText('notify.d8xxMinibrowser', params);
  throw err.withText('notify.buttonsFirmware', params);
}
