/**
 * What the editor checks, with the runtime's own code. The build bundles this module and all it
 * imports into resources/snom-rules.js (scripts/build-editor.js), which the editor loads as
 * `window.SnomRules`: a form field is refused in the editor when the node would refuse that value
 * at run time, with the node's message, and the lists the forms offer are the library's lists.
 *
 * Each check calls what the node calls with the form's value: the builder itself where the field
 * is the node's main input, else the library check the builder runs for that field. An empty
 * field is taken from the message at run time, so it is never refused here.
 */
import { parseAllowlist } from '../../lib/action-url/allowlist';
import { ACTION_EVENT_NAMES, ACTION_EVENTS } from '../../lib/action-url/events';
import { parseExtraVariables } from '../../lib/action-url/extra-variables';
import { endpointBase } from '../../lib/action-url/provision';
import { buildActionUrl, normalizePath } from '../../lib/action-url/url';
import { buildKeyCommand } from '../../lib/commands/keys';
import { buildDial, buildDtmf, buildRemoteCommand, REMOTE_COMMANDS } from '../../lib/commands/remote';
import { buildTouch } from '../../lib/commands/touch';
import { buildCstaRequest, buildRawCsta, FORWARDING_TYPES, type CstaOperation } from '../../lib/csta';
import { checkCallId, checkDestination, checkDevice, checkDigits, checkSnapshotObject } from '../../lib/csta/params';
import { buildMonitorStart, keepAliveMsFrom } from '../../lib/csta/monitor';
import { SnomError } from '../../lib/errors';
import { Fleet } from '../../lib/fleet';
import { phoneOrigin } from '../../lib/http/origin';
import { validateMinibrowserXml } from '../../lib/minibrowser';
import { FIRMWARE_LINES, KNOWN_MODELS, resolveProfile, type CstaCaps, type Profile } from '../../lib/profile';
import { CSTA_TRANSPORT_CHOICES, cstaTransport, uaCstaCaps } from '../../lib/profile/csta-route';
import { buildSipNotify, buttonKeyList, SIP_NOTIFY_KINDS } from '../../lib/sip/notify';
import { planSettingsGet, planSettingsSet, settingNames, settingValues } from '../../lib/settings/plan';
import { nonNegative, positiveInt } from '../../lib/util';
import {
  CSTA_NODE_OPERATIONS,
  DESTINATION_PARAM,
  DEVICE_OPERATIONS,
  type CstaNodeOperation,
} from '../shared/csta-params';
import { documentUrl } from '../shared/document-server';
import { sayText, type Say } from '../shared/say-text';
import { sipSettings } from '../shared/sip-settings';

/** The fields that may come from msg / flow / global / env, with their sources (the editor's typedInputs). */
export { TYPED_FIELDS, typedFields } from '../shared/typed-props';

/** The form's other fields (while the dialog is open) or the node's saved ones. */
export type Form = Record<string, unknown>;

/** The snom-phone config a node uses: its model and firmware decide what the runtime accepts. */
export interface PhoneSettings {
  model?: unknown;
  firmware?: unknown;
  legacyCsta?: unknown;
}

/**
 * Throws the runtime's SnomError when the value is refused; returns false for a refusal that has
 * no runtime message (the runtime falls back to a default there), which the editor words itself.
 */
type Check = (value: string, form: Form, profile: Profile) => void | false;

const FROM_MSG = 'msg';

/** Which commands read which field of snom-command (the editor shows a field only for them). */
export const COMMAND_FIELDS: Readonly<Record<string, readonly string[]>> = {
  identity: ['logoffLine', 'reregister'],
  ringer: ['playRinger'],
  url: ['firmwareUpgrade'],
  transferTarget: ['transferStart'],
  confirmReset: ['factoryReset'],
};

// prettier-ignore
const CALL_OPS: readonly CstaNodeOperation[] = [
  'AnswerCall', 'ClearConnection', 'ClearCall', 'HoldCall', 'RetrieveCall', 'ConsultationCall',
  'SingleStepTransferCall', 'DeflectCall', 'GenerateDigits',
];
const TWO_CALL_OPS: readonly CstaNodeOperation[] = ['TransferCall', 'ConferenceCall'];

/** Which operations read which field of snom-csta ("raw" reads only the XML). */
export const CSTA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  callId: CALL_OPS,
  heldCallId: TWO_CALL_OPS,
  activeCallId: TWO_CALL_OPS,
  device: CSTA_NODE_OPERATIONS.filter((o) => o !== 'RequestSystemStatus'),
  destination: Object.keys(DESTINATION_PARAM),
  autoOriginate: ['MakeCall'],
  digits: ['GenerateDigits'],
  dnd: ['SetDoNotDisturb'],
  forwardingType: ['SetForwarding'],
  forward: ['SetForwarding'],
  xml: ['raw'],
};

