// The catalog keys of the call-side errors (CSTA, minibrowser documents and pushes, settings, dial
// and DTMF, remote commands, HTTP transport and auth): each rendered from both catalogs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { buildDtmf, buildRemoteCommand } from '../../src/lib/commands/remote';
import { buildCstaRequest, buildRawCsta } from '../../src/lib/csta/build';
import { buildMonitorStop, keepAliveMsFrom } from '../../src/lib/csta/monitor';
import { parseCstaResponse } from '../../src/lib/csta/parse';
import { cstaSipPlan } from '../../src/lib/csta/sip-plan';
import { writeXml } from '../../src/lib/csta/xml';
import type { CstaOperation, CstaParams } from '../../src/lib/csta/types';
import { SnomError } from '../../src/lib/errors';
import { PhoneClient } from '../../src/lib/http/client';
import {
  authError,
  busyError,
  downgradeError,
  transportError,
  REASONS,
  type Reason,
  type ErrorContext,
} from '../../src/lib/http/errors';
import { phoneOrigin } from '../../src/lib/http/origin';
import { buildMinibrowserXml } from '../../src/lib/minibrowser/build';
import { minibrowserPushPath } from '../../src/lib/minibrowser/push';
import { checkSecret, sealDocument } from '../../src/lib/minibrowser/sealed';
import { validateMinibrowserXml } from '../../src/lib/minibrowser/validate';
import type { MinibrowserObject } from '../../src/lib/minibrowser/types';
import { SnomPhone } from '../../src/lib/phone';
import { resolveProfile } from '../../src/lib/profile';
import type { CstaCaps } from '../../src/lib/profile/types';
import { planSettingsSet, settingNames, settingValues } from '../../src/lib/settings/plan';
import { buildWebSettingsWrite, encodeSettingValue, parseSettingsXml } from '../../src/lib/settings/web';
import { cstaOperationFrom, cstaParamsFrom, rawXmlFrom } from '../../src/nodes/shared/csta-params';
import { rejection } from '../support/assert-error';
import { localise, translator, type Translate } from '../../src/nodes/shared/i18n';
import { flatten, render, runtimePart } from '../support/catalog';
import { fromNodeRed } from '../support/red';
import { useRuntimeLanguage } from '../support/runtime-language';

const d785 = resolveProfile({ model: 'D785', firmware: '10.1.33.33' });
const d865 = resolveProfile({ model: 'D865', firmware: '10.1.33.33' });
const none = resolveProfile({ model: 'snom870', firmware: '7.3.2' });
const caps = d785.csta;
const v873: CstaCaps = { dialect: 'current', identityIndex: false, extendedOps: false };
const ctx: ErrorContext = { phone: 'desk (10.0.0.5:80)', command: 'key' };
const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
const reply = { phone: 'desk', command: 'csta MakeCall' };
const csta = (op: string, params: CstaParams, c: CstaCaps = caps) =>
  thrown(() => buildCstaRequest(op as CstaOperation, params, c));
const make = (p: CstaParams) => csta('MakeCall', { calledDirectoryNumber: '1', ...p });
const doc = (o: unknown) => thrown(() => buildMinibrowserXml(o as MinibrowserObject));
// the snom-csta node's form: fields left empty
const form = {} as Parameters<typeof cstaOperationFrom>[0];
const text = (o: Record<string, unknown>) => doc({ type: 'text', text: 'x', ...o });

/** The SnomError `f` throws (as a rejection, so that sync and async samples read alike). */
const thrown = (f: () => unknown): Promise<SnomError> => rejection(Promise.resolve().then(f));

