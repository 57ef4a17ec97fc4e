import assert from 'node:assert/strict';
import {
  buildDial,
  buildDtmf,
  buildKeyCommand,
  buildRemoteCommand,
  buildTouch,
  parseKeyEvents,
  parseTouchEvents,
  REMOTE_COMMANDS,
} from '../../../src/lib/commands';
import { normaliseDialString } from '../../../src/lib/commands/number';
import { resolveProfile } from '../../../src/lib/profile';

const d785 = resolveProfile({ model: 'D785', firmware: '10.1.33.33' });
const s870 = resolveProfile({ model: 'snom870', firmware: '8.7.5.35' });
const s820 = resolveProfile({ model: 'snom820', firmware: '8.7.3.25' });
const path = (p: { requests: Array<{ path: string }> }) => p.requests.map((r) => r.path);
const refused = (fn: () => unknown, code: string, re: RegExp) =>
  assert.throws(fn, (e: any) => e.code === code && re.test(e.message));

describe('command builders against the published forms (docs/protocol.md §3, §4)', () => {
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
    assert.deepEqual(path(buildDial('0301234567', '123@domain1', d785)), [
      '/command.htm?number=0301234567&outgoing_uri=123%40domain1',
    ]);
    assert.deepEqual(path(buildDtmf('123#', d785)), ['/command.htm?key_dtmf=123%23']);
    assert.deepEqual(path(buildRemoteCommand('releaseAllCalls', {}, d785)), ['/command.htm?RELEASE_ALL_CALLS']);
    assert.deepEqual(path(buildTouch('100 200 pr', s870)), ['/command.htm?touch=100%20200%20pr']);
    assert.deepEqual(path(buildRemoteCommand('reboot', {}, d785)), ['/advanced_update.htm?reboot=Reboot']);
    assert.deepEqual(path(buildRemoteCommand('playRinger', { ringer: 9 }, d785)), [
      '/line_login.htm?PLAY_RINGER:9=+Ringer',
    ]);
  });
  it('attended transfer is the sequence of docs/protocol.md §4.5: hold, one request per digit, ENTER; then TRANSFER', () => {
    assert.deepEqual(path(buildRemoteCommand('transferStart', { target: '12#' }, d785)), [
      '/command.htm?key=F_HOLD',
      '/command.htm?key=1',
      '/command.htm?key=2',
      '/command.htm?key=%23',
      '/command.htm?key=ENTER',
    ]);
    assert.deepEqual(path(buildRemoteCommand('transferComplete', {}, d785)), ['/command.htm?key=TRANSFER']);
  });
  it('dial counts 302 and a closed connection as success', () => {
    const r = buildDial('1', undefined, d785).requests[0];
    assert.deepEqual(r.okStatuses, [302]);
    assert.equal(r.closeIsSuccess, true);
  });
  it('every remote command is the request of docs/protocol.md §4, written out here', () => {
    const published: Record<string, [Record<string, unknown>, string[]]> = {
      releaseAllCalls: [{}, ['/command.htm?RELEASE_ALL_CALLS']],
      logoffAll: [{}, ['/command.htm?LOGOFFALL']],
      logoffLine: [{ identity: 12 }, ['/command.htm?LOGOFFLINE=12']],
      reregister: [{ identity: ' 3 ' }, ['/dummy.htm?REREGISTER=3']],
      playRinger: [{ ringer: '1' }, ['/line_login.htm?PLAY_RINGER:1=+Ringer']],
      reboot: [{}, ['/advanced_update.htm?reboot=Reboot']],
      factoryReset: [{ confirm: true }, ['/advanced_update.htm?reset=Reset']],
      clearDialed: [{}, ['/index.htm?dialeddel=clear']],
      clearMissed: [{}, ['/index.htm?misseddel=clear']],
      clearReceived: [{}, ['/index.htm?receiveddel=clear']],
      firmwareUpgrade: [
        { url: 'http://fw.example/a.bin?v=1&x=2' },
        ['/dummy.htm?swload=load&firmware=http%3A%2F%2Ffw.example%2Fa.bin%3Fv%3D1%26x%3D2'],
      ],
      fixLineInfoLayer: [{}, ['/command.htm?FIX_LIL=true']],
      transferStart: [
        { target: '4 2' },
        ['/command.htm?key=F_HOLD', '/command.htm?key=4', '/command.htm?key=2', '/command.htm?key=ENTER'],
      ],
      transferComplete: [{}, ['/command.htm?key=TRANSFER']],
    };
    for (const name of REMOTE_COMMANDS) {
      if (name === 'fireTest') continue;
      const [params, want] = published[name];
      assert.deepEqual(path(buildRemoteCommand(name, params, name === 'fixLineInfoLayer' ? s820 : d785)), want, name);
    }
    const fire = buildRemoteCommand('fireTest', {}, d785).requests[0];
    assert.deepEqual([fire.method, fire.path], ['POST', '/csta']);
    assert.match(String(fire.body), /<SOAP-ENV:Body><csta:FireTest><\/csta:FireTest><\/SOAP-ENV:Body>/);
  });
});

