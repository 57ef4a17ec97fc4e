export type {
  AuthMode,
  AuthScheme,
  AuthFloor,
  PhoneClientOptions,
  PhoneRequest,
  PhoneResponse,
  PhoneClientStats,
} from './types';
export { PhoneClient, DEFAULT_TIMEOUT_MS, DEFAULT_QUEUE_SIZE } from './client';
export { basicAuthorization } from './basic';
export { parseWwwAuthenticate } from './challenge';
export type { AuthChallenge } from './challenge';
export {
  DIGEST_ALGORITHMS,
  normalizeAlgorithm,
  toDigestChallenge,
  chooseDigestChallenge,
  digestHash,
  computeHA1,
  computeHA2,
  computeDigestResponse,
  buildDigestAuthorization,
  newCnonce,
  DigestSession,
} from './digest';
export type { DigestAlgorithm, DigestQop, DigestChallenge, DigestInput } from './digest';
export { transportError, httpError, authError, isConnectionClosed, bodyExcerpt } from './errors';
export { Redactor, encodedPattern } from './redact';
export type { RedactOptions } from './redact';
export { SerialQueue, QueueFullError } from './queue';
export { phoneOrigin } from './origin';
export type { PhoneOrigin } from './origin';
