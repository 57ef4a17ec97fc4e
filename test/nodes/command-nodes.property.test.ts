// Property (issue 7 §3): for EVERY command node, hostile input in the editor fields and in the
// message, in a real Node-RED runtime against simulated phones over real HTTP:
//   - done() is called exactly once per message;
//   - every error carries a code of the design's list (and a short text);
//   - E_INPUT ⇒ the phone received nothing and the node shows a red status;
//   - every request the phone received matches the grammar of docs/protocol.md (./phone-grammar).
// Fixed seed, bounded count. PROPERTY_STATS=1 counts the violations instead of failing (to
// measure old code) and prints the figures.
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import type { SimPhone } from '../../src/simulator/phone';
import type { SimReceived } from '../../src/simulator/types';
import { startHttpNodeServer, type HttpNodeServer } from '../support/http-node';
import { helper } from '../support/red';
import { simReset, startPhones, stopAll } from '../support/sim';
import {
  COMMAND_NODES,
  loadNode,
  received,
  unhookCompletions,
  type CommandNodeType,
  type Outcome,
} from './input-harness';
import { MODELS, grammarProblem } from './phone-grammar';

const SEED = 20260707;
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 600);
const STATS = process.env.PROPERTY_STATS === '1';
/** PROPERTY_DUMP=file writes one line per message (node, reached the phone, code), to compare two versions of the code. */
const DUMP = process.env.PROPERTY_DUMP;

/** README.md "Errors". */
// prettier-ignore
const CODES = new Set([
  'E_INPUT', 'E_UNSUPPORTED', 'E_AUTH', 'E_TIMEOUT', 'E_UNREACHABLE', 'E_HTTP', 'E_CSTA', 'E_BUSY', 'E_SIP',
]);

// ---------- hostile values ----------

const MB = 1 << 20;
const HUGE = 'A'.repeat(MB);
const HUGE_DIGITS = '9'.repeat(MB);
const ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
const TEXT_DOC =
  '<?xml version="1.0" encoding="UTF-8"?>\n<SnomIPPhoneText><Title>Door</Title><Text>Someone is at the door</Text></SnomIPPhoneText>';
const BILLION_LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE SnomIPPhoneText [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><SnomIPPhoneText><Text>&c;</Text></SnomIPPhoneText>';
const POLLUTER = () =>
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "key": "ENTER"}');

/** The generated strings never hold U+FFFD themselves: at the phone it marks broken Unicode. */
const noFFFD = (s: string) => s.replace(/\uFFFD/g, '?');

const strings = fc
  .oneof(
    fc.string({ maxLength: 24 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc
      .array(
        fc.oneof(
          fc.string({ maxLength: 3 }),
          fc.constantFrom('\uD800', '\uDFFF', '\uDBFF', ' ', '\r\n', '&', '%', '#', ';', ',', '<', '>', '"'),
        ),
        { maxLength: 5 },
      )
      .map((a) => a.join('')),
  )
  .map(noFFFD);

/** Values that are JSON (editor fields come from flows.json). */
const jsonSpecials: unknown[] = [
  null,
  true,
  false,
  '',
  ' ',
  '\t\r\n',
  [],
  {},
  [[]],
  [[[1]]],
  [500],
  ['1'],
  -1,
  0,
  1.5,
  1e21,
  2 ** 53,
  -0.5,
  'constructor',
  '__proto__',
  'toString',
  'prototype',
  'hasOwnProperty',
  'valueOf',
  '\uD800',
  'a\uDC00b',
  '\u0000',
  'x\r\nX-Evil: 1',
  '&reboot=Reboot',
  '%00',
  '%',
  '#',
  '?',
  '1e21',
  'NaN',
  'Infinity',
  '-1',
  'undefined',
  '[object Object]',
  '<!DOCTYPE x>',
  BILLION_LAUGHS,
  HUGE,
  HUGE_DIGITS,
  `<${HUGE}/>`,
];
/** Anything a function node can put on a message. */
const msgSpecials: unknown[] = [
  ...jsonSpecials,
  undefined,
  Number.NaN,
  Infinity,
  -Infinity,
  10n,
  -5n,
  Symbol('s'),
  new Date(0),
  () => 1,
  Object.create(null),
];

const jsonHostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...jsonSpecials) },
  { weight: 2, arbitrary: strings },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...jsonSpecials.slice(0, 20)), { maxLength: 3 }) },
);
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...msgSpecials) },
  { weight: 2, arbitrary: strings },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.bigInt({ min: -10n, max: 10n }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...msgSpecials), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(null).map(POLLUTER) },
);

