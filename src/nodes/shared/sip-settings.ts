/**
 * The SIP fields of a `snom-phone` config, checked: the phone's SIP address (the lib's SipTarget),
 * the Digest user, and this side's socket. Pure, so the editor runs the same checks
 * (src/nodes/editor/rules.ts); the SipClient itself lives in ./sip-endpoint.
 */
import { isIP } from 'node:net';
import { inputError, quoteInput } from '../../lib/errors';
import { phoneOrigin } from '../../lib/http/origin';
import type { SipTarget, SipTransportName } from '../../lib/sip/types';
import { checkCredential, checkHost, checkPort, checkSipUser } from '../../lib/sip/syntax';
import type { ConfigOf } from './node-config';

/** The snom-phone fields this module reads. */
export type SipConfig = Pick<
  ConfigOf<'snom-phone'>,
  | 'host'
  | 'timeout'
  | 'sipHost'
  | 'sipPort'
  | 'sipTransport'
  | 'sipUser'
  | 'sipAuthUser'
  | 'sipLocalAddress'
  | 'sipLocalPort'
  | 'sipAdvertisedAddress'
>;

/** What the fields say, checked: the phone's SIP address and our side's socket. */
export interface SipSettings {
  target: SipTarget;
  transport: SipTransportName;
  /** Digest user (the identity's authentication user); undefined = no credentials. */
  authUser?: string;
  localAddress: string;
  localPort: number;
  advertisedAddress?: string;
  /** ms until E_TIMEOUT (the phone config's timeout). */
  timeoutMs: number;
}

const text = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);

/** A number field: '' or missing is the default. */
function portField(field: string, v: unknown, dflt: number, allowZero: boolean): number {
  const t = text(v);
  return t === '' ? dflt : checkPort(field, t, allowZero);
}

/** The host part of the phone's HTTP host ("name", "name:8080", "[fe80::1]:80"). */
function httpHostName(host: string): string {
  const url = new URL(phoneOrigin(host).origin);
  return url.hostname;
}

/** The checked SIP settings of a phone config; E_INPUT names the field that is wrong. */
export function sipSettings(config: SipConfig): SipSettings {
  const sipHost = text(config.sipHost);
  let host: string;
  if (sipHost) host = checkHost('SIP host', sipHost);
  else {
    const http = text(config.host);
    if (!http)
      throw inputError('The phone config has neither a SIP host nor a host.', { field: 'sipHost' }).withText(
        'sip.noHost',
      );
    host = checkHost('SIP host', httpHostName(http));
  }
  const transport = text(config.sipTransport) || 'udp';
  if (transport !== 'udp' && transport !== 'tcp')
    throw inputError(`SIP transport must be "udp" or "tcp", got ${quoteInput(transport, 40)}.`, {
      field: 'sipTransport',
    }).withText('sip.transport', { value: quoteInput(transport, 40) });
  const user = text(config.sipUser);
  const authUser = text(config.sipAuthUser);
  const localAddress = text(config.sipLocalAddress) || '0.0.0.0';
  if (isIP(localAddress) === 0)
    throw inputError(`The local SIP address must be an IP address, got ${quoteInput(localAddress, 60)}.`, {
      field: 'sipLocalAddress',
    }).withText('sip.localAddress', { value: quoteInput(localAddress, 60) });
  const advertised = text(config.sipAdvertisedAddress);
  const timeout = Number(text(config.timeout));
  return {
    target: {
      host,
      port: portField('SIP port', config.sipPort, 5060, false),
      user: user ? checkSipUser('SIP user', user) : undefined,
    },
    transport,
    authUser: authUser ? checkCredential('SIP authentication user', authUser) : user || undefined,
    localAddress,
    localPort: portField('local SIP port', config.sipLocalPort, 0, true),
    advertisedAddress: advertised ? checkHost('advertised SIP address', advertised) : undefined,
    timeoutMs: Number.isInteger(timeout) && timeout > 0 ? timeout : 5000,
  };
}
