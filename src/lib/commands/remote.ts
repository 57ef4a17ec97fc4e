import { buildCstaRequest } from '../csta/build';
import { cstaPlan } from '../nodes-support/csta-http';
import { inputError, unsupportedError } from '../errors';
import type { PhoneRequest } from '../http/types';
import type { Profile } from '../profile/types';
import { formatKeyEvents, requireHttpRemote } from './keys';
import { encodeQueryValue, multiPlan, singlePlan, type CommandPlan } from './plan';

/** The remote commands of the seed besides key events (reference §2.3). */
export const REMOTE_COMMANDS = [
  'releaseAllCalls', 'logoffAll', 'logoffLine', 'reregister', 'playRinger', 'reboot', 'factoryReset',
  'clearDialed', 'clearMissed', 'clearReceived', 'firmwareUpgrade', 'fixLineInfoLayer',
  'transferStart', 'transferComplete', 'fireTest',
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

function intInRange(value: unknown, min: number, max: number, what: string): number {
  const n = typeof value === 'number' ? value : Number(String(value ?? '').trim());
  if (value === undefined || value === null || value === '' || !Number.isInteger(n) || n < min || n > max) {
    throw inputError(`${what} must be a whole number from ${min} to ${max}, got "${value ?? ''}"`);
  }
  return n;
}

const NUMBER_RE = /^[0-9A-Za-z*#+._@:-]{1,128}$/;

function checkNumber(value: unknown, what: string): string {
  const s = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!s) throw inputError(`${what} is missing`);
  if (!NUMBER_RE.test(s)) throw inputError(`${what} "${s}" may only hold digits, letters, * # + . _ - @ :`);
  return s;
}

/** `command.htm?number=NUMBER[&outgoing_uri=URI]`; the phone answers 302 or closes (reference §1.5). */
export function buildDial(number: unknown, identity: unknown, profile: Profile): CommandPlan {
  requireHttpRemote(profile, 'Dialling');
  const n = checkNumber(number, 'The number to dial');
  let path = `/command.htm?number=${encodeQueryValue(n)}`;
  if (identity !== undefined && identity !== null && identity !== '') {
    const uri = checkNumber(identity, 'The outgoing identity');
    path += `&outgoing_uri=${encodeQueryValue(uri)}`;
  }
  return singlePlan({ command: 'dial', path, okStatuses: [302], closeIsSuccess: true });
}

/** In-band DTMF during a call: `command.htm?key_dtmf=DIGITS`. */
export function buildDtmf(digits: unknown, profile: Profile): CommandPlan {
  requireHttpRemote(profile, 'DTMF');
  const d = typeof digits === 'number' ? String(digits) : typeof digits === 'string' ? digits.replace(/\s+/g, '') : '';
  if (!d) throw inputError('The DTMF digits are missing');
  if (!/^[0-9*#A-Da-d]{1,64}$/.test(d)) throw inputError(`DTMF digits "${d}" may only hold 0-9 * # A-D`);
  return singlePlan({ command: 'dtmf', path: `/command.htm?key_dtmf=${encodeQueryValue(d.toUpperCase())}` });
}

function checkFirmwareUrl(value: unknown): string {
  const s = typeof value === 'string' ? value.trim() : '';
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw inputError(`The firmware URL "${s}" is not a URL`);
  }
  if (!['http:', 'https:', 'tftp:', 'ftp:'].includes(u.protocol)) throw inputError('The firmware URL must be http, https, tftp or ftp');
  return s;
}

function req(command: string, path: string): PhoneRequest {
  return { command, path };
}

/** Build one of the seed's remote commands; every argument is validated first. */
export function buildRemoteCommand(name: unknown, params: RemoteCommandParams, profile: Profile): CommandPlan {
  if (typeof name !== 'string' || !(REMOTE_COMMANDS as readonly string[]).includes(name)) {
    throw inputError(`Unknown command "${String(name)}"; one of ${REMOTE_COMMANDS.join(', ')}`);
  }
  const cmd = name as RemoteCommand;
  // the seed's proprietary CSTA FireTest: the phone fires its action_fwtest_url (firewall test)
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
      // the seed's literal form: line_login.htm?PLAY_RINGER:X=+Ringer
      return singlePlan(req(cmd, `/line_login.htm?PLAY_RINGER:${intInRange(params.ringer, 1, 9, 'The ringer')}=+Ringer`));
    case 'reboot':
      return singlePlan(req(cmd, '/advanced_update.htm?reboot=Reboot'));
    case 'factoryReset':
      if (params.confirm !== true) {
        throw inputError('Factory reset refused: tick "I really want to reset this phone to factory settings" in the node to allow it');
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
        throw unsupportedError(`Fixing the line info layer exists on the snom820/821 only, not the ${profile.model}`);
      }
      return singlePlan(req(cmd, '/command.htm?FIX_LIL=true'));
    case 'transferStart': {
      // the seed's attended transfer: hold A, one request per digit of C, ENTER calls C
      const target = checkNumber(params.target, 'The transfer target');
      if (!/^[0-9*#]+$/.test(target)) throw inputError('The transfer target must be digits (0-9, * and #) pressed on the keypad');
      const keys = ['F_HOLD', ...target.split(''), 'ENTER'];
      return multiPlan(cmd, keys.map((k) => req(cmd, `/command.htm?key=${formatKeyEvents([{ key: k }])}`)));
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