describe('key parsing and validation', () => {
  it('upper-cases, trims, accepts arrays and a trailing ;', () => {
    assert.deepEqual(parseKeyEvents(' p1 ; enter ,, 5;'), [
      { key: 'P1', time: undefined, pause: undefined },
      { key: 'ENTER', time: undefined, pause: 5 },
    ]);
    assert.deepEqual(
      parseKeyEvents(['1', { key: 'ek0', time: 10 }]).map((e) => e.key),
      ['1', 'EK0'],
    );
  });
  for (const [input, code, re] of [
    ['ENTER;;P1', 'E_INPUT', /position 2/],
    ['P0', 'E_INPUT', /P1/],
    ['P000', 'E_INPUT', /P1/],
    ['ENTER,1,2,3', 'E_INPUT', /more than/],
    ['ENTER,-1', 'E_INPUT', /time/],
    ['ENTER,,70000', 'E_INPUT', /pause/],
    ['ENTER, ,5', 'E_INPUT', /time/],
    ['P1;ENTER,\t,5', 'E_INPUT', /time/],
    ['ENTER,1e3', 'E_INPUT', /time/],
    ['EK144', 'E_INPUT', /EK143/],
    ['P25', 'E_UNSUPPORTED', /P24/],
    ['P025', 'E_UNSUPPORTED', /P24/],
    ['ENTER&reboot=Reboot', 'E_INPUT', /Unknown key/],
  ] as const) {
    it(`"${input}" → ${code}`, () => refused(() => buildKeyCommand(input, d785), code, re));
  }
  it('refuses a blank, boolean, array or fractional time or pause instead of sending ,0', () => {
    for (const bad of [' ', '\t', [], [5], true, false, {}, 1.5, -1, Number.NaN, '5ms', '0x10']) {
      refused(() => buildKeyCommand([{ key: 'ENTER', time: bad }], d785), 'E_INPUT', /time must be a whole number/);
      refused(() => buildKeyCommand([{ key: 'ENTER', pause: bad }], d785), 'E_INPUT', /pause must be a whole number/);
    }
  });
  it('takes times and pauses as numbers or digits, and leaves out undefined, null and ""', () => {
    assert.deepEqual(
      path(
        buildKeyCommand(
          [
            { key: 'ENTER', time: 0, pause: ' 60000 ' },
            { key: '1', time: null, pause: '' },
            { key: '2', time: '5' },
          ],
          d785,
        ),
      ),
      ['/command.htm?key=ENTER,0,60000;1;2,5'],
    );
  });
  it('sends P001 as P1 and EK007 as EK7', () => {
    assert.deepEqual(path(buildKeyCommand('P001;p024,5;EK007;EK00', d785)), ['/command.htm?key=P1;P24,5;EK7;EK0']);
  });
  it('the snom870 has no F1-F4 and 15 P-keys; expansion keys only where a module fits', () => {
    assert.throws(() => buildKeyCommand('F1', s870), { code: 'E_UNSUPPORTED' });
    assert.throws(() => buildKeyCommand('P16', s870), { code: 'E_UNSUPPORTED' });
    assert.throws(() => buildKeyCommand('EK1', s870), { code: 'E_UNSUPPORTED' });
    assert.deepEqual(path(buildKeyCommand('P15', s870)), ['/command.htm?key=P15']);
    assert.throws(() => buildKeyCommand('F4', resolveProfile({ model: 'snom200', firmware: '6.5.0' })), {
      code: 'E_UNSUPPORTED',
    });
    assert.deepEqual(path(buildKeyCommand('F4;EK143', d785)), ['/command.htm?key=F4;EK143']);
  });
  it('an unknown model is permissive, a D8xx is refused', () => {
    assert.deepEqual(path(buildKeyCommand('P99;EK2;F4', resolveProfile({}))), ['/command.htm?key=P99;EK2;F4']);
    assert.throws(() => buildKeyCommand('P1', resolveProfile({ model: 'D865', firmware: '10.1.0' })), /D8xx/);
  });
});

