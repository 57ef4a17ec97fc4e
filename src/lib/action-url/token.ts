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
  const ha = createHash('sha256')
    .update(a ?? '', 'utf8')
    .digest();
  const hb = createHash('sha256')
    .update(b ?? '', 'utf8')
    .digest();
  const same = timingSafeEqual(ha, hb);
  return same && !!a && !!b;
}
