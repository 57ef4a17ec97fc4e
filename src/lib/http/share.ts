/**
 * What the clients of one configured phone have in common — itself and its msg.target phones use
 * the same credentials and connection options — made once for all of them instead of once per
 * phone: with a thousand phones in one message, per-phone set-up was most of a cold command's cost.
 */
import type * as Undici from 'undici';
import { basicAuthorization } from './basic';
import { digestHash, type DigestAlgorithm, type DigestSession } from './digest';
import { Redactor } from './redact';

/** Nonces of closed clients remembered per share (one per phone, a few hundred bytes each); a bound, not a leak. */
const MAX_KEPT_NONCES = 4096;

/** Realms remembered per share: a fleet has a handful (one per model, docs/protocol.md §2.1); a bound, not a leak. */
const MAX_REALMS = 64;

type Connector = Undici.buildConnector.connector;

export class ClientShare {
  /** Credentials removed from every error text (the request's own secrets are added per request). */
  readonly redactor: Redactor;
  private basic: string | undefined;
  /** H(user:realm:password) by algorithm and realm */
  private readonly hashes = new Map<string, string>();
  private readonly connectors = new Map<string, Connector>();
  /** the Digest sessions of closed clients that the phone accepted, by origin */
  private readonly kept = new Map<string, DigestSession>();

  constructor(
    readonly user: string,
    private readonly password: string,
  ) {
    // A phone echoing the request in an error page must not leak it into messages.
    this.redactor = Redactor.of({ user, password });
  }

  /** Whether these are the credentials of this share (a client with others makes its own). */
  holds(user: string, password: string): boolean {
    return user === this.user && password === this.password;
  }

  /** The Basic header, made on first use (a Digest fleet never needs it). */
  get basicHeader(): string {
    return (this.basic ??= basicAuthorization(this.user, this.password));
  }

  /** H(user:realm:password) (RFC 7616 §3.4.2): the same for every phone of a realm. */
  passwordHash(algorithm: DigestAlgorithm, realm: string): string {
    const key = `${algorithm}\n${realm}`;
    let h = this.hashes.get(key);
    if (h === undefined) {
      h = digestHash(algorithm, `${this.user}:${realm}:${this.password}`);
      if (this.hashes.size >= MAX_REALMS) this.hashes.clear();
      this.hashes.set(key, h);
    }
    return h;
  }

  /**
   * A closed client's Digest session that its phone accepted: a msg.target phone's client is closed
   * when idle, and a later command to that phone would pay a challenge again (2 exchanges instead of 1)
   * for nothing — the phone's nonce lives longer. A phone that forgot it answers 401 (stale), and the
   * client retries once, as with any nonce.
   */
  keepNonce(origin: string, session: DigestSession): void {
    this.kept.delete(origin);
    if (this.kept.size >= MAX_KEPT_NONCES) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(origin, session);
  }

  /** Nonces kept now (closed clients' sessions not yet taken over). */
  get keptNonces(): number {
    return this.kept.size;
  }

  /** The kept session of this origin, once (a new client for that phone takes it over). */
  takeNonce(origin: string): DigestSession | undefined {
    const s = this.kept.get(origin);
    if (s) this.kept.delete(origin);
    return s;
  }

  /** One undici connector (and TLS session cache) per connect timeout and certificate rule. */
  connector(undici: typeof Undici, timeout: number, rejectUnauthorized: boolean): Connector {
    const key = `${timeout} ${rejectUnauthorized}`;
    let c = this.connectors.get(key);
    if (!c) {
      // Only these clients' connections; never the process-wide TLS setting.
      c = undici.buildConnector({ timeout, rejectUnauthorized });
      this.connectors.set(key, c);
    }
    return c;
  }
}
