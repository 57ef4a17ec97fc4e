/** CSTA-over-HTTP dialect a phone speaks, decided by the profile from model + firmware. */
export type CstaDialect =
  /** firmware before 7.3.4, or a model without CSTA over HTTP */
  | 'none'
  /** 7.3.4 to before 8.7 (or csta_legacy_control=0): SOAP, ed4 `csta:` prefix, bare call ids */
  | 'legacy'
  /** 8.7.0 to 8.7.2: CSTA over HTTP broken on the phone (docs/protocol.md §8.2) */
  | 'gap'
  /** 8.7.3 and later: `<callID>` ConnectionIDs, bare ed5 XML (SOAP for proprietary + ClearCall) */
  | 'current';

export interface CstaCaps {
  dialect: CstaDialect;
  /** 8.7.4+: an identity may be named by its index 1..12 as deviceID */
  identityIndex: boolean;
  /** 8.7.4+: ConsultationCall, DeflectCall, Get/SetDoNotDisturb, Get/SetForwarding */
  extendedOps: boolean;
}

/** The two ways a CSTA request can travel: POST /csta (§8) or INFO in a uaCSTA association (§10.7). */
export type CstaTransport = 'http' | 'sip';
/** What a user chooses: one of them, or 'auto' (HTTP where the firmware has it, else SIP). */
export type CstaTransportChoice = 'auto' | CstaTransport;

export interface FirmwareVersion {
  major: number;
  minor: number;
  patch: number;
  build: number;
  /** as given, e.g. "8.7.5.35" */
  raw: string;
}

export interface KeyCaps {
  /** F1..F4 that exist on this model (empty for the snom870) */
  softkeys: string[];
  /** highest Pn, or undefined where no source gives a count (then any P1..P999 passes: docs/protocol.md §1.3, §11.3 K2) */
  pKeys?: number;
  /** expansion-module keys EKn allowed */
  expansion: boolean;
}

export interface Profile {
  /** normalised model id, e.g. "D785", "snom870", or "unknown" */
  model: string;
  firmware?: FirmwareVersion;
  /** command.htm remote control at all (false on the D8xx series) */
  httpRemote: boolean;
  keys: KeyCaps;
  /** snom870 touch emulation with firmware that has it */
  touch: boolean;
  csta: CstaCaps;
  /** uaCSTA (CSTA over SIP): from firmware 8.7.1, or when the firmware is not known (docs/protocol.md §10.7) */
  uaCsta: boolean;
  /** minibrowser.htm?url= push (8.2.7+); urlEncoded from 8.4.32 (scheme required, URL encoded) */
  minibrowserPush: boolean;
  minibrowserUrlEncoded: boolean;
  /** true when model/firmware were unknown and permissive rules apply */
  permissive: boolean;
  /** human notes, e.g. why something is permissive */
  warnings: string[];
}
