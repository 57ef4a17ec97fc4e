// What the phone's SIP side keeps in phone.state.ext.sip (GET /sim/sip and GET /sim/state show it).

/** One function key's lamp as the last x-buttons MESSAGE left it (docs/protocol.md §10.5). */
export interface SipLamp {
  /** the `k=` value that named it */
  id: string;
  /** the setting of the key, e.g. fkey5 */
  fkey: string;
  /** the key, e.g. P6 or EK0 */
  key: string;
  /** `c=`: on, off, hold, pickup, park, message, offline, error, sized, record */
  light: string;
  /** `o=` (820/821 colours), '' when not given */
  colour: string;
  /** `l=` */
  label: string;
  /** `n=` */
  number: string;
  /** `a=` (default invite) */
  action: string;
  at: number;
}

/** A lamp description the phone did not apply, and why. */
export interface SipIgnoredLamp {
  id: string;
  reason: string;
  lines: Record<string, string>;
  at: number;
}

export interface SipCheckSync {
  reboot: boolean;
  identity: number;
  authenticated: boolean;
  from: string;
  at: number;
}

export interface SipTalkHold {
  event: 'talk' | 'hold';
  status: number;
  action: string;
  cstaId?: string;
  from: string;
  at: number;
}

/** A MESSAGE other than x-buttons (text, or XML actions of docs/protocol.md §10.4). */
export interface SipTextMessage {
  contentType: string;
  event: string;
  applied: boolean;
  body: string;
  from: string;
  at: number;
}

/** Every SIP message that reached the phone, as it arrived (text cut at 16 KB). */
export interface SipReceived {
  at: number;
  transport: 'udp' | 'tcp';
  /** source address:port */
  from: string;
  startLine: string;
  method?: string;
  callId?: string;
  cseq?: string;
  /** the status the phone answered (none for ACK, responses and dropped messages) */
  answer?: number;
  /** true when the transaction layer resent a stored answer */
  retransmission?: boolean;
  /** why nothing was answered, or why the message was refused */
  note?: string;
  text: string;
}

/** A CSTA event the phone sent as INFO (one per monitor it applies to). */
export interface SipSentEvent {
  association: string;
  monitorCrossRefID: string;
  event: string;
  cstaId?: string;
  /** the final status the client answered, 'timeout' when none came */
  status?: number | 'timeout';
  body: string;
  at: number;
}

/** One CSTA request that came over uaCSTA (INVITE or INFO body). */
export interface SipCstaRequest {
  association: string;
  method: 'INVITE' | 'INFO';
  operation: string;
  error?: string;
  at: number;
}

export interface SipExt {
  leds: SipLamp[];
  ignoredLamps: SipIgnoredLamp[];
  checkSyncs: SipCheckSync[];
  talkHold: SipTalkHold[];
  textMessages: SipTextMessage[];
  cstaRequests: SipCstaRequest[];
  events: SipSentEvent[];
  messages: SipReceived[];
  /** associations that ended, and how */
  ended: Array<{ association: string; why: string; at: number }>;
}

export interface SipMonitorView {
  monitorCrossRefID: string;
  device: string;
  identity: number;
}

/** A live uaCSTA association as the control API shows it. */
export interface SipAssociationView {
  id: string;
  callId: string;
  identity: number;
  /** the phone's side (To of the INVITE) */
  local: string;
  /** the CSTA client (From of the INVITE) */
  remote: string;
  /** where the phone sends events (Contact of the INVITE) */
  target: string;
  transport: 'udp' | 'tcp';
  /** early until the ACK arrives */
  state: 'early' | 'confirmed';
  authenticated: boolean;
  monitors: SipMonitorView[];
  sysStatRegisterIDs: string[];
  establishedAt: number;
}
