// Which CSTA route a firmware offers (docs/protocol.md §8.2, §10.7) and what the nodes are told otherwise.
import assert from 'node:assert/strict';
import { SnomError } from '../../../src/lib/errors';
import { cstaTransport, resolveProfile, uaCstaCaps } from '../../../src/lib/profile';

const profile = (firmware: string, legacyCsta = false) => resolveProfile({ model: 'D785', firmware, legacyCsta });

function refusal(f: () => unknown): SnomError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof SnomError);
    return e;
  }
  return assert.fail('expected a refusal');
}

describe('profile: CSTA routes (HTTP or uaCSTA over SIP)', () => {
  it('uaCSTA from 8.7.1 (and when the firmware is unknown); not before', () => {
    for (const [fw, ua] of [
      ['8.6.5', false],
      ['8.7.0', false],
      ['8.7.1', true],
      ['8.7.2.9', true],
      ['8.7.3', true],
      ['10.1.33.33', true],
      ['detect', true],
    ] as const)
      assert.equal(profile(fw).uaCsta, ua, fw);
  });

  it("'auto' takes HTTP where it works and SIP on 8.7.1–8.7.2; 8.7.0 and < 7.3.4 have neither", () => {
    assert.equal(cstaTransport(profile('8.6.5'), 'auto', 'CSTA'), 'http');
    assert.equal(cstaTransport(profile('8.7.1'), 'auto', 'CSTA'), 'sip');
    assert.equal(cstaTransport(profile('8.7.2'), '', 'CSTA'), 'sip');
    assert.equal(cstaTransport(profile('8.7.3'), undefined, 'CSTA'), 'http');
    assert.equal(cstaTransport(profile('10.1.33.33'), 'auto', 'CSTA'), 'http');
    const e = refusal(() => cstaTransport(profile('8.7.0'), 'auto', 'CSTA AnswerCall'));
    assert.equal(e.code, 'E_UNSUPPORTED');
    assert.match(e.message, /8\.7\.0 to 8\.7\.2 cannot do CSTA over HTTP/);
    assert.equal(refusal(() => cstaTransport(profile('7.3.3'), 'auto', 'CSTA')).code, 'E_UNSUPPORTED');
  });

  it("'http' is refused on 8.7.0–8.7.2, 'sip' before 8.7.1, in plain words with E_UNSUPPORTED", () => {
    const http = refusal(() => cstaTransport(profile('8.7.1'), 'http', 'CSTA AnswerCall'));
    assert.equal(http.code, 'E_UNSUPPORTED');
    assert.match(
      http.message,
      /^CSTA AnswerCall is not possible: firmware 8\.7\.0 to 8\.7\.2 cannot do CSTA over HTTP/,
    );
    const sip = refusal(() => cstaTransport(profile('8.6.5'), 'sip', 'CSTA AnswerCall'));
    assert.equal(sip.code, 'E_UNSUPPORTED');
    assert.match(sip.message, /over SIP \(uaCSTA\) is not possible: firmware 8\.6\.5 is older than 8\.7\.1/);
    assert.equal(cstaTransport(profile('8.7.1'), 'sip', 'CSTA'), 'sip');
    assert.equal(cstaTransport(profile('8.7.5', true), 'sip', 'CSTA'), 'sip');
  });

  it('an unknown transport is E_INPUT', () => {
    for (const bad of ['udp', 'SIP', 3, {}, '__proto__']) {
      const e = refusal(() => cstaTransport(profile('8.7.5'), bad, 'CSTA'));
      assert.equal(e.code, 'E_INPUT', String(bad));
    }
  });

  it('uaCSTA requests are the current dialect (also with csta_legacy_control), with 8.7.4 features from 8.7.4', () => {
    assert.deepEqual(uaCstaCaps(profile('8.7.1')), { dialect: 'current', identityIndex: false, extendedOps: false });
    assert.deepEqual(uaCstaCaps(profile('8.7.5', true)), {
      dialect: 'current',
      identityIndex: true,
      extendedOps: true,
    });
    assert.deepEqual(uaCstaCaps(profile('detect')), { dialect: 'current', identityIndex: true, extendedOps: true });
  });
});