describe('touch (snom870, docs/protocol.md §4.6)', () => {
  it('takes the whole screen 0..479 × 0..271 and refuses Y=272 and X=480', () => {
    assert.deepEqual(path(buildTouch('0 0 479 271 pr 479 0 p 0 271 r', s870)), [
      '/command.htm?touch=0%200%20479%20271%20pr%20479%200%20p%200%20271%20r',
    ]);
    assert.deepEqual(
      path(
        buildTouch(
          [
            { x: 479, y: 271 },
            { x: '0', y: ' 271 ', action: 'release' },
          ],
          s870,
        ),
      ),
      ['/command.htm?touch=479%20271%200%20271%20r'],
    );
    refused(() => buildTouch('0 272', s870), 'E_INPUT', /Y must be a whole number from 0 to 271, got "272"/);
    refused(() => buildTouch([{ x: 0, y: 272 }], s870), 'E_INPUT', /Y must be a whole number from 0 to 271/);
    refused(() => buildTouch('480 0', s870), 'E_INPUT', /X must be a whole number from 0 to 479/);
    refused(() => buildTouch([{ x: 480, y: 0 }], s870), 'E_INPUT', /X must be a whole number from 0 to 479/);
  });
  it('refuses null, blank, [] and other non-numbers as coordinates (they were 0)', () => {
    for (const bad of [null, undefined, '', ' ', [], [3], true, 1.5, -1, '1e2', '0x1', Number.NaN]) {
      refused(() => parseTouchEvents([{ x: bad, y: 1 }]), 'E_INPUT', /X must be a whole number/);
      refused(() => parseTouchEvents([{ x: 1, y: bad }]), 'E_INPUT', /Y must be a whole number/);
    }
  });
  it('knows only p, r, pr, press and release as actions: object keys such as constructor are no actions', () => {
    for (const bad of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'x', 5, true, {}]) {
      refused(() => parseTouchEvents([{ x: 1, y: 1, action: bad }]), 'E_INPUT', /action must be p, r or pr/);
    }
    refused(() => parseTouchEvents('1 1 constructor'), 'E_INPUT', /action must be/);
    refused(() => parseTouchEvents('1 1 __proto__'), 'E_INPUT', /action must be/);
    assert.deepEqual(parseTouchEvents('1 2 PRESS 3 4 Release 5 6'), [
      { x: 1, y: 2, action: 'p' },
      { x: 3, y: 4, action: 'r' },
      { x: 5, y: 6 },
    ]);
  });
});

