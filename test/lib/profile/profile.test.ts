import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SnomError } from '../../../src/lib/errors';
import {
  hasCstaOverHttp,
  normaliseModel,
  parseInfoPage,
  requireCstaOverHttp,
  resolveProfile,
} from '../../../src/lib/profile';

const csta = (firmware: string, legacyCsta = false) => resolveProfile({ model: 'D785', firmware, legacyCsta }).csta;

describe('profile: model + firmware → capabilities', () => {
  it('normalises model names as users and phones write them', () => {
    for (const [input, id] of [
      ['D785', 'D785'],
      ['snomD785', 'D785'],
      ['d785n', 'D785'],
      ['snom 320', 'snom320'],
      ['870', 'snom870'],
      ['snom870', 'snom870'],
    ]) {
      assert.equal(normaliseModel(input), id, input);
    }
    assert.equal(normaliseModel('Cisco 7940'), undefined);
  });
  it('CSTA dialect at every firmware boundary', () => {
    assert.equal(csta('7.3.3').dialect, 'none');
    assert.equal(csta('7.3.4').dialect, 'legacy');
    assert.equal(csta('8.6.5').dialect, 'legacy');
    assert.equal(csta('8.7.0').dialect, 'gap');
    assert.equal(csta('8.7.2.9').dialect, 'gap');
    assert.equal(csta('8.7.3').dialect, 'current');
    assert.equal(csta('8.7.3').extendedOps, false);
    assert.equal(csta('8.7.4').extendedOps, true);
    assert.equal(csta('8.7.4').identityIndex, true);
    assert.equal(csta('10.1.33.33', true).dialect, 'legacy');
    assert.equal(csta('8.7.3', true).dialect, 'legacy');
  });
  it('legacy CSTA ticked does not re-enable CSTA over HTTP on 8.7.0 to 8.7.2 (docs/protocol.md §8.2: broken there)', () => {
    for (const fw of ['8.7.0', '8.7.1.5', '8.7.2', '8.7.2.9']) {
      assert.deepEqual(csta(fw, true), { dialect: 'gap', identityIndex: false, extendedOps: false }, fw);
    }
    assert.equal(csta('8.6.5', true).dialect, 'legacy');
    assert.equal(csta('7.3.3', true).dialect, 'none');
  });
  it('touch on the snom870 from 8.4.34 on 8.4 and from 8.7.2', () => {
    const t = (fw: string) => resolveProfile({ model: 'snom870', firmware: fw }).touch;
    assert.deepEqual(
      [t('8.4.33'), t('8.4.34'), t('8.7.1'), t('8.7.2'), t('8.7.5.35')],
      [false, true, false, true, true],
    );
    assert.equal(resolveProfile({ model: 'D785', firmware: '10.1.33.33' }).touch, false);
  });
  it('minibrowser push from 8.2.7, URL-encoded from 8.4.32', () => {
    const p = (fw: string) => resolveProfile({ model: 'snom320', firmware: fw });
    assert.equal(p('8.2.6').minibrowserPush, false);
    assert.equal(p('8.2.7').minibrowserPush, true);
    assert.equal(p('8.4.31').minibrowserUrlEncoded, false);
    assert.equal(p('8.4.32').minibrowserUrlEncoded, true);
  });
  it('D8xx: no HTTP remote, no CSTA over HTTP; unknown: permissive with warnings', () => {
    const d8 = resolveProfile({ model: 'D862', firmware: '10.1.100.0' });
    assert.equal(d8.httpRemote, false);
    assert.equal(d8.csta.dialect, 'none');
    const u = resolveProfile({ model: 'detect', firmware: 'detect' });
    assert.equal(u.permissive, true);
    assert.ok(u.warnings.length >= 2);
  });
  it('reads fingerprints from /info.htm pages', () => {
    const fp = parseInfoPage(
      '<html><title>snom D785</title>Hardware: D785 ... Mac:000413922D24 ... Firmware: snomD785-SIP 10.1.33.33</html>',
      { server: 'snom embedded' },
    );
    assert.deepEqual(
      [fp.model, fp.firmware, fp.mac, fp.d8xx, fp.snom],
      ['D785', '10.1.33.33', '000413922D24', false, true],
    );
    assert.equal(parseInfoPage('<title>Phone Manager</title>').d8xx, true);
    const old = parseInfoPage(
      '<TITLE>snom 320</TITLE><TR><TD>MAC Address</TD><TD>000413000001</TD></TR><TD>Version</TD><TD>snom320-SIP 8.4.35</TD>',
    );
    assert.deepEqual([old.model, old.firmware, old.mac], ['snom320', '8.4.35', '000413000001']);
  });
});

describe('profile: CSTA over HTTP, asked in one place', () => {
  const profile = (model: string, firmware: string, legacyCsta = false) =>
    resolveProfile({ model, firmware, legacyCsta });

  it('answers at every firmware boundary and for models without HTTP remote control', () => {
    const cases: Array<[string, string, boolean]> = [
      ['D785', '7.3.3', false],
      ['D785', '7.3.4', true],
      ['D785', '8.6.5', true],
      ['D785', '8.7.0', false],
      ['D785', '8.7.2.9', false],
      ['D785', '8.7.3', true],
      ['D785', '10.1.33.33', true],
      ['D815', '10.1.33.33', false],
    ];
    for (const [model, fw, yes] of cases) assert.equal(hasCstaOverHttp(profile(model, fw)), yes, `${model} ${fw}`);
    assert.equal(hasCstaOverHttp(profile('D785', '8.7.1', true)), false, 'legacy ticked does not mend 8.7.0–8.7.2');
    assert.equal(hasCstaOverHttp(resolveProfile({})), true, 'unknown phone: permissive');
  });

  it('says why when it refuses', () => {
    const refused = (p: ReturnType<typeof profile>) => {
      try {
        requireCstaOverHttp(p, 'Raw CSTA');
        return 'allowed';
      } catch (e) {
        assert.ok(e instanceof SnomError);
        assert.equal(e.code, 'E_UNSUPPORTED');
        return e.message;
      }
    };
    assert.equal(refused(profile('D785', '8.7.3')), 'allowed');
    assert.match(refused(profile('D785', '8.7.1')), /^Raw CSTA is not possible: firmware 8\.7\.0 to 8\.7\.2/);
    assert.match(refused(profile('D785', '7.1.30')), /^Raw CSTA is not possible: this phone has no CSTA over HTTP/);
  });

  it('is not written out again elsewhere in src/lib or src/nodes', () => {
    const root = path.resolve(__dirname, '..', '..', '..', '..', 'src');
    const copy = /dialect\s*[!=]==?\s*'(legacy|current|none|gap)'\s*(\|\||&&)\s*[\w.]*dialect\s*[!=]==?/;
    const bad: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (
          e.name.endsWith('.ts') &&
          p !== path.join(root, 'lib', 'profile', 'profile.ts') &&
          copy.test(fs.readFileSync(p, 'utf8'))
        )
          bad.push(path.relative(root, p));
      }
    };
    for (const d of ['lib', 'nodes']) walk(path.join(root, d));
    assert.deepEqual(bad, []);
  });
});
