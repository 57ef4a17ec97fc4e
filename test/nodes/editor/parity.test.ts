// Property: the editor refuses a field's value exactly when the node refuses it at run time, with
// the same message. The editor side is the validator of nodes/<type>.html as the browser runs it
// (vm, ./editor-vm); the run-time side is the node in a real Node-RED (node-red-node-test-helper)
// with that value in its form, sending to a simulated phone over real HTTP. "Refused" at run time
// is an E_INPUT or E_UNSUPPORTED error (nothing sent); anything else, also a later phone error,
// means the node took the value. Fixed seed, bounded count.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SimPhone } from '../../../src/simulator/phone';
import { helper } from '../../support/red';
import { simReset, startPhones, stopAll } from '../../support/sim';
import { loadNode, received, unhookCompletions } from '../input-harness';
import { loadEditors, type EditorVm } from './editor-vm';

const SEED = 20260801;
const RUNS = Number(process.env.PARITY_RUNS ?? 40);

/** Strings built from pieces that make both good and bad values likely. */
function made(pieces: string[], max = 6): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...pieces) },
        { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
      ),
      { minLength: 1, maxLength: max },
    )
    .map((a) => a.join(''))
    .filter((s) => s !== '');
}

interface Field {
  type: string;
  field: string;
  /** the node's other fields */
  form: Record<string, unknown>;
  values: fc.Arbitrary<string>;
  /** which simulated phone (and its model and firmware in the phone config) */
  phone: 'd735' | 's870';
}

const FIELDS: Field[] = [
  {
    type: 'snom-key',
    field: 'keys',
    form: {},
    phone: 'd735',
    values: made(['P1', 'P32', 'P40', 'ENTER', 'F4', 'EK7', 'NOSUCHKEY', ';', ',', ',100', ',abc', '1', '#']),
  },
  {
    type: 'snom-touch',
    field: 'touch',
    form: {},
    phone: 's870',
    values: fc
      .tuple(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 482 }),
            fc.integer({ min: 0, max: 274 }),
            fc.constantFrom('', ' p', ' r', ' pr', ' press', ' x'),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        // sometimes right at the limit of 50 touch events, or one beyond it
        fc.constantFrom(0, 0, 46, 47),
      )
      .map(([events, extra]) => [...events.map(([x, y, v]) => `${x} ${y}${v}`), ...Array(extra).fill('1 1')].join(' ')),
  },
  {
    type: 'snom-dial',
    field: 'number',
    form: { mode: 'dial' },
    phone: 'd735',
    values: made(['0', '30', ' ', '+', '(0)', '-', 'x', '@', 'pbx', 'sip:', '#', '*']),
  },
  {
    type: 'snom-dial',
    field: 'number',
    form: { mode: 'dtmf' },
    phone: 'd735',
    values: made(['1', 'A', 'e', '#', ' ', '*', '+']),
  },
  {
    type: 'snom-settings',
    field: 'names',
    form: { action: 'get' },
    phone: 'd735',
    values: made(['user_name1', 'language', ' ', ',', 'constructor', '-', '1abc', 'toString']),
  },
  {
    type: 'snom-command',
    field: 'ringer',
    form: { command: 'playRinger' },
    phone: 'd735',
    values: made(['1', '9', '0', '10', ' ', '-', 'a'], 3),
  },
  {
    type: 'snom-command',
    field: 'url',
    form: { command: 'firmwareUpgrade' },
    phone: 'd735',
    values: made(['http://', 'https:', 'fw.example', '/', ' ', 'a.bin', 'ftp://', '%20']),
  },
  {
    type: 'snom-csta',
    field: 'callId',
    form: { operation: 'HoldCall' },
    phone: 'd735',
    values: made(['1', '-', '18', ' ', 'x', '0'], 4),
  },
  {
    type: 'snom-csta',
    field: 'digits',
    form: { operation: 'GenerateDigits', callId: '1' },
    phone: 'd735',
    values: made(['1', 'A', 'a', ',', '#', ' ', '*'], 5),
  },
  {
    type: 'snom-xml-push',
    field: 'document',
    form: { transport: 'csta' },
    phone: 'd735',
    values: fc
      .tuple(
        fc.constantFrom('', '<?xml version="1.0"?>', '<!DOCTYPE x>', 'hello '),
        fc.constantFrom(
          '<SnomIPPhoneText><Text>hi &amp; bye</Text></SnomIPPhoneText>',
          '<SnomIPPhoneMenu><MenuItem><Name>a</Name></MenuItem></SnomIPPhoneMenu>',
          '<Text>hi</Text>',
          '<SnomIPPhoneText><Text>open</SnomIPPhoneText>',
          '<x/>',
        ),
        fc.constantFrom('', '', ' <!-- c -->', ' trailing', '<y/>'),
      )
      .map((parts) => parts.join('')),
  },
];

describe('editor ⇔ runtime: the same values refused, with the same message (property, real Node-RED)', function () {
  this.timeout(300000);
  let phones: Record<'d735' | 's870', SimPhone>;
  let ed: EditorVm;

  before(async () => {
    const [d735, s870] = await startPhones([
      { model: 'D735', firmware: '10.1.54.13' },
      { model: 'snom870', firmware: '8.7.5.35' },
    ]);
    phones = { d735, s870 };
    ed = loadEditors();
    // the phone config the node uses, as the editor sees it
    for (const [id, p] of Object.entries(phones))
      ed.configs.set(id, { type: 'snom-phone', model: p.config.model, firmware: p.config.firmware });
  });
  after(async () => {
    unhookCompletions();
    await helper.unload();
    await stopAll(phones ? Object.values(phones) : []);
  });

  for (const f of FIELDS) {
    it(`${f.type}.${f.field}${f.form.mode ? ` (${String(f.form.mode)})` : ''}`, async () => {
      const phone = () => phones[f.phone];
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(f.values, async (value) => {
          const editor = ed.validate(f.type, f.field, value, { ...f.form, phone: f.phone });
          await simReset(phone());
          const node = await loadNode(phone(), { type: f.type, ...f.form, [f.field]: value });
          const outcome = await node.send({});
          // the error the node handed to done(): what Catch nodes see as msg.error
          const err = outcome.dones.find((d) => d !== undefined) as (Error & { code?: string }) | undefined;
          const code = err?.code;
          const runtimeRefused = code === 'E_INPUT' || code === 'E_UNSUPPORTED';
          if (runtimeRefused) {
            refused++;
            assert.equal(editor, err!.message, `the editor shows the runtime's reason for ${JSON.stringify(value)}`);
            assert.deepEqual(await received(phone()), [], 'a refused value sends nothing');
          } else {
            assert.equal(
              editor,
              true,
              `the runtime took ${JSON.stringify(value)} (${code ?? 'sent'}), the editor said ${String(editor)}`,
            );
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      // the sample holds both kinds, or it proves nothing
      assert.ok(refused > 0 && refused < RUNS, `${refused} of ${RUNS} refused`);
    });
  }
});
