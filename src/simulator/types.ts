import type * as http from 'node:http';

/** Digest algorithms the simulator can offer (RFC 7616). */
export type SimDigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

/** One virtual phone. Only model, firmware and auth are required. */
export interface SimPhoneConfig {
  name?: string;
  /** 0 (default) = ephemeral port */
  port?: number;
  host?: '127.0.0.1';
  /** e.g. 'D785', 'snom870', 'D865', 'snom320' */
  model: string;
  /** e.g. '10.1.33.33', '8.7.5.35' */
  firmware: string;
  /** 12 hex digits; default derived from name/port */
  mac?: string;
  /** web user (default 'admin') */
  user?: string;
  /** web password (default '0000', Snom's factory admin password) */
  password?: string;
  auth: 'none' | 'basic' | 'digest';
  /** offered in this order, one WWW-Authenticate header each; default ['MD5'] */
  digestAlgorithms?: SimDigestAlgorithm[];
  /** default 'auth' */
  qop?: 'auth' | 'none';
  /** default 300000; an expired nonce with a correct response gets 401 stale=true */
  nonceLifetimeMs?: number;
  /** default 'snom' + model, e.g. 'snomD785' */
  realm?: string;
  https?: boolean;
  /** SIP URIs of the identities; default ['sip:100@sim.local'] */
  identities?: string[];
  /** initial settings store (added to the built-in defaults) */
  settings?: Record<string, string>;
  /** delay of minibrowser.htm when the push carried Connection: keep-alive (docs/protocol.md §2.5); default 8000 */
  keepAliveMinibrowserDelayMs?: number;
  /** how long the phone waits for the pushed document; default 5000 */
  minibrowserFetchTimeoutMs?: number;
  /** the phone's SIP side (UDP and TCP on 127.0.0.1); on by default with ephemeral ports */
  sip?: SimSipConfig;
}

export interface SimSipConfig {
  /** false: no SIP sockets (default true) */
  enabled?: boolean;
  /** 0 (default) = ephemeral: the TCP port's number when it is free for UDP too */
  udpPort?: number;
  /** 0 (default) = ephemeral */
  tcpPort?: number;
  /** RFC 3261 timer T1 (retransmissions; 64*T1 is the transaction timeout); default 500 */
  t1Ms?: number;
  /** RFC 3261 timer T2; default 4000 */
  t2Ms?: number;
}

export interface SimSipPorts {
  udp: number;
  tcp: number;
}

/** More listeners a phone starts and stops with its HTTP server (the SIP side). */
export interface SimService {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A request as route handlers see it. For POST, `query` merges the URL query and a form body. */
export interface SimRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  rawQuery: string;
  body: string;
  headers: http.IncomingHttpHeaders;
  remoteAddress: string;
}

export type SimHandler = (req: SimRequest, res: http.ServerResponse) => void | Promise<void>;

export type SimMethod = 'GET' | 'POST' | '*';

/** Fault injection for phone pages (POST /sim/faults). */
export interface SimFaults {
  latencyMs?: number;
  /** answer with this status instead of the page */
  status?: number;
  /** destroy the socket without answering */
  reset?: boolean;
  /** accept and never answer until the faults are cleared */
  stall?: boolean;
  /** apply to the next n requests only; default: until cleared */
  count?: number;
}

export interface SimKeyEvent {
  key: string;
  time?: number;
  pause?: number;
  at: number;
}
export interface SimDial {
  number: string;
  outgoingUri?: string;
  at: number;
}
export interface SimCommand {
  name: string;
  value?: string;
  at: number;
}
export interface SimTouch {
  x: number;
  y: number;
  action: 'p' | 'r' | 'pr';
  at: number;
}
export interface SimFetched {
  status: number;
  contentType: string;
  body: string;
}
export interface SimMinibrowserPush {
  url: string;
  keepAlive: boolean;
  at: number;
  /** the URL the phone actually fetched (old firmware adds http://) */
  fetchUrl?: string;
  userAgent?: string;
  fetched?: SimFetched;
  error?: string;
  /** 'sip-notify' when the document came in a SIP NOTIFY (no URL, no fetch) */
  via?: 'sip-notify';
  /** the NOTIFY's source address:port */
  from?: string;
}
export interface SimRegistration {
  index: number;
  identity: string;
  registered: boolean;
  logoffs: number;
  reregisters: number;
}
/** A phone-page request exactly as it arrived (GET /sim/received), for tests that check what reached the phone. */
export interface SimReceived {
  method: string;
  /** the request target as sent: path and raw query */
  target: string;
  contentType?: string;
  body: string;
  at: number;
}
export interface SimRejected {
  method: string;
  path: string;
  query: string;
  reason: string;
  at: number;
}
export interface SimLogEntry {
  seq: number;
  at: number;
  kind: string;
  [key: string]: unknown;
}

/** Everything the phone was asked to do, as GET /sim/state shows it. */
export interface SimState {
  keys: SimKeyEvent[];
  dials: SimDial[];
  dtmf: Array<{ digits: string; at: number }>;
  commands: SimCommand[];
  ringer: { last: number | null; count: number };
  reboots: number;
  resets: number;
  lists: { dialed: string[]; missed: string[]; received: string[] };
  firmwareUpdates: Array<{ url: string; at: number }>;
  registrations: SimRegistration[];
  touches: SimTouch[];
  minibrowser: SimMinibrowserPush[];
  settingsWrites: Array<{ name: string; value: string; store: boolean; at: number }>;
  rejected: SimRejected[];
  /** phone-page requests received (any outcome, 401s included) */
  requests: number;
  /** 401 answers sent */
  challenges: number;
  maxConcurrent: number;
  concurrent: number;
  log: SimLogEntry[];
  /** room for extensions (CSTA, call model); cleared by POST /sim/reset */
  ext: Record<string, unknown>;
}
