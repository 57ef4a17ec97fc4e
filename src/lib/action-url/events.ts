/**
 * Phone events that can fire an Action URL (docs/protocol.md §6.3), with the readable name used as
 * `msg.topic` and the phone setting that holds the URL. Several settings have no `_url` suffix.
 * The firewall test is written as Snom's remote-control page names it (`action_fwtest_url`, docs/protocol.md §6.4) and also recognised
 * under the older wiki's `action_firewall_test` (docs/protocol.md §6.3).
 */
export interface ActionEventDef {
  /** readable camelCase name: `msg.topic` and the `e=` value in our URLs */
  name: string;
  /** phone setting holding the URL, exactly as the phone names it (the one provisioning writes) */
  setting: string;
  /** other names of that setting in the wild, recognised but never written */
  aliases: readonly string[];
  /** English label for editors and help */
  label: string;
  /** readable variable keys our URL asks the phone to fill for this event */
  variables: readonly string[];
}

const CALL = [
  'local',
  'remote',
  'callId',
  'cstaId',
  'displayLocal',
  'displayRemote',
  'activeKey',
  'nrOngoingCalls',
  'mac',
];
const CALL_END = [...CALL, 'cancelReason'];
const IDENTITY = ['activeUrl', 'mac'];
const REDIRECT = ['activeUrl', 'redirectEvent', 'redirectNumber', 'redirectTime', 'mac'];

function ev(name: string, setting: string, label: string, variables: string[], aliases: string[] = []): ActionEventDef {
  return Object.freeze({ name, setting, label, variables: Object.freeze(variables), aliases: Object.freeze(aliases) });
}

export const ACTION_EVENTS: readonly ActionEventDef[] = Object.freeze([
  ev('incoming', 'action_incoming_url', 'Incoming call', CALL),
  ev('outgoing', 'action_outgoing_url', 'Outgoing call', CALL),
  ev('connected', 'action_connected_url', 'Connected', CALL),
  ev('disconnected', 'action_disconnected_url', 'Disconnected', CALL_END),
  ev('offhook', 'action_offhook_url', 'Off-hook', CALL),
  ev('onhook', 'action_onhook_url', 'On-hook', CALL),
  ev('missed', 'action_missed_url', 'Missed call', CALL_END),
  ev('hold', 'action_hold', 'Hold', CALL),
  ev('unhold', 'action_unhold', 'Unhold', CALL),
  ev('transfer', 'action_transfer', 'Transfer', CALL),
  ev('blindTransfer', 'action_blind_transfer', 'Blind transfer', CALL),
  ev('attendedTransfer', 'action_attended_transfer', 'Attended transfer', CALL),
  ev('receivedAttendedTransfer', 'action_received_attended_transfer', 'Received attended transfer', CALL),
  ev('dndOn', 'action_dnd_on_url', 'DND on', IDENTITY),
  ev('dndOff', 'action_dnd_off_url', 'DND off', IDENTITY),
  ev('redirectionOn', 'action_redirection_on_url', 'Call forwarding on', REDIRECT),
  ev('redirectionOff', 'action_redirection_off_url', 'Call forwarding off', REDIRECT),
  ev('setup', 'action_setup_url', 'Setup finished', ['phoneIp', 'localIp', 'mac']),
  ev('registrationFailed', 'action_reg_failed', 'Registration failed', ['contextUrl', 'activeUrl', 'mac']),
  ev('logOn', 'action_log_on_url', 'Log on', ['contextUrl', 'mac']),
  ev('logOff', 'action_log_off_url', 'Log off', ['contextUrl', 'mac']),
  ev('longPress', 'action_longpress_url', 'Key long press', ['longpressKey', 'mac']),
  ev('blacklist', 'action_blacklist_url', 'Blacklist check', ['local', 'remote', 'displayRemote', 'mac']),
  ev('subscriptionNotify', 'action_received_subscr_notify_url', 'Received subscription NOTIFY', ['mac']),
  ev('firewallTest', 'action_fwtest_url', 'Firewall test', ['mac'], ['action_firewall_test']),
]);

export const ACTION_EVENT_NAMES: readonly string[] = Object.freeze(ACTION_EVENTS.map((e) => e.name));

const byName = new Map<string, ActionEventDef>();
const byLowerName = new Map<string, ActionEventDef>();
const bySetting = new Map<string, ActionEventDef>();
for (const e of ACTION_EVENTS) {
  byName.set(e.name, e);
  byLowerName.set(e.name.toLowerCase(), e);
  for (const s of [e.setting, ...e.aliases]) bySetting.set(s, e);
}

/**
 * The event for a name; exact first, then case-insensitive (hand-typed URLs often use `e=dndon`),
 * then the phone's setting name (`e=action_firewall_test`).
 */
export function eventByName(name: string): ActionEventDef | undefined {
  return byName.get(name) ?? byLowerName.get(name.toLowerCase()) ?? eventBySetting(name);
}

/** The event a phone setting reports, under the written name or a known alias (any case). */
export function eventBySetting(setting: string): ActionEventDef | undefined {
  return bySetting.get(setting.trim().toLowerCase());
}

/**
 * The events a node's form (or a hand-written flow) selects: a list, or one text of names separated
 * by spaces or commas; unknown names are left out. undefined, null or 'all' select every event (null).
 */
export function eventSelection(v: unknown): Set<string> | null {
  if (v === undefined || v === null || v === 'all') return null;
  const list: unknown[] = Array.isArray(v)
    ? v
    : String(v)
        .split(/[\s,]+/)
        .filter(Boolean);
  return new Set(list.filter((e): e is string => typeof e === 'string' && ACTION_EVENT_NAMES.includes(e)));
}
