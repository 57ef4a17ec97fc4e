import assert from 'node:assert/strict';
import { startSimPhones, stopAll } from '../../../src/simulator/cluster';
import type { SimPhone } from '../../../src/simulator/phone';
import { bare, csta, ED4, ext, faultOf, soap } from './helpers';

// One request per firmware: Snom's support history (docs/protocol.md §8.2: 7.3.4, "broken HTTP-CSTA until 8.7.3", 8.7.4).
const RSS = bare('RequestSystemStatus');
const LEGACY_MAKE = soap(
  '<csta:MakeCall><csta:callingDevice>sip:100@sim.local</csta:callingDevice><csta:calledDirectoryNumber>1</csta:calledDirectoryNumber></csta:MakeCall>',
  ED4,
);
const DND = bare('GetDoNotDisturb', '<device>sip:100@sim.local</device>');

describe('simulator CSTA firmware boundaries', () => {
  const fws = ['7.3.3', '7.3.4', '8.6.5', '8.7.0', '8.7.2.9', '8.7.3', '8.7.4'];
  let phones: Record<string, SimPhone> = {};
  before(async () => {
    const list = await startSimPhones(fws.map((firmware) => ({ model: 'snom320', firmware, auth: 'none' as const })));
    phones = Object.fromEntries(fws.map((f, i) => [f, list[i]]));
  });
  after(() => stopAll(Object.values(phones)));

  it('7.3.3 has no /csta (404); 7.3.4 speaks the legacy dialect', async () => {
    const none = await csta(phones['7.3.3'], LEGACY_MAKE);
    assert.equal(none.status, 404);
    assert.doesNotMatch(none.body, /CSTAErrorCode/);
    assert.equal((await ext(phones['7.3.3'])).csta[0].dialect, 'none');
    const r = await csta(phones['7.3.4'], LEGACY_MAKE);
    assert.equal(r.status, 200);
    assert.match(r.body, /<csta:MakeCallResponse xmlns:csta="[^"]*ed4">/);
  });

  it('8.6.x is legacy: the ed5 bare request is refused with a CSTA fault', async () => {
    assert.equal((await csta(phones['8.6.5'], LEGACY_MAKE)).status, 200);
    const r = await csta(phones['8.6.5'], RSS);
    assert.equal(r.status, 500);
    assert.ok(faultOf(r.body));
  });

  it('8.7.0 and 8.7.2 answer 500 with an error page, not CSTA, even to well-formed requests', async () => {
    for (const fw of ['8.7.0', '8.7.2.9']) {
      for (const body of [RSS, LEGACY_MAKE]) {
        const r = await csta(phones[fw], body);
        assert.equal(r.status, 500, fw);
        assert.match(String(r.headers['content-type']), /text\/html/);
        assert.doesNotMatch(r.body, /CSTAErrorCode|Envelope/);
      }
      assert.equal((await ext(phones[fw])).csta[0].dialect, 'broken');
    }
  });

  it('8.7.3 is current (RequestSystemStatus works, legacy form refused); DND needs 8.7.4', async () => {
    assert.equal((await csta(phones['8.7.3'], RSS)).status, 200);
    const legacy = await csta(phones['8.7.3'], LEGACY_MAKE);
    assert.equal(legacy.status, 500);
    assert.equal(faultOf(legacy.body), 'Generic');
    assert.equal(faultOf((await csta(phones['8.7.3'], DND)).body), 'serviceNotSupported');
    const r = await csta(phones['8.7.4'], DND);
    assert.equal(r.status, 200);
    assert.match(r.body, /<doNotDisturbOn>false<\/doNotDisturbOn>/);
  });
});
