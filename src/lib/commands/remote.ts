import { buildCstaRequest } from '../csta/build';
import { cstaPlan } from '../csta/transport';
import { inputError, quoteInput, unsupportedError } from '../errors';
import type { PhoneRequest } from '../http/types';
import type { Profile } from '../profile/types';
import { formatKeyEvents, requireHttpRemote } from './keys';
import { checkSipIdentity, normaliseDialString } from './number';
import { encodeQueryValue, multiPlan, singlePlan, type CommandPlan } from './plan';
import { digitsOrNumber } from '../util';

/** Snom's remote commands besides key events (docs/protocol.md §4). */
// prettier-ignore
export const REMOTE_COMMANDS = [
  'releaseAllCalls', 'logoffAll', 'logoffLine', 'reregister', 'playRinger', 'reboot', 'factoryReset', 'clearDialed',
  'clearMissed', 'clearReceived', 'firmwareUpgrade', 'fixLineInfoLayer', 'transferStart', 'transferComplete',
  'fireTest',
] as const;
export type RemoteCommand = (typeof REMOTE_COMMANDS)[number];

export interface RemoteCommandParams {
  /** identity 1..12 (logoffLine, reregister) */
  identity?: unknown;
  /** ringer 1..9 (playRinger) */
  ringer?: unknown;
  /** firmware URL (firmwareUpgrade) */
  url?: unknown;
  /** transfer target (transferStart) */
  target?: unknown;
  /** factory reset only with this set (the node's confirm box) */
  confirm?: boolean;
}

/** A whole number given as a number or as decimal digits (not true, [5] or 5n). */
function intInRange(value: unknown, min: number, max: number, what: string): number {
  const n = digitsOrNumber(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw inputError(`${what} must be a whole number from ${min} to ${max}, got ${quoteInput(value)}`).withText(
      'remote.range',
      { field: what, min, max, value: quoteInput(value) },
    );
  }
  return n;
}

/**
 * `command.htm?number=NUMBER[&outgoing_uri=URI]`; the phone answers 302 or closes (docs/protocol.md §4.1).
 * The number is normalised (`+49 (30) 123-45` → `+493012345`), a SIP URI kept.
 */
export function buildDial(number: unknown, identity: unknown, profile: Profile): CommandPlan {
  requireHttpRemote(profile, 'Dialling');
  const n = normaliseDialString('The number to dial', number);
  let path = `/command.htm?number=${encodeQueryValue(n)}`;
  if (identity !== undefined && identity !== null && identity !== '') {
    const uri = checkSipIdentity('The outgoing identity', identity);
    path += `&outgoing_uri=${encodeQueryValue(uri)}`;
  }
  return singlePlan({ command: 'dial', path, okStatuses: [302], closeIsSuccess: true });
}

