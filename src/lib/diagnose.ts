/**
 * Test connection: what is wrong between this runtime and a phone, in plain words. One probe without
 * credentials learns what the phone asks for (reachable? TLS? which login scheme?), so a login that
 * cannot work is never sent; then one request with the configured login reads /info.htm, so a wrong
 * password costs one failed login (phones may block the login after several: docs/protocol.md §2.3).
 */
import { isSnomError, type SnomError, type TextKey } from './errors';
import { parseWwwAuthenticate } from './http/challenge';
import { PhoneClient, undici } from './http/client';
import { errorCodes } from './http/errors';
import { phoneOrigin } from './http/origin';
import type { AuthMode, AuthScheme, PhoneClientOptions } from './http/types';
import { readPhoneInfo, type PhoneInfo } from './detect';
import { hasCstaOverHttp, resolveProfile } from './profile/profile';
import { positiveNumber } from './util';

export type FindingId =
  | 'ok'
  | 'refused'
  | 'timeout'
  | 'dns'
  | 'no-route'
  | 'closed'
  | 'not-tls'
  | 'certificate'
  | 'unreachable'
  | 'login-required'
  | 'no-user'
  | 'wants-digest'
  | 'wants-basic'
  | 'no-login'
  | 'wrong-password'
  | 'access-refused'
  | 'http'
  | 'not-snom'
  | 'd8xx'
  | 'csta-gap'
  | 'no-csta';

export interface Finding {
  id: FindingId;
  /** error: the nodes will fail; warning: some will; info: good to know */
  severity: 'error' | 'warning' | 'info';
  /** what to say, in English (the editor words it from its locale with `params`) */
  text: string;
  params: Record<string, string>;
  /**
   * Parameters that are words of ours (not the phone's), by their runtime catalog key: the admin
   * route says them in the editor's language. Not enumerable: the answer's JSON has params only.
   */
  readonly said?: Record<string, TextKey>;
}

/** Our words among the parameters, in English, by their key (runtime.errors.diagnose.<key>). */
const WORDS = {
  modelUnknown: 'model unknown',
  unknown: 'unknown',
  thisPhone: 'this phone',
  connectionFailed: 'connection failed',
  unexpected: 'unexpected failure',
};
type Word = keyof typeof WORDS;

/** The catalog keys of our words, for the catalog test. */
export const DIAGNOSE_WORD_KEYS = Object.keys(WORDS);

export interface Diagnosis {
  /** the configured login reads the phone */
  ok: boolean;
  /** the schemes the phone asked for without credentials ([] = no login asked; undefined = not reached) */
  offered?: AuthScheme[];
  configured: AuthMode;
  phone?: PhoneInfo;
  findings: Finding[];
}

export interface DiagnoseOptions extends PhoneClientOptions {
  /** as configured ("detect" or empty: what the phone says) */
  model?: string;
  firmware?: string;
  legacyCsta?: boolean;
}

type Say = (params: Record<string, string>) => string;

const TEXTS: Record<FindingId, [Finding['severity'], Say]> = {
  ok: ['info', (p) => `Connected to ${p.phone}: ${p.model}, firmware ${p.firmware}, login ${p.scheme}.`],
  refused: [
    'error',
    (p) => `${p.phone} refuses the connection: nothing listens on that port. Check the port and the protocol.`,
  ],
  timeout: [
    'error',
    (p) => `${p.phone} does not answer (no answer within ${p.ms} ms): is it switched on and on this network?`,
  ],
  dns: ['error', (p) => `The host name ${p.host} is not found (DNS). Check its spelling, or use the IP address.`],
  'no-route': [
    'error',
    (p) => `There is no route to ${p.phone}: it is off, or on a network this machine cannot reach.`,
  ],
  closed: [
    'error',
    (p) =>
      `${p.phone} closed the connection without an answer. ${p.protocol === 'http' ? 'If the phone uses HTTPS, choose HTTPS.' : 'If the phone uses plain HTTP on this port, choose HTTP.'}`,
  ],
  'not-tls': ['error', (p) => `${p.phone} does not speak HTTPS on this port: choose HTTP, or the phone's HTTPS port.`],
  certificate: [
    'error',
    (p) =>
      `The certificate of ${p.phone} is not trusted (${p.reason}).${p.selfSignedWorks === 'yes' ? ' The phone answers when its own certificate is accepted: tick "Accept the phone\'s self-signed certificate" if this is your phone.' : ''}`,
  ],
  unreachable: ['error', (p) => `${p.phone} cannot be reached: ${p.reason}.`],
  'login-required': ['error', () => 'The phone asks for a login, but Auth is set to none: set Auth to automatic.'],
  'no-user': ['error', () => 'The phone asks for a login, but no user is set: enter the HTTP user and password.'],
  'wants-digest': [
    'error',
    () => 'The phone asks for Digest, but Auth is set to Basic: set Auth to Digest or automatic.',
  ],
  'wants-basic': [
    'error',
    () =>
      'The phone asks for Basic, but Auth is set to Digest (the password is not sent in clear): set Auth to Basic or automatic, or switch the phone to Digest (http_scheme on).',
  ],
  'no-login': ['info', () => 'The phone asks for no login: anyone on the network can control it.'],
  'wrong-password': [
    'error',
    (p) =>
      `The phone does not accept this user and password (${p.scheme}). Check them against http_user and http_pass on the phone; after repeated failures a phone may block its login for a while, so do not retry many times.`,
  ],
  'access-refused': [
    'error',
    () => "The phone refuses access (HTTP 403): check user, password and the phone's access rules.",
  ],
  http: ['error', (p) => `The phone answered HTTP ${p.status} to /info.htm: ${p.reason}`],
  'not-snom': ['warning', (p) => `${p.phone} answers, but does not look like a Snom phone.`],
  d8xx: [
    'error',
    (p) =>
      `${p.model} is a D8xx phone: Snom's HTTP remote control does not work on the D8xx series, so the nodes refuse it.`,
  ],
  'csta-gap': [
    'warning',
    (p) =>
      `Firmware ${p.firmware} cannot do CSTA over HTTP (8.7.0 to 8.7.2): snom-csta and the CSTA parts of snom-settings and snom-xml-push will refuse; update to 8.7.3 or later.`,
  ],
  'no-csta': [
    'warning',
    (p) =>
      `Firmware ${p.firmware} has no CSTA over HTTP (before 7.3.4): snom-csta and the CSTA parts of snom-settings and snom-xml-push will refuse.`,
  ],
};