/** A field value: often a plausible one, often hostile, often left empty. */
function field(valid: unknown[], empty: unknown = ''): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(empty) },
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: jsonHostile },
  );
}
function value(valid: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: hostile });
}
/** An optional message property. */
function opt(arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.option(arb, { nil: undefined, freq: 2 });
}
const TIMEOUTS = [
  true,
  false,
  [500],
  10n,
  ' ',
  '1e3',
  1.5,
  0,
  -1,
  600001,
  {},
  'abc',
  Number.NaN,
  Infinity,
  null,
  '',
  2000,
  '2500',
  600000,
];
const timeout = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom(...TIMEOUTS) },
);

// ---------- per node: editor fields and messages ----------

type PhoneName = 'd785' | 's870' | 's360';
interface Sample {
  type: CommandNodeType;
  phone: PhoneName;
  fields: Record<string, unknown>;
  msgs: Array<Record<string, unknown>>;
}

function sample(
  type: CommandNodeType,
  phones: PhoneName[],
  fields: Record<string, fc.Arbitrary<unknown>>,
  msg: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Sample> {
  return fc.record({
    type: fc.constant(type),
    phone: fc.constantFrom(...phones),
    fields: fc.record(fields).map((f) => JSON.parse(JSON.stringify(f))),
    msgs: fc.array(
      fc
        .record({ ...msg, timeout })
        .map((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined))),
      { minLength: 1, maxLength: 3 },
    ),
  });
}

