/**
 * Minibrowser documents served by Node-RED itself, for phones that take a push only as
 * `minibrowser.htm?url=` and then fetch the URL (docs/protocol.md §7.5). Each document gets an
 * unguessable one-time URL on the HTTP node root; once fetched (or after its TTL) it is gone.
 * With `snomXmlPushSecret` in the settings the document is sealed into the URL instead, so that
 * any Node-RED instance holding the same secret answers the fetch (sealed-store.ts, docs/scaling.md).
 * The editor bundles this file (documentUrl), so it needs nothing beyond node:crypto.
 */
import { randomBytes } from 'node:crypto';
import { SnomError, inputError, unsupportedError } from '../../lib/errors';
import { firstTime } from './once';
import type { RED } from './red';

/** Route on RED.httpNode (mounted at httpNodeRoot). */
export const DOCUMENT_ROUTE = '/snom/mb/:token';
const TOKEN_RE = /^[A-Za-z0-9_-]{32}$/;

export interface DocumentStoreOptions {
  /** how long an unfetched document waits, default 60 s */
  ttlMs?: number;
  /** documents waiting at once, default 500 */
  maxDocuments?: number;
  /** size of one document, default 512 KiB (base64 images make them large) */
  maxBytes?: number;
  /** clock, for the store's own tests */
  now?: () => number;
}

interface Entry {
  xml: string;
  expires: number;
  /** fetches left: one per phone the push went to */
  uses: number;
}

/** E_INPUT when a document is larger than `maxBytes` (UTF-8). */
export function checkDocumentSize(xml: string, maxBytes: number): void {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > maxBytes) {
    throw inputError(`The minibrowser document is ${bytes} bytes; at most ${maxBytes} can be served to the phone.`, {
      field: 'document',
    }).withText('documents.tooLarge', { bytes, max: maxBytes });
  }
}

/** Documents by token. Expired entries are dropped on every access, so no timers run. */
export class DocumentStore {
  private readonly docs = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxDocuments: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(o: DocumentStoreOptions = {}) {
    this.ttlMs = o.ttlMs ?? 60_000;
    this.maxDocuments = o.maxDocuments ?? 500;
    this.maxBytes = o.maxBytes ?? 512 * 1024;
    this.now = o.now ?? Date.now;
  }

  get size(): number {
    this.purge();
    return this.docs.size;
  }

  /** Keep `xml` for `uses` fetches; returns the token. E_INPUT when too large, E_BUSY when full. */
  put(xml: string, uses = 1): string {
    checkDocumentSize(xml, this.maxBytes);
    this.purge();
    if (this.docs.size >= this.maxDocuments) {
      const n = this.docs.size;
      throw new SnomError(
        'E_BUSY',
        `${n} minibrowser documents are already waiting for phones to fetch them; try again shortly.`,
      ).withText('documents.full', { n });
    }
    const token = randomBytes(24).toString('base64url');
    this.docs.set(token, { xml, expires: this.now() + this.ttlMs, uses: Math.max(1, Math.floor(uses)) });
    return token;
  }

  /** The document for a fetch, counting the fetch; undefined when unknown, used up or expired. */
  take(token: string): string | undefined {
    if (!TOKEN_RE.test(token)) return undefined;
    this.purge();
    const e = this.docs.get(token);
    if (!e) return undefined;
    if (--e.uses <= 0) this.docs.delete(token);
    return e.xml;
  }

  private purge(): void {
    const t = this.now();
    for (const [k, e] of this.docs) if (e.expires <= t) this.docs.delete(k);
  }
}

/** The store every snom-xml-push node in this Node-RED shares (one route serves them all). */
export const documents = new DocumentStore();

/** Register GET /snom/mb/:token on RED.httpNode; false when Node-RED serves no HTTP nodes. */
export function mountDocumentServer(
  RED: RED,
  store: DocumentStore = documents,
  sealed?: { take(token: string): string | undefined },
): boolean {
  if (RED.settings?.httpNodeRoot === false || !RED.httpNode) return false;
  // Node-RED hands a new httpNode app to each runtime (and each test-helper load): mount once per app
  if (!firstTime(RED.httpNode, mountDocumentServer)) return true;
  RED.httpNode.get(DOCUMENT_ROUTE, (req, res) => {
    const token = String(req.params.token ?? '');
    const xml = token.length === 32 ? store.take(token) : sealed?.take(token);
    res.set('Cache-Control', 'no-store');
    if (xml === undefined) {
      res.status(404).type('text/plain').send('No such document: it was fetched already or has expired.');
      return;
    }
    res.status(200).set('Content-Type', 'text/xml; charset=utf-8').send(Buffer.from(xml, 'utf8'));
  });
  return true;
}

/**
 * The URL a phone fetches: the phone config's base URL + httpNodeRoot + /snom/mb/TOKEN.
 * No base URL: E_INPUT telling the user where to set it.
 */
export function documentUrl(baseUrl: string, httpNodeRoot: unknown, token: string): string {
  if (httpNodeRoot === false) {
    throw unsupportedError(
      'Node-RED serves no HTTP nodes (httpNodeRoot is false in its settings), so it cannot hand the phone a document to fetch.',
    ).withText('documents.noHttpNodes');
  }
  const base = String(baseUrl ?? '').trim();
  if (!base) {
    throw inputError(
      'The phone fetches the document from Node-RED: set "Base URL at which the phone reaches Node-RED" in the phone configuration (e.g. http://192.168.1.10:1880).',
      { field: 'baseUrl' },
    ).withText('documents.noBaseUrl');
  }
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw inputError(
      `The phone configuration's base URL "${base.slice(0, 80)}" is not a URL; use e.g. http://192.168.1.10:1880.`,
      { field: 'baseUrl' },
    ).withText('documents.badBaseUrl', { url: base.slice(0, 80) });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw inputError("The phone configuration's base URL must start with http:// or https://.", {
      field: 'baseUrl',
    }).withText('documents.baseUrlScheme');
  }
  const root = typeof httpNodeRoot === 'string' ? httpNodeRoot : '/';
  const join = (a: string, b: string) => `${a.replace(/\/+$/, '')}/${b.replace(/^\/+/, '')}`;
  return join(join(base, root), `snom/mb/${token}`);
}
