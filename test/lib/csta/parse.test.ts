import assert from 'node:assert/strict';
import { SnomError } from '../../../src/lib/errors';
import { normaliseCstaError, parseCstaResponse } from '../../../src/lib/csta';
import {
  GET_SETTINGS_RESPONSE_FILLED,
  REF_MAKE_CALL_RESPONSE,
  REF_REQUEST_SYSTEM_STATUS_RESPONSE,
  REF_SNAPSHOT_DEVICE_RESPONSE,
  SEED_FAULT_BARE,
  SEED_FAULT_SOAP,
  SEED_FAULT_TEXT,
  SEED_FIRE_TEST_RESPONSE,
  SEED_GET_SETTINGS_RESPONSE,
  SEED_SET_SETTINGS_RESPONSE,
  SEED_SUCCESS,
  SEED_XML_PUSH_RESPONSE,
} from './fixtures';

/** Runs fn, asserts it throws a SnomError, returns it for more checks. */
function caught(fn: () => unknown): SnomError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SnomError, `not a SnomError: ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

describe('CSTA response parser', () => {
  describe('the three success forms (docs/protocol.md §8.6)', () => {
    SEED_SUCCESS.forEach((body, i) => {
      it(`AnswerCallResponse form ${i + 1}`, () => {
        const r = parseCstaResponse(200, body);
        assert.equal(r.operation, 'AnswerCallResponse');
        assert.deepEqual(r.data, {});
        assert.equal(r.raw, body);
        assert.equal(r.callId, undefined);
      });
    });

    it('SetSettings, XmlPush and FireTest replies', () => {
      assert.equal(parseCstaResponse(200, SEED_SET_SETTINGS_RESPONSE).operation, 'SetSettingsResponse');
      assert.equal(parseCstaResponse(200, SEED_XML_PUSH_RESPONSE).operation, 'XmlPushResponse');
      assert.equal(parseCstaResponse(200, SEED_FIRE_TEST_RESPONSE).operation, 'FireTestResponse');
    });

    it('GetSettingsResponse verbatim as published (docs/protocol.md §9.2): names and values trimmed', () => {
      const r = parseCstaResponse(200, SEED_GET_SETTINGS_RESPONSE);
      assert.equal(r.operation, 'GetSettingsResponse');
      assert.deepEqual(r.data, { settings: { 'Name of the Setting': 'Value of the setting' } });
    });

    it('GetSettingsResponse with real settings, entities decoded, empty values kept', () => {
      const r = parseCstaResponse(200, GET_SETTINGS_RESPONSE_FILLED);
      assert.deepEqual(r.data.settings, {
        mac: '000413123456',
        action_incoming_url: 'http://srv/in?remote=$remote&id=$csta_id',
        user_realname1: '',
      });
    });

    it('a single Setting is read like several', () => {
      const body =
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="x" xmlns:csta="y"><SOAP-ENV:Body><csta:GetSettingsResponse><csta:Setting><csta:name>phone_type</csta:name><csta:value>snomD785</csta:value></csta:Setting></csta:GetSettingsResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>';
      assert.deepEqual(parseCstaResponse(200, body).data, { settings: { phone_type: 'snomD785' } });
    });
  });

  describe('published ed5 responses (docs/protocol.md §8.6)', () => {
    it('RequestSystemStatusResponse', () => {
      const r = parseCstaResponse(200, REF_REQUEST_SYSTEM_STATUS_RESPONSE);
      assert.equal(r.operation, 'RequestSystemStatusResponse');
      assert.deepEqual(r.data, { systemStatus: 'normal' });
    });

    it('MakeCallResponse gives the new call id as a string', () => {
      const r = parseCstaResponse(200, REF_MAKE_CALL_RESPONSE);
      assert.equal(r.operation, 'MakeCallResponse');
      assert.equal(r.callId, '2');
      assert.deepEqual(r.data, { callingDevice: { callID: '2', deviceID: 'sip:455455@ser.intern.snom.de' } });
    });

    it('SnapshotDeviceResponse keeps callID "-12" as a string', () => {
      const r = parseCstaResponse(200, REF_SNAPSHOT_DEVICE_RESPONSE);
      assert.equal(r.operation, 'SnapshotDeviceResponse');
      const info = (r.data as any).crossRefIDorSnapshotData.snapshotData.snapshotDeviceResponseInfo;
      assert.deepEqual(info.connectionIdentifier, { callID: '-12', deviceID: 'sip:455455@ser.intern.snom.de' });
      assert.equal(info.localCallState.compoundCallState.localConnectionState, 'alerting');
    });

    it('ConsultationCallResponse: call id from initiatedCall', () => {
      const body =
        '<?xml version="1.0" encoding="utf-8"?><ConsultationCallResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5"><initiatedCall><callID>-5</callID><deviceID>sip:1@x</deviceID></initiatedCall></ConsultationCallResponse>';
      assert.equal(parseCstaResponse(200, body).callId, '-5');
    });

    it('a legacy SOAP MakeCallResponse with csta prefix declared on the envelope', () => {
      const body =
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:csta="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><SOAP-ENV:Body><csta:MakeCallResponse><csta:callingDevice><csta:callID>7</csta:callID></csta:callingDevice></csta:MakeCallResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>';
      const r = parseCstaResponse(200, body);
      assert.equal(r.operation, 'MakeCallResponse');
      assert.equal(r.callId, '7');
    });
  });

  describe('faults', () => {
    for (const [name, body, text] of [
      ['SOAP fault', SEED_FAULT_SOAP, 'invalidCallID'],
      ['bare fault with the malformed closing tag', SEED_FAULT_BARE, 'invalidCallID'],
      ['SOAP fault with "Invalid CallID"', SEED_FAULT_TEXT, 'Invalid CallID'],
    ] as const) {
      it(`${name} → E_CSTA invalidCallID`, () => {
        const err = caught(() => parseCstaResponse(500, body, { phone: 'office', command: 'csta AnswerCall' }));
        assert.equal(err.code, 'E_CSTA');
        assert.equal(err.details.cstaError, 'invalidCallID');
        assert.equal(err.details.cstaText, text);
        assert.equal(err.details.cstaCategory, 'operation');
        assert.equal(err.details.status, 500);
        assert.equal(err.details.phone, 'office');
        assert.match(err.message, /office.*csta AnswerCall.*invalidCallID/);
      });
    }

    it('a fault inside a 200 is still E_CSTA', () => {
      const err = caught(() => parseCstaResponse(200, SEED_FAULT_SOAP));
      assert.equal(err.code, 'E_CSTA');
      assert.equal(err.details.status, 200);
    });

    it('other ECMA-323 error values, spaced wording and SOAP faults without CSTAErrorCode', () => {
      const bare = (inner: string): string =>
        `<CSTAErrorCode xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5">${inner}</CSTAErrorCode>`;
      assert.equal(
        caught(() =>
          parseCstaResponse(500, bare('<stateIncompatibility>Invalid Connection State</stateIncompatibility>')),
        ).details.cstaError,
        'invalidConnectionState',
      );
      assert.equal(
        caught(() =>
          parseCstaResponse(500, bare('<systemResourceAvailability>resourceBusy</systemResourceAvailability>')),
        ).details.cstaError,
        'resourceBusy',
      );
      const u = caught(() => parseCstaResponse(500, bare('<unspecified/>')));
      assert.equal(u.details.cstaError, 'unspecified');
      const plain = caught(() =>
        parseCstaResponse(
          500,
          '<SOAP-ENV:Envelope xmlns:SOAP-ENV="x"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>Server</faultcode><faultstring>Service Not Supported</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>',
        ),
      );
      assert.equal(plain.code, 'E_CSTA');
      assert.equal(plain.details.cstaError, 'serviceNotSupported');
      assert.equal(plain.details.cstaText, 'Service Not Supported');
    });

    it('normalises error wording to camelCase', () => {
      assert.equal(normaliseCstaError('Invalid CallID'), 'invalidCallID');
      assert.equal(normaliseCstaError('invalid callid'), 'invalidCallID');
      assert.equal(normaliseCstaError('INVALID CALL ID'), 'invalidCallID');
      assert.equal(normaliseCstaError('Invalid Connection State'), 'invalidConnectionState');
      assert.equal(normaliseCstaError('no-active-call'), 'noActiveCall');
      assert.equal(normaliseCstaError('Some New Thing'), 'someNewThing');
      assert.equal(normaliseCstaError('  '), 'unspecified');
    });
  });

  describe('bodies that are not CSTA', () => {
    it('an HTML error page is E_HTTP with the status and a short excerpt', () => {
      const page = `<html><head><title>500 Internal Server Error</title></head><body>${'x'.repeat(500)}</body></html>`;
      const err = caught(() => parseCstaResponse(500, page));
      assert.equal(err.code, 'E_HTTP');
      assert.equal(err.details.status, 500);
      const ex = err.details.excerpt as string;
      assert.ok(ex.length <= 200, `excerpt ${ex.length} chars`);
      assert.ok(ex.startsWith('<html><head><title>500'));
    });

    it('non-XML text, also with 200, is E_HTTP; 401 is E_AUTH', () => {
      assert.equal(caught(() => parseCstaResponse(200, 'OK')).code, 'E_HTTP');
      assert.equal(caught(() => parseCstaResponse(404, 'Not Found')).details.status, 404);
      assert.equal(caught(() => parseCstaResponse(500, '<a><b></a>')).code, 'E_HTTP');
      assert.equal(caught(() => parseCstaResponse(401, '<html><body>Unauthorized</body></html>')).code, 'E_AUTH');
    });

    it('well-formed XML without a fault in a 500 is E_HTTP, an empty 500 too; an empty 200 is success', () => {
      assert.equal(caught(() => parseCstaResponse(500, '<AnswerCallResponse/>')).code, 'E_HTTP');
      assert.equal(caught(() => parseCstaResponse(500, '')).code, 'E_HTTP');
      assert.deepEqual(parseCstaResponse(200, ''), { operation: '', data: {}, raw: '' });
    });
  });
});
