/**
 * Small real HTTP peers for the client tests (loopback, ephemeral ports).
 * The digest checker here is written independently of src/lib/http/digest.ts,
 * so that a bug in the client's hashing cannot be cancelled by the same bug here.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { AddressInfo } from 'node:net';
import type { PhoneClient } from '../../../src/lib/http';

export interface Peer {
  port: number;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

function withBody(handler: Handler): http.RequestListener {
  return (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => handler(req, res, body));
  };
}

async function start(server: http.Server | https.Server): Promise<Peer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function startHttp(handler: Handler): Promise<Peer> {
  return start(http.createServer(withBody(handler)));
}

export function startHttps(handler: Handler, key: Buffer, cert: Buffer): Promise<Peer> {
  return start(https.createServer({ key, cert }, withBody(handler)));
}

/** A port that nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Parses `Digest a="b", c=d` loosely; enough for headers our tests control. */
export function authParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header))) out[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  return out;
}

export interface DigestPeerOptions {
  realm: string;
  user: string;
  password: string;
  algorithm?: 'MD5' | 'SHA-256' | 'MD5-sess' | 'SHA-256-sess';
  /** After this many accepted requests on one nonce, answer 401 stale=true with a new one. */
  nonceUses?: number;
  /** Also offer Basic (listed first) and accept it. */
  offerBasic?: boolean;
  /** Answer an unknown nonce with stale=true (default), or with a plain 401 like a rebooted phone. */
  staleOnUnknownNonce?: boolean;
}

export interface SeenRequest {
  url: string;
  authorization?: string;
  status: number;
}

/** An HTTP server that wants RFC 7616 Digest (qop=auth) and records what it saw. */
export async function startDigestPeer(o: DigestPeerOptions): Promise<Peer & { seen: SeenRequest[]; forget(): void }> {
  const alg = o.algorithm ?? 'MD5';
  const h = (s: string) =>
    createHash(alg.startsWith('MD5') ? 'md5' : 'sha256')
      .update(s)
      .digest('hex');
  let nonce = randomBytes(12).toString('base64');
  /** -sess: HA1 as computed once, at the first accepted request on a nonce (RFC 2617 §3.2.2.2). */
  const sessionHA1 = new Map<string, string>();
  let uses = 0;
  let lastNc = 0;
  const seen: SeenRequest[] = [];
  const challenge = (stale: boolean) => {
    const d = `Digest realm="${o.realm}", qop="auth", algorithm=${alg}, nonce="${nonce}", opaque="op,aque"${stale ? ', stale=true' : ''}`;
    return o.offerBasic ? [`Basic realm="${o.realm}"`, d] : d;
  };
  const peer = await startHttp((req, res) => {
    const auth = req.headers.authorization;
    const answer = (status: number, headers: Record<string, string | string[]> = {}) => {
      seen.push({ url: req.url ?? '', authorization: auth, status });
      res.writeHead(status, headers);
      res.end(status === 200 ? `ok ${req.url}` : 'denied');
    };
    if (o.offerBasic && auth === 'Basic ' + Buffer.from(`${o.user}:${o.password}`).toString('base64'))
      return answer(200);
    if (!auth || !auth.startsWith('Digest ')) return answer(401, { 'WWW-Authenticate': challenge(false) });
    const p = authParams(auth);
    let ha1 = h(`${p.username}:${o.realm}:${o.password}`);
    if (alg.endsWith('-sess')) ha1 = h(`${ha1}:${p.nonce}:${p.cnonce}`);
    const ha2 = h(`${req.method}:${p.uri}`);
    const expected = h(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
    // A -sess client must satisfy both kinds of server: one that recomputes HA1 from each request's
    // cnonce (above) and one that keeps the HA1 of the session's first request (here).
    const cached = sessionHA1.get(p.nonce);
    const sessOk = cached === undefined || expected === h(`${cached}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
    const nc = parseInt(p.nc, 16);
    const valid =
      p.username === o.user &&
      p.uri === req.url &&
      p.response === expected &&
      sessOk &&
      p.opaque === 'op,aque' &&
      p.algorithm === alg;
    if (!valid) return answer(401, { 'WWW-Authenticate': challenge(false) });
    if (p.nonce !== nonce) return answer(401, { 'WWW-Authenticate': challenge(o.staleOnUnknownNonce !== false) });
    if (nc <= lastNc) return answer(401, { 'WWW-Authenticate': challenge(false) }); // replay
    lastNc = nc;
    if (alg.endsWith('-sess') && !sessionHA1.has(p.nonce)) sessionHA1.set(p.nonce, ha1);
    uses++;
    if (o.nonceUses !== undefined && uses > o.nonceUses) {
      nonce = randomBytes(12).toString('base64');
      uses = 0;
      lastNc = 0;
      return answer(401, { 'WWW-Authenticate': challenge(true) });
    }
    answer(200);
  });
  /** A reboot: every nonce handed out so far is forgotten. */
  const forget = () => {
    nonce = randomBytes(12).toString('base64');
    uses = 0;
    lastNc = 0;
  };
  return { ...peer, seen, forget };
}

/** The peers and clients a describe block starts, all closed after it (clients first). */
export function closedAfter(): { peers: Peer[]; clients: PhoneClient[] } {
  const started = { peers: [] as Peer[], clients: [] as PhoneClient[] };
  after(async () => {
    await Promise.all(started.clients.map((c) => c.close()));
    await Promise.all(started.peers.map((p) => p.close()));
  });
  return started;
}
