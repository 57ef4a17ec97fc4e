import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret for action URLs: 192 random bits, URL-safe base64 (32 characters). */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Constant-time token comparison. Both sides are hashed first so that the comparison runs on
 * equal-length buffers and its time does not reveal the expected token's length.
 * An empty or missing expected token never matches.
 */
export function tokensEqual(a: string | undefined | null, b: string | undefined | null): boolean {
  return new TokenMatcher(a).matches(b);
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * tokensEqual for one expected token checked against many requests: the expected side is hashed
 * once, so each request costs one hash instead of two. Same constant-time comparison.
 */
export class TokenMatcher {
  private readonly expected: Buffer;
  private readonly empty: boolean;

  constructor(token: string | undefined | null) {
    this.expected = digest(token ?? '');
    this.empty = !token;
  }

  matches(candidate: string | undefined | null): boolean {
    const same = timingSafeEqual(this.expected, digest(candidate ?? ''));
    return same && !this.empty && !!candidate;
  }
}