/** The lists the forms offer, from the library. */
export const LISTS = {
  models: KNOWN_MODELS,
  firmwareLines: FIRMWARE_LINES,
  remoteCommands: REMOTE_COMMANDS,
  cstaOperations: CSTA_NODE_OPERATIONS,
  forwardingTypes: FORWARDING_TYPES,
  actionEvents: ACTION_EVENT_NAMES,
  sipNotifyKinds: SIP_NOTIFY_KINDS,
};

/** Which kinds of snom-sip-notify read which field (the editor shows a field only for them). */
export const SIP_NOTIFY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  document: ['minibrowser'],
  event: ['minibrowser'],
  buttons: ['buttons'],
  reboot: ['check-sync'],
};

/** What the node takes from its drop-downs ('' and "msg": the message decides). */
const CHOICES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'snom-dial': { mode: ['', 'dial', 'dtmf'] },
  'snom-command': { command: ['', ...REMOTE_COMMANDS, FROM_MSG] },
  'snom-csta': {
    operation: ['', ...CSTA_NODE_OPERATIONS, 'raw', FROM_MSG],
    autoOriginate: ['', 'doNotPrompt', 'prompt'],
    dnd: ['', 'on', 'off'],
    forward: ['', 'on', 'off'],
    forwardingType: ['', ...FORWARDING_TYPES],
    transport: ['', ...CSTA_TRANSPORT_CHOICES],
  },
  'snom-settings': { action: ['', 'get', 'set', FROM_MSG] },
  'snom-xml-push': { transport: ['', 'auto', 'csta', 'minibrowser'] },
  'snom-phone': { sipTransport: ['', 'udp', 'tcp'] },
  'snom-sip-notify': { kind: ['', ...SIP_NOTIFY_KINDS, FROM_MSG], event: ['', 'xml'] },
};

/** The dialect the chosen CSTA transport writes (uaCSTA: lib/profile uaCstaCaps); the runtime's refusals stay its own. */
function cstaCapsFor(form: Form, p: Profile): CstaCaps {
  try {
    return cstaTransport(p, form.transport, 'CSTA') === 'sip' ? uaCstaCaps(p) : p.csta;
  } catch {
    return p.csta;
  }
}

/** The operations the form lets run: the chosen one, or every one that reads `field` when the message chooses. */
function cstaOps(form: Form, field: string): string[] {
  const op = form.operation;
  return op === undefined || op === '' || op === FROM_MSG ? [...CSTA_FIELDS[field]] : [String(op)];
}