/** The call-side errors a user meets, by the key their message has in the catalogs. */
// prettier-ignore
const SAMPLES: Array<[string, () => SnomError | Promise<SnomError>]> = [
  ['http.connectionFailed', () => transportError(ctx, new Error(''))],
  ['http.transport', () => transportError(ctx, new Error('other side went away'))],
  ['http.invalidRequest', () => transportError(ctx, coded('UND_ERR_INVALID_ARG', 'invalid header'))],
  ['http.queueFull', () => busyError(ctx, 5)],
  ['http.downgrade', () => downgradeError(ctx, 'desk (10.0.0.5:80)')],
  ['http.authMode', () => thrown(() => new PhoneClient({ host: '127.0.0.1', auth: 'kerberos' as 'none' }))],
  ['http.closed', () => transportError(ctx, coded('UND_ERR_DESTROYED'))],
  ['http.notAHost', () => thrown(() => phoneOrigin('a phone'))],
  ['http.badPort', () => thrown(() => phoneOrigin('desk:http'))],
  ['http.portRange', () => thrown(() => phoneOrigin('desk', 70000))],
  ...(Object.entries(REASONS) as Array<[Reason, string]>)
    .filter(([, what]) => what.includes('HTTP 40') || what.includes('auth'))
    .map(([key]): [string, () => SnomError] => [`http.${key}`, () => authError(ctx, key, 401)]),
  ['csta.callIdMissing', () => csta('AnswerCall', {})],
  ['csta.callIdWhole', () => csta('AnswerCall', { callId: 1.5 })],
  ['csta.callIdType', () => csta('AnswerCall', { callId: [1] as unknown as string })],
  ['csta.callIdDigits', () => csta('AnswerCall', { callId: 'abc' })],
  ['csta.missing', () => make({ callingDevice: null as unknown as string })],
  ['csta.notString', () => make({ callingDevice: {} as unknown as string })],
  ['csta.empty', () => make({ callingDevice: '  ' })],
  ['csta.tooLong', () => make({ callingDevice: `${'a'.repeat(300)}@pbx` })],
  ['csta.badChars', () => make({ callingDevice: 'a b@pbx' })],
  ['csta.indexRange', () => make({ callingDevice: 13 })],
  ['csta.indexFirmware', () => csta('MakeCall', { callingDevice: 2, calledDirectoryNumber: '1' }, v873)],
  ['csta.noAddress', () => make({ callingDevice: 'sip:' })],
  ['csta.notDevice', () => csta('MakeCall', { callingDevice: 'nobody', calledDirectoryNumber: '1' }, v873)],
  ['csta.notDeviceOrIndex', () => make({ callingDevice: 'nobody' })],
  ['csta.digitsMissing', () => csta('GenerateDigits', { callId: 1 })],
  ['csta.digitsTooLong', () => csta('GenerateDigits', { callId: 1, digits: '1'.repeat(65) })],
  ['csta.digitsChars', () => csta('GenerateDigits', { callId: 1, digits: '12x' })],
  ['csta.boolean', () => csta('SetDoNotDisturb', { deviceId: 'a@b', doNotDisturbOn: 'yes' as unknown as boolean })],
  ['csta.oneOf', () => make({ callingDevice: 'a@b', autoOriginate: 'never' as 'prompt' })],
  ['csta.callingMissing', () => make({})],
  ['csta.snapshotMissing', () => csta('SnapshotDevice', {})],
  ['csta.settingsShape', () => csta('SetSettings', { settings: [] as unknown as Record<string, string> })],
  ['csta.settingsEmpty', () => csta('SetSettings', { settings: {} })],
  ['csta.settingNotCsta', () => csta('SetSettings', { settings: { language: 'Deutsch' } })],
  ['settings.readOnly', () => csta('SetSettings', { settings: { mac: 'x' } })],
  ['settings.notString', () => csta('SetSettings', { settings: { user_name1: 1 as unknown as string } })],
  ['csta.settingChars', () => csta('SetSettings', { settings: { user_name1: 'a\nb' } })],
  ['csta.unknownOperation', () => csta('DialNow', {})],
  ['csta.rawEmpty', () => thrown(() => buildRawCsta(' '))],
  ['csta.rawRoots', () => thrown(() => buildRawCsta('<a/><b/>'))],
  ['csta.rawOutside', () => thrown(() => buildRawCsta('<a/>text'))],
  ['xml.lone', () => thrown(() => buildRawCsta('<a>\uD800</a>'))],
  ['xml.illegal', () => thrown(() => buildRawCsta('<a>\u0001</a>'))],
  ['xml.doctype', () => thrown(() => buildRawCsta('<!DOCTYPE a><a/>'))],
  ['xml.notWellFormed', () => thrown(() => buildRawCsta('<a><b></a>'))],
  ['xml.notCarried', () => thrown(() => writeXml({ name: 'Text', text: '\u0002' }))],
  ['csta.replyEmpty', () => thrown(() => parseCstaResponse(500, '', reply))],
  ['csta.replyNotCsta', () => thrown(() => parseCstaResponse(200, 'no xml here', reply))],
  ['csta.replyEmptySoap', () => thrown(() => parseCstaResponse(200, '<Envelope><Body></Body></Envelope>', reply))],
  ['csta.replyNoFault', () => thrown(() => parseCstaResponse(500, '<MakeCallResponse/>', reply))],
  ['csta.sipTimeout', () => rejection(cstaSipPlan(buildCstaRequest('AnswerCall', { callId: 1 }, caps), () => new Promise(() => {})).execute!(new SnomPhone({ host: '127.0.0.1', port: 9 }), { timeoutMs: 1 }))],
  ['csta.monitorStop', () => thrown(() => buildMonitorStop('1', v873))],
  ['csta.crossRef', () => thrown(() => buildMonitorStop('a b', caps))],
  ['csta.keepAlive', () => thrown(() => keepAliveMsFrom('0'))],
  ['xml.docEmpty', () => thrown(() => validateMinibrowserXml(''))],
  ['xml.roots', () => thrown(() => validateMinibrowserXml('<SnomIPPhoneText/><SnomIPPhoneText/>'))],
  ['xml.outside', () => thrown(() => validateMinibrowserXml('<SnomIPPhoneText/>x'))],
  ['xml.notObject', () => thrown(() => validateMinibrowserXml('<html/>'))],
  ['xml.urlMissing', () => thrown(() => minibrowserPushPath('', true))],
  ['xml.notUrl', () => thrown(() => minibrowserPushPath('not a url', true))],
  ['xml.urlScheme', () => thrown(() => minibrowserPushPath('ftp://x/doc', true))],
  ['xml.urlChars', () => thrown(() => minibrowserPushPath('http://x/a b', true))],
  ['xml.oldHttps', () => thrown(() => minibrowserPushPath('https://x/doc', false))],
  ['xml.oldQuery', () => thrown(() => minibrowserPushPath('http://x/doc?a=1&b=2', false))],
  ['xml.secret', () => thrown(() => checkSecret('short'))],
  ['xml.tooLarge', () => thrown(() => sealDocument(randomBytes(8000).toString('base64'), 'k'.repeat(32), Date.now() + 60000))],
  ['xml.missing', () => doc({ type: 'text' })],
  ['xml.notString', () => text({ text: 5 })],
  ['xml.empty', () => doc({ type: 'menu', items: [] })],
  ['xml.controlChars', () => text({ text: 'a\u0001' })],
  ['xml.lineBreaks', () => text({ title: 'a\nb' })],
  ['xml.loneIn', () => text({ text: '\uDC00' })],
  ['xml.range', () => text({ timeout: 0 })],
  ['xml.notArray', () => text({ leds: 'all' })],
  ['xml.notObj', () => text({ leds: [7] })],
  ['xml.color', () => text({ leds: [{ number: 1, color: 'blue', state: 'On' }] })],
  ['xml.state', () => text({ leds: [{ number: 1, state: 'Dim' }] })],
  ['xml.keyName', () => text({ softkeys: [{ name: 'F 1' }] })],
  ['xml.timeoutAndFetch', () => text({ timeout: 5, fetch: { url: 'http://x' } })],
  ['xml.flags', () => doc({ type: 'input', url: 'http://x', items: [{ displayName: 'a', flags: 'z' }] })],
  ['xml.base64', () => doc({ type: 'image', data: '***' })],
  ['xml.silentFetch', () => doc({ type: 'silent' })],
  ['xml.type', () => doc({ type: 'video' })],
  ['xml.docShape', () => doc('text')],
  ['settings.noNames', () => thrown(() => settingNames(''))],
  ['settings.tooMany', () => thrown(() => settingNames(Array.from({ length: 501 }, (_, i) => `s${i}`)))],
  ['settings.valueType', () => thrown(() => settingValues({ user_name1: null }))],
  ['settings.valueLone', () => thrown(() => settingValues({ user_name1: '\uD800' }))],
  ['settings.nothing', () => thrown(() => settingValues({}))],
  ['settings.hiddenNoCsta', () => thrown(() => planSettingsSet({ action_fwtest_url: 'http://x' }, none))],
  ['settings.unpaired', () => thrown(() => encodeSettingValue('\uD800'))],
  ['settings.shape', () => thrown(() => buildWebSettingsWrite(null as unknown as Record<string, string>))],
  ['settings.none', () => thrown(() => buildWebSettingsWrite({}))],
  ['settings.hidden', () => thrown(() => buildWebSettingsWrite({ action_fwtest_url: 'http://x' }))],
  ['settings.controlChars', () => thrown(() => buildWebSettingsWrite({ user_name1: 'a\tb' }))],
  ['settings.notXml', () => thrown(() => parseSettingsXml('not xml'))],
  ['settings.notDocument', () => thrown(() => parseSettingsXml('<html><body>login</body></html>'))],
  ['dtmf.missing', () => thrown(() => buildDtmf('', d785))],
  ['dtmf.chars', () => thrown(() => buildDtmf('12x', d785))],
  ['remote.range', () => thrown(() => buildRemoteCommand('logoffLine', { identity: 13 }, d785))],
  ['remote.urlMissing', () => thrown(() => buildRemoteCommand('firmwareUpgrade', {}, d785))],
  ['remote.urlTooLong', () => thrown(() => buildRemoteCommand('firmwareUpgrade', { url: `http://x/${'a'.repeat(2100)}` }, d785))],
  ['remote.urlChars', () => thrown(() => buildRemoteCommand('firmwareUpgrade', { url: 'http://x/a b.bin' }, d785))],
  ['remote.urlNotAbsolute', () => thrown(() => buildRemoteCommand('firmwareUpgrade', { url: 'fw.bin' }, d785))],
  ['remote.unknown', () => thrown(() => buildRemoteCommand('selfDestruct', {}, d785))],
  ['remote.factoryReset', () => thrown(() => buildRemoteCommand('factoryReset', {}, d785))],
  ['remote.lineInfo', () => thrown(() => buildRemoteCommand('fixLineInfoLayer', {}, d785))],
  ['csta.onOffValue', () => thrown(() => cstaParamsFrom('SetDoNotDisturb', form, { payload: { doNotDisturbOn: 1 } }))],
  ['csta.onOff', () => thrown(() => cstaParamsFrom('SetDoNotDisturb', form, { payload: { doNotDisturbOn: 'maybe' } }))],
  ['csta.noOperation', () => thrown(() => cstaOperationFrom(form, { payload: 'x' }))],
  ['csta.notNodeOperation', () => thrown(() => cstaOperationFrom(form, { operation: 'XmlPush' }))],
  ['csta.rawNeedsXml', () => thrown(() => rawXmlFrom(form, { payload: 5 }))],
  ['csta.digitsNumber', () => thrown(() => cstaParamsFrom('GenerateDigits', form, { payload: { digits: -1 } }))],
];