// prettier-ignore
const KEY_TOKENS = [
  'ENTER', 'P1', 'P001', 'p24', 'F4', 'EK3', 'EK007', '*', '#', '0', '9', 'P25', 'NOSUCH', 'ENTER,100', 'ENTER,,5',
  'ENTER, ,5', 'P1,abc', 'CANCEL,100,200', 'OFFHOOK', 'ENTER&reboot=Reboot',
];
const keyStrings = fc.array(fc.constantFrom(...KEY_TOKENS), { minLength: 1, maxLength: 4 }).map((a) => a.join(';'));
const keyObjects = fc.array(
  fc.record(
    {
      key: value(['ENTER', 'P2', 'x', 5, 'ek1']),
      time: value([0, 100, '50', '', ' ', []]),
      pause: value([0, 1000, '20', null]),
    },
    { requiredKeys: ['key'] },
  ),
  { minLength: 1, maxLength: 3 },
);
// prettier-ignore
const TOUCH_STRINGS = [
  '100 200 pr', '479 271', '0 272', '480 0', '1 1 constructor', '1 1 __proto__', '10 10 p 10 10 r', ' ', '1',
  '1 2 3',
];
const touchObjects = fc.array(
  fc.record(
    {
      x: value([0, 479, '12', ' ']),
      y: value([0, 271, 272, '5']),
      action: value(['p', 'r', 'pr', 'press', 'constructor', '__proto__', 'toString']),
    },
    { requiredKeys: ['x', 'y'] },
  ),
  { minLength: 1, maxLength: 3 },
);
const NUMBERS = [
  '030 1234567',
  '+49 (30) 123-45',
  '+49 (0)30 123 45',
  'sip:200@sim.local',
  '300@sim.local',
  '*21#',
  '0301234567',
  'alice',
  'tel:+49-30-1',
  42,
];
// prettier-ignore
const COMMANDS = [
  'releaseAllCalls', 'logoffAll', 'logoffLine', 'reregister', 'playRinger', 'reboot', 'factoryReset', 'clearDialed',
  'clearMissed', 'clearReceived', 'firmwareUpgrade', 'fixLineInfoLayer', 'transferStart', 'transferComplete',
  'fireTest',
];
// prettier-ignore
const FW_URLS = [
  'http://fw.example/snomD785.bin', 'https://fw.example/a.bin?x=1', 'http://fw.example/a b.bin',
  'http://fw.example/a.bin\r\nX: 1', 'ftp://fw/a', '/a.bin',
];
// prettier-ignore
const CSTA_OPS = [
  'MakeCall', 'AnswerCall', 'ClearConnection', 'ClearCall', 'HoldCall', 'RetrieveCall', 'ConsultationCall',
  'TransferCall', 'ConferenceCall', 'SingleStepTransferCall', 'DeflectCall', 'GenerateDigits', 'SnapshotDevice',
  'RequestSystemStatus', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
];
const RAW_XML = [
  `<RequestSystemStatus xmlns="${ED3}"/>`,
  `<RequestSystemStatus xmlns="${ED3}"/>junk`,
  `<RequestSystemStatus xmlns="${ED3}"/>x>`,
  '<constructor/>',
  '<a/><b/>',
  BILLION_LAUGHS,
  `<a>\uD800</a>`,
  '<!-- c --><GetSettings/>',
];
const cstaPayload = fc.record(
  {
    callId: value([1, -18, '2', ' -3 ']),
    heldCallId: value([1, '-2']),
    activeCallId: value([2]),
    deviceId: value(['100@sim.local', 'sip:100@sim.local', 1, 12, 13]),
    callingDevice: value(['100@sim.local']),
    snapshotObject: value(['100@sim.local']),
    calledDirectoryNumber: value(NUMBERS),
    consultedDevice: value(NUMBERS),
    transferredTo: value(NUMBERS),
    newDestination: value(NUMBERS),
    forwardDN: value(NUMBERS),
    digits: value(['123#', 'ABCD,1', 123]),
    autoOriginate: value(['prompt', 'doNotPrompt']),
    doNotDisturbOn: value([true, false, 'on', 'off']),
    forwardingType: value(['forwardImmediate', 'forwardBusy']),
    activateForward: value([true, false]),
    operation: value(['MakeCall', 'raw', 'SnapshotDevice']),
    xml: value(RAW_XML),
  },
  { requiredKeys: [] },
);
const SETTING_NAMES = [
  'language',
  'custom_note',
  'user_realname1',
  'user_name1',
  'action_incoming_url',
  'action_fwtest_url',
  'mac',
  'constructor',
  'toString',
  '__proto__',
  'settings',
  'a b',
  'x'.repeat(101),
  'hasOwnProperty',
];
const settingsObject = fc.dictionary(fc.oneof(fc.constantFrom(...SETTING_NAMES), strings), hostile, { maxKeys: 3 });
const MB_OBJECTS = [
  { type: 'text', title: 'T', text: 'x' },
  { type: 'led', leds: [{ number: 1, color: 'red', state: 'On' }] },
  { type: 'menu', items: [{ name: 'a', url: 'http://x/' }] },
];
const mbObject = fc.record(
  {
    type: value(['text', 'led', 'menu', 'silent']),
    title: value(['T']),
    text: value(['x']),
    leds: value([[{ number: 1, state: 'On' }]]),
    items: value([[{ name: 'a', url: 'http://x/' }]]),
    fetch: value([{ url: 'http://x/', mil: 5 }]),
  },
  { requiredKeys: ['type'] },
);

