import type { ClientShare } from './share';

/** How the client authenticates to the phone: snom-phone's "auth" field (README.md "The nodes"; docs/protocol.md §2.1). */
export type AuthMode = 'auto' | 'basic' | 'digest' | 'none';

/** The scheme requests are actually signed with; weakest first. */
export type AuthScheme = 'none' | 'basic' | 'digest';

/**
 * The phone whose scheme bounds this one (msg.target fan-out: the configured phone). With auth
 * 'auto', Basic is refused when `scheme()` says the configured phone uses Digest.
 */
export interface AuthFloor {
  /** names the configured phone in errors */
  label: string;
  scheme(): Promise<AuthScheme>;
}

export interface PhoneClientOptions {
  /** Name or IP of the phone; may carry a port ("10.0.0.5:8080", "[fe80::1]:80") when `port` is not set. */
  host: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** Accept the phone's self-signed certificate (this client only). */
  allowSelfSigned?: boolean;
  auth?: AuthMode;
  user?: string;
  password?: string;
  /** Per request (all its exchanges and the body), default 5000. */
  timeoutMs?: number;
  /** Max requests waiting per phone, default 100; beyond that: E_BUSY. */
  queueSize?: number;
  /** Label used in messages (default host[:port]). */
  name?: string;
  /** No downgrade below this phone's scheme (set for msg.target phones). */
  authFloor?: AuthFloor;
  /** What this client shares with the other clients of its configured phone (same user and password). */
  share?: ClientShare;
}

export interface PhoneRequest {
  /** Short name for messages/status: 'key', 'dial', 'csta MakeCall'. */
  command: string;
  /** Default GET. */
  method?: 'GET' | 'POST';
  /** Path + query, already encoded, sent as is (e.g. '/command.htm?key=%23'). */
  path: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Overrides the client default for this request. */
  timeoutMs?: number;
  /** Send `Connection: close` (minibrowser.htm: keep-alive costs 8 s there). */
  noKeepAlive?: boolean;
  /** Statuses that count as success besides 2xx (dial: [302]). */
  okStatuses?: number[];
  /** The phone closing the connection without an answer counts as success (dial). */
  closeIsSuccess?: boolean;
  /** Return instead of throwing E_HTTP (CSTA 500 faults). */
  errorBodyOk?: (status: number, body: string) => boolean;
  /**
   * Strings this request carries that must never show in its errors (e.g. an Action URL token):
   * each, raw or percent-encoded, is redacted from the message, the details and the body excerpt.
   */
  secrets?: string[];
}

export interface PhoneResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Time the request ran (queue wait not included). */
  durationMs: number;
  /** HTTP exchanges this request cost (1 in digest steady state). */
  exchanges: number;
  /** True when closeIsSuccess applied. */
  closed?: boolean;
}

export interface PhoneClientStats {
  requests: number;
  exchanges: number;
  challenges: number;
}
