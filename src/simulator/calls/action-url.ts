// Action URLs as the phone sends them (docs/protocol.md §6.1, §6.5): an HTTP(S) GET with $variables
// filled in, fire and forget, no retry, 5 s timeout (our choices, §11.6), a phone User-Agent.
import * as http from 'node:http';
import * as https from 'node:https';
import type { SimPhone } from '../phone';
import { userAgent } from '../pages/minibrowser';
import type { SimActionUrlFiring } from './types';

export const ACTION_URL_TIMEOUT_MS = 5000;
/** enough for a minibrowser document in the answer */
const MAX_ANSWER = 256 * 1024;

/** Runtime variables of one event; missing ones fall back to settings, then stay literal. */
export type ActionVars = Record<string, string>;

/** Headers $sip_header cannot name (docs/protocol.md §6.2). */
const NOT_REPORTED = new Set([
  'via',
  'to',
  'from',
  'call-id',
  'expires',
  'route',
  'record-route',
  'contact',
  'content-type',
  'cseq',
  'content-length',
  'max-forwards',
]);

/** `sip_header(name)` variables of a call's first INVITE; header names match in any case. */
export function sipHeaderVars(call?: { sipHeaders?: Record<string, string> }): ActionVars {
  const out: ActionVars = {};
  for (const [name, value] of Object.entries(call?.sipHeaders ?? {})) {
    if (!NOT_REPORTED.has(name.toLowerCase())) out[`sip_header(${name.toLowerCase()})`] = value;
  }
  return out;
}

/**
 * Replaces $name with its value, percent-encoded (our choice, docs/protocol.md §11.6). The longest
 * known name wins, so `$mac.xml` and `$user_name1` both work. In the path a variable is ended by
 * `&`, which is dropped (§6.1).
 */
export function substitute(template: string, vars: ActionVars, settings: Map<string, string>): string {
  const names = [...new Set([...Object.keys(vars), ...settings.keys()])].sort((a, b) => b.length - a.length);
  const valueOf = (name: string): string => {
    if (/^sip_header\(/i.test(name)) return vars[name.toLowerCase()] ?? '';
    if (name in vars) return vars[name];
    // Private settings such as passwords become empty strings (docs/protocol.md §6.1).
    return /pass/i.test(name) ? '' : (settings.get(name) ?? '');
  };
  const queryAt = template.search(/[?#]/);
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const rest = template.slice(i + 1);
    // $sip_header(Name): header names are case-insensitive; a header the INVITE lacked stays literal
    const header = /^sip_header\(([^)]*)\)/i.exec(rest);
    const name = header
      ? Object.hasOwn(vars, `sip_header(${header[1].toLowerCase()})`)
        ? header[0]
        : undefined
      : names.find((n) => rest.startsWith(n));
    if (!name) {
      out += ch;
      i++;
      continue;
    }
    out += encodeURIComponent(valueOf(name));
    i += 1 + name.length;
    const inPath = queryAt < 0 || i <= queryAt;
    if (inPath && template[i] === '&') i++;
  }
  return out;
}

/**
 * Fires the URL in `setting` (when set) and records it in ext.actionUrls. Resolves when the
 * GET is done (callers do not wait: the phone does not either). An XML answer becomes the screen.
 */
export function fireActionUrl(
  phone: SimPhone,
  record: (f: SimActionUrlFiring) => void,
  onDocument: (doc: string) => void,
  event: string,
  setting: string,
  vars: ActionVars,
  /** the URL template when it is not the setting's whole value (a `url …` function key) */
  template: string = phone.settings.get(setting) ?? '',
): Promise<void> {
  template = template.trim();
  if (template === '') return Promise.resolve();
  const url = substitute(template, vars, phone.settings);
  const firing: SimActionUrlFiring = { event, setting, url, at: Date.now() };
  record(firing);
  let u: URL;
  try {
    u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not an http or https URL');
  } catch (err) {
    firing.error = `cannot send ${url}: ${err instanceof Error ? err.message : String(err)}`;
    phone.log('action-url', { ...firing });
    return Promise.resolve();
  }
  phone.log('action-url', { event, setting, url });
  return new Promise((resolve) => {
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      off();
      phone.log('action-url-done', { event, setting, url, status: firing.status, error: firing.error });
      resolve();
    };
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(
      u,
      {
        headers: { 'User-Agent': userAgent(phone), Accept: '*/*', Connection: 'close' },
        // phones do not check the certificate of the server they report to
        rejectUnauthorized: false,
        timeout: ACTION_URL_TIMEOUT_MS,
      },
      (res) => {
        firing.status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_ANSWER) chunks.push(c);
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          // docs/protocol.md §6.1: a minibrowser document in the answer is shown; an empty 200 shows nothing.
          if (firing.status === 200 && /<SnomIPPhone\w*/.test(body)) onDocument(body);
          done();
        });
        res.on('error', (err) => {
          firing.error = err.message;
          done();
        });
      },
    );
    const off = phone.onStop(() => req.destroy(new Error('phone stopped')));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ACTION_URL_TIMEOUT_MS} ms`)));
    req.on('error', (err) => {
      if (firing.error === undefined) firing.error = err.message;
      done();
    });
  });
}
