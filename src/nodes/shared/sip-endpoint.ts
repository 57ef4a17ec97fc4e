/**
 * The SIP side of a `snom-phone` config: where the phone listens for SIP (its SipTarget), the
 * identity credentials for Digest, and ONE SipClient per config, bound on first use and closed
 * with the config. The nodes that speak SIP (snom-sip-notify, snom-csta over uaCSTA,
 * snom-csta-events) all go through it, so a phone config owns one local SIP port.
 */
import { SnomError } from '../../lib/errors';
import type { SipClient, SipCredentials, SipTarget } from '../../lib/sip';
import type * as SipClientModule from '../../lib/sip/client';
import { onFirstUse } from './lazy';
import type { CredentialsOf } from './node-config';
import { sipSettings, type SipConfig, type SipSettings } from './sip-settings';

export { sipSettings, type SipConfig, type SipSettings };

// the SIP stack (node:dgram, transactions, dialogs) loads with the config's first SipClient
const sipClientModule = onFirstUse<typeof SipClientModule>('lib/sip/client');

/** One phone config's SIP side. Nothing is bound until a node sends. */
export class SipEndpoint {
  private sip?: SipClient;
  private closed = false;

  constructor(
    private readonly config: SipConfig,
    private readonly creds: Partial<CredentialsOf<'snom-phone'>> = {},
  ) {}

  /** The checked settings (throws E_INPUT when a SIP field is wrong). */
  settings(): SipSettings {
    return sipSettings(this.config);
  }

  /** Where requests go. */
  target(): SipTarget {
    return this.settings().target;
  }

  /** Digest credentials for 401/407 (check-sync with challenge_checksync, uaCSTA with csta_challenge). */
  credentials(): SipCredentials | undefined {
    const user = this.settings().authUser;
    const password = this.creds.sipPassword;
    return user && password ? { user, password } : undefined;
  }

  /** The config's SipClient, created on first use. */
  client(): SipClient {
    if (this.closed)
      throw new SnomError('E_UNREACHABLE', 'The SIP side of this phone config is closed.').withText('sip.configClosed');
    if (!this.sip) {
      const s = this.settings();
      this.sip = new (sipClientModule().SipClient)({
        transport: s.transport,
        localAddress: s.localAddress,
        localPort: s.localPort,
        advertisedAddress: s.advertisedAddress,
        timers: { timeout: s.timeoutMs },
      });
    }
    return this.sip;
  }

  /** True once a node has used SIP on this config. */
  get started(): boolean {
    return this.sip !== undefined;
  }

  private readonly beforeCloseHooks = new Set<() => Promise<void>>();

  /** `hook` runs before the client closes (a uaCSTA association says BYE); the result unregisters it. */
  beforeClose(hook: () => Promise<void>): () => void {
    this.beforeCloseHooks.add(hook);
    return () => this.beforeCloseHooks.delete(hook);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.beforeCloseHooks].map((h) => h()));
    this.closed = true;
    const sip = this.sip;
    this.sip = undefined;
    await sip?.close();
  }
}
