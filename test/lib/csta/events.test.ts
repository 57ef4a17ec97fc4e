// CSTA events and monitoring requests of uaCSTA (docs/protocol.md §10.7).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildMonitorStart, buildMonitorStop, parseCstaEvent, shortEventName } from '../../../src/lib/csta';
import { SnomError } from '../../../src/lib/errors';

const ED5 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed5';
const caps = (v874: boolean) => ({ dialect: 'current' as const, identityIndex: v874, extendedOps: v874 });

describe('csta: uaCSTA monitoring and events', () => {
  it("MonitorStart in Snom's published form (§10.7)", () => {
    assert.equal(
      buildMonitorStart('sip:455455@ser.intern.snom.de', caps(false)),
      `<?xml version="1.0" encoding="UTF-8"?>\n<MonitorStart xmlns='${ED5}' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><monitorObject><deviceObject>sip:455455@ser.intern.snom.de</deviceObject></monitorObject></MonitorStart>`,
    );
    assert.match(buildMonitorStart(2, caps(true)), /<deviceObject>2<\/deviceObject>/);
    assert.throws(
      () => buildMonitorStart(2, caps(false)),
      (e: SnomError) => e.code === 'E_UNSUPPORTED',
    );
    assert.throws(
      () => buildMonitorStart('a b', caps(true)),
      (e: SnomError) => e.code === 'E_INPUT',
    );
  });

  it('MonitorStop only from 8.7.4, with a plain cross-reference id', () => {
    assert.match(
      buildMonitorStop('43', caps(true)),
      /<MonitorStop [^>]*><monitorCrossRefID>43<\/monitorCrossRefID><\/MonitorStop>$/,
    );
    assert.throws(
      () => buildMonitorStop('43', caps(false)),
      (e: SnomError) => e.code === 'E_UNSUPPORTED',
    );
    assert.throws(
      () => buildMonitorStop('<x>', caps(true)),
      (e: SnomError) => e.code === 'E_INPUT',
    );
  });

  it('reads a DeliveredEvent: short name, call id, devices, state, cause', () => {
    const ev = parseCstaEvent(
      `<?xml version="1.0" encoding="utf-8"?>\n<DeliveredEvent xmlns="${ED5}"><monitorCrossRefID>43</monitorCrossRefID><connection><callID>-18</callID><deviceID>sip:100@pbx</deviceID></connection><alertingDevice><deviceIdentifier>sip:100@pbx</deviceIdentifier></alertingDevice><callingDevice><deviceIdentifier>sip:200@pbx</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>sip:100@pbx</deviceIdentifier></calledDevice><localConnectionInfo>alerting</localConnectionInfo><cause>newCall</cause></DeliveredEvent>`,
    );
    assert.ok(ev);
    assert.deepEqual(
      { ...ev, data: undefined },
      {
        event: 'delivered',
        cstaEvent: 'DeliveredEvent',
        monitorCrossRefId: '43',
        cstaId: '-18',
        deviceId: 'sip:100@pbx',
        devices: { alertingDevice: 'sip:100@pbx', callingDevice: 'sip:200@pbx', calledDevice: 'sip:100@pbx' },
        state: 'alerting',
        cause: 'newCall',
        data: undefined,
      },
    );
  });

  it('reads DND and forwarding events, with any prefix and in a SOAP body', () => {
    const dnd = parseCstaEvent(
      `<csta:DoNotDisturbEvent xmlns:csta="${ED5}"><csta:monitorCrossRefID>1</csta:monitorCrossRefID><csta:device><csta:deviceIdentifier>sip:1@x</csta:deviceIdentifier></csta:device><csta:doNotDisturbOn>true</csta:doNotDisturbOn></csta:DoNotDisturbEvent>`,
    );
    assert.equal(dnd?.event, 'doNotDisturb');
    assert.equal(dnd?.doNotDisturbOn, true);
    assert.equal(dnd?.devices.device, 'sip:1@x');
    const fw = parseCstaEvent(
      `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ForwardingEvent xmlns="${ED5}"><forwardingType>forwardImmediate</forwardingType><forwardStatus>true</forwardStatus><forwardTo>sip:300@x</forwardTo></ForwardingEvent></S:Body></S:Envelope>`,
    );
    assert.deepEqual(
      [fw?.event, fw?.forwardingType, fw?.forwardStatus, fw?.forwardTo],
      ['forwarding', 'forwardImmediate', true, 'sip:300@x'],
    );
  });

  it('anything that is not an event element gives undefined, never an exception', () => {
    for (const body of [
      '',
      'junk',
      '<a>',
      `<MonitorStartResponse xmlns="${ED5}"/>`,
      '<__proto__Event/>',
      '<constructor/>',
    ])
      assert.equal(parseCstaEvent(body), undefined, body);
    assert.doesNotThrow(() => parseCstaEvent('<toStringEvent><constructor>1</constructor></toStringEvent>'));
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        parseCstaEvent(s);
        parseCstaEvent(`<XEvent>${s}</XEvent>`);
      }),
      { seed: 11, numRuns: 300 },
    );
    assert.equal(shortEventName('ConnectionClearedEvent'), 'connectionCleared');
  });
});
