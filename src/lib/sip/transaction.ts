/**
 * RFC 3261 §17.1 client transactions. A transaction owns the retransmission
 * and timeout timers of one request; the client matches responses to it by
 * top Via branch + CSeq method (§17.1.3) and hands them over here.
 */
import { SnomError } from '../errors';
import type { SipResponseMessage } from './message';

export interface SipTimers {
  /** RTT estimate, default 500 ms. */
  t1: number;
  /** Longest retransmit interval for non-INVITE requests, default 4 s. */
  t2: number;
  /** How long the network may hold a message, default 5 s (timer K). */
  t4: number;
  /** Timer F (non-INVITE) and timer B (INVITE): 64·T1 unless set. */
  timeout: number;
}

export function resolveTimers(t: Partial<SipTimers> = {}): SipTimers {
  const t1 = t.t1 ?? 500;
  return { t1, t2: t.t2 ?? 4000, t4: t.t4 ?? 5000, timeout: t.timeout ?? 64 * t1 };
}

export interface ClientTxEnv {
  timers: SipTimers;
  reliable: boolean;
  /** Short text for errors, e.g. "SIP NOTIFY to 192.168.1.50:5060". */
  label: string;
  /** The label's method and phone, for the error texts' catalog parameters. */
  method: string;
  details: Record<string, unknown>;
  send(data: Buffer): Promise<void>;
  /** Called once when the transaction may be forgotten. */
  onTerminated(): void;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // the owner awaits it; never an unhandled rejection
  return { promise, resolve, reject };
}

abstract class ClientTransaction {
  protected readonly d = deferred<SipResponseMessage>();
  protected readonly timers = new Set<NodeJS.Timeout>();
  protected settled = false;
  /** Times the request was sent again (UDP). */
  retransmissions = 0;
  onProvisional?: (r: SipResponseMessage) => void;

  constructor(
    protected readonly env: ClientTxEnv,
    readonly key: string,
    protected readonly data: Buffer,
  ) {}

  get result(): Promise<SipResponseMessage> {
    return this.d.promise;
  }

  protected after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  protected clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  protected transmit(): void {
    this.env.send(this.data).catch((e) => this.fail(e));
  }

  protected settle(res: SipResponseMessage): void {
    this.settled = true;
    this.d.resolve(res);
  }

  protected timeoutError(): SnomError {
    const { label, method, timers, details } = this.env;
    return new SnomError('E_TIMEOUT', `No SIP answer to ${label} within ${timers.timeout} ms.`, {
      ...details,
      retransmissions: this.retransmissions,
    }).withText('sip.noAnswer', { method, phone: String(details.phone), ms: timers.timeout });
  }

  /** Transport failure or client shutdown: the request is lost. */
  fail(err: unknown): void {
    if (this.terminated) return;
    this.clearTimers();
    if (!this.settled) {
      this.settled = true;
      this.d.reject(err instanceof SnomError ? err : new SnomError('E_UNREACHABLE', String(err), this.env.details));
    }
    this.terminate();
  }

  terminated = false;

  protected terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.clearTimers();
    this.env.onTerminated();
  }

  abstract start(): void;
  /** A response matched to this transaction. */
  abstract receive(res: SipResponseMessage): void;
}

/** §17.1.2: timers E (retransmit, T1 doubling to T2), F (give up) and K (absorb copies). */
export class NonInviteClientTransaction extends ClientTransaction {
  state: 'trying' | 'proceeding' | 'completed' = 'trying';
  private interval = 0;

  start(): void {
    this.transmit();
    this.after(this.env.timers.timeout, () => {
      if (this.settled) return;
      this.settled = true;
      this.d.reject(this.timeoutError());
      this.terminate();
    });
    if (!this.env.reliable) {
      this.interval = this.env.timers.t1;
      this.scheduleE();
    }
  }

  private scheduleE(): void {
    this.after(this.interval, () => {
      if (this.state === 'completed') return;
      this.retransmissions++;
      this.transmit();
      this.interval =
        this.state === 'proceeding' ? this.env.timers.t2 : Math.min(2 * this.interval, this.env.timers.t2);
      this.scheduleE();
    });
  }

