// Shapes the call model keeps in phone.state.ext (shown by GET /sim/state and GET /sim/calls).

export type CallState = 'ringing' | 'dialing' | 'connected' | 'held' | 'disconnected' | 'missed' | 'transferred';

export interface SimCall {
  /** the phone's $csta_id: negative integers as strings, "-1", "-2", ... */
  cstaId: string;
  /** SIP Call-ID ($call-id) */
  sipCallId: string;
  direction: 'incoming' | 'outgoing';
  /** SIP URI of the identity the call belongs to */
  local: string;
  /** 1-based identity index */
  identity: number;
  remote: string;
  displayRemote?: string;
  /** headers of the call's first incoming INVITE, for $sip_header(NAME) (docs/protocol.md §6.2) */
  sipHeaders?: Record<string, string>;
  state: CallState;
  history: Array<{ state: CallState; at: number }>;
  /** where a transfer or deflection sent the call */
  transferredTo?: string;
  /** id shared by the calls of a conference */
  conference?: string;
}

/** phone event 'call-change': a call appeared (from null) or changed state; `by` says which end did it. */
export interface SimCallChange {
  call: SimCall;
  from: CallState | null;
  to: CallState;
  by?: 'local' | 'remote';
}

export interface SimForwarding {
  immediate?: string;
  busy?: string;
  noAnswer?: string;
}

export interface SimActionUrlFiring {
  /** event name, e.g. 'incoming', 'hold', 'fwtest' */
  event: string;
  /** the action_* setting it came from */
  setting: string;
  /** the URL after substitution */
  url: string;
  status?: number;
  error?: string;
  at: number;
}

export interface SimCstaRecord {
  operation: string;
  /** 'none' (before 7.3.4) and 'broken' (8.7.0-8.7.2) answer without CSTA */
  dialect: 'legacy' | 'current' | 'none' | 'broken';
  soap: boolean;
  status: number;
  fault?: string;
  at: number;
}

export interface SimScreen {
  via: 'xmlpush' | 'minibrowser' | 'action-url';
  document: string;
  at: number;
}

/** The call model's part of phone.state.ext. */
export interface CallsExt {
  calls: SimCall[];
  dnd: boolean;
  forwarding: SimForwarding;
  actionUrls: SimActionUrlFiring[];
  csta: SimCstaRecord[];
  screen: SimScreen | null;
  /** digits sent into calls by CSTA GenerateDigits */
  generatedDigits: Array<{ cstaId: string; digits: string; at: number }>;
}

/** Calls that still exist on the phone (the others are history). */
export const LIVE_STATES: readonly CallState[] = ['ringing', 'dialing', 'connected', 'held'];

export function isLive(c: SimCall): boolean {
  return LIVE_STATES.includes(c.state);
}
