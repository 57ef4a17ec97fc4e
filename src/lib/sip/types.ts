/** Types shared by the SIP client, its dialogs and the message builders. */
import type { SipHeaders } from './message';
import type { Remote } from './transport';

export type { SipTransportName, Remote } from './transport';

/** A final or provisional response as the phone sent it. */
export interface SipResponse {
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

/** A request the phone sent us (inside a dialog). */
export interface SipIncomingRequest {
  method: string;
  uri: string;
  headers: SipHeaders;
  body: string;
  remote: Remote;
}

/** What a dialog answers to an incoming request. */
export interface SipReply {
  status: number;
  reason?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: string;
  contentType?: string;
}

/** Where a request goes: the phone's SIP address. */
export interface SipTarget {
  host: string;
  /** Default 5060. */
  port?: number;
  /** User part of the Request-URI and To (an extension or identity user name). */
  user?: string;
}

/**
 * A dialog that someone else set up with the phone (a PBX's call), for a
 * request sent inside it: we write its Call-ID, tags and next CSeq.
 */
export interface ForeignDialog {
  callId: string;
  /** Our side's tag (the From tag of what we send). */
  localTag: string;
  /** The phone's tag (the To tag of what we send). */
  remoteTag: string;
  /** CSeq number to use; must be higher than the last one sent in that dialog. */
  cseq: number;
  /** From URI of our side. */
  localUri: string;
  /** To URI (the phone's side). */
  remoteUri: string;
  /** Request-URI (the phone's Contact); default remoteUri. */
  remoteTarget?: string;
}

/** A request a builder made: method, extra headers and body; the client adds the rest. */
export interface SipRequestSpec {
  method: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body: string;
  contentType?: string;
  /** Short name for errors and logs, e.g. "sip minibrowser". */
  command: string;
  /** Send inside this existing dialog instead of out of dialog. */
  dialog?: ForeignDialog;
}