/** In-band DTMF during a call: `command.htm?key_dtmf=DIGITS` (docs/protocol.md §4.2; A-D are our choice, §11.3 K6). */
export function buildDtmf(digits: unknown, profile: Profile): CommandPlan {
  requireHttpRemote(profile, 'DTMF');
  const d =
    typeof digits === 'number' && Number.isSafeInteger(digits) && digits >= 0
      ? String(digits)
      : typeof digits === 'string'
        ? digits.replace(/\s+/g, '')
        : undefined;
  if (d === '' || digits === undefined || digits === null)
    throw inputError('The DTMF digits are missing').withText('dtmf.missing');
  if (d === undefined || !/^[0-9*#A-Da-d]{1,64}$/.test(d))
    throw inputError(`DTMF digits ${quoteInput(digits)} may only hold 0-9 * # A-D`).withText('dtmf.chars', {
      value: quoteInput(digits),
    });
  return singlePlan({ command: 'dtmf', path: `/command.htm?key_dtmf=${encodeQueryValue(d.toUpperCase())}` });
}

const MAX_URL_LENGTH = 2048;

/**
 * The firmware URL (docs/protocol.md §4.4): the phone fetches it, so an absolute http(s) URL with
 * a host (the schemes are our choice, §11.3 K7). Spaces, line breaks and other characters a URL
 * cannot hold are refused rather than silently encoded.
 */
function checkFirmwareUrl(value: unknown): string {
  const s = typeof value === 'string' ? value.trim() : '';
  if (!s)
    throw inputError('The firmware URL is missing: give the http(s) URL of the firmware file').withText(
      'remote.urlMissing',
    );
  if (s.length > MAX_URL_LENGTH)
    throw inputError(`The firmware URL is longer than ${MAX_URL_LENGTH} characters`).withText('remote.urlTooLong', {
      max: MAX_URL_LENGTH,
    });
  if (!/^[\x21-\x7E]+$/.test(s)) {
    throw inputError(
      `The firmware URL ${quoteInput(s)} contains spaces, line breaks or other characters a URL cannot hold (encode them, e.g. %20)`,
    ).withText('remote.urlChars', { value: quoteInput(s) });
  }
  let u: URL;
  try {
    // the WHATWG parser reads "http:fw.example" as http://fw.example/; the phone may not
    if (!/^https?:\/\/[^/?#]/i.test(s)) throw new Error('not absolute');
    u = new URL(s);
  } catch {
    throw inputError(
      `The firmware URL ${quoteInput(s)} is not an absolute URL of one of the schemes http, https (e.g. http://fw.example/snomD785.bin)`,
    ).withText('remote.urlNotAbsolute', { value: quoteInput(s) });
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) {
    throw inputError(
      'The firmware URL must be an absolute URL of one of the schemes http, https (e.g. http://fw.example/snomD785.bin)',
    ).withText('remote.urlScheme');
  }
  return s;
}

function req(command: string, path: string): PhoneRequest {
  return { command, path };
}

/** Build one of Snom's remote commands (docs/protocol.md §4); every argument is validated first. */
export function buildRemoteCommand(name: unknown, params: RemoteCommandParams, profile: Profile): CommandPlan {
  if (typeof name !== 'string' || !(REMOTE_COMMANDS as readonly string[]).includes(name)) {
    throw inputError(`Unknown command ${quoteInput(name)}; one of ${REMOTE_COMMANDS.join(', ')}`).withText(
      'remote.unknown',
      { value: quoteInput(name), allowed: REMOTE_COMMANDS.join(', ') },
    );
  }
  const cmd = name as RemoteCommand;
  // Snom's proprietary CSTA FireTest: the phone fires its action_fwtest_url (docs/protocol.md §9.4, §6.4)
  if (cmd === 'fireTest') return buildFireTest(profile);
  requireHttpRemote(profile, 'Remote commands');
  switch (cmd) {
    case 'releaseAllCalls':
      return singlePlan(req(cmd, '/command.htm?RELEASE_ALL_CALLS'));
    case 'logoffAll':
      return singlePlan(req(cmd, '/command.htm?LOGOFFALL'));
    case 'logoffLine':
      return singlePlan(req(cmd, `/command.htm?LOGOFFLINE=${intInRange(params.identity, 1, 12, 'The identity')}`));
    case 'reregister':
      return singlePlan(req(cmd, `/dummy.htm?REREGISTER=${intInRange(params.identity, 1, 12, 'The identity')}`));
    case 'playRinger':
      // Snom's literal form: line_login.htm?PLAY_RINGER:X=+Ringer (docs/protocol.md §4.4)
      return singlePlan(
        req(cmd, `/line_login.htm?PLAY_RINGER:${intInRange(params.ringer, 1, 9, 'The ringer')}=+Ringer`),
      );
    case 'reboot':
      return singlePlan(req(cmd, '/advanced_update.htm?reboot=Reboot'));
    case 'factoryReset':
      if (params.confirm !== true) {
        throw inputError(
          'Factory reset refused: tick "I really want to reset this phone to factory settings" in the node to allow it',
        ).withText('remote.factoryReset');
      }
      return singlePlan(req(cmd, '/advanced_update.htm?reset=Reset'));
    case 'clearDialed':
      return singlePlan(req(cmd, '/index.htm?dialeddel=clear'));
    case 'clearMissed':
      return singlePlan(req(cmd, '/index.htm?misseddel=clear'));
    case 'clearReceived':
      return singlePlan(req(cmd, '/index.htm?receiveddel=clear'));
    case 'firmwareUpgrade':
      return singlePlan(req(cmd, `/dummy.htm?swload=load&firmware=${encodeQueryValue(checkFirmwareUrl(params.url))}`));
    case 'fixLineInfoLayer':
      if (profile.model !== 'unknown' && !/^snom82[01]$/.test(profile.model)) {
        throw unsupportedError(
          `Fixing the line info layer exists on the snom820/821 only, not the ${profile.model}`,
        ).withText('remote.lineInfo', { model: profile.model });
      }
      return singlePlan(req(cmd, '/command.htm?FIX_LIL=true'));
    case 'transferStart': {
      // Snom's attended transfer: hold A, one request per digit of C, ENTER calls C
      // (docs/protocol.md §4.5; the exact requests are inferred, §11.3 K8)
      const target = normaliseDialString('The transfer target (pressed on the keypad)', params.target, {
        uri: false,
        plus: false,
        names: 'none',
      });
      const keys = ['F_HOLD', ...target.split(''), 'ENTER'];
      return multiPlan(
        cmd,
        keys.map((k) => req(cmd, `/command.htm?key=${formatKeyEvents([{ key: k }])}`)),
      );
    }
    case 'transferComplete':
      return singlePlan(req(cmd, '/command.htm?key=TRANSFER'));
  }
}

/**
 * POST /csta with FireTest (E_UNSUPPORTED where the firmware has no CSTA over HTTP). A 500 with
 * a CSTA fault is handed back so the node can report it as E_CSTA (parseCstaResponse).
 */
function buildFireTest(profile: Profile): CommandPlan {
  return cstaPlan(buildCstaRequest('FireTest', {}, profile.csta), { command: 'fireTest', data: false });
}
