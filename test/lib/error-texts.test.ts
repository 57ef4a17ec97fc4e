import assert from 'node:assert/strict';
import { parseKeyEvents, validateKeyEvents, requireHttpRemote } from '../../src/lib/commands/keys';
import { buildTouch, parseTouchEvents } from '../../src/lib/commands/touch';
import { checkSipIdentity, normaliseDialString } from '../../src/lib/commands/number';
import { buildCstaRequest } from '../../src/lib/csta/build';
import { cstaFaultError } from '../../src/lib/csta/fault';
import { SnomError } from '../../src/lib/errors';
import { parseEndpoint } from '../../src/lib/fleet';
import { authError, DeadlineError, httpError, transportError } from '../../src/lib/http/errors';
import { SnomPhone } from '../../src/lib/phone';
import { requireCstaOverHttp, resolveProfile } from '../../src/lib/profile';
import { validateSettingName } from '../../src/lib/settings/names';
import { flatten, paramsOf, render, runtimePart } from '../support/catalog';

const d785 = resolveProfile({ model: 'D785', firmware: '10.1.33.33' });
const d735 = resolveProfile({ model: 'D735', firmware: '10.1.54.13' });
const s870old = resolveProfile({ model: 'snom870', firmware: '8.4.30' });
const d865 = resolveProfile({ model: 'D865', firmware: '10.1.33.33' });
const gap = resolveProfile({ model: 'snom870', firmware: '8.7.1' });
const none = resolveProfile({ model: 'snom870', firmware: '7.3.2' });
const ctx = { phone: 'desk (10.0.0.5:80)', command: 'key' };
const coded = (code: string) => Object.assign(new Error(code), { code });
const phone = (fleet = '') =>
  new SnomPhone({ host: '127.0.0.1', port: 9, model: 'D785', firmware: '10.1.33.33', fleet });

function thrown(f: () => unknown): SnomError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof SnomError, String(e));
    return e;
  }
  assert.fail('nothing thrown');
}

