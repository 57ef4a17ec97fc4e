// The snom-phone form (nodes/snom-phone.html) as the browser loads it (in Node's vm): the stable ids
// the browser suite uses, the firmware lines and models from the runtime, and a text in both
// languages for everything Detect and Test connection can report.
import assert from 'node:assert/strict';
import { FINDING_IDS } from '../../../src/lib/diagnose';
import { FIRMWARE_LINES, KNOWN_MODELS, resolveProfile } from '../../../src/lib/profile';
import { loadEditors, locale, lookup } from './editor-vm';

describe('snom-phone form: Detect, Test connection, firmware lines, models, fleet', () => {
  const ed = loadEditors();
  const html = ed.templates.get('snom-phone')!;

  it('has the stable ids: Detect, Test, the result box, an input per field, the firmware choice', () => {
    for (const id of [
      'snom-phone-detect',
      'snom-phone-test',
      'snom-phone-test-result',
      'snom-phone-firmware-other',
      'snom-phone-fleet-check',
      'snom-phone-d8xx-tip',
    ])
      assert.match(html, new RegExp(`id="${id}"`), id);
    assert.match(html, /<select id="node-config-input-firmware"/, 'firmware is a choice, not free text');
    assert.match(html, /<textarea id="node-config-input-fleet"/);
    for (const s of ['connection', 'login', 'phone', 'advanced', 'fleet'])
      assert.match(html, new RegExp(`id="snom-phone-section-${s}"`), `section ${s}`);
  });

  it("offers the profile's firmware lines, each with a text in both languages", () => {
    assert.deepEqual([...ed.rules.LISTS.firmwareLines], FIRMWARE_LINES);
    for (const lang of ['en-US', 'de']) {
      const cat = locale(lang, 'snom-phone');
      for (const line of FIRMWARE_LINES) {
        const key = `snom-phone.firmware.what.v${line.replace(/\./g, '_')}`;
        assert.equal(typeof lookup(cat, key), 'string', `${lang}: ${key}`);
      }
    }
  });

  it("tells the models without HTTP remote control apart with the runtime's profile: the D8xx", () => {
    const none = KNOWN_MODELS.filter((m) => !ed.rules.profileOf({ model: m }).httpRemote);
    assert.deepEqual(
      none,
      KNOWN_MODELS.filter((m) => !resolveProfile({ model: m }).httpRemote),
    );
    assert.deepEqual(none, 'D812 D815 D862 D865'.split(' '));
  });

  it('words every finding of Test connection in both languages, with the parameters the runtime sends', () => {
    const en = locale('en-US', 'snom-phone');
    const de = locale('de', 'snom-phone');
    for (const id of FINDING_IDS) {
      const e = lookup(en, `snom-phone.finding.${id}`);
      const d = lookup(de, `snom-phone.finding.${id}`);
      assert.equal(typeof e, 'string', `en-US ${id}`);
      assert.equal(typeof d, 'string', `de ${id}`);
      const params = (t: string) => [...t.matchAll(/__(\w+)__/g)].map((m) => m[1]).sort();
      assert.deepEqual(params(d as string), params(e as string), `${id}: same parameters in both languages`);
    }
  });

  it("checks the fleet with the runtime's rule", () => {
    assert.equal(ed.rules.checkField('snom-phone', 'fleet', '10.0.0.1\n192.168.1.0/24 # office'), true);
    assert.match(String(ed.rules.checkField('snom-phone', 'fleet', 'not a host!')), /not a host name or IP address/);
  });
});
