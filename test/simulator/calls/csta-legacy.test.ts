import assert from 'node:assert/strict';
import type { SimPhone } from '../../../src/simulator/phone';
import {
  bare,
  call,
  csta,
  ED4,
  ED5,
  ext,
  faultOf,
  inject,
  key,
  request,
  settings,
  soap,
  SOAP_NS,
  startPhone,
} from './helpers';

const LEGACY_EMPTY = (op: string): string =>
  `<?xml version="1.0" encoding="utf-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}"><SOAP-ENV:Header/><SOAP-ENV:Body><csta:${op}Response xmlns:csta="${ED4}"/></SOAP-ENV:Body></SOAP-ENV:Envelope>`;

describe('simulator CSTA over HTTP, legacy dialect (7.3.4 to before 8.7)', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ model: 'snom320', firmware: '8.6.5' });
  });
  after(() => phone.stop());
  beforeEach(() => request(`${phone.url}/sim/reset`, 'POST'));

  it('AnswerCall in the legacy form of docs/protocol.md §8.3 answers, with the first reply shape of §8.6', async () => {
    const id = await inject(phone);
    const r = await csta(
      phone,
      `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}" xmlns:csta="${ED4}">
 <SOAP-ENV:Body><csta:AnswerCall><csta:callToBeAnswered>${id}</csta:callToBeAnswered></csta:AnswerCall></SOAP-ENV:Body>
</SOAP-ENV:Envelope>`,
    );
    assert.equal(r.status, 200);
    assert.equal(r.body, LEGACY_EMPTY('AnswerCall'));
    assert.equal((await call(phone, id)).state, 'connected');
    const [rec] = (await ext(phone)).csta;
    assert.deepEqual([rec.operation, rec.dialect, rec.soap, rec.status], ['AnswerCall', 'legacy', true, 200]);
  });

  it('<callID> (the 8.7.3 form) is refused with the legacy SOAP fault invalidCallID', async () => {
    const id = await inject(phone);
    const r = await csta(
      phone,
      soap(
        `<csta:AnswerCall><csta:callToBeAnswered><csta:callID>${id}</csta:callID></csta:callToBeAnswered></csta:AnswerCall>`,
        ED4,
      ),
    );
    assert.equal(r.status, 500);
    assert.equal(
      r.body,
      `<?xml version="1.0" encoding="utf-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}"><SOAP-ENV:Header/><SOAP-ENV:Body><SOAP-ENV:Fault>` +
        '<SOAP-ENV:faultcode>Client</SOAP-ENV:faultcode><SOAP-ENV:faultstring>CSTA Error</SOAP-ENV:faultstring>' +
        `<SOAP-ENV:detail><csta:CSTAErrorCode xmlns:csta="${ED4}"><csta:operation>invalidCallID</csta:operation></csta:CSTAErrorCode>` +
        '</SOAP-ENV:detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    );
    assert.equal((await call(phone, id)).state, 'ringing');
  });

  it('a bare (non-SOAP) request and the ed5 namespace are refused', async () => {
    const id = await inject(phone);
    const b = await csta(phone, bare('AnswerCall', `<callToBeAnswered>${id}</callToBeAnswered>`, ED4));
    assert.equal(b.status, 500);
    assert.equal(faultOf(b.body), 'generic');
    assert.match(b.body, /<SOAP-ENV:Header\/>/);
    const n = await csta(
      phone,
      soap(`<csta:AnswerCall><csta:callToBeAnswered>${id}</csta:callToBeAnswered></csta:AnswerCall>`, ED5),
    );
    assert.equal(faultOf(n.body), 'generic');
    assert.equal((await call(phone, id)).state, 'ringing');
  });

  it('MakeCall, HoldCall, RetrieveCall, TransferCall, ClearConnection, ClearCall, SingleStepTransferCall with bare ids', async () => {
    const m = await csta(
      phone,
      soap(
        '<csta:MakeCall><csta:callingDevice>sip:100@sim.local</csta:callingDevice><csta:calledDirectoryNumber>300</csta:calledDirectoryNumber></csta:MakeCall>',
        ED4,
      ),
    );
    assert.equal(m.status, 200);
    assert.match(
      m.body,
      /<csta:MakeCallResponse xmlns:csta="[^"]+ed4"><csta:callingDevice><csta:callID>-1<\/csta:callID><csta:deviceID>sip:100@sim.local<\/csta:deviceID><\/csta:callingDevice><\/csta:MakeCallResponse>/,
    );
    await request(`${phone.url}/sim/calls/-1/answer-remote`, 'POST');
    const a = await inject(phone);
    await key(phone, 'ENTER');
    assert.equal((await call(phone, '-1')).state, 'held', 'answering put the first call on hold');
    const op = (name: string, inner: string): Promise<{ status: number; body: string }> =>
      csta(phone, soap(`<csta:${name}>${inner}</csta:${name}>`, ED4));
    assert.equal((await op('HoldCall', `<csta:callToBeHeld>${a}</csta:callToBeHeld>`)).status, 200);
    assert.equal((await op('RetrieveCall', `<csta:callToBeRetrieved>${a}</csta:callToBeRetrieved>`)).status, 200);
    assert.equal((await call(phone, a)).state, 'connected');
    assert.equal(
      (await op('TransferCall', `<csta:heldCall>-1</csta:heldCall><csta:activeCall>${a}</csta:activeCall>`)).status,
      200,
    );
    assert.equal((await call(phone, a)).state, 'transferred');

    const b = await inject(phone);
    await key(phone, 'ENTER');
    assert.equal(
      (
        await op(
          'SingleStepTransferCall',
          `<csta:activeCall>${b}</csta:activeCall><csta:transferredTo>500</csta:transferredTo>`,
        )
      ).status,
      200,
    );
    assert.equal((await call(phone, b)).transferredTo, 'sip:500@sim.local');
    const c = await inject(phone);
    await key(phone, 'ENTER');
    const cc = await op('ClearConnection', `<csta:connectionToBeCleared>${c}</csta:connectionToBeCleared>`);
    assert.equal(cc.body, LEGACY_EMPTY('ClearConnection'));
    const d = await inject(phone);
    assert.equal((await op('ClearCall', `<csta:callToBeCleared>${d}</csta:callToBeCleared>`)).status, 200);
    assert.equal((await call(phone, d)).state, 'disconnected');
  });

  it('8.7.3 operations (SnapshotDevice, GenerateDigits, ConferenceCall, RequestSystemStatus) are serviceNotSupported', async () => {
    for (const name of [
      'SnapshotDevice',
      'GenerateDigits',
      'ConferenceCall',
      'RequestSystemStatus',
      'ConsultationCall',
    ]) {
      const r = await csta(phone, soap(`<csta:${name}/>`, ED4));
      assert.equal(r.status, 500, name);
      assert.equal(faultOf(r.body), 'serviceNotSupported', name);
    }
  });
});