/** Every finding Test connection may report (the editor has a text for each, in every language). */
export const FINDING_IDS = Object.keys(TEXTS) as FindingId[];

function finding(id: FindingId, params: Record<string, string> = {}, words: Record<string, Word> = {}): Finding {
  const [severity, say] = TEXTS[id];
  const all = { ...params };
  const said: Record<string, TextKey> = {};
  for (const [name, word] of Object.entries(words)) {
    all[name] = WORDS[word];
    said[name] = { key: `diagnose.${word}`, params: {} };
  }
  const f: Finding = { id, severity, text: say(all), params: all };
  if (Object.keys(said).length) Object.defineProperty(f, 'said', { value: said });
  return f;
}

type Probe = { status: number; offered: AuthScheme[] } | { error: unknown; codes: string[]; timedOut: boolean };

/** One GET /info.htm without credentials; never throws. */
async function probe(origin: string, timeoutMs: number, rejectUnauthorized: boolean): Promise<Probe> {
  // undici on first use, as the client loads it (test/package/load.test.ts)
  const client = new (undici().Client)(origin, { connect: { timeout: timeoutMs, rejectUnauthorized } });
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error('deadline')), timeoutMs);
  try {
    const res = await client.request({
      path: '/info.htm',
      method: 'GET',
      signal: ac.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await res.body.dump();
    const header = res.headers['www-authenticate'];
    const offered: AuthScheme[] = [];
    if (res.statusCode === 401) {
      for (const c of parseWwwAuthenticate(header)) {
        const s = c.scheme.toLowerCase();
        if ((s === 'basic' || s === 'digest') && !offered.includes(s)) offered.push(s);
      }
    }
    return { status: res.statusCode, offered };
  } catch (error) {
    return { error, codes: errorCodes(error), timedOut: ac.signal.aborted };
  } finally {
    clearTimeout(timer);
    await client.destroy().catch(() => undefined);
  }
}

const TIMEOUT = /TIMEOUT|ETIMEDOUT/;
const DNS = /^(ENOTFOUND|EAI_)/;
const NO_ROUTE = /^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|EADDRNOTAVAIL)$/;
const CLOSED = /^(ECONNRESET|EPIPE|UND_ERR_SOCKET|ERR_STREAM_PREMATURE_CLOSE)$/;
const NOT_TLS = /WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG|HTTP_REQUEST/;
const TLS = /CERT|SELF_SIGNED|ERR_TLS|ERR_SSL|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH/;

/** A transport failure (no HTTP answer) as a finding. */
function transportFinding(codes: string[], timedOut: boolean, message: string, p: Record<string, string>): Finding {
  const has = (re: RegExp) => codes.find((c) => re.test(c));
  let c: string | undefined;
  if (timedOut || has(TIMEOUT)) return finding('timeout', p);
  if (codes.includes('ECONNREFUSED')) return finding('refused', p);
  if (has(DNS)) return finding('dns', p);
  if (has(NO_ROUTE)) return finding('no-route', p);
  if (has(CLOSED)) return finding('closed', p);
  if (has(NOT_TLS)) return finding('not-tls', p);
  if ((c = has(TLS))) return finding('certificate', { ...p, reason: c });
  const reason = message.slice(0, 120);
  return reason ? finding('unreachable', { ...p, reason }) : finding('unreachable', p, { reason: 'connectionFailed' });
}

