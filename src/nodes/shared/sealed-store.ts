/**
 * Minibrowser documents sealed into their own fetch URL (lib/minibrowser/sealed.ts), for several
 * Node-RED instances behind a load balancer: any instance with the same `snomXmlPushSecret` answers.
 * Kept out of document-server.ts because the editor bundles that file and cannot load node:zlib.
 */
import { checkDocumentSize, type DocumentStoreOptions } from './document-server';
import type * as Sealed from '../../lib/minibrowser/sealed';
import { onFirstUse } from './lazy';
import type { RED } from './red';

// sealing (node:zlib) loads with the first sealed push or fetch
const sealing = onFirstUse<typeof Sealed>('lib/minibrowser/sealed');

export interface SealedStoreOptions extends DocumentStoreOptions {
  /** the secret every instance shares; read at each use so that a settings change needs no restart of this code */
  secret: () => unknown;
}

/**
 * Documents sealed into their URL. Nothing is kept for the fetch; what this instance keeps is the ids
 * of the URLs it has answered (until they expire), so a URL is fetched once per phone here. Another
 * instance does not know them: across instances a URL can be fetched again until its TTL ends.
 */
export class SealedStore {
  /** fetch id → [fetches left, expiry] */
  private readonly spent = new Map<string, [number, number]>();
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly maxSpent: number;
  private readonly now: () => number;

  constructor(private readonly o: SealedStoreOptions) {
    this.ttlMs = o.ttlMs ?? 60_000;
    this.maxBytes = o.maxBytes ?? 512 * 1024;
    this.maxSpent = (o.maxDocuments ?? 500) * 20;
    this.now = o.now ?? Date.now;
  }

  /** whether a secret is set: then pushes are sealed */
  get enabled(): boolean {
    const s = this.o.secret();
    return s !== undefined && s !== null && s !== '';
  }

  /** the sealed token for `xml`; `uses` travels with it (one fetch per phone, counted per instance) */
  put(xml: string, uses = 1): string {
    checkDocumentSize(xml, this.maxBytes);
    const { checkSecret, sealDocument } = sealing();
    return sealDocument(xml, checkSecret(this.o.secret()), this.now() + this.ttlMs, uses);
  }

  take(token: string): string | undefined {
    const secret = this.o.secret();
    if (typeof secret !== 'string' || secret === '') return undefined;
    const now = this.now();
    const doc = sealing().openDocument(token, secret, now);
    if (!doc) return undefined;
    this.purge(now);
    const seen = this.spent.get(doc.id);
    const left = seen ? seen[0] : doc.uses;
    if (left <= 0) return undefined;
    // full: refuse rather than forget ids, so that a URL is never served twice here
    if (!seen && this.spent.size >= this.maxSpent) return undefined;
    this.spent.set(doc.id, [left - 1, doc.expires]);
    return doc.xml;
  }

  private purge(t: number): void {
    for (const [k, [, expires]] of this.spent) if (expires <= t) this.spent.delete(k);
  }
}

/** The secret from Node-RED's settings (settings.js `snomXmlPushSecret`), never from flows or messages. */
export function settingsSecret(RED: RED): () => unknown {
  return () => (RED.settings as unknown as Record<string, unknown> | undefined)?.snomXmlPushSecret;
}
