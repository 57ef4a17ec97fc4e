// The editor marks a bad field with the runtime's message in the editor's language (issue 10 §2):
// resources/snom-rules.js given the runtime catalog's words (`say`), and the validators of
// resources/snom-editor.js, which hand it the editor's RED._ on the snom-phone set's "runtime" part.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkField, checkedFields, type Say } from '../../../src/nodes/editor/rules';
import { lookup, runtimeCatalog } from '../../../src/nodes/shared/i18n';
import { TYPES, loadEditors, type EditorVm } from './editor-vm';

/** A catalog's `say`, as the editor's i18next answers (`__name__` interpolation; the key where it has no text). */
function sayFrom(catalog: Record<string, unknown>): Say {
  return (key, params = {}) => {
    const text = lookup(catalog, key);
    return text === undefined ? key : text.replace(/__(\w+?)__/g, (w, n: string) => String(params[n] ?? w));
  };
}

const D785 = { model: 'D785', firmware: '10.1.54.13' };
const SNOM870 = { model: 'snom870', firmware: '8.7.5.35' };

// type, field, value, form, phone; the runtime's words in German and in English
const CASES = [
  {
    what: 'a bad key name',
    at: ['snom-key', 'keys', 'P1;NOSUCHKEY', {}, D785],
    de: 'Unbekannte Taste "NOSUCHKEY" an Position 2: kein Snom-Tastenname (die Liste steht in der Hilfe des Nodes)',
    en: 'Unknown key "NOSUCHKEY" at position 2: not a Snom key name (see the node help for the list)',
  },
  {
    what: 'a bad key time',
    at: ['snom-key', 'keys', 'P1,abc', {}, D785],
    de: 'Tastenereignis 1: time muss eine ganze Zahl von Millisekunden von 0 bis 60000 sein, erhalten: "abc"',
    en: 'Key event 1: time must be a whole number of milliseconds from 0 to 60000, got "abc"',
  },
  {
    what: 'a touch point off the screen',
    at: ['snom-touch', 'touch', '999,999', {}, SNOM870],
    de: 'Berührung 1: X muss eine ganze Zahl von 0 bis 479 sein, erhalten: "999"',
    en: 'Touch 1: X must be a whole number from 0 to 479, got "999"',
  },
  {
    what: 'a setting name every object has',
    at: ['snom-settings', 'names', 'constructor', { action: 'get' }, D785],
    de: '"constructor" ist keine Snom-Einstellung: Namen, die jedes JavaScript-Objekt hat (constructor, toString, …), werden abgewiesen.',
    en: '"constructor" is not a Snom setting: names that every JavaScript object has (constructor, toString, …) are refused.',
  },
  {
    what: 'a number that is none (its field in words)',
    at: ['snom-dial', 'number', 'abc!', { mode: 'dial' }, D785],
    de: 'Die zu wählende Nummer "abc!" ist weder eine wählbare Nummer noch eine SIP-Adresse: eine Nummer besteht aus Ziffern, * und # (und einem + am Anfang); eine SIP-Adresse ist user@host.',
    en: 'The number to dial "abc!" is not a number to dial or a SIP address: a number holds digits, * and # (and a leading +); a SIP address is user@host.',
  },
  {
    what: 'a bad host',
    at: ['snom-phone', 'host', 'bad host!', {}, undefined],
    de: 'Der Telefon-Host "bad host!" ist weder ein Hostname noch eine IP-Adresse',
    en: 'Phone host "bad host!" is not a host name or IP address',
  },
  {
    what: 'a bad fleet entry (a message quoting another)',
    at: ['snom-phone', 'fleet', 'x y', {}, undefined],
    de: 'Die Flotte ist ungültig: Flotteneintrag "x y" ist weder ein Hostname noch eine IP-Adresse',
    en: 'The fleet is invalid: fleet entry "x y" is not a host name or IP address',
  },
] as const;

describe("the editor's checks in the editor's language", () => {
  const de = sayFrom(runtimeCatalog('de'));
  const en = sayFrom(runtimeCatalog('en-US'));
  let bundle: any;
  let deEditor: EditorVm;
  let enEditor: EditorVm;
  before(() => {
    deEditor = loadEditors('de');
    enEditor = loadEditors('en-US');
    bundle = deEditor.rules;
    for (const ed of [deEditor, enEditor]) {
      ed.configs.set('d785', { type: 'snom-phone', ...D785 });
      ed.configs.set('s870', { type: 'snom-phone', ...SNOM870 });
    }
  });

  for (const c of CASES) {
    it(`${c.what}: German with the German catalog, English without one`, () => {
      const [type, field, value, form, phone] = c.at;
      assert.equal(bundle.checkField(type, field, value, form, phone, de), c.de);
      assert.equal(bundle.checkField(type, field, value, form, phone), c.en);
      assert.equal(bundle.checkField(type, field, value, form, phone, en), c.en);
    });
  }

  it("falls back to the English message where the editor's catalog lacks the text", () => {
    const catalog = runtimeCatalog('de');
    const errors = { ...(catalog.errors as Record<string, unknown>) };
    delete errors.keys;
    const partial = sayFrom({ ...catalog, errors });
    assert.equal(bundle.checkField('snom-key', 'keys', 'P1;NOSUCHKEY', {}, D785, partial), CASES[0].en);
    // a translate function that fails leaves the English message, never an exception in the editor
    const broken: Say = () => {
      throw new Error('i18n not ready');
    };
    assert.equal(bundle.checkField('snom-key', 'keys', 'P1;NOSUCHKEY', {}, D785, broken), CASES[0].en);
  });

  it("snom-editor.js validators: the runtime's message through the editor's RED._, German and English", () => {
    const node = (phone: unknown) => ({ phone: phone === SNOM870 ? 's870' : 'd785' });
    for (const c of CASES.filter((x) => x.at[0] !== 'snom-phone')) {
      const [type, field, value, form, phone] = c.at;
      assert.equal(deEditor.validate(type, field, value, { ...form, ...node(phone) }), c.de, c.what);
      assert.equal(enEditor.validate(type, field, value, { ...form, ...node(phone) }), c.en, c.what);
    }
    assert.equal(deEditor.validate('snom-phone', 'host', 'bad host!', {}), CASES[5].de);
    assert.equal(deEditor.validate('snom-phone', 'fleet', 'x y', {}), CASES[6].de);
    assert.equal(
      deEditor.validate('snom-phone', 'port', '99999', { host: '10.0.0.5' }),
      'Telefon 10.0.0.5: Port 99999 liegt nicht zwischen 1 und 65535',
    );
  });

  it('the bundle says what the compiled rules say, in German, for any value of any field (property)', () => {
    const pairs = TYPES.flatMap((t) => checkedFields(t).map((f) => [t, f] as const));
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(...'P1;NOSUCHKEY P1,abc 999,999 -18 constructor abc! 10.0.0.0/33 sip:100@pbx'.split(' ')),
    );
    const phone = fc.constantFrom(D785, SNOM870, { model: 'detect', firmware: 'detect' });
    fc.assert(
      fc.property(fc.constantFrom(...pairs), value, phone, ([type, field], v, p) => {
        const said = bundle.checkField(type, field, v, {}, p, de);
        assert.equal(said, checkField(type, field, v, {}, p, de));
        // never a bare catalog key in the form
        if (typeof said === 'string') assert.doesNotMatch(said, /^errors\.|__\w+__/);
      }),
      { seed: 20261201, numRuns: 400 },
    );
  });
});
