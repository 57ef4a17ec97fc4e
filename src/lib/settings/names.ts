/**
 * Setting names: which ones the phone lets the proprietary CSTA GetSettings /
 * SetSettings touch (Snom's list, docs/protocol.md §9.2), which are read-only, and name syntax.
 */
import { inputError, quoteInput } from '../errors';

export interface CstaSettingInfo {
  /** base name; indexed ones are written with a suffix 1..12, e.g. user_name1 */
  name: string;
  indexed: boolean;
  readOnly: boolean;
  /** action_fwtest_url: hidden, the web interface cannot set it (docs/protocol.md §6.4) */
  hidden: boolean;
}

function s(name: string, opts: Partial<Omit<CstaSettingInfo, 'name'>> = {}): CstaSettingInfo {
  return { name, indexed: false, readOnly: false, hidden: false, ...opts };
}

/** Snom's "Only the following settings can be read or changed" list (docs/protocol.md §9.2). */
export const CSTA_SETTINGS: readonly CstaSettingInfo[] = Object.freeze([
  s('mac', { readOnly: true }),
  s('phone_type', { readOnly: true }),
  s('firmware_version', { readOnly: true }),
  s('user_name', { indexed: true }),
  s('user_realname', { indexed: true }),
  s('user_host', { indexed: true }),
  s('action_incoming_url'),
  s('action_outgoing_url'),
  s('action_connected_url'),
  s('action_disconnected_url'),
  s('action_hold'),
  s('action_unhold'),
  s('action_transfer'),
  s('action_blind_transfer'),
  s('action_attended_transfer'),
  s('action_offhook_url'),
  s('action_onhook_url'),
  s('action_missed_url'),
  s('action_fwtest_url', { hidden: true }),
]);

/** Identities on a phone are numbered 1..12 (docs/protocol.md §4.3: LOGOFFLINE=1(..12)). */
const MAX_IDENTITY = 12;

/** Names the dummy.htm query itself uses; a setting cannot be called that. */
const RESERVED = new Set(['settings', 'store_settings']);

/**
 * Names every JavaScript object answers to (constructor, toString, __proto__, …). No Snom setting
 * is called so, and a phone holding one breaks readers that keep settings in objects (a setting
 * `constructor` made every later settings.xml read fail), so they are refused.
 */
const OBJECT_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Letters, digits and `_`, starting with a letter; an index is just trailing digits. */
const NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

/** Throws E_INPUT unless `name` is a syntactically valid setting name; returns it. */
export function validateSettingName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw inputError('A setting name must be a non-empty string.', { field: 'name' }).withText('settings.empty');
  }
  if (!NAME_RE.test(name)) {
    throw inputError(
      `${quoteInput(name, 60)} is not a valid setting name: use letters, digits and "_" (optionally ending in an index, e.g. user_name1).`,
      { field: 'name' },
    ).withText('settings.invalid', { name: quoteInput(name, 60) });
  }
  if (OBJECT_NAMES.has(name)) {
    throw inputError(
      `"${name}" is not a Snom setting: names that every JavaScript object has (constructor, toString, …) are refused.`,
      {
        field: 'name',
      },
    ).withText('settings.objectName', { name });
  }
  if (RESERVED.has(name)) {
    throw inputError(`"${name}" is part of the settings request itself and cannot be used as a setting name.`, {
      field: 'name',
    }).withText('settings.reserved', { name });
  }
  return name;
}

/** The CSTA list entry a name refers to, or undefined (then only the web route can reach it). */
export function cstaSettingInfo(name: string): CstaSettingInfo | undefined {
  for (const info of CSTA_SETTINGS) {
    if (!info.indexed) {
      if (name === info.name) return info;
      continue;
    }
    const m = /^(.*?)([1-9][0-9]?)$/.exec(name);
    if (m && m[1] === info.name && Number(m[2]) <= MAX_IDENTITY) return info;
  }
  return undefined;
}

/** 'csta' for Snom's list (proprietary GetSettings/SetSettings, docs/protocol.md §9.2), 'web' for anything else. */
export function settingRoute(name: string): 'csta' | 'web' {
  validateSettingName(name);
  return cstaSettingInfo(name) ? 'csta' : 'web';
}

/** mac, phone_type and firmware_version can be read but never written. */
export function isReadOnly(name: string): boolean {
  return cstaSettingInfo(name)?.readOnly ?? false;
}
