import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { MAX_SEALED_CHARS, openDocument, sealDocument } from '../../../src/lib/minibrowser/sealed';

const SECRET = 'a-secret-that-is-long-enough-0123456789';
const DOC = '<SnomIPPhoneText><Title>Doorbell</Title><Text>Müller &amp; Söhne at the door</Text></SnomIPPhoneText>';

describe('sealed minibrowser documents (the document inside its own fetch URL)', () => {
  it('opens with the same secret before the expiry, with its fetch count, and hides the text', () => {
    const token = sealDocument(DOC, SECRET, 2_000, 3);
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.ok(!token.includes('Doorbell') && !Buffer.from(token, 'base64url').toString('latin1').includes('Doorbell'));
    const doc = openDocument(token, SECRET, 1_999);
    assert.equal(doc?.xml, DOC);
    assert.equal(doc?.uses, 3);
    assert.equal(doc?.expires, 2_000);
    assert.notEqual(sealDocument(DOC, SECRET, 2_000), token, 'a fresh IV and id per push');
  });

  it('does not open expired, under another secret, or when it is not a token', () => {
    const token = sealDocument(DOC, SECRET, 2_000);
    assert.equal(openDocument(token, SECRET, 2_000), undefined);
    assert.equal(openDocument(token, SECRET + 'x', 1_000), undefined);
    for (const t of ['', 'a'.repeat(32), '../../etc/passwd', token + '=', token.slice(0, 60)])
      assert.equal(openDocument(t, SECRET, 1_000), undefined, t);
  });

  it('any change to a token makes it unopenable (property)', () => {
    const token = sealDocument(DOC, SECRET, 10_000, 2);
    const raw = Buffer.from(token, 'base64url');
    fc.assert(
      fc.property(fc.nat({ max: raw.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const bad = Buffer.from(raw);
        bad[i] ^= x;
        return openDocument(bad.toString('base64url'), SECRET, 1_000) === undefined;
      }),
      { seed: 9, numRuns: 300 },
    );
  });

  it('refuses a short secret and a document too large for a URL (E_INPUT)', () => {
    assert.throws(
      () => sealDocument(DOC, 'short', 1),
      (e: any) => e.code === 'E_INPUT' && /at least 32 characters/.test(e.message) && !e.message.includes('short'),
    );
    // random text does not compress
    const noise = randomBytes(4000).toString('base64');
    assert.throws(
      () => sealDocument(`<SnomIPPhoneText><Text>${noise}</Text></SnomIPPhoneText>`, SECRET, 1),
      (e: any) => e.code === 'E_INPUT' && new RegExp(`at most ${MAX_SEALED_CHARS}`).test(e.message),
    );
  });
});
