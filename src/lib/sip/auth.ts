/**
 * SIP Digest (RFC 3261 §22, RFC 8760) with the library's HTTP Digest code: the
 * same hashes, with the SIP method and the Request-URI as `uri`. 401 carries
 * WWW-Authenticate and is answered with Authorization; 407 carries
 * Proxy-Authenticate and is answered with Proxy-Authorization.
 */
import { chooseDigestChallenge, DigestSession } from '../http/digest';
import type { SipResponseMessage } from './message';

export interface SipCredentials {
  user: string;
  password: string;
}

export interface AuthAnswer {
  header: 'Authorization' | 'Proxy-Authorization';
  value: string;
}

/** The header that answers a 401/407, or undefined when it offers no Digest challenge we can use. */
export function answerChallenge(
  res: SipResponseMessage,
  method: string,
  requestUri: string,
  body: string,
  creds: SipCredentials,
): AuthAnswer | undefined {
  const proxy = res.status === 407;
  const challenge = chooseDigestChallenge(res.headers.getAll(proxy ? 'proxy-authenticate' : 'www-authenticate'));
  if (!challenge) return undefined;
  // One fresh session per challenge: nc=00000001, as for a first request.
  const value = new DigestSession(challenge, creds.user, creds.password).authorize(method, requestUri, body);
  return { header: proxy ? 'Proxy-Authorization' : 'Authorization', value };
}
