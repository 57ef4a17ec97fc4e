// Digest for SIP requests to the phone (RFC 3261 §22.4 on RFC 2617): the simulator's own server-side
// Digest (../auth.ts) with the identity's SIP credentials, user_nameN / user_passN, realm user_hostN.
import type { SimPhone } from '../phone';
import { ServerAuth } from '../auth';

export type SipAuthResult = { ok: true } | { ok: false; reason: string; challenge: string[] };

export class SipAuth {
  /** per identity and realm, so that a changed user_hostN takes effect */
  private readonly perIdentity = new Map<string, ServerAuth>();

  constructor(private readonly phone: SimPhone) {}

  private server(identity: number): ServerAuth {
    const s = this.phone.settings;
    const realm = s.get(`user_host${identity}`) || this.phone.config.realm;
    let a = this.perIdentity.get(`${identity}|${realm}`);
    if (!a) {
      a = new ServerAuth({
        scheme: 'digest',
        realm,
        algorithms: ['MD5'],
        qop: 'auth',
        nonceLifetimeMs: this.phone.config.nonceLifetimeMs,
        credentials: () => ({
          user: s.get(`user_name${identity}`) ?? '',
          password: s.get(`user_pass${identity}`) ?? '',
        }),
      });
      this.perIdentity.set(`${identity}|${realm}`, a);
    }
    return a;
  }

  /** The identity's password, or '' when it has none (then challenged requests are refused). */
  password(identity: number): string {
    return this.phone.settings.get(`user_pass${identity}`) ?? '';
  }

  /** Checks an Authorization header against the Request-URI (the digest uri must be it). */
  check(identity: number, method: string, uri: string, authorization: string | undefined): SipAuthResult {
    const r = this.server(identity).check(method, uri, authorization);
    return r.ok ? { ok: true } : { ok: false, reason: r.reason, challenge: r.challenge };
  }

  /** Settings changed (reset): realms and nonces start again. */
  reset(): void {
    this.perIdentity.clear();
  }
}