/** The errors users meet most, by the key their message has in the catalogs. */
const SAMPLES: Array<[string, () => SnomError]> = [
  ['keys.ms', () => thrown(() => parseKeyEvents('P1,abc'))],
  ['keys.tooManyParts', () => thrown(() => parseKeyEvents('P1,1,2,3'))],
  ['keys.shape', () => thrown(() => parseKeyEvents(42))],
  ['keys.none', () => thrown(() => parseKeyEvents([]))],
  ['keys.tooMany', () => thrown(() => parseKeyEvents(Array(201).fill('1')))],
  ['keys.noName', () => thrown(() => parseKeyEvents([{ key: null }]))],
  ['keys.empty', () => thrown(() => parseKeyEvents([' ']))],
  ['keys.notAKey', () => thrown(() => validateKeyEvents(parseKeyEvents('P1;NOSUCHKEY'), d785))],
  ['keys.pFrom1', () => thrown(() => validateKeyEvents(parseKeyEvents('P0'), d785))],
  ['keys.pRange', () => thrown(() => validateKeyEvents(parseKeyEvents('P999'), d735))],
  ['keys.noRemote', () => thrown(() => requireHttpRemote(d865, 'Keys'))],
  ['touch.coordinate', () => thrown(() => parseTouchEvents('500 10'))],
  ['touch.shape', () => thrown(() => parseTouchEvents(7))],
  ['touch.none', () => thrown(() => parseTouchEvents(''))],
  ['touch.tooMany', () => thrown(() => parseTouchEvents('1 1 '.repeat(51)))],
  ['touch.notEvent', () => thrown(() => parseTouchEvents([null]))],
  ['touch.action', () => thrown(() => parseTouchEvents('1 1 x'))],
  ['touch.model', () => thrown(() => buildTouch('1 1', d785))],
  ['touch.firmware', () => thrown(() => buildTouch('1 1', s870old))],
  ['number.keypad', () => thrown(() => normaliseDialString('number', '0301234x!'))],
  ['number.notNumberOrSip', () => thrown(() => normaliseDialString('number', 'not a number'))],
  ['number.asText', () => thrown(() => normaliseDialString('number', -1))],
  ['number.missing', () => thrown(() => normaliseDialString('number', ''))],
  ['number.notText', () => thrown(() => normaliseDialString('number', [1]))],
  ['number.tooLong', () => thrown(() => normaliseDialString('number', '1'.repeat(500)))],
  ['number.sip', () => thrown(() => normaliseDialString('number', 'sip:a b@c'))],
  ['number.start', () => thrown(() => normaliseDialString('number', '-5'))],
  ['number.identity', () => thrown(() => checkSipIdentity('identity', 'nobody'))],
  ['settings.empty', () => thrown(() => validateSettingName(''))],
  ['settings.invalid', () => thrown(() => validateSettingName('1bad name'))],
  ['settings.objectName', () => thrown(() => validateSettingName('constructor'))],
  ['settings.reserved', () => thrown(() => validateSettingName('settings'))],
  ['target.empty', () => thrown(() => phone('10.0.0.0/8').targets([]))],
  ['target.starAlone', () => thrown(() => phone('10.0.0.7').targets(['10.0.0.7', '*']))],
  ['target.rangesOnly', () => thrown(() => phone('10.0.0.0/8').targets('*'))],
  ['target.fleetEmpty', () => thrown(() => phone().targets('10.0.0.7'))],
  ['target.fleetInvalid', () => thrown(() => phone('not a host!').targets('10.0.0.7'))],
  ['target.notInFleet', () => thrown(() => phone('10.0.0.8').targets('10.0.0.7'))],
  ['target.notText', () => thrown(() => parseEndpoint(5, 'msg.target'))],
  ['target.blank', () => thrown(() => parseEndpoint(' ', 'msg.target'))],
  ['http.timeout', () => transportError(ctx, new DeadlineError(3000))],
  ['http.noAnswer', () => transportError(ctx, coded('UND_ERR_CONNECT_TIMEOUT'))],
  ['http.refused', () => transportError(ctx, coded('ECONNREFUSED'))],
  ['http.dns', () => transportError(ctx, coded('ENOTFOUND'))],
  ['http.noRoute', () => transportError(ctx, coded('EHOSTUNREACH'))],
  ['http.hungUp', () => transportError(ctx, coded('ECONNRESET'))],
  ['http.tls', () => transportError(ctx, coded('DEPTH_ZERO_SELF_SIGNED_CERT'))],
  ['http.badLogin', () => authError(ctx, 'badLogin', 401)],
  ['http.noUser', () => authError(ctx, 'noUser', 401)],
  ['http.status', () => httpError(ctx, 500, 'Internal error')],
  ['http.statusOnly', () => httpError(ctx, 404, '')],
  ['csta.rejected', () => cstaFaultError({ cstaError: 'invalidCallID', cstaText: 'no such call' }, 500, ctx)],
  [
    'csta.gap',
    () => thrown(() => buildCstaRequest('MakeCall', { callingDevice: 'a', calledDirectoryNumber: '1' }, gap.csta)),
  ],
  [
    'csta.noCsta',
    () => thrown(() => buildCstaRequest('MakeCall', { callingDevice: 'a', calledDirectoryNumber: '1' }, none.csta)),
  ],
  ['csta.gapFor', () => thrown(() => requireCstaOverHttp(gap, 'Raw CSTA'))],
  ['csta.gapNoSipUser', () => thrown(() => requireCstaOverHttp(gap, 'CSTA AnswerCall', { sipUserHint: true }))],
  ['csta.noneFor', () => thrown(() => requireCstaOverHttp(none, 'Raw CSTA'))],
];

describe('lib: the messages users meet carry their catalog key (runtime.errors)', () => {
  const en = flatten(runtimePart('en-US'));
  const de = flatten(runtimePart('de'));

  for (const [key, make] of SAMPLES) {
    it(`${key}: the English catalog gives the message as thrown; German differs and fills every parameter`, () => {
      const err = make();
      assert.ok(err.text, `${err.code} ${err.message}: no text key`);
      assert.equal(err.text.key, key);
      const full = `errors.${key}`;
      const english = en.get(full);
      const german = de.get(full);
      assert.ok(english !== undefined && german !== undefined, `${full} in both catalogs`);
      for (const p of paramsOf(english)) assert.ok(Object.hasOwn(err.text.params, p), `${full}: ${p} given`);
      assert.equal(render(english, err.text.params), err.message);
      const said = render(german, err.text.params);
      assert.notEqual(said, err.message);
      assert.doesNotMatch(said, /__\w+?__/);
    });
  }

  it('the text key is not part of msg.error extras or msg.snom.error (toJSON)', () => {
    const err = thrown(() => parseKeyEvents('P1,abc'));
    assert.ok(err.text);
    assert.equal(Object.keys(err).includes('text'), false);
    assert.equal('text' in err.toJSON(), false);
  });
});
