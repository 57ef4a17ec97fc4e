// Issue 7 §3: bad input never reaches the phone. Each case ran on the old code and reached the
// simulated phone; now it must end in E_INPUT (or E_UNSUPPORTED where the phone cannot), through
// done(err) exactly once, with a red status, and with no request at the phone. Valid-but-odd
// input (a number pasted from a CRM) is normalised, not refused.
import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { startHttpNodeServer, type HttpNodeServer } from '../support/http-node';
import { helper } from '../support/red';
import { simJson, simReset, simState, startPhones, stopAll } from '../support/sim';
import { loadNode, received, unhookCompletions, type Outcome } from './input-harness';

const ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE SnomIPPhoneText [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<SnomIPPhoneText><Title>x</Title><Text>&lol9;</Text></SnomIPPhoneText>`;
const MB = 1024 * 1024;

describe('bad input never reaches the phone (issue 7 §3)', function () {
  let d785: SimPhone;
  let s870: SimPhone;
  let gap: SimPhone;
  let server: HttpNodeServer;
  const phones = () => [d785, s870, gap];
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    server = await startHttpNodeServer();
    [d785, s870, gap] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33' },
      { model: 'snom870', firmware: '8.7.5.35' },
      { model: 'snom821', firmware: '8.7.1.5' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of phones()) await simReset(p);
  });
  after(async () => {
    await helper.unload();
    unhookCompletions();
    await stopAll(phones());
    await server.close();
    await new Promise<void>((r) => helper.stopServer(r));
  });

  /** The message failed with `code`: once, caught, red, short, and the phone saw nothing at all. */
  async function assertRefused(phone: SimPhone, r: Outcome, code = 'E_INPUT', why?: RegExp): Promise<void> {
    assert.ok(r.err, `expected ${code}, the node sent ${JSON.stringify(r.out?.snom)}`);
    assert.equal(r.err.error.code, code, r.err.error.message);
    if (why) assert.match(r.err.error.message, why);
    assert.equal(r.dones.length, 1, 'done called once');
    assert.ok(
      r.statuses.some((s) => s.fill === 'red'),
      `a red status, got ${JSON.stringify(r.statuses)}`,
    );
    assert.deepEqual(await received(phone), [], 'no request reached the phone');
    assert.equal((await simState(phone)).requests, 0);
  }

  /** The request targets the phone received, each once (a Digest 401 and its retry are one request). */
  async function targets(phone: SimPhone): Promise<string[]> {
    return [...new Set((await received(phone)).map((r) => r.target))];
  }

  async function refuses(
    phone: SimPhone,
    node: Record<string, unknown> & { type: string },
    msgs: Array<Record<string, unknown>>,
    code = 'E_INPUT',
    why?: RegExp,
    phoneExtra: Record<string, unknown> = {},
  ) {
    const n = await loadNode(phone, node, phoneExtra);
    for (const msg of msgs) await assertRefused(phone, await n.send(msg), code, why);
  }

  async function succeeds(
    phone: SimPhone,
    node: Record<string, unknown> & { type: string },
    msg: Record<string, unknown>,
    phoneExtra: Record<string, unknown> = {},
  ) {
    const n = await loadNode(phone, node, phoneExtra);
    const r = await n.send(msg);
    assert.equal(r.err, undefined, r.err?.error?.message);
    assert.ok(r.out);
    return r.out;
  }

  describe('snom-touch', () => {
    it('refuses touch coordinates null, blank or [] (they were sent as 0 0)', async () => {
      const bad: unknown[] = [null, ' ', '\t', [], [[]], true, '1e2', '0x10', 1.5, -1, Number.NaN];
      await refuses(
        s870,
        { type: 'snom-touch', touch: '' },
        [
          ...bad.map((v) => ({ payload: [{ x: v, y: 10 }] })),
          ...bad.map((v) => ({ payload: [{ x: 10, y: v }] })),
          { payload: [{ x: null, y: null }] },
        ],
        'E_INPUT',
        /whole number from 0 to/,
      );
    });

    it('refuses the touch actions constructor, __proto__ and toString (constructor was sent as "function Object() { [native code] }")', async () => {
      const msgs = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'].flatMap((a) => [
        { payload: [{ x: 1, y: 1, action: a }] },
        { payload: `1 1 ${a}` },
      ]);
      await refuses(s870, { type: 'snom-touch', touch: '' }, msgs, 'E_INPUT', /action must be p, r or pr/);
    });

    it('takes the screen corners 479 271 and refuses Y=272 and X=480', async () => {
      await refuses(
        s870,
        { type: 'snom-touch', touch: '' },
        [{ payload: '0 272' }, { payload: [{ x: 0, y: 272 }] }, { payload: '480 0' }],
        'E_INPUT',
        /0 to 27|0 to 479/,
      );
      await succeeds(s870, { type: 'snom-touch', touch: '' }, { payload: '479 271 pr 0 0 press' });
      assert.deepEqual(await targets(s870), ['/command.htm?touch=479%20271%20pr%200%200%20p']);
      assert.deepEqual(
        (await simState(s870)).touches.map((t) => [t.x, t.y, t.action]),
        [
          [479, 271, 'pr'],
          [0, 0, 'p'],
        ],
      );
    });
  });

  describe('numbers', () => {
    const notNumbers = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 1.5, 1e21, -0.5];

    it('snom-dial refuses NaN, ±Infinity, negative, fractional and 1e21 (they were dialled as text)', async () => {
      await refuses(
        d785,
        { type: 'snom-dial', mode: 'dial', number: '' },
        [
          ...notNumbers.map((n) => ({ payload: n })),
          ...notNumbers.map((n) => ({ payload: { number: n } })),
          ...['NaN', 'Infinity', '-Infinity', '-1', 'undefined', '[object Object]', '1e21'].map((t) => ({
            payload: t,
          })),
        ],
        'E_INPUT',
        /not a number to dial/,
      );
    });

    it('snom-dial DTMF refuses the same numbers', async () => {
      await refuses(
        d785,
        { type: 'snom-dial', mode: 'dtmf', number: '' },
        [1e20, 1e21, -1, 1.5, Number.NaN].map((n) => ({ payload: n })),
        'E_INPUT',
        /DTMF/,
      );
    });

    it('snom-csta refuses them as MakeCall, ConsultationCall, SingleStepTransferCall, DeflectCall and SetForwarding destinations', async () => {
      const ops: Array<[string, string, Record<string, unknown>]> = [
        ['MakeCall', 'calledDirectoryNumber', {}],
        ['ConsultationCall', 'consultedDevice', { callId: 1 }],
        ['SingleStepTransferCall', 'transferredTo', { callId: 1 }],
        ['DeflectCall', 'newDestination', { callId: 1 }],
        ['SetForwarding', 'forwardDN', { forwardingType: 'forwardImmediate', activateForward: true }],
      ];
      for (const [operation, param, extra] of ops) {
        await refuses(
          d785,
          { type: 'snom-csta', operation: 'msg' },
          [
            ...notNumbers.map((n) => ({ operation, payload: { ...extra, [param]: n } })),
            { operation, payload: { ...extra, [param]: 'NaN' } },
            { operation, payload: { ...extra, [param]: '-5' } },
          ],
          'E_INPUT',
          new RegExp(param),
        );
      }
      // a bare number as msg.payload is MakeCall's destination
      await refuses(
        d785,
        { type: 'snom-csta', operation: 'MakeCall' },
        notNumbers.map((n) => ({ payload: n })),
        'E_INPUT',
        /calledDirectoryNumber/,
      );
    });

    it('normalises a number pasted from a CRM for snom-dial, and keeps SIP URIs', async () => {
      const n = await loadNode(d785, { type: 'snom-dial', mode: 'dial', number: '' });
      for (const payload of [
        '030 1234567',
        '+49 (30) 123-45',
        '+49 (0)30 123 45',
        'tel:+49-30-12345',
        ' 0800/123.456 ',
        'sip:200@sim.local',
        '300@sim.local',
        0,
      ]) {
        const r = await n.send({ payload });
        assert.equal(r.err, undefined, r.err?.error?.message);
      }
      assert.deepEqual(
        (await simState(d785)).dials.map((d) => d.number),
        [
          '0301234567',
          '+493012345',
          '+493012345',
          '+493012345',
          '0800123456',
          'sip:200@sim.local',
          '300@sim.local',
          '0',
        ],
      );
    });

    it('normalises a pasted number as a CSTA MakeCall destination', async () => {
      const n = await loadNode(d785, { type: 'snom-csta', operation: 'MakeCall' });
      for (const payload of ['030 1234567', { calledDirectoryNumber: '+49 (30) 123-45' }]) {
        const r = await n.send({ payload });
        assert.equal(r.err, undefined, r.err?.error?.message);
      }
      const dests = (await received(d785))
        .map((r) => /<calledDirectoryNumber>([^<]*)</.exec(r.body)?.[1])
        .filter(Boolean);
      assert.deepEqual([...new Set(dests)], ['0301234567', '+493012345']);
      const remotes = (await simJson(d785, 'GET', 'state')).ext.calls.map((c: any) => c.remote);
      assert.deepEqual(remotes, ['sip:0301234567@sim.local', 'sip:+493012345@sim.local']);
    });

    it('the attended transfer target is keypad digits, separators dropped; + and names refused', async () => {
      await refuses(
        d785,
        { type: 'snom-command', command: 'transferStart' },
        [
          { transferTarget: '+4930' },
          { transferTarget: 'alice' },
          { transferTarget: Number.NaN },
          { transferTarget: 1.5 },
        ],
        'E_INPUT',
        /transfer target/,
      );
      await succeeds(d785, { type: 'snom-command', command: 'transferStart', transferTarget: '12-3' }, {});
      assert.deepEqual(
        (await simState(d785)).keys.map((k) => k.key),
        ['F_HOLD', '1', '2', '3', 'ENTER'],
      );
    });
  });

  describe('msg.timeout', () => {
    it('refuses true, [500], 10n, blank and fractions (true became 1 ms, [500] and 10n were taken)', async () => {
      await refuses(
        d785,
        { type: 'snom-key', keys: 'P1' },
        [true, false, [500], ['500'], 10n, ' ', '1e3', '0x10', 1.5, 0, -1, 600001, {}].map((timeout) => ({ timeout })),
        'E_INPUT',
        /msg\.timeout/,
      );
    });

    it('takes whole milliseconds as a number or decimal digits', async () => {
      const n = await loadNode(d785, { type: 'snom-key', keys: 'P1' });
      for (const timeout of [500, '500', ' 2000 ', 600000]) assert.equal((await n.send({ timeout })).err, undefined);
      assert.equal((await simState(d785)).keys.length, 4);
    });
  });

  describe('snom-key', () => {
    it('refuses a blank or [] time or pause (they were sent as ,0)', async () => {
      await refuses(
        d785,
        { type: 'snom-key', keys: '' },
        [
          { payload: [{ key: 'ENTER', time: ' ' }] },
          { payload: [{ key: 'ENTER', time: [] }] },
          { payload: [{ key: 'ENTER', pause: ' ' }] },
          { payload: [{ key: 'ENTER', pause: [] }] },
          { payload: [{ key: 'ENTER', time: true }] },
          { payload: [{ key: 'ENTER', time: [100] }] },
          { payload: 'ENTER, ,100' },
          { payload: 'ENTER;P1,\t,5' },
        ],
        'E_INPUT',
        /milliseconds/,
      );
    });

    it('sends P001 as P1 (and EK007 as EK7): the phone knows its keys by their plain numbers', async () => {
      await succeeds(d785, { type: 'snom-key', keys: '' }, { payload: 'P001;p01,100;EK007' });
      assert.deepEqual(await targets(d785), ['/command.htm?key=P1;P1,100;EK7']);
      assert.deepEqual(
        (await simState(d785)).keys.map((k) => k.key),
        ['P1', 'P1', 'EK7'],
      );
      await simReset(d785);
      await refuses(d785, { type: 'snom-key', keys: '' }, [{ payload: 'P000' }, { payload: 'P00' }], 'E_INPUT', /P1/);
    });
  });

  describe('snom-xml-push', () => {
    it('refuses minibrowser XML with a DOCTYPE or entity declarations (a billion-laughs document was pushed)', async () => {
      const plainDoctype = '<!DOCTYPE SnomIPPhoneText><SnomIPPhoneText><Text>x</Text></SnomIPPhoneText>';
      for (const transport of ['csta', 'minibrowser']) {
        await refuses(
          d785,
          { type: 'snom-xml-push', transport, document: '' },
          [{ payload: BILLION_LAUGHS }, { payload: plainDoctype }],
          'E_INPUT',
          /DOCTYPE/,
          { baseUrl: server.url },
        );
      }
      await refuses(
        d785,
        { type: 'snom-xml-push', transport: 'auto', document: BILLION_LAUGHS },
        [{}],
        'E_INPUT',
        /DOCTYPE/,
      );
    });
  });

  describe('snom-command', () => {
    it('refuses a firmware URL with spaces, CR/LF or another scheme: it must be an absolute http(s) URL', async () => {
      const urls = [
        'http://fw.example/snom D785.bin',
        'http://fw.example/a.bin\r\nX-Evil: 1',
        'http://fw.example/\na.bin',
        'http://fw.example/\ta.bin',
        'ftp://fw.example/a.bin',
        'tftp://fw.example/a.bin',
        '/snomD785.bin',
        'http:fw.example',
        'http://',
        '',
        'javascript:alert(1)',
      ];
      await refuses(
        d785,
        { type: 'snom-command', command: 'firmwareUpgrade', url: '' },
        urls.map((url) => ({ url })),
        'E_INPUT',
        /firmware URL/,
      );
      await succeeds(
        d785,
        { type: 'snom-command', command: 'firmwareUpgrade', url: '' },
        { url: ' https://fw.example/snomD785-10.1.40.0-SIP-r.bin?x=1 ' },
      );
      assert.deepEqual(
        (await simState(d785)).firmwareUpdates.map((f) => f.url),
        ['https://fw.example/snomD785-10.1.40.0-SIP-r.bin?x=1'],
      );
    });
  });

  describe('snom-settings', () => {
    it('refuses lone surrogates in setting values, on the CSTA and the web route', async () => {
      const values = ['a\uD800b', '\uDC00', 'x\uD83D'];
      await refuses(
        d785,
        { type: 'snom-settings', action: 'set' },
        [
          ...values.map((v) => ({ payload: { user_realname1: v } })),
          ...values.map((v) => ({ payload: { custom_note: v } })),
          { payload: { user_realname1: 'fine', custom_note: '\uD800' } },
        ],
        'E_INPUT',
        /broken Unicode/,
      );
    });

    it('refuses writing a setting named constructor (it made every later settings read of that phone fail)', async () => {
      await refuses(
        d785,
        { type: 'snom-settings', action: 'set' },
        ['constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'].map((name) => ({
          payload: { [name]: 'x' },
        })),
        'E_INPUT',
        /not a Snom setting/,
      );
      await refuses(
        d785,
        { type: 'snom-settings', action: 'set', setName: 'constructor', setValue: 'x' },
        [{}],
        'E_INPUT',
        /not a Snom setting/,
      );
    });

    it('still reads the settings of a phone that holds a setting named constructor, __proto__ or toString', async () => {
      await simJson(d785, 'PUT', 'settings', { constructor: 'c', toString: 't', prototype: 'p', valueOf: 'v' });
      const out = await succeeds(
        d785,
        { type: 'snom-settings', action: 'get' },
        { payload: ['language', 'user_realname1'] },
      );
      assert.deepEqual(out.payload, { language: 'English', user_realname1: 'Sim 100' });
      assert.equal(out.snom.route, 'both');
    });
  });

  describe('snom-csta raw', () => {
    it('refuses raw CSTA with text after (or before) the root element, a DOCTYPE or a lone surrogate', async () => {
      const root = `<RequestSystemStatus xmlns="${ED3}"/>`;
      const bad = [
        `${root}junk`,
        `${root}x>`,
        `${root}<!-- c -->tail`,
        `${root}\n<?pi x?>t`,
        `<a>1</a>x/>`,
        `x${root}`,
        `<!DOCTYPE a>${root}`,
        `<RequestSystemStatus xmlns="${ED3}">\uD800</RequestSystemStatus>`,
      ];
      await refuses(
        d785,
        { type: 'snom-csta', operation: 'raw' },
        bad.map((payload) => ({ payload })),
        'E_INPUT',
        /raw CSTA/,
      );
      // comments and processing instructions around the root are fine
      const out = await succeeds(
        d785,
        { type: 'snom-csta', operation: 'raw' },
        { payload: `<?xml version="1.0"?>\n<!-- status -->${root}\n<!-- end -->\n` },
      );
      assert.equal(out.payload.operation, 'RequestSystemStatusResponse');
    });
  });

  describe('error texts quote input briefly', () => {
    it('a 1 MB input gives a short error on every node (it gave a 1 MB error and log line)', async () => {
      const huge = 'A'.repeat(MB);
      const cases: Array<[SimPhone, Record<string, unknown> & { type: string }, Record<string, unknown>]> = [
        [d785, { type: 'snom-key', keys: '' }, { payload: huge }],
        [d785, { type: 'snom-key', keys: '' }, { payload: `ENTER,${huge}` }],
        [d785, { type: 'snom-key', keys: '' }, { payload: 'P1', timeout: huge }],
        [d785, { type: 'snom-dial', mode: '', number: '' }, { mode: huge, payload: '1' }],
        [d785, { type: 'snom-dial', mode: 'dial', number: '' }, { payload: `9${huge}` }],
        [d785, { type: 'snom-dial', mode: 'dtmf', number: '' }, { payload: huge }],
        [d785, { type: 'snom-command', command: 'msg' }, { command: huge }],
        [d785, { type: 'snom-command', command: 'firmwareUpgrade' }, { url: `http://x/${huge}` }],
        [s870, { type: 'snom-touch', touch: '' }, { payload: `1 ${huge}` }],
        [s870, { type: 'snom-touch', touch: '' }, { payload: [{ x: 1, y: 1, action: huge }] }],
        [d785, { type: 'snom-csta', operation: 'msg' }, { operation: huge }],
        [d785, { type: 'snom-csta', operation: 'MakeCall' }, { payload: { calledDirectoryNumber: `sip:${huge}` } }],
        [d785, { type: 'snom-csta', operation: 'AnswerCall' }, { cstaId: huge }],
        [d785, { type: 'snom-csta', operation: 'raw' }, { payload: `<${huge}>` }],
        [d785, { type: 'snom-settings', action: 'msg' }, { action: huge }],
        [d785, { type: 'snom-settings', action: 'get' }, { payload: huge }],
        [d785, { type: 'snom-settings', action: 'get' }, { payload: `a-${huge}` }],
        [d785, { type: 'snom-xml-push', transport: 'csta' }, { payload: `<${huge}/>` }],
        [d785, { type: 'snom-xml-push', transport: 'csta' }, { payload: `<a></${huge}>` }],
        [d785, { type: 'snom-xml-push', transport: 'csta' }, { payload: { type: huge } }],
      ];
      for (const [phone, node, msg] of cases) {
        const n = await loadNode(phone, node);
        const r = await n.send(msg);
        const label = `${node.type} ${JSON.stringify(msg).slice(0, 60)}`;
        assert.equal(r.err?.error?.code, 'E_INPUT', label);
        assert.ok(r.err.error.message.length <= 1000, `${label}: message of ${r.err.error.message.length} characters`);
        assert.ok(
          JSON.stringify(r.err.error).length <= 2000,
          `${label}: msg.error of ${JSON.stringify(r.err.error).length} characters`,
        );
        assert.ok(
          JSON.stringify(r.err.snom).length <= 3000,
          `${label}: msg.snom of ${JSON.stringify(r.err.snom).length} characters`,
        );
        assert.ok(
          r.statuses.every((s) => (s.text ?? '').length <= 100),
          label,
        );
        assert.deepEqual(await received(phone), [], label);
      }
    });
  });

  describe('legacy CSTA (issue 7 §5)', () => {
    it('ticking legacy CSTA does not re-enable CSTA over HTTP on 8.7.0 to 8.7.2: E_UNSUPPORTED, nothing sent', async () => {
      for (const operation of ['RequestSystemStatus', 'MakeCall', 'AnswerCall', 'raw']) {
        const msg =
          operation === 'raw'
            ? { payload: `<RequestSystemStatus xmlns="${ED3}"/>` }
            : { payload: { callId: 1, calledDirectoryNumber: '200', deviceId: '100@sim.local' } };
        await refuses(gap, { type: 'snom-csta', operation }, [msg], 'E_UNSUPPORTED', /8\.7\.0 to 8\.7\.2/, {
          legacyCsta: true,
        });
      }
      await refuses(gap, { type: 'snom-command', command: 'fireTest' }, [{}], 'E_UNSUPPORTED', /8\.7\.0 to 8\.7\.2/, {
        legacyCsta: true,
      });
    });

    it('with legacy CSTA ticked on 8.7.1 settings and screens take the web routes, never POST /csta', async () => {
      const out = await succeeds(
        gap,
        { type: 'snom-settings', action: 'get' },
        { payload: ['user_name1'] },
        { legacyCsta: true },
      );
      assert.equal(out.snom.route, 'web');
      const push = await succeeds(
        gap,
        { type: 'snom-xml-push', transport: 'auto', document: '' },
        { payload: '<SnomIPPhoneText><Text>x</Text></SnomIPPhoneText>' },
        { legacyCsta: true, baseUrl: server.url },
      );
      assert.equal(push.snom.transport, 'minibrowser');
      assert.deepEqual(
        (await received(gap)).filter((r) => r.target.startsWith('/csta')),
        [],
      );
    });
  });
});
