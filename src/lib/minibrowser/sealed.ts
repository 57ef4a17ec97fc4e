// Not re-exported from ./index: the editor bundles that index, and this needs node:crypto and node:zlib.
/**
 * Sealed minibrowser documents: the document travels inside its own fetch URL, compressed and
 * encrypted with AES-256-GCM under a key derived from a secret that every Node-RED instance behind
 * a load balancer shares. Whichever instance the phone's fetch reaches opens it; nothing is kept
 * between the push and the fetch (docs/scaling.md says why this and not a shared context store).
 * GCM authenticates as well as hides: a changed URL does not open, and the expiry inside it
 * cannot be moved.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { inputError } from '../errors';

const VERSION = 1;
const IV = 12;
const TAG = 16;
/** header inside the ciphertext: expiry (ms, 8 bytes) + fetch id (16 bytes) + fetches (4 bytes) */
const HEAD = 8 + 16 + 4;
/** shortest secret taken: 32 characters of a random string are well over 128 bits */
export const MIN_SECRET_LENGTH = 32;
/**
 * Longest sealed token. No source gives the URL length a phone accepts in `minibrowser.htm?url=`;
 * 4,000 characters is our bound so that the URL stays within what common HTTP servers take on a
 * request line (Node's own limit is 16 KiB of headers).
 */
export const MAX_SEALED_CHARS = 4000;
const TOKEN_RE = /^[A-Za-z0-9_-]{40,4000}$/;

export interface SealedDocument {
  xml: string;
  /** random per push: lets an instance refuse a second fetch of the same URL */
  id: string;
  expires: number;
  /** fetches the push allows: one per phone it went to */
  uses: number;
}

function keyOf(secret: string): Buffer {
  // domain-separated so that the same secret used elsewhere gives another key
  return createHash('sha256').update('snom-minibrowser-document\0').update(secret, 'utf8').digest();
}

/** E_INPUT unless the secret is a string long enough to be a key. */
export function checkSecret(secret: unknown): string {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw inputError(
      `The shared document secret (setting snomXmlPushSecret) must be a string of at least ${MIN_SECRET_LENGTH} characters.`,
      { field: 'snomXmlPushSecret' },
    ).withText('xml.secret', { min: MIN_SECRET_LENGTH });
  }
  return secret;
}

/**
 * The URL token for `xml`, valid until `expires` (ms since the epoch) for `uses` fetches.
 * E_INPUT when too long for a URL.
 */
export function sealDocument(xml: string, secret: string, expires: number, uses = 1): string {
  const head = Buffer.alloc(HEAD);
  head.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(expires))), 0);
  randomBytes(16).copy(head, 8);
  head.writeUInt32BE(Math.min(0xffffffff, Math.max(1, Math.floor(uses))), 24);
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', keyOf(checkSecret(secret)), iv);
  cipher.setAAD(Buffer.from([VERSION]));
  const body = Buffer.concat([
    cipher.update(head),
    cipher.update(deflateRawSync(Buffer.from(xml, 'utf8'))),
    cipher.final(),
  ]);
  const token = Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]).toString('base64url');
  if (token.length > MAX_SEALED_CHARS) {
    throw inputError(
      `The minibrowser document is too large to travel in its fetch URL (${token.length} characters after compression, at most ${MAX_SEALED_CHARS}); shorten it, push it by CSTA, or remove snomXmlPushSecret to serve it from this Node-RED's memory.`,
      { field: 'document' },
    ).withText('xml.tooLarge', { n: token.length, max: MAX_SEALED_CHARS });
  }
  return token;
}

/** The document in `token`, or undefined when it is not ours, was changed, or has expired — never why. */
export function openDocument(token: string, secret: string, now: number): SealedDocument | undefined {
  if (!TOKEN_RE.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < 1 + IV + HEAD + TAG || raw[0] !== VERSION) return undefined;
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(1, 1 + IV));
    decipher.setAAD(raw.subarray(0, 1));
    decipher.setAuthTag(raw.subarray(raw.length - TAG));
    plain = Buffer.concat([decipher.update(raw.subarray(1 + IV, raw.length - TAG)), decipher.final()]);
  } catch {
    return undefined;
  }
  const expires = Number(plain.readBigUInt64BE(0));
  if (expires <= now) return undefined;
  let xml: string;
  try {
    // the bound stops a sealed "zip bomb" even though only a secret holder can make one
    xml = inflateRawSync(plain.subarray(HEAD), { maxOutputLength: 1024 * 1024 }).toString('utf8');
  } catch {
    return undefined;
  }
  return { xml, id: plain.subarray(8, 24).toString('hex'), expires, uses: plain.readUInt32BE(24) };
}
