// The CSTA builders' input rules of issue 7 §3 (test/csta/build.test.ts holds the dialect forms).
import assert from 'node:assert/strict';
import { buildCstaRequest, buildRawCsta, CSTA_ED3 } from '../../../src/lib/csta';
import { cstaParamsFrom } from '../../../src/nodes/shared/csta-params';
import { resolveProfile } from '../../../src/lib/profile';

const CURRENT = resolveProfile({ model: 'D785', firmware: '10.1.33.33' }).csta;
const refused = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: any) => e.code === 'E_INPUT' && re.test(e.message) && e.message.length < 1000);
const element = (body: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];

describe('CSTA input: destinations, raw XML, settings values', () => {
  it('destinations are normalised like numbers to dial; SIP URIs and names are kept', () => {
    const cases: Array<[unknown, string]> = [
      ['030 1234567', '0301234567'],
      ['+49 (30) 123-45', '+493012345'],
      [200, '200'],
      ['bob@pbx', 'sip:bob@pbx'],
      ['sips:9@x', 'sips:9@x'],
      ['reception', 'reception'],
    ];
    for (const [dest, want] of cases) {
      const r = buildCstaRequest('MakeCall', { callingDevice: '1@x', calledDirectoryNumber: dest as string }, CURRENT);
      assert.equal(element(r.body, 'calledDirectoryNumber'), want, String(dest));
    }
  });

  it('refuses NaN, ±Infinity, negative, fractional and 1e21 destinations, as numbers and from the message', () => {
    for (const bad of [
      Number.NaN,
      Infinity,
      -Infinity,
      -1,
      1.5,
      1e21,
      'NaN',
      'Infinity',
      '-1',
      '.5',
      'undefined',
      '1e21',
    ]) {
      for (const [op, param, extra] of [
        ['MakeCall', 'calledDirectoryNumber', { callingDevice: '1@x' }],
        ['ConsultationCall', 'consultedDevice', { callId: 1 }],
        ['SingleStepTransferCall', 'transferredTo', { callId: 1 }],
        ['DeflectCall', 'newDestination', { callId: 1 }],
        ['SetForwarding', 'forwardDN', { deviceId: '1@x', forwardingType: 'forwardImmediate', activateForward: true }],
      ] as const) {
        refused(() => buildCstaRequest(op, { ...extra, [param]: bad } as never, CURRENT), new RegExp(param));
      }
      // a bare msg.payload is MakeCall's destination: checked as the number it is, not as its text
      refused(() => {
        const { params } = cstaParamsFrom('MakeCall', {}, { payload: bad });
        buildCstaRequest('MakeCall', { ...params, deviceId: '1@x' }, CURRENT);
      }, /calledDirectoryNumber/);
    }
    for (const bad of [1.5, -1, 1e21, Number.NaN])
      refused(() => cstaParamsFrom('GenerateDigits', {}, { payload: bad }), /digits/);
  });

  it('raw XML: one root and nothing after it, no DOCTYPE, no lone surrogates', () => {
    const root = `<RequestSystemStatus xmlns="${CSTA_ED3}"/>`;
    assert.equal(buildRawCsta(`<?xml version="1.0"?>\n<!-- a -->${root}<!-- b -->\n`).operation, 'RequestSystemStatus');
    for (const bad of [
      `${root}junk`,
      `${root}x>`,
      `${root}x/>`,
      `<a>1</a>tail</a >`,
      `${root}<!-- c -->t`,
      `<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`,
      `<a>\uDC00</a>`,
      `<a/><b/>`,
    ]) {
      refused(() => buildRawCsta(bad), /raw CSTA/);
    }
    assert.ok(buildRawCsta(`<${'A'.repeat(70)}/>`).operation.length <= 60);
  });

  it('SetSettings and every written text refuse lone surrogates (they reached the phone as U+FFFD)', () => {
    refused(
      () => buildCstaRequest('SetSettings', { settings: { user_realname1: 'a\uD800' } }, CURRENT),
      /broken Unicode/,
    );
    refused(
      () => buildCstaRequest('MakeCall', { callingDevice: '1@x', calledDirectoryNumber: 'x\uDC00' }, CURRENT),
      /calledDirectoryNumber/,
    );
    refused(() => buildCstaRequest('SnapshotDevice', { snapshotObject: 'a\uD800@b' }, CURRENT), /snapshotObject/);
  });
});
