// The reference loop the library client is measured against: HTTP Digest (RFC 7616, MD5, qop=auth)
// written by hand on undici and node:crypto, doing what a lean client should do: one connection,
// the nonce reused with nc+1, HA1 computed once, one cnonce per nonce, no timers.
// Deliberately not the library's code: it must not share the library's costs.
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'undici';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** key="value" / key=value pairs of one Digest challenge. */
function parseChallenge(header: string): Map<string, string> {
  const out = new Map<string, string>();
  const body = header.replace(/^\s*Digest\s+/i, '');
  for (const m of body.matchAll(/([A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) {
    out.set(m[1].toLowerCase(), m[2] ?? m[3]);
  }
  return out;
}

export class RawDigestLoop {
  private readonly client: Client;
  private realm = '';
  private nonce = '';
  private opaque: string | undefined;
  private ha1 = '';
  private cnonce = '';
  private nc = 0;

  constructor(
    origin: string,
    private readonly user: string,
    private readonly password: string,
  ) {
    this.client = new Client(origin, { pipelining: 1 });
  }

  /** One GET; a 401 (first contact or stale nonce) costs one retry with the new nonce. */
  async get(path: string): Promise<number> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const headers: Record<string, string> = {};
      if (this.nonce) headers.authorization = this.authorization('GET', path);
      const res = await this.client.request({ method: 'GET', path, headers });
      await res.body.text();
      if (res.statusCode !== 401) return res.statusCode;
      const h = res.headers['www-authenticate'];
      const digest = (Array.isArray(h) ? h : [h ?? '']).find((v) => /^\s*Digest\s/i.test(v));
      if (!digest) throw new Error('raw digest: no Digest challenge');
      this.challenge(parseChallenge(digest));
    }
    throw new Error('raw digest: credentials refused');
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private challenge(c: Map<string, string>): void {
    const realm = c.get('realm') ?? '';
    if (realm !== this.realm || !this.ha1) this.ha1 = md5(`${this.user}:${realm}:${this.password}`);
    this.realm = realm;
    this.nonce = c.get('nonce') ?? '';
    this.opaque = c.get('opaque');
    this.cnonce = randomBytes(8).toString('hex');
    this.nc = 0;
  }

  private authorization(method: string, uri: string): string {
    const nc = (++this.nc).toString(16).padStart(8, '0');
    const ha2 = md5(`${method}:${uri}`);
    const response = md5(`${this.ha1}:${this.nonce}:${nc}:${this.cnonce}:auth:${ha2}`);
    let h = `Digest username="${this.user}", realm="${this.realm}", nonce="${this.nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${this.cnonce}", response="${response}"`;
    if (this.opaque !== undefined) h += `, opaque="${this.opaque}"`;
    return h;
  }
}