describe('numbers to dial', () => {
  it('normalises numbers as people write them and keeps SIP URIs', () => {
    const cases: Array<[unknown, string]> = [
      ['030 1234567', '0301234567'],
      ['+49 (30) 123-45', '+493012345'],
      ['+49 (0)30 123 45', '+493012345'],
      ['+49\u00A030\u2009123\u201345', '+493012345'],
      ['tel:+49-30-12345', '+493012345'],
      ['030/123.45.67', '0301234567'],
      ['(030) 1234', '0301234'],
      ['*21#', '*21#'],
      [42, '42'],
      [0, '0'],
      ['sip:200@pbx.example;transport=tcp', 'sip:200@pbx.example;transport=tcp'],
      ['200@10.0.0.1:5060', '200@10.0.0.1:5060'],
      ['alice', 'alice'],
    ];
    for (const [input, want] of cases) assert.equal(normaliseDialString('n', input), want, String(input));
  });
  it('refuses NaN, ±Infinity, negative, fractional and huge numbers, and JS values turned into text', () => {
    for (const bad of [
      Number.NaN,
      Infinity,
      -Infinity,
      -1,
      1.5,
      1e21,
      2 ** 53,
      'NaN',
      'Infinity',
      '-Infinity',
      '-1',
      '.5',
      'undefined',
      'null',
      'true',
      '[object Object]',
      '1e21',
      '0301234567abc',
      '123&reboot=Reboot',
      '+',
      '+49+30',
      'a b@c',
      'sip:alice',
      '@pbx',
      '9'.repeat(257),
      true,
      [],
      {},
      null,
      undefined,
      '',
      ' ',
    ]) {
      assert.throws(
        () => normaliseDialString('The number', bad),
        (e: any) => e.code === 'E_INPUT' && /The number/.test(e.message) && e.message.length < 400,
        String(bad).slice(0, 20),
      );
    }
  });
  it('snom-dial requests: the normalised number, the identity a SIP URI', () => {
    assert.deepEqual(path(buildDial('+49 (30) 123-45', 'sip:100@pbx', d785)), [
      '/command.htm?number=%2B493012345&outgoing_uri=sip%3A100%40pbx',
    ]);
    for (const bad of [1, 'alice', 'a b@c', Number.NaN, ['1@x']])
      refused(() => buildDial('1', bad, d785), 'E_INPUT', /outgoing identity/);
  });
  it('DTMF: digits as text or a whole number, nothing else', () => {
    assert.deepEqual(path(buildDtmf('1 2 3 #', d785)), ['/command.htm?key_dtmf=123%23']);
    assert.deepEqual(path(buildDtmf(90, d785)), ['/command.htm?key_dtmf=90']);
    for (const bad of [1e20, -1, 1.5, Number.NaN, Infinity, 'E', true, []])
      refused(() => buildDtmf(bad, d785), 'E_INPUT', /DTMF/);
  });
});

describe('remote command arguments', () => {
  it('identities and ringers are whole numbers given as numbers or digits (not true, [5] or 5n)', () => {
    for (const bad of [true, [5], ['5'], 5n, 1.5, '1e1', ' ', '', null, undefined, 0, 13]) {
      refused(
        () => buildRemoteCommand('logoffLine', { identity: bad }, d785),
        'E_INPUT',
        /identity must be a whole number from 1 to 12/,
      );
    }
    refused(() => buildRemoteCommand('playRinger', { ringer: [9] }, d785), 'E_INPUT', /ringer/);
  });
  it('the firmware URL is an absolute http(s) URL without spaces or line breaks', () => {
    for (const bad of [
      'http://fw.example/a b.bin',
      'http://fw.example/a.bin\r\nX: 1',
      'http://fw.example/\ta',
      'ftp://fw.example/a',
      'tftp://fw/a',
      'http:fw.example/a',
      '//fw.example/a',
      '/a.bin',
      'http://',
      'https://fw.example/ä.bin',
      '',
      42,
    ]) {
      refused(() => buildRemoteCommand('firmwareUpgrade', { url: bad }, d785), 'E_INPUT', /firmware URL/);
    }
    assert.deepEqual(path(buildRemoteCommand('firmwareUpgrade', { url: ' https://fw.example/a%20b.bin ' }, d785)), [
      '/dummy.htm?swload=load&firmware=https%3A%2F%2Ffw.example%2Fa%2520b.bin',
    ]);
  });
  it('unknown commands, prototype names included, are refused', () => {
    for (const bad of ['constructor', '__proto__', 'toString', 'nonsense', '', 5])
      refused(() => buildRemoteCommand(bad, {}, d785), 'E_INPUT', /Unknown command/);
  });
});
