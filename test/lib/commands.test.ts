import assert from 'node:assert/strict';
import { buildDial, buildDtmf, buildKeyCommand, buildRemoteCommand, buildTouch, parseKeyEvents } from '../../src/lib/commands';
import { resolveProfile } from '../../src/lib/profile';

const d785 = resolveProfile({ model: 'D785', firmware: '10.1.33.33' });
const s870 = resolveProfile({ model: 'snom870', firmware: '8.7.5.35' });
const path = (p: { requests: Array<{ path: string }> }) => p.requests.map((r) => r.path);

describe('command builders against the reference vectors (§10.1)', () => {
  const vectors: Array<[string, string]> = [
    ['ENTER', '/command.htm?key=ENTER'],
    ['OFFHOOK', '/command.htm?key=OFFHOOK'],
    ['CANCEL', '/command.htm?key=CANCEL'],
    ['F_HOLD', '/command.htm?key=F_HOLD'],
    ['P3', '/command.htm?key=P3'],
    ['9;1;9;6;ENTER,,1000;*,1000,2000;#,,1000;9', '/command.htm?key=9;1;9;6;ENTER,,1000;%2A,1000,2000;%23,,1000;9'],
    ['1,100,100;2,100,100;3,100,100', '/command.htm?key=1,100,100;2,100,100;3,100,100'],
  ];
  for (const [input, expected] of vectors) {
    it(`key ${input}`, () => assert.deepEqual(path(buildKeyCommand(input, d785)), [expected]));
  }
  it('dial with identity, DTMF, release, touch, reboot', () => {
    assert.deepEqual(path(buildDial('0301234567', '123@domain1', d785)), ['/command.htm?number=0301234567&outgoing_uri=123%40domain1']);
    assert.deepEqual(path(buildDtmf('123#', d785)), ['/command.htm?key_dtmf=123%23']);
    assert.deepEqual(path(buildRemoteCommand('releaseAllCalls', {}, d785)), ['/command.htm?RELEASE_ALL_CALLS']);
    assert.deepEqual(path(buildTouch('100 200 pr', s870)), ['/command.htm?touch=100%20200%20pr']);
    assert.deepEqual(path(buildRemoteCommand('reboot', {}, d785)), ['/advanced_update.htm?reboot=Reboot']);
    assert.deepEqual(path(buildRemoteCommand('playRinger', { ringer: 9 }, d785)), ['/line_login.htm?PLAY_RINGER:9=+Ringer']);
  });
  it('attended transfer is the seed sequence: hold, one request per digit, ENTER; then TRANSFER', () => {
    assert.deepEqual(path(buildRemoteCommand('transferStart', { target: '12#' }, d785)), ['/command.htm?key=F_HOLD', '/command.htm?key=1', '/command.htm?key=2', '/command.htm?key=%23', '/command.htm?key=ENTER']);
    assert.deepEqual(path(buildRemoteCommand('transferComplete', {}, d785)), ['/command.htm?key=TRANSFER']);
  });
  it('dial counts 302 and a closed connection as success', () => {
    const r = buildDial('1', undefined, d785).requests[0];
    assert.deepEqual(r.okStatuses, [302]);
    assert.equal(r.closeIsSuccess, true);
  });
});

describe('key parsing and validation', () => {
  it('upper-cases, trims, accepts arrays and a trailing ;', () => {
    assert.deepEqual(parseKeyEvents(' p1 ; enter ,, 5;'), [{ key: 'P1', time: undefined, pause: undefined }, { key: 'ENTER', time: undefined, pause: 5 }]);
    assert.deepEqual(parseKeyEvents(['1', { key: 'ek0', time: 10 }]).map((e) => e.key), ['1', 'EK0']);
  });
  for (const [input, code, re] of [
    ['ENTER;;P1', 'E_INPUT', /position 2/],
    ['P0', 'E_INPUT', /P1/],
    ['ENTER,1,2,3', 'E_INPUT', /more than/],
    ['ENTER,-1', 'E_INPUT', /time/],
    ['ENTER,,70000', 'E_INPUT', /pause/],
    ['EK144', 'E_INPUT', /EK143/],
    ['P25', 'E_UNSUPPORTED', /P24/],
    ['ENTER&reboot=Reboot', 'E_INPUT', /Unknown key/],
  ] as const) {
    it(`"${input}" → ${code}`, () => {
      assert.throws(() => buildKeyCommand(input, d785), (e: any) => e.code === code && re.test(e.message));
    });
  }
  it('the snom870 has no F1-F4 and 15 P-keys; expansion keys only where a module fits', () => {
    assert.throws(() => buildKeyCommand('F1', s870), { code: 'E_UNSUPPORTED' });
    assert.throws(() => buildKeyCommand('P16', s870), { code: 'E_UNSUPPORTED' });
    assert.throws(() => buildKeyCommand('EK1', s870), { code: 'E_UNSUPPORTED' });
    assert.ok(buildKeyCommand('P15', s870));
    assert.throws(() => buildKeyCommand('F4', resolveProfile({ model: 'snom200', firmware: '6.5.0' })), { code: 'E_UNSUPPORTED' });
  });
  it('an unknown model is permissive, a D8xx is refused', () => {
    assert.ok(buildKeyCommand('P99;EK2;F4', resolveProfile({})));
    assert.throws(() => buildKeyCommand('P1', resolveProfile({ model: 'D865', firmware: '10.1.0' })), /D8xx/);
  });
});