/** The configured login against what the phone asks for: a finding when it cannot work. */
function loginMismatch(auth: AuthMode, offered: AuthScheme[], user: string): Finding | undefined {
  if (offered.length === 0) return auth === 'basic' || auth === 'digest' ? finding('no-login') : undefined;
  if (auth === 'none') return finding('login-required');
  if (!user) return finding('no-user');
  if (auth === 'basic' && !offered.includes('basic')) return finding('wants-digest');
  if (auth === 'digest' && !offered.includes('digest')) return finding('wants-basic');
  return undefined;
}

/** The configured login's failure as a finding. */
function requestFinding(err: SnomError, p: Record<string, string>, scheme: string): Finding {
  const d = err.details as { errorCode?: unknown; status?: unknown };
  if (err.code === 'E_AUTH') return finding(d.status === 403 ? 'access-refused' : 'wrong-password', { ...p, scheme });
  if (err.code === 'E_HTTP')
    return finding('http', { ...p, status: String(d.status), reason: err.message.replace(/^.*?failed: /, '') });
  const codes = typeof d.errorCode === 'string' ? [d.errorCode] : [];
  return transportFinding(codes, err.code === 'E_TIMEOUT', err.message, p);
}

const wanted = (v?: string) => (v && v.trim() && v.trim().toLowerCase() !== 'detect' ? v : undefined);

/** What the profile says the phone cannot do that the nodes would refuse. */
function profileFindings(o: DiagnoseOptions, info: PhoneInfo, p: Record<string, string>): Finding[] {
  const model = wanted(o.model) ?? info.model;
  const firmware = wanted(o.firmware) ?? info.firmware;
  const profile = resolveProfile({ model, firmware, legacyCsta: o.legacyCsta, d8xx: info.d8xx });
  const out: Finding[] = [];
  if (!profile.httpRemote)
    out.push(model ? finding('d8xx', { ...p, model }) : finding('d8xx', p, { model: 'thisPhone' }));
  else if (!hasCstaOverHttp(profile) && firmware)
    out.push(finding(profile.csta.dialect === 'gap' ? 'csta-gap' : 'no-csta', { ...p, firmware }));
  return out;
}

/** Test the connection as configured; never throws, whatever the phone does. */
export async function diagnose(o: DiagnoseOptions): Promise<Diagnosis> {
  const configured: AuthMode = o.auth ?? 'auto';
  const { origin, label, protocol } = phoneOrigin(o.host, o.port, o.protocol);
  const timeoutMs = positiveNumber(o.timeoutMs, 5000);
  const p = { phone: label, host: new URL(origin).hostname, protocol, ms: String(timeoutMs) };
  const selfSigned = protocol === 'https' && o.allowSelfSigned === true;
  const findings: Finding[] = [];
  const done = (ok: boolean, extra: Partial<Diagnosis> = {}): Diagnosis => ({ ok, configured, findings, ...extra });

  const first = await probe(origin, timeoutMs, !selfSigned);
  if ('error' in first) {
    const f = transportFinding(first.codes, first.timedOut, String((first.error as Error)?.message ?? ''), p);
    if (f.id === 'certificate' && !selfSigned) {
      // would the phone answer with its own certificate accepted? then the option is the fix
      const again = await probe(origin, timeoutMs, false);
      findings.push(finding('certificate', { ...f.params, selfSignedWorks: 'error' in again ? 'no' : 'yes' }));
    } else findings.push(f);
    return done(false);
  }
  const offered = first.offered;
  const mismatch = loginMismatch(configured, offered, o.user ?? '');
  if (mismatch) findings.push(mismatch);
  if (mismatch?.severity === 'error') return done(false, { offered });

  const client = new PhoneClient({ ...o, queueSize: 1 });
  try {
    const info = await readPhoneInfo(client, timeoutMs);
    if (!info.snom) findings.push(finding('not-snom', p));
    findings.push(...profileFindings(o, info, p));
    const known: Record<string, string> = { ...p, scheme: info.scheme ?? 'none' };
    const words: Record<string, Word> = {};
    if (info.model) known.model = info.model;
    else words.model = 'modelUnknown';
    if (info.firmware) known.firmware = info.firmware;
    else words.firmware = 'unknown';
    findings.unshift(finding('ok', known, words));
    return done(!findings.some((f) => f.severity === 'error'), { offered, phone: info });
  } catch (err) {
    const scheme = configured === 'auto' ? (offered.includes('digest') ? 'digest' : 'basic') : configured;
    if (isSnomError(err)) findings.push(requestFinding(err, p, scheme));
    else findings.push(finding('unreachable', p, { reason: 'unexpected' }));
    return done(false, { offered });
  } finally {
    await client.close();
  }
}
