import assert from 'node:assert/strict';
import { DocumentStore, documentUrl } from '../../../src/nodes/shared/document-server';
import { SealedStore } from '../../../src/nodes/shared/sealed-store';

describe('document server: one-time minibrowser documents', () => {
  it('hands a document out once under an unguessable base64url token, then forgets it', () => {
    const store = new DocumentStore();
    const a = store.put('<SnomIPPhoneText/>');
    const b = store.put('<SnomIPPhoneText/>');
    assert.match(a, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(a, b);
    assert.equal(store.take(a), '<SnomIPPhoneText/>');
    assert.equal(store.take(a), undefined);
    assert.equal(store.size, 1);
  });

  it('serves a push to several phones once per phone', () => {
    const store = new DocumentStore();
    const t = store.put('<x/>', 3);
    assert.deepEqual([store.take(t), store.take(t), store.take(t), store.take(t)], ['<x/>', '<x/>', '<x/>', undefined]);
  });

  it('forgets documents after their TTL, fetched or not', () => {
    let now = 1000;
    const store = new DocumentStore({ ttlMs: 60_000, now: () => now });
    const t = store.put('<x/>');
    now += 59_999;
    assert.equal(store.size, 1);
    now += 1;
    assert.equal(store.take(t), undefined);
    assert.equal(store.size, 0);
  });

  it('refuses documents over the size cap (E_INPUT) and more than the count cap (E_BUSY)', () => {
    const store = new DocumentStore({ maxBytes: 10, maxDocuments: 2 });
    assert.throws(
      () => store.put('ü'.repeat(6)),
      (e: any) => e.code === 'E_INPUT' && /12 bytes/.test(e.message),
    );
    store.put('a');
    store.put('b');
    assert.throws(
      () => store.put('c'),
      (e: any) => e.code === 'E_BUSY',
    );
  });

  it('ignores tokens that are not of its own shape', () => {
    const store = new DocumentStore();
    store.put('<x/>');
    for (const t of ['', '../etc/passwd', 'a'.repeat(31), 'a'.repeat(33), '%2e%2e'])
      assert.equal(store.take(t), undefined);
  });

  it('builds the URL from the base URL and httpNodeRoot, and refuses a missing base URL in plain words', () => {
    const t = 'T'.repeat(32);
    assert.equal(documentUrl('http://192.168.1.10:1880', '/', t), `http://192.168.1.10:1880/snom/mb/${t}`);
    assert.equal(documentUrl('http://192.168.1.10:1880/', undefined, t), `http://192.168.1.10:1880/snom/mb/${t}`);
    assert.equal(documentUrl('https://nr.example/red/', '/api/', t), `https://nr.example/red/api/snom/mb/${t}`);
    assert.throws(
      () => documentUrl('', '/', t),
      (e: any) => e.code === 'E_INPUT' && /Base URL at which the phone reaches Node-RED/.test(e.message),
    );
    assert.throws(
      () => documentUrl('ftp://x', '/', t),
      (e: any) => e.code === 'E_INPUT',
    );
    assert.throws(
      () => documentUrl('http://x', false, t),
      (e: any) => e.code === 'E_UNSUPPORTED' && /httpNodeRoot/.test(e.message),
    );
  });
});

describe('document server: sealed documents (snomXmlPushSecret set)', () => {
  const secret = 's'.repeat(40);
  it('is off without a secret, and a sealed URL is answered by another store with the same secret', () => {
    assert.equal(new SealedStore({ secret: () => undefined }).enabled, false);
    const a = new SealedStore({ secret: () => secret });
    const b = new SealedStore({ secret: () => secret });
    assert.equal(a.enabled, true);
    const t = a.put('<x/>');
    assert.ok(t.length > 32);
    assert.equal(b.take(t), '<x/>');
    assert.equal(new SealedStore({ secret: () => secret + '!' }).take(t), undefined);
  });

  it('serves a URL once per phone at one instance, and not after its TTL', () => {
    let now = 1000;
    const store = new SealedStore({ secret: () => secret, ttlMs: 60_000, now: () => now });
    const t = store.put('<x/>', 2);
    assert.deepEqual([store.take(t), store.take(t), store.take(t)], ['<x/>', '<x/>', undefined]);
    const u = store.put('<y/>');
    now += 60_000;
    assert.equal(store.take(u), undefined);
  });

  it('keeps the size cap of the memory store', () => {
    const store = new SealedStore({ secret: () => secret, maxBytes: 10 });
    assert.throws(
      () => store.put('ü'.repeat(6)),
      (e: any) => e.code === 'E_INPUT' && /12 bytes/.test(e.message),
    );
  });
});
