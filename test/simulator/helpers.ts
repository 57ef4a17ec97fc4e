// The tests' own HTTP client and Digest computation (independent of src/lib and of the simulator).
import * as http from 'node:http';
import * as https from 'node:https';
import { createHash, randomBytes } from 'node:crypto';
import { SimPhone } from '../../src/simulator/phone';
import type { SimFaults, SimPhoneConfig, SimState } from '../../src/simulator/types';

/** GET /sim/state: the state plus who the phone is. */
export type StateReply = SimState & {
  name: string;
  url: string;
  model: string;
  firmware: string;
  mac: string;
  faults: SimFaults | null;
};

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** every WWW-Authenticate header line, separately (node joins them in `headers`) */
  authenticate: string[];
}

export interface ReqOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  ca?: string;
  /** reuse a connection (keep-alive agent) */
  agent?: http.Agent;
}

/** One request; a fresh connection unless an agent is given. */
export function request(url: string, o: ReqOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(o.body));
    const req = mod.request(
      u,
      {
        method: o.method ?? 'GET',
        headers,
        agent: o.agent ?? false,
        ...(o.ca ? { ca: o.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        const lines: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i].toLowerCase() === 'www-authenticate') lines.push(res.rawHeaders[i + 1]);
        }
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            authenticate: lines,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

export async function getState(phone: SimPhone): Promise<StateReply> {
  const r = await request(`${phone.url}/sim/state`);
  if (r.status !== 200) throw new Error(`state: ${r.status}`);
  return JSON.parse(r.body) as StateReply;
}

/** Polls /sim/state until cond holds (bounded: 200 tries). */
export async function waitState(phone: SimPhone, cond: (s: StateReply) => boolean): Promise<StateReply> {
  for (let i = 0; i < 200; i++) {
    const s = await getState(phone);
    if (cond(s)) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('state condition never held');
}

export async function startPhone(c: Partial<SimPhoneConfig> = {}): Promise<SimPhone> {
  const p = new SimPhone({ model: 'D785', firmware: '10.1.33.33', auth: 'none', ...c });
  await p.start();
  return p;
}

/** Challenge parameters from the WWW-Authenticate header(s). */
export function challenges(r: Reply): Array<Record<string, string>> {
  return r.authenticate.map((c) => {
    const out: Record<string, string> = { scheme: c.split(' ')[0] };
    const re = /(\w+)=(?:"([^"]*)"|([^,\s]+))/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(c.slice(c.indexOf(' ') + 1)))) out[m[1].toLowerCase()] = m[2] ?? m[3];
    return out;
  });
}

export interface DigestInput {
  user: string;
  password: string;
  method: string;
  uri: string;
  nc?: number;
  cnonce?: string;
  /** leave out qop even if offered */
  noQop?: boolean;
}

/** Authorization header for one challenge, per RFC 7616 §3.4. */
export function digest(ch: Record<string, string>, i: DigestInput): string {
  const alg = ch.algorithm ?? 'MD5';
  const H = (s: string): string =>
    createHash(alg.startsWith('SHA-256') ? 'sha256' : 'md5')
      .update(s)
      .digest('hex');
  const cnonce = i.cnonce ?? randomBytes(8).toString('hex');
  const nc = (i.nc ?? 1).toString(16).padStart(8, '0');
  let ha1 = H(`${i.user}:${ch.realm}:${i.password}`);
  if (alg.endsWith('-sess')) ha1 = H(`${ha1}:${ch.nonce}:${cnonce}`);
  const ha2 = H(`${i.method}:${i.uri}`);
  const qop = ch.qop && !i.noQop ? 'auth' : undefined;
  const response = qop ? H(`${ha1}:${ch.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : H(`${ha1}:${ch.nonce}:${ha2}`);
  const parts = [
    `username="${i.user}"`,
    `realm="${ch.realm}"`,
    `nonce="${ch.nonce}"`,
    `uri="${i.uri}"`,
    `algorithm=${alg}`,
    `response="${response}"`,
  ];
  if (ch.opaque) parts.push(`opaque="${ch.opaque}"`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  return `Digest ${parts.join(', ')}`;
}

export function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
