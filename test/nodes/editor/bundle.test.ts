// resources/snom-rules.js is the library's code for the browser: it runs where only browser globals
// exist, answers as the compiled rules module does for any value, and its node:net stand-in reads
// addresses exactly as Node does. Fixed seeds, bounded counts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { checkField, checkedFields } from '../../../src/nodes/editor/rules';
import { ROOT, TYPES } from './editor-vm';

const standIn = require(path.join(ROOT, 'scripts', 'editor-stand-ins', 'net.js')) as typeof net;

function browserBundle(): any {
  const context = vm.createContext({ URL, console });
  vm.runInContext('globalThis.window = globalThis;', context);
  for (const name of ['require', 'process', 'Buffer', 'module', 'exports'])
    assert.equal(vm.runInContext(`typeof ${name}`, context), 'undefined');
  vm.runInContext(fs.readFileSync(path.join(ROOT, 'resources', 'snom-rules.js'), 'utf8'), context);
  return vm.runInContext('window.SnomRules', context);
}

describe('resources/snom-rules.js: the runtime checks, as the editor loads them', () => {
  const bundle = browserBundle();

  it('runs with browser globals only and checks every field the nodes read from their forms', () => {
    for (const type of TYPES) {
      assert.ok(bundle.checkedFields(type).length > 0, type);
      assert.deepEqual([...bundle.checkedFields(type)], checkedFields(type), type);
    }
  });

  it('answers as the library does, for any value of any field (property)', () => {
    const pairs = TYPES.flatMap((t) => checkedFields(t).map((f) => [t, f] as const));
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        'P1;NOSUCHKEY',
        'P1,abc',
        '10 10 pr',
        '-18',
        'sip:100@pbx',
        '10.0.0.0/33',
        'fe80::1',
        '<SnomIPPhoneText/>',
        'constructor',
        'user_name1',
        'http://fw/x.bin',
      ),
    );
    const form = fc.record({
      mode: fc.constantFrom('', 'dial', 'dtmf'),
      operation: fc.constantFrom('msg', 'MakeCall', 'HoldCall', 'raw'),
      action: fc.constantFrom('get', 'set'),
    });
    const phone = fc.record({
      model: fc.constantFrom('detect', 'D735', 'snom870', 'D812'),
      firmware: fc.constantFrom('detect', '8.7.3.25', '10.1.54.13'),
    });
    fc.assert(
      fc.property(fc.constantFrom(...pairs), value, form, phone, ([type, field], v, f, p) => {
        assert.equal(bundle.checkField(type, field, v, f, p), checkField(type, field, v, f, p));
      }),
      { seed: 20260802, numRuns: 600 },
    );
  });

  it("reads addresses as Node's node:net does (the stand-in the bundle uses for it, property)", () => {
    const hex = fc.constantFrom(
      ...'0123456789abcdefABCDEF:.%'.split(''),
      '::',
      '255',
      '256',
      '01',
      'ffff',
      '12345',
      'eth0',
    );
    const address = fc.oneof(
      fc.array(hex, { maxLength: 14 }).map((a) => a.join('')),
      fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((p) => p.join('.')),
      fc.ipV4(),
      fc.ipV6(),
      fc.tuple(fc.ipV6(), fc.ipV4()).map(([a, b]) => `${a.replace(/:[^:]*$/, '')}:${b}`),
    );
    fc.assert(
      fc.property(address, (a) => {
        assert.equal(standIn.isIPv4(a), net.isIPv4(a), `isIPv4(${a})`);
        assert.equal(standIn.isIPv6(a), net.isIPv6(a), `isIPv6(${a})`);
        assert.equal(standIn.isIP(a), net.isIP(a), `isIP(${a})`);
      }),
      { seed: 20260803, numRuns: 3000 },
    );
  });
});