const ALL = ['d785', 's360', 's870'] as PhoneName[];
const SAMPLES: Record<CommandNodeType, fc.Arbitrary<Sample>> = {
  'snom-key': sample(
    'snom-key',
    ALL,
    { keys: field(KEY_TOKENS) },
    { payload: fc.oneof(keyStrings, keyObjects, hostile) },
  ),
  'snom-dial': sample(
    'snom-dial',
    ALL,
    { mode: field(['dial', 'dtmf']), number: field(NUMBERS), identity: field(['100@sim.local']) },
    {
      mode: opt(value(['dial', 'dtmf'])),
      payload: fc.oneof(
        value(NUMBERS),
        fc.record(
          { number: value(NUMBERS), identity: value(['100@sim.local', 'sip:101@sim.local']) },
          { requiredKeys: [] },
        ),
      ),
      identity: opt(value(['100@sim.local'])),
    },
  ),
  'snom-command': sample(
    'snom-command',
    ALL,
    {
      command: field([...COMMANDS, 'msg']),
      identity: field([1, '12', 13]),
      ringer: field([1, '9', 10]),
      url: field(FW_URLS),
      transferTarget: field(['42', '1 2', '+49', 'alice']),
      confirmReset: fc.oneof(fc.boolean(), jsonHostile),
    },
    {
      command: opt(value(COMMANDS)),
      payload: opt(
        fc.oneof(
          value(COMMANDS),
          fc.record(
            { identity: value([2]), ringer: value([3]), url: value(FW_URLS), transferTarget: value(['7']) },
            { requiredKeys: [] },
          ),
        ),
      ),
      url: opt(value(FW_URLS)),
      transferTarget: opt(value(['42', '4-2'])),
    },
  ),
  'snom-touch': sample(
    'snom-touch',
    ['s870', 's870', 's870', 'd785'],
    { touch: field(TOUCH_STRINGS) },
    { payload: fc.oneof(value(TOUCH_STRINGS), touchObjects) },
  ),
  'snom-csta': sample(
    'snom-csta',
    ALL,
    {
      operation: field([...CSTA_OPS, 'raw', 'msg']),
      callId: field([1, '-18']),
      device: field(['100@sim.local', '1']),
      destination: field(NUMBERS.filter((n) => typeof n === 'string')),
      digits: field(['12#']),
      xml: field(RAW_XML),
    },
    {
      operation: opt(value([...CSTA_OPS, 'raw'])),
      payload: fc.oneof(cstaPayload, value([...NUMBERS, ...RAW_XML])),
      cstaId: opt(value(['1', -18])),
      heldCstaId: opt(value(['2'])),
    },
  ),
  'snom-settings': sample(
    'snom-settings',
    ALL,
    {
      action: field(['get', 'set', 'msg']),
      names: field(['language', 'user_name1, language', 'constructor']),
      setName: field(['custom_note', 'user_realname1', 'constructor']),
      setValue: field(['x', 'a&b=c']),
    },
    {
      action: opt(value(['get', 'set'])),
      payload: fc.oneof(
        settingsObject,
        value(SETTING_NAMES),
        fc.array(fc.constantFrom(...SETTING_NAMES), { maxLength: 3 }),
      ),
    },
  ),
  'snom-xml-push': sample(
    'snom-xml-push',
    ALL,
    {
      transport: field(['auto', 'csta', 'minibrowser']),
      document: field([TEXT_DOC, BILLION_LAUGHS, `${TEXT_DOC}junk`]),
    },
    {
      payload: fc.oneof(
        value([
          TEXT_DOC,
          `${TEXT_DOC}<x/>`,
          `${TEXT_DOC}tail`,
          '<SnomIPPhoneText><Text>\uD800</Text></SnomIPPhoneText>',
          ...MB_OBJECTS,
        ]),
        mbObject,
      ),
    },
  ),
};

/** snom-csta's raw mode (the node's help): the form's operation, or with "msg"/empty msg.operation, else msg.payload.operation. */
function isRawCsta(s: Sample, msg: Record<string, unknown>): boolean {
  const empty = (v: unknown) => v === undefined || v === null || v === '';
  const form = s.fields.operation;
  if (!empty(form) && form !== 'msg') return form === 'raw';
  const p = msg.payload;
  const fromPayload =
    p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>).operation : undefined;
  return (empty(msg.operation) ? fromPayload : msg.operation) === 'raw';
}

// ---------- the run ----------

interface Figures {
  samples: number;
  messages: number;
  reachedPhone: number;
  outcomes: Record<string, number>;
  perNode: Record<string, { messages: number; reachedPhone: number; violations: number }>;
  violations: Record<string, number>;
  examples: string[];
}