describe('lib: call-side errors carry their catalog key, said in both catalogs (runtime.errors)', () => {
  const en = flatten(runtimePart('en-US'));
  const de = flatten(runtimePart('de'));
  // German as a node says it: localise with the runtime's own i18n (@node-red/util) set to de
  let restore: () => Promise<void>;
  let t: Translate;
  before(async () => {
    restore = await useRuntimeLanguage('de');
    t = translator({ _: require(fromNodeRed('@node-red/util')).i18n._ });
  });
  after(() => restore());

  for (const [key, make] of SAMPLES) {
    it(`${key}: en-US renders the message as thrown; localised in de it differs, code and details kept`, async () => {
      const err = await make();
      assert.equal(err.text?.key, key, `${err.code} ${err.message}: its text key`);
      const english = en.get(`errors.${key}`);
      assert.ok(english !== undefined && de.has(`errors.${key}`), `errors.${key} in both catalogs`);
      assert.equal(render(english, err.text.params), err.message);
      const german = localise(t, err) as SnomError;
      assert.notEqual(german.message, err.message);
      assert.doesNotMatch(german.message, /__\w+?__/);
      assert.equal(german.code, err.code);
      assert.deepEqual(german.details, err.details);
    });
  }

  it('the samples cover every key of the areas csta, xml, settings, dial, dtmf, remote and http', () => {
    const sampled = new Set(SAMPLES.map(([k]) => `errors.${k}`));
    // csta's firmware refusals and settings' name checks are held by error-texts.test.ts
    const elsewhere =
      /^errors\.(csta\.(noCsta|gap|legacy|needs874|gapFor|gapNoSipUser|noneFor|rejected)|settings\.(empty|invalid|objectName|reserved)|http\.(timeout|noAnswer|refused|dns|noRoute|hungUp|tls|status|statusOnly|forbidden|badLogin|noUser))$/;
    const missing = [...en.keys()].filter(
      (k) => /^errors\.(csta|xml|settings|dial|dtmf|remote|http)\./.test(k) && !sampled.has(k) && !elsewhere.test(k),
    );
    // the nodes' own: held by test/nodes/runtime-language-calls.test.ts
    assert.deepEqual(
      missing.filter((k) => !NODE_KEYS.includes(k)),
      [],
    );
  });

  it('a field named in words is said in German too (The identity → Die Identität)', async () => {
    const err = await thrown(() => buildRemoteCommand('reregister', { identity: 'x' }, d785));
    assert.match(localise(t, err).message, /^Die Identität muss eine ganze Zahl von 1 bis 12 sein, erhalten: "x"$/);
  });

  it('a DTMF error on a model without HTTP remote control stays E_UNSUPPORTED (keys.noRemote)', async () => {
    assert.equal((await thrown(() => buildDtmf('1', d865))).text?.key, 'keys.noRemote');
  });
});

/** Keys of errors thrown by node files (sampled by the node tests), and defensive ones. */
const NODE_KEYS = [
  'dial.mode',
  'xml.noDocument',
  'xml.transport',
  'xml.noPush',
  'xml.noMinibrowser',
  'xml.noHttpNodes',
  'settings.action',
  'csta.noIdentity',
  'csta.noUaCsta',
  'csta.transport',
  // not in the node test: a uaCSTA route with msg.target, a Node-RED without HTTP nodes
  'csta.sipTarget',
  // defensive, not reachable from input: an http(s) URL the WHATWG parser takes always has a host,
  // and a well-formed document always has a root element
  'remote.urlScheme',
  'xml.noRoot',
].map((k) => `errors.${k}`);
