// The tests' own HTTP client, Action URL receiver and CSTA request strings (docs/protocol.md §8).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimPhone } from '../../../src/simulator/phone';
import type { SimPhoneConfig } from '../../../src/simulator/types';
import type { CallsExt, SimCall } from '../../../src/simulator/calls/types';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
export const ED4 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed4';
export const ED5 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed5';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(
  url: string,
  method = 'GET',
  body?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body !== undefined) h['Content-Length'] = String(Buffer.byteLength(body));
    const req = http.request(url, { method, headers: h, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export async function json<T = Record<string, unknown>>(
  url: string,
  method = 'GET',
  value?: unknown,
): Promise<{ status: number; body: T }> {
  const r = await request(url, method, value === undefined ? undefined : JSON.stringify(value), {
    'Content-Type': 'application/json',
  });
  return { status: r.status, body: JSON.parse(r.body) as T };
}

/** The phone's ext state as GET /sim/state shows it. */
export async function ext(phone: SimPhone): Promise<CallsExt> {
  const r = await json<{ ext: CallsExt }>(`${phone.url}/sim/state`);
  return r.body.ext;
}

export async function calls(phone: SimPhone): Promise<SimCall[]> {
  return (await json<{ calls: SimCall[] }>(`${phone.url}/sim/calls`)).body.calls;
}

export async function call(phone: SimPhone, cstaId: string): Promise<SimCall> {
  const c = (await calls(phone)).find((x) => x.cstaId === cstaId);
  if (!c) throw new Error(`no call ${cstaId}`);
  return c;
}

export async function inject(phone: SimPhone, o: Record<string, unknown> = {}): Promise<string> {
  const r = await json<{ cstaId: string }>(`${phone.url}/sim/calls`, 'POST', { remote: 'sip:200@sim.local', ...o });
  if (r.status !== 200) throw new Error(`inject: ${r.status}`);
  return r.body.cstaId;
}

export const key = (phone: SimPhone, keys: string): Promise<Reply> =>
  request(`${phone.url}/command.htm?key=${encodeURIComponent(keys)}`);

export async function settings(phone: SimPhone, values: Record<string, string>): Promise<void> {
  const r = await json(`${phone.url}/sim/settings`, 'PUT', values);
  if (r.status !== 200) throw new Error(`settings: ${r.status}`);
}

export async function startPhone(c: Partial<SimPhoneConfig> = {}): Promise<SimPhone> {
  const p = new SimPhone({
    model: 'D785',
    firmware: '10.1.33.33',
    auth: 'none',
    identities: ['sip:100@sim.local', 'sip:101@sim.local'],
    ...c,
  });
  await p.start();
  return p;
}

export const csta = (phone: SimPhone, xml: string): Promise<Reply> =>
  request(`${phone.url}/csta`, 'POST', xml, { 'Content-Type': 'text/xml' });

/** A SOAP request as Snom's page writes it (docs/protocol.md §8.3, §9.1): both prefixes on the Envelope, csta-prefixed payload. */
export function soap(inner: string, ns = ED5): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}" xmlns:csta="${ns}"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

/** A bare 8.7.3+ request (the form of docs/protocol.md §8.3). */
export function bare(op: string, inner = '', ns = ED5): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${op} xmlns="${ns}">${inner}</${op}>`;
}

/** The fault value in any of Snom's three fault forms (docs/protocol.md §8.7) (the bare one is not well-formed). */
export function faultOf(body: string): string | undefined {
  return /<(?:csta:)?operation>([^<]*)<\//.exec(body)?.[1];
}

export interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** An Action URL receiver on 127.0.0.1; answers with `answer` (default an empty 200). */
export class Receiver {
  readonly got: Received[] = [];
  answer: { status: number; type: string; body: string } = { status: 200, type: 'text/plain', body: '' };
  private server = http.createServer((req, res) => {
    this.got.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(this.answer.status, { 'Content-Type': this.answer.type });
    res.end(this.answer.body);
  });

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Waits (bounded) until n requests arrived. */
  async wait(n: number): Promise<Received[]> {
    for (let i = 0; i < 250 && this.got.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    if (this.got.length < n) throw new Error(`expected ${n} action URL requests, got ${this.got.length}`);
    return this.got;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** The query of a received URL. */
export const query = (r: Received): URLSearchParams => new URL(r.url, 'http://x').searchParams;

/**
 * A phone and an Action URL receiver for the enclosing describe block: started before it, reset
 * before each test, stopped after it. `onPhone` receives the started phone.
 */
export function phoneWithReceiver(config: Partial<SimPhoneConfig>, onPhone: (p: SimPhone) => void): Receiver {
  const rx = new Receiver();
  let phone: SimPhone | undefined;
  before(async () => {
    await rx.start();
    phone = await startPhone(config);
    onPhone(phone);
  });
  after(async () => {
    await phone?.stop();
    await rx.close();
  });
  beforeEach(async () => {
    await request(`${phone!.url}/sim/reset`, 'POST');
    rx.got.length = 0;
  });
  return rx;
}