describe('property: hostile input on every command node (issue 7 §3)', function () {
  this.timeout(180000);
  let server: HttpNodeServer;
  const phones = {} as Record<PhoneName, SimPhone>;
  const model: Record<PhoneName, string> = { d785: 'D785', s870: 'snom870', s360: 'snom360' };
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    server = await startHttpNodeServer();
    [phones.d785, phones.s870, phones.s360] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33' },
      { model: 'snom870', firmware: '8.7.5.35' },
      { model: 'snom360', firmware: '7.3.4' },
    ]);
  });
  after(async () => {
    await helper.unload();
    unhookCompletions();
    await stopAll(Object.values(phones));
    await server.close();
    await new Promise<void>((r) => helper.stopServer(r));
  });

  it(`holds done-once, error codes, E_INPUT ⇒ nothing sent and the request grammar (seed ${SEED}, ${NUM_RUNS} runs)`, async () => {
    const figures: Figures = {
      samples: 0,
      messages: 0,
      reachedPhone: 0,
      outcomes: {},
      perNode: {},
      violations: {},
      examples: [],
    };
    for (const t of COMMAND_NODES) figures.perNode[t] = { messages: 0, reachedPhone: 0, violations: 0 };
    if (DUMP) writeFileSync(DUMP, '');

    const check = async (s: Sample): Promise<void> => {
      const phone = phones[s.phone];
      const grammarModel = MODELS[model[s.phone]];
      await simReset(phone);
      const node = await loadNode(phone, { type: s.type, ...s.fields }, { baseUrl: server.url });
      figures.samples++;
      let seen = 0;
      for (const msg of s.msgs) {
        const r: Outcome = await node.send(msg);
        const all: SimReceived[] = await received(phone);
        const fresh = all.slice(seen);
        seen = all.length;
        const code: string | undefined = r.err?.error?.code;
        figures.messages++;
        figures.perNode[s.type].messages++;
        figures.outcomes[code ?? 'ok'] = (figures.outcomes[code ?? 'ok'] ?? 0) + 1;
        if (fresh.length) {
          figures.reachedPhone++;
          figures.perNode[s.type].reachedPhone++;
        }
        const problems: string[] = [];
        if (DUMP)
          appendFileSync(DUMP, `${JSON.stringify([figures.messages, s.type, fresh.length > 0, code ?? 'ok'])}\n`);
        if (r.dones.length !== 1) problems.push(`done called ${r.dones.length} times`);
        if (r.err && !CODES.has(String(code)))
          problems.push(
            `an error without a code of the design: ${String(code)} ${String(r.err.error?.message).slice(0, 100)}`,
          );
        if (r.err && String(r.err.error?.message ?? '').length > 1000)
          problems.push(`an error text of ${String(r.err.error.message).length} characters`);
        if (code === 'E_INPUT' && fresh.length)
          problems.push(
            `E_INPUT (${String(r.err.error.message).slice(0, 80)}) but the phone received ${fresh[0].method} ${fresh[0].target.slice(0, 80)}`,
          );
        if (code === 'E_INPUT' && !r.statuses.some((st) => st.fill === 'red'))
          problems.push('E_INPUT without a red status');
        for (const req of fresh) {
          const why = grammarProblem(req, grammarModel, { rawCsta: s.type === 'snom-csta' && isRawCsta(s, msg) });
          if (why)
            problems.push(
              `the phone received ${req.method} ${req.target.slice(0, 100)}${req.body ? ` ${JSON.stringify(req.body.slice(0, 200))}` : ''}: ${why}`,
            );
        }
        if (problems.length) {
          figures.perNode[s.type].violations++;
          for (const p of problems) {
            const kind = p.replace(/[:(].*$/s, '').slice(0, 60);
            figures.violations[kind] = (figures.violations[kind] ?? 0) + 1;
          }
          if (figures.examples.length < 25)
            figures.examples.push(`${s.type} on ${s.phone}: ${problems.join('; ').slice(0, 400)}`);
          if (!STATS) assert.fail(`${s.type} on ${s.phone}: ${problems.join('; ')}`.slice(0, 2000));
        }
      }
      // a late second done() for an earlier message shows up here
      for (const [id, n] of node.doneCounts())
        if (n !== 1 && !STATS) assert.fail(`message ${id}: done called ${n} times`);
    };

    await fc.assert(fc.asyncProperty(fc.oneof(...COMMAND_NODES.map((t) => SAMPLES[t])), check), {
      seed: SEED,
      numRuns: NUM_RUNS,
      endOnFailure: true,
      // the counterexample may hold 1 MB strings: report it briefly
      reporter: (out) => {
        if (!out.failed) return;
        const ce = fc
          .stringify(out.counterexample)
          .replace(/"A{40,}"|"9{40,}"/g, (m) => `"${m[1]}…(${m.length - 2} chars)"`)
          .slice(0, 3000);
        throw new Error(
          `property failed after ${out.numRuns} runs (seed ${out.seed}, path ${out.counterexamplePath}): ${String((out as { errorInstance?: Error }).errorInstance?.message ?? '').slice(0, 2000)}\ncounterexample: ${ce}`,
        );
      },
    });
    if (STATS || process.env.PROPERTY_FIGURES === '1') console.log(JSON.stringify(figures, null, 1));
    // the run must exercise every node and reach the phone often, or it proves little
    for (const t of COMMAND_NODES) {
      assert.ok(figures.perNode[t].messages >= 20, `${t}: only ${figures.perNode[t].messages} messages`);
      assert.ok(
        figures.perNode[t].reachedPhone >= 3,
        `${t}: only ${figures.perNode[t].reachedPhone} messages reached the phone`,
      );
    }
  });
});