describe('simulator CSTA: csta_legacy_control=0 puts an 8.7.3+ phone into the legacy form', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ model: 'snom710', firmware: '8.7.5.35' });
  });
  after(() => phone.stop());

  it('bare ids are taken, <callID> is refused, the answer is the legacy form', async () => {
    await settings(phone, { csta_legacy_control: '0' });
    const id = await inject(phone);
    const wrong = await csta(
      phone,
      soap(
        `<csta:AnswerCall><csta:callToBeAnswered><csta:callID>${id}</csta:callID></csta:callToBeAnswered></csta:AnswerCall>`,
        ED4,
      ),
    );
    assert.equal(faultOf(wrong.body), 'invalidCallID');
    const r = await csta(
      phone,
      soap(`<csta:AnswerCall><csta:callToBeAnswered>${id}</csta:callToBeAnswered></csta:AnswerCall>`, ED4),
    );
    assert.equal(r.body, LEGACY_EMPTY('AnswerCall'));
    await settings(phone, { csta_legacy_control: '1' });
    const cur = await csta(
      phone,
      soap(`<csta:HoldCall><csta:callToBeHeld><csta:callID>${id}</csta:callID></csta:callToBeHeld></csta:HoldCall>`),
    );
    assert.equal(cur.status, 200);
    assert.equal((await call(phone, id)).state, 'held');
  });
});
