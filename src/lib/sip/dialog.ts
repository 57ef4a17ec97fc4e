/**
 * A SIP dialog we set up with INVITE (RFC 3261 §12–§15), as the uaCSTA
 * association needs one. We are its UAC for our requests and its UAS for the
 * phone's in-dialog requests (INFO/NOTIFY with CSTA events, BYE, re-INVITE).
 */
import { EventEmitter } from 'node:events';
import { SnomError } from '../errors';
import { checkCallIdValue, checkSipUri, checkToken } from './syntax';
import type { SipCredentials } from './auth';
import type { SipTarget } from './types';
import type { ForeignDialog, SipIncomingRequest, SipReply, SipRequestSpec, SipResponse } from './types';

/** Why a dialog ended. `lost` is true when the phone dropped it without us asking. */
export interface DialogEnd {
  reason: 'local-bye' | 'remote-bye' | 'rejected' | 'timeout' | 'unreachable' | 'closed';
  lost: boolean;
  error?: SnomError;
}

export interface DialogState {
  callId: string;
  localTag: string;
  remoteTag: string;
  localUri: string;
  localDisplay?: string;
  remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  localSeq: number;
  target: SipTarget;
  credentials?: SipCredentials;
  phone: string;
  /** Our host for the Contact of responses we send in the dialog. */
  contactHost: string;
}

/** What the client gives a dialog to send with. */
export interface DialogHost {
  sendInDialog(dialog: SipDialog, spec: SipRequestSpec): Promise<SipResponse>;
  forgetDialog(dialog: SipDialog): void;
}

export type RequestHandler = (req: SipIncomingRequest) => SipReply | void;

export class SipDialog extends EventEmitter<{ request: [SipIncomingRequest]; end: [DialogEnd] }> {
  private remoteSeq?: number;
  private ended?: DialogEnd;
  private handler?: RequestHandler;

  constructor(
    private readonly host: DialogHost,
    private readonly s: DialogState,
    /** The 2xx that confirmed the dialog (its body holds the INVITE's answer). */
    readonly response: SipResponse,
  ) {
    super();
  }

  get callId(): string {
    return this.s.callId;
  }
  get localTag(): string {
    return this.s.localTag;
  }
  get remoteTag(): string {
    return this.s.remoteTag;
  }
  get localUri(): string {
    return this.s.localUri;
  }
  get localDisplay(): string | undefined {
    return this.s.localDisplay;
  }
  get remoteUri(): string {
    return this.s.remoteUri;
  }
  get remoteTarget(): string {
    return this.s.remoteTarget;
  }
  get routeSet(): readonly string[] {
    return this.s.routeSet;
  }
  get target(): SipTarget {
    return this.s.target;
  }
  get credentials(): SipCredentials | undefined {
    return this.s.credentials;
  }
  get phone(): string {
    return this.s.phone;
  }
  get contactHost(): string {
    return this.s.contactHost;
  }
  get key(): string {
    return `${this.s.callId}|${this.s.localTag}|${this.s.remoteTag}`;
  }
  get active(): boolean {
    return this.ended === undefined;
  }
  /** How it ended, once it has. */
  get end(): DialogEnd | undefined {
    return this.ended;
  }

  /** Next local CSeq (§12.2.1.1: one more per request). */
  nextSeq(): number {
    this.s.localSeq = (this.s.localSeq + 1) % 0x80000000 || 1;
    return this.s.localSeq;
  }

  /** Last CSeq we used (the INVITE's, until the first in-dialog request). */
  get localSeq(): number {
    return this.s.localSeq;
  }

  /** Answers the phone's in-dialog requests; without one every request gets 200 OK. */
  setRequestHandler(h: RequestHandler | undefined): void {
    this.handler = h;
  }

  /**
   * Sends a request inside the dialog. A 481 (the phone no longer knows the
   * dialog, e.g. after a reboot), a 408 or no answer at all ends the dialog
   * as lost; the request's promise still rejects with that error.
   */
  async request(spec: Omit<SipRequestSpec, 'dialog'>): Promise<SipResponse> {
    if (this.ended) {
      throw new SnomError('E_SIP', `The SIP dialog with ${this.s.phone} has ended (${this.ended.reason}).`, {
        phone: this.s.phone,
        command: spec.command,
        dialogEnded: this.ended.reason,
      }).withText('sip.dialogEnded', { phone: this.s.phone, reason: this.ended.reason });
    }
    try {
      return await this.host.sendInDialog(this, spec);
    } catch (e) {
      if (e instanceof SnomError) {
        if (e.code === 'E_SIP' && (e.status === 481 || e.status === 408))
          this.finish({ reason: 'rejected', lost: true, error: e });
        else if (e.code === 'E_TIMEOUT') this.finish({ reason: 'timeout', lost: true, error: e });
        else if (e.code === 'E_UNREACHABLE') this.finish({ reason: 'unreachable', lost: true, error: e });
      }
      throw e;
    }
  }

  /** Ends the dialog with BYE. Never rejects: the dialog is over either way. */
  async bye(): Promise<void> {
    if (this.ended) return;
    const p = this.host.sendInDialog(this, { method: 'BYE', headers: [], body: '', command: 'sip bye' });
    this.finish({ reason: 'local-bye', lost: false });
    await p.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Client shutdown without BYE. */
  abandon(): void {
    this.finish({ reason: 'closed', lost: false });
  }

  /** @internal the client hands over an in-dialog request; returns the answer. */
  handleRequest(req: SipIncomingRequest, seq: number): SipReply {
    if (this.ended) return { status: 481 };
    // §12.2.2: a lower CSeq than the last one is out of order.
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return { status: 500, reason: 'CSeq Out of Order' };
    const retarget = req.method === 'INVITE' || req.method === 'UPDATE';
    this.remoteSeq = seq;
    if (req.method === 'BYE') {
      this.finish({ reason: 'remote-bye', lost: true });
      return { status: 200 };
    }
    if (retarget) {
      const contact = req.headers.get('contact');
      const uri = contact ? (/<([^>]+)>/.exec(contact)?.[1] ?? contact.split(';')[0].trim()) : undefined;
      if (uri && /^sips?:/i.test(uri)) this.s.remoteTarget = uri; // §12.2.2 target refresh
    }
    this.emit('request', req);
    const reply = this.handler?.(req);
    return reply ?? { status: 200 };
  }

  private finish(end: DialogEnd): void {
    if (this.ended) return;
    this.ended = end;
    this.host.forgetDialog(this);
    this.emit('end', end);
  }
}

/** Checks a caller-given dialog (talk/hold inside a PBX's call). */
export function checkForeignDialog(d: ForeignDialog): Required<ForeignDialog> {
  if (!Number.isInteger(d.cseq) || d.cseq < 1 || d.cseq > 0x7fffffff) {
    throw new SnomError('E_INPUT', 'dialog.cseq must be an integer 1–2147483647.', { field: 'dialog.cseq' }).withText(
      'sip.cseq',
    );
  }
  const remoteUri = checkSipUri('dialog.remoteUri', d.remoteUri);
  return {
    callId: checkCallIdValue('dialog.callId', d.callId),
    localTag: checkToken('dialog.localTag', d.localTag),
    remoteTag: checkToken('dialog.remoteTag', d.remoteTag),
    cseq: d.cseq,
    localUri: checkSipUri('dialog.localUri', d.localUri),
    remoteUri,
    remoteTarget: d.remoteTarget === undefined ? remoteUri : checkSipUri('dialog.remoteTarget', d.remoteTarget),
  };
}
