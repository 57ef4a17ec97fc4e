/**
 * Runtime variables a Snom phone substitutes into an Action URL (docs/protocol.md §6.2), each with the
 * readable key used in `msg.payload` and the short query key our URLs carry.
 */
export interface ActionVariable {
  /** readable key in msg.payload, e.g. "callId" */
  key: string;
  /** the phone's variable name without `$`, e.g. "call-id" (note the hyphen) */
  phoneVar: string;
  /** query parameter name in URLs we build; kept short because phones limit setting length */
  query: string;
  /** what it holds, for help texts */
  description: string;
}

export const ACTION_VARIABLES: readonly ActionVariable[] = Object.freeze(
  [
    { key: 'local', phoneVar: 'local', query: 'local', description: 'local SIP URI of the identity' },
    { key: 'remote', phoneVar: 'remote', query: 'remote', description: 'SIP URI of the other party' },
    { key: 'callId', phoneVar: 'call-id', query: 'cid', description: 'SIP Call-ID of the active call' },
    { key: 'cstaId', phoneVar: 'csta_id', query: 'csta', description: 'CSTA connection id for CSTA requests' },
    { key: 'displayLocal', phoneVar: 'display_local', query: 'dloc', description: 'local display name' },
    { key: 'displayRemote', phoneVar: 'display_remote', query: 'drem', description: 'display name of the other party' },
    { key: 'activeUrl', phoneVar: 'active_url', query: 'aurl', description: 'SIP URI of the active outgoing identity' },
    { key: 'activeUser', phoneVar: 'active_user', query: 'auser', description: 'user part of the active identity' },
    { key: 'activeHost', phoneVar: 'active_host', query: 'ahost', description: 'host part of the active identity' },
    { key: 'activeKey', phoneVar: 'active_key', query: 'akey', description: 'function key tied to the call, e.g. P1' },
    { key: 'expansionModule', phoneVar: 'expansion_module', query: 'exp', description: 'expansion module in use' },
    { key: 'phoneIp', phoneVar: 'phone_ip', query: 'ip', description: "the phone's IP address" },
    { key: 'nrOngoingCalls', phoneVar: 'nr_ongoing_calls', query: 'calls', description: 'number of ongoing calls' },
    { key: 'contextUrl', phoneVar: 'context_url', query: 'ctx', description: 'identity logged on or off' },
    {
      key: 'cancelReason',
      phoneVar: 'cancel_reason',
      query: 'reason',
      description: 'Reason header of a cancelled call',
    },
    { key: 'longpressKey', phoneVar: 'longpress_key', query: 'lkey', description: 'key held longer than 2 s' },
    { key: 'mac', phoneVar: 'mac', query: 'mac', description: "the phone's MAC address" },
    { key: 'localIp', phoneVar: 'local_ip', query: 'lip', description: "the phone's local IP address" },
    { key: 'redirectEvent', phoneVar: 'redirect_event', query: 'rev', description: 'call forwarding kind' },
    { key: 'redirectNumber', phoneVar: 'redirect_number', query: 'rnum', description: 'call forwarding target' },
    { key: 'redirectTime', phoneVar: 'redirect_time', query: 'rtime', description: 'call forwarding delay' },
  ].map((v) => Object.freeze(v)),
);

const byKey = new Map<string, ActionVariable>();
/** every accepted query name → variable: short key, readable key and the phone's own name */
const byQueryName = new Map<string, ActionVariable>();
for (const v of ACTION_VARIABLES) {
  byKey.set(v.key, v);
  byQueryName.set(v.query, v);
  byQueryName.set(v.key, v);
  byQueryName.set(v.phoneVar, v);
}
// common spelling in hand-written URLs (`call_id=$call-id`)
byQueryName.set('call_id', byKey.get('callId')!);

export function variableByKey(key: string): ActionVariable | undefined {
  return byKey.get(key);
}

/** The variable a query parameter name stands for, accepting short, readable and phone names. */
export function variableByQueryName(name: string): ActionVariable | undefined {
  return byQueryName.get(name);
}