/** Valid when some operation that may run with it accepts the value; else the first refusal. */
function someCstaOp(field: string, check: (op: CstaOperation, v: string, p: Profile) => void): Check {
  return (v, form, p) => {
    let first: unknown;
    for (const op of cstaOps(form, field)) {
      if (!CSTA_FIELDS[field].includes(op)) continue; // the field is not read by this operation
      try {
        return check(op as CstaOperation, v, p);
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== undefined) throw first;
  };
}

function callIdCheck(field: string): Check {
  return someCstaOp(field, (_op, v) => void checkCallId(field, v));
}

/** The device field feeds callingDevice (MakeCall), snapshotObject (SnapshotDevice) or deviceId. */
function checkCstaDevice(op: CstaOperation, v: string, p: Profile): void {
  const idx = p.csta.identityIndex;
  if (op === 'MakeCall') checkDevice('callingDevice', v, idx);
  else if (op === 'SnapshotDevice') checkSnapshotObject('snapshotObject', v, idx);
  // legacy ConnectionIDs carry no device: a call operation there never reads it
  else if (DEVICE_OPERATIONS.includes(op as CstaNodeOperation) || p.csta.dialect !== 'legacy')
    checkDevice('deviceId', v, idx);
}

const CHECKS: Readonly<Record<string, Readonly<Record<string, Check>>>> = {
  'snom-key': {
    keys: (v, _f, p) => void buildKeyCommand(v, p),
  },
  'snom-touch': {
    touch: (v, _f, p) => void buildTouch(v, p),
  },
  'snom-dial': {
    number: (v, f, p) => {
      if (f.mode === 'dtmf') return void buildDtmf(v, p);
      if (f.mode === 'dial') return void buildDial(v, undefined, p);
      // the message chooses the mode: fine if one of them takes it
      try {
        buildDtmf(v, p);
      } catch {
        buildDial(v, undefined, p);
      }
    },
    // "0" always passes, so only the identity can fail; DTMF goes into the running call and has none
    identity: (v, f, p) => (f.mode === 'dtmf' ? undefined : void buildDial('0', v, p)),
  },
  'snom-command': {
    command: (v, f, p) => {
      const reads = Object.keys(COMMAND_FIELDS).filter((k) => k !== 'confirmReset' && COMMAND_FIELDS[k].includes(v));
      // a command with a parameter is checked through that field; the others as the node sends them
      if (v !== FROM_MSG && reads.length === 0) buildRemoteCommand(v, { confirm: f.confirmReset === true }, p);
    },
    identity: (v, _f, p) => void buildRemoteCommand('logoffLine', { identity: v }, p),
    ringer: (v, _f, p) => void buildRemoteCommand('playRinger', { ringer: v }, p),
    url: (v, _f, p) => void buildRemoteCommand('firmwareUpgrade', { url: v }, p),
    transferTarget: (v, _f, p) => void buildRemoteCommand('transferStart', { target: v }, p),
  },
  'snom-csta': {
    operation: (v, _f, p) => {
      if (v === FROM_MSG || v === 'raw') return;
      try {
        buildCstaRequest(v as CstaOperation, {}, cstaCapsFor(_f, p));
      } catch (err) {
        // only the firmware's refusal: the parameters come from the other fields or the message
        if (err instanceof SnomError && err.code === 'E_UNSUPPORTED') throw err;
      }
    },
    callId: callIdCheck('callId'),
    heldCallId: callIdCheck('heldCallId'),
    activeCallId: callIdCheck('activeCallId'),
    device: someCstaOp('device', checkCstaDevice),
    destination: someCstaOp(
      'destination',
      (op, v) => void checkDestination(DESTINATION_PARAM[op as CstaNodeOperation] as string, v),
    ),
    digits: someCstaOp('digits', (_op, v) => void checkDigits('digits', v)),
    xml: (v, f) => (cstaOps(f, 'xml').includes('raw') ? void buildRawCsta(v) : undefined),
  },
  'snom-settings': {
    names: (v, f, p) => (f.action === 'set' ? undefined : void planSettingsGet(settingNames(v), p)),
    setName: (v, f, p) =>
      f.action === 'get' ? undefined : void planSettingsSet(settingValues({ [v.trim()]: f.setValue ?? '' }), p),
  },
  'snom-csta-events': {
    device: (v, _f, p) => void buildMonitorStart(v.trim(), uaCstaCaps(p)),
    keepAlive: (v) => void keepAliveMsFrom(v),
  },
  'snom-xml-push': {
    document: (v) => void validateMinibrowserXml(v.trim()),
  },
  'snom-phone': {
    host: (v, f) => void phoneOrigin(v, undefined, f.protocol === 'https' ? 'https' : 'http'),
    port: (v, f) => {
      const host = String(f.host ?? '');
      phoneOrigin(/^[\w.-]+$/.test(host) ? host : 'localhost', Number(v));
    },
    // the runtime falls back to its default for these, so there is no message of its own
    timeout: (v) => (Number.isNaN(positiveInt(v, NaN)) ? false : undefined),
    queueSize: (v) => (Number.isNaN(positiveInt(v, NaN)) ? false : undefined),
    phonesAtOnce: (v) => (Number.isNaN(positiveInt(v, NaN)) ? false : undefined),
    maxTargets: (v) => (Number.isNaN(positiveInt(v, NaN)) ? false : undefined),
    baseUrl: (v) => void documentUrl(v, '/', 'x'.repeat(32)),
    fleet: (v) => {
      const error = Fleet.parse(v).error;
      if (error) throw error;
    },
    // the SIP fields, one at a time, through the runtime's own reading of them
    ...sipChecks('sipHost sipPort sipUser sipAuthUser sipLocalAddress sipLocalPort sipAdvertisedAddress'.split(' ')),
  },
  'snom-sip-notify': {
    document: (v) => void buildSipNotify('minibrowser', { document: v }),
    buttons: (v) => void buildSipNotify('buttons', { lamps: v }),
    keys: (v) => void buttonKeyList(v),
  },
  'snom-action-url-in': {
    path: (v) => void normalizePath(v),
    allowlist: (v) => void parseAllowlist(v),
    variables: (v) => void parseExtraVariables(v),
    // the runtime holds events for the default when these are no number ≥ 0
    holdMs: (v) => (notCount(v) ? false : undefined),
    holdCount: (v) => (notCount(v) ? false : undefined),
  },
};

/** Each SIP field checked as the phone config reads it, the others left empty (a host is given). */
function sipChecks(fields: string[]): Record<string, Check> {
  return Object.fromEntries(fields.map((f) => [f, (v: string) => void sipSettings({ host: 'localhost', [f]: v })]));
}

function notCount(v: string): boolean {
  return !Number.isFinite(nonNegative(v, NaN));
}

/** One line of the editor's preview: the phone setting provisioning writes and the URL in it. */
export interface ActionUrlLine {
  event: string;
  setting: string;
  url: string;
}

/**
 * The URLs a phone calls, one per chosen event, as provisioning writes them (the library's
 * buildActionUrl): for the editor's preview. `baseUrl` is where the phone reaches Node-RED with
 * httpNodeRoot; `token` may be a placeholder. What cannot be built yet (a bad path or base)
 * leaves the preview as it was (undefined); bad extra variables are left out (their field says why).
 */
export function actionUrlsPreview(
  baseUrl: string,
  path: string,
  token: string,
  variables: string,
  events: readonly string[],
): ActionUrlLine[] | undefined {
  let extra: ReturnType<typeof parseExtraVariables> = [];
  try {
    extra = parseExtraVariables(variables);
  } catch {
    // the field shows its own reason; the preview goes on without the extras
  }
  try {
    return ACTION_EVENTS.filter((e) => events.includes(e.name)).map((e) => ({
      event: e.name,
      setting: e.setting,
      url: buildActionUrl({ baseUrl, path: path || '/snom/events', token, event: e.name, extraVariables: extra }),
    }));
  } catch {
    return undefined;
  }
}

/** The URL a phone calls for an incoming call (the first line of the preview). */
export function actionUrlPreview(baseUrl: string, path: string, token: string, variables: string): string | undefined {
  return actionUrlsPreview(baseUrl, path, token, variables, ['incoming'])?.[0]?.url;
}

/** Where a phone with this base URL reaches the node: the base with Node-RED's httpNodeRoot. */
export function endpointPreview(baseUrl: string, httpNodeRoot: string): string | undefined {
  try {
    return endpointBase(baseUrl, httpNodeRoot || '/');
  } catch {
    return undefined;
  }
}

/** The fields of `type` that the runtime checks (the editor attaches a validator to each). */
export function checkedFields(type: string): string[] {
  return [...new Set([...Object.keys(CHECKS[type] ?? {}), ...Object.keys(CHOICES[type] ?? {})])];
}

/** The profile the runtime uses for this phone config when it need not ask the phone. */
export function profileOf(phone: PhoneSettings | undefined): Profile {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return resolveProfile({
    model: text(phone?.model),
    firmware: text(phone?.firmware),
    legacyCsta: phone?.legacyCsta === true,
  });
}

export type { Say };

/**
 * true when the runtime takes `value` for `field` of a `type` node; else the runtime's message,
 * or false where the runtime has none. `say`: the runtime's catalog in the editor's language (the
 * editor's RED._ on the snom-phone set's "runtime" part); without it, or where it lacks the text,
 * the message is the library's English one.
 */
export function checkField(
  type: string,
  field: string,
  value: unknown,
  form: Form = {},
  phone?: PhoneSettings,
  say?: Say,
): true | false | string {
  const choices =
    Object.hasOwn(CHOICES, type) && Object.hasOwn(CHOICES[type], field) ? CHOICES[type][field] : undefined;
  if (choices && !choices.includes(String(value ?? ''))) return false;
  const check = Object.hasOwn(CHECKS, type) && Object.hasOwn(CHECKS[type], field) ? CHECKS[type][field] : undefined;
  if (!check || value === undefined || value === null || value === '') return true;
  try {
    return check(String(value), form, profileOf(phone)) === false ? false : true;
  } catch (err) {
    return err instanceof SnomError ? spoken(err, say) : String((err as Error)?.message ?? err);
  }
}

/** The error's message in the catalog's words, as the runtime's `localise` says it; else as thrown. */
function spoken(err: SnomError, say: Say | undefined): string {
  if (!say || !err.text) return err.message;
  const key = `errors.${err.text.key}`;
  try {
    const said = sayText(say, err.text);
    return typeof said === 'string' && said !== '' && said !== key ? said : err.message;
  } catch {
    return err.message; // an editor whose i18n fails still shows why
  }
}