  receive(res: SipResponseMessage): void {
    if (this.state === 'completed') return; // a copy of the final response
    if (res.status < 200) {
      this.state = 'proceeding';
      this.onProvisional?.(res);
      return;
    }
    this.state = 'completed';
    this.clearTimers();
    this.settle(res);
    // Timer K keeps the transaction so late copies are recognised, not taken for strays.
    if (this.env.reliable) this.terminate();
    else this.after(this.env.timers.t4, () => this.terminate());
  }
}

export interface InviteHooks {
  /** ACK for a non-2xx final response: same branch, built by the client (§17.1.1.3). */
  buildAck(res: SipResponseMessage): Buffer;
  /** CANCEL for an INVITE that got a provisional response but no final one in time. */
  cancel(): void;
  /** A 2xx after the first (retransmission): the dialog sends its ACK again. */
  on2xxCopy(res: SipResponseMessage): void;
  /** A 2xx after we gave up waiting: the client must ACK and BYE it. */
  onLate2xx(res: SipResponseMessage): void;
}

/**
 * §17.1.1: timer A (retransmit, T1 doubling), B (give up), D (absorb copies of
 * a non-2xx final, re-sending the ACK). Timer B here bounds the whole
 * transaction, also after a provisional response: an association INVITE does
 * not ring, and a phone that sends 100 and nothing else must not hang a flow.
 * A 2xx keeps the transaction 64·T1 "accepted" (RFC 6026) to recognise its copies.
 */
export class InviteClientTransaction extends ClientTransaction {
  state: 'calling' | 'proceeding' | 'completed' | 'accepted' | 'abandoned' = 'calling';
  private interval = 0;
  private ack?: Buffer;

  constructor(
    env: ClientTxEnv,
    key: string,
    data: Buffer,
    private readonly hooks: InviteHooks,
  ) {
    super(env, key, data);
  }

  start(): void {
    this.transmit();
    this.after(this.env.timers.timeout, () => this.giveUp());
    if (!this.env.reliable) {
      this.interval = this.env.timers.t1;
      this.scheduleA();
    }
  }

  private scheduleA(): void {
    this.after(this.interval, () => {
      if (this.state !== 'calling') return;
      this.retransmissions++;
      this.transmit();
      this.interval *= 2;
      this.scheduleA();
    });
  }

  private giveUp(): void {
    if (this.settled) return;
    const wasProceeding = this.state === 'proceeding';
    this.settled = true;
    this.d.reject(this.timeoutError());
    this.clearTimers();
    if (wasProceeding) this.hooks.cancel();
    // Stay a while to ACK (and end) what the phone may still send.
    this.state = 'abandoned';
    this.after(64 * this.env.timers.t1, () => this.terminate());
  }

  receive(res: SipResponseMessage): void {
    const final = res.status >= 200;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        if (!final) {
          this.state = 'proceeding';
          this.onProvisional?.(res);
          return;
        }
        this.clearTimers();
        if (res.status < 300) {
          this.state = 'accepted';
          this.settle(res);
          this.after(64 * this.env.timers.t1, () => this.terminate());
          return;
        }
        this.state = 'completed';
        this.sendAck(res);
        this.settle(res);
        if (this.env.reliable) this.terminate();
        else this.after(64 * this.env.timers.t1, () => this.terminate()); // timer D
        return;
      case 'completed':
        if (final && res.status >= 300 && this.ack) this.env.send(this.ack).catch(() => undefined);
        return;
      case 'accepted':
        if (final && res.status < 300) this.hooks.on2xxCopy(res);
        return;
      case 'abandoned':
        if (!final) return;
        if (res.status < 300) {
          this.state = 'accepted'; // its copies are re-ACKed like any 2xx
          this.hooks.onLate2xx(res);
        } else this.sendAck(res);
        return;
    }
  }

  private sendAck(res: SipResponseMessage): void {
    this.ack = this.hooks.buildAck(res);
    this.env.send(this.ack).catch(() => undefined);
  }
}
