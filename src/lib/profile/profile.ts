import { unsupportedError } from '../errors';
import { atLeast, parseFirmware } from './firmware';
import { lookupModel, normaliseModel, seriesOf } from './models';
import type { CstaCaps, FirmwareVersion, Profile } from './types';

export interface ProfileInput {
  /** model name as the user or the phone wrote it; "" / "detect" / unknown → permissive */
  model?: string;
  /** firmware version text; "" / "detect" → unknown */
  firmware?: string;
  /** the phone runs with csta_legacy_control=0: use the legacy CSTA dialect (docs/protocol.md §8.3; the whole dialect is our reading, §11.1 C5) */
  legacyCsta?: boolean;
  /** detection saw a D8xx "Phone Manager" page although the model is not known */
  d8xx?: boolean;
}

function cstaCaps(fw: FirmwareVersion | undefined, legacyCsta: boolean, hasHttp: boolean): CstaCaps {
  if (!hasHttp) return { dialect: 'none', identityIndex: false, extendedOps: false };
  if (!fw) {
    // unknown firmware: assume a current phone, the warning says so (our default, docs/protocol.md §11.1 C6)
    return { dialect: legacyCsta ? 'legacy' : 'current', identityIndex: !legacyCsta, extendedOps: !legacyCsta };
  }
  if (!atLeast(fw, '7.3.4')) return { dialect: 'none', identityIndex: false, extendedOps: false };
  if (!atLeast(fw, '8.7.0')) return { dialect: 'legacy', identityIndex: false, extendedOps: false };
  // docs/protocol.md §8.2: CSTA over HTTP is broken on 8.7.0 to 8.7.2, whatever csta_legacy_control says
  if (!atLeast(fw, '8.7.3')) return { dialect: 'gap', identityIndex: false, extendedOps: false };
  if (legacyCsta) return { dialect: 'legacy', identityIndex: false, extendedOps: false };
  const v874 = atLeast(fw, '8.7.4');
  return { dialect: 'current', identityIndex: v874, extendedOps: v874 };
}

/**
 * The one question "does CSTA over HTTP work on this phone?": yes in the legacy (7.3.4 to 8.6) and
 * current (8.7.3+) dialects; no before 7.3.4, on models without it, and on 8.7.0 to 8.7.2 (docs/protocol.md §8.2).
 */
export function hasCstaOverHttp(profile: Pick<Profile, 'csta'>): boolean {
  return profile.csta.dialect === 'legacy' || profile.csta.dialect === 'current';
}

/** E_UNSUPPORTED saying why when the phone has no CSTA over HTTP; `what` names the refused thing ("Raw CSTA"). */
export function requireCstaOverHttp(
  profile: Pick<Profile, 'csta'>,
  what: string,
  /** on 8.7.0–8.7.2 also say that a SIP user in the phone config would route it over uaCSTA */
  opts: { sipUserHint?: boolean } = {},
): void {
  if (hasCstaOverHttp(profile)) return;
  if (profile.csta.dialect === 'gap') {
    const hint = opts.sipUserHint ? " (set the phone config's SIP user to use uaCSTA instead)" : '';
    throw unsupportedError(
      `${what}${hint} is not possible: firmware 8.7.0 to 8.7.2 cannot do CSTA over HTTP; update the phone to 8.7.3 or later.`,
    ).withText(hint ? 'csta.gapNoSipUser' : 'csta.gapFor', { what });
  }
  throw unsupportedError(
    `${what} is not possible: this phone has no CSTA over HTTP (firmware before 7.3.4, or a model without it).`,
  ).withText('csta.noneFor', { what });
}

function touchFirmware(fw: FirmwareVersion | undefined): boolean {
  if (!fw) return true;
  // "since 8.4.34 and 8.7.2" (docs/protocol.md §4.6): 8.4.x from .34, and 8.7.2 onwards (our reading, §11.3 K5)
  if (fw.major === 8 && fw.minor === 4) return fw.patch >= 34;
  return atLeast(fw, '8.7.2');
}

/**
 * The one function every node asks before sending: model + firmware → what the phone can do.
 * Unknown models or firmware get permissive answers plus a warning, never a refusal.
 */
export function resolveProfile(input: ProfileInput): Profile {
  const warnings: string[] = [];
  const wantsDetect = (v?: string) => !v || v.trim() === '' || v.trim().toLowerCase() === 'detect';
  const modelId = wantsDetect(input.model) ? undefined : normaliseModel(input.model);
  const fw = wantsDetect(input.firmware) ? undefined : parseFirmware(input.firmware);
  if (!wantsDetect(input.firmware) && !fw) warnings.push(`firmware "${input.firmware}" is not a version number`);
  const info = lookupModel(modelId);
  const series = modelId ? seriesOf(modelId) : undefined;
  if (!modelId)
    warnings.push(input.model && !wantsDetect(input.model) ? `unknown model "${input.model}"` : 'model not known');
  else if (!info) warnings.push(`model ${modelId} is not in the table; permissive rules apply`);
  if (!fw) warnings.push('firmware not known; assuming a current firmware');

  const httpRemote = series !== 'D8' && !input.d8xx;
  const firmwareOk = (v: string) => !fw || atLeast(fw, v);
  return {
    model: modelId ?? 'unknown',
    firmware: fw,
    httpRemote,
    keys: {
      softkeys: info ? info.softkeys : ['F1', 'F2', 'F3', 'F4'],
      pKeys: info?.pKeys,
      expansion: info ? info.expansion : true,
    },
    touch: (info ? info.touchScreen : !modelId) && touchFirmware(fw),
    csta: cstaCaps(fw, input.legacyCsta === true, httpRemote),
    uaCsta: !fw || atLeast(fw, '8.7.1'),
    minibrowserPush: httpRemote && firmwareOk('8.2.7'),
    minibrowserUrlEncoded: firmwareOk('8.4.32'),
    permissive: !info || !fw,
    warnings,
  };
}
