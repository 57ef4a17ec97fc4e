import assert from 'node:assert/strict';
import type { SimPhone } from '../../../src/simulator/phone';
import {
  bare,
  call,
  calls,
  csta,
  ED3,
  ED4,
  ED5,
  ext,
  faultOf,
  inject,
  json,
  key,
  request,
  soap,
  SOAP_NS,
  startPhone,
} from './helpers';

// 8.7.3+ form: ConnectionID is <callID> (+ optional <deviceID>), Snom's "since 8.7.3" form (docs/protocol.md §8.3).
const conn = (el: string, id: string, dev = ''): string =>
  `<${el}><callID>${id}</callID>${dev ? `<deviceID>${dev}</deviceID>` : ''}</${el}>`;
const sconn = (el: string, id: string): string => `<csta:${el}><csta:callID>${id}</csta:callID></csta:${el}>`;

describe('simulator CSTA over HTTP, current dialect (8.7.3 and later)', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ firmware: '10.1.33.33' });
  });
  after(() => phone.stop());
  beforeEach(() => request(`${phone.url}/sim/reset`, 'POST'));

  it('RequestSystemStatus: the published ed3 request (docs/protocol.md §8.3) gets the ed5 answer', async () => {
    const r = await csta(
      phone,
      `<?xml version="1.0" encoding="UTF-8"?>\n<RequestSystemStatus xmlns="${ED3}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`,
    );
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/xml/);
    assert.equal(
      r.body,
      `<?xml version="1.0" encoding="utf-8"?>\n<RequestSystemStatusResponse xmlns="${ED5}"><systemStatus>normal</systemStatus></RequestSystemStatusResponse>`,
    );
  });

  it('MakeCall (the published request, docs/protocol.md §8.4, §8.5) places an outgoing call and answers callingDevice/callID', async () => {
    const r = await csta(
      phone,
      `<?xml version="1.0" encoding="UTF-8"?><MakeCall xmlns='${ED5}' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>
<callingDevice>sip:100@sim.local</callingDevice>
<calledDirectoryNumber>455360</calledDirectoryNumber>
<autoOriginate>doNotPrompt</autoOriginate>
</MakeCall>`,
    );
    assert.equal(r.status, 200);
    assert.match(
      r.body,
      new RegExp(
        `^<\\?xml version="1.0" encoding="utf-8"\\?>\\n<MakeCallResponse xmlns="${ED5}"><callingDevice><callID>-1</callID><deviceID>sip:100@sim.local</deviceID></callingDevice></MakeCallResponse>$`,
      ),
    );
    const c = await call(phone, '-1');
    assert.equal(c.direction, 'outgoing');
    assert.equal(c.state, 'dialing');
    assert.equal(c.remote, 'sip:455360@sim.local');
  });

  it('MakeCall takes user@host, and the identity index from 8.7.4; a stranger is invalidCallingDevice', async () => {
    const mk = (dev: string): string =>
      bare('MakeCall', `<callingDevice>${dev}</callingDevice><calledDirectoryNumber>7</calledDirectoryNumber>`);
    assert.equal((await csta(phone, mk('101@sim.local'))).status, 200);
    assert.equal((await csta(phone, mk('2'))).status, 200);
    const list = await calls(phone);
    assert.deepEqual(
      list.map((c) => c.identity),
      [2, 2],
    );
    const bad = await csta(phone, mk('sip:999@elsewhere'));
    assert.equal(bad.status, 500);
    assert.equal(faultOf(bad.body), 'invalidCallingDevice');
  });

  it('AnswerCall with <callID> answers the ringing call; the SOAP form of docs/protocol.md §8.3 works too', async () => {
    const id = await inject(phone);
    const r = await csta(phone, bare('AnswerCall', conn('callToBeAnswered', id, 'sip:100@sim.local')));
    assert.equal(r.status, 200);
    assert.equal(r.body, `<?xml version="1.0" encoding="utf-8"?>\n<AnswerCallResponse xmlns="${ED5}"/>`);
    assert.equal((await call(phone, id)).state, 'connected');

    const id2 = await inject(phone);
    const s = await csta(
      phone,
      soap(
        `<csta:AnswerCall> <csta:callToBeAnswered> <csta:callID>${id2}</csta:callID> </csta:callToBeAnswered> </csta:AnswerCall>`,
      ),
    );
    assert.equal(s.status, 200);
    assert.equal(
      s.body,
      `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}" xmlns:csta="${ED5}"><SOAP-ENV:Body><csta:AnswerCallResponse/></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
    );
    assert.equal((await call(phone, id2)).state, 'connected');
    assert.equal((await call(phone, id)).state, 'held', 'the first call went on hold');
  });

  it('a bare call id (the legacy form) on 8.7.3+ is refused with invalidCallID, in each fault form', async () => {
    const id = await inject(phone);
    const r = await csta(phone, bare('AnswerCall', `<callToBeAnswered>${id}</callToBeAnswered>`));
    assert.equal(r.status, 500);
    // bare fault: Snom's form (docs/protocol.md §8.7), closing tag prefix and all
    assert.equal(
      r.body,
      `<?xml version="1.0" encoding="utf-8"?>\n<CSTAErrorCode xmlns:csta="${ED5}"><operation>invalidCallID</csta:operation></CSTAErrorCode>`,
    );
    const s = await csta(
      phone,
      soap(`<csta:AnswerCall><csta:callToBeAnswered>${id}</csta:callToBeAnswered></csta:AnswerCall>`),
    );
    assert.equal(s.status, 500);
    assert.match(s.body, /<SOAP-ENV:faultstring>CSTA Error<\/SOAP-ENV:faultstring>/);
    assert.equal(faultOf(s.body), 'Invalid CallID');
    assert.equal((await call(phone, id)).state, 'ringing');
    const e = await ext(phone);
    assert.deepEqual(
      e.csta.map((c) => [c.operation, c.dialect, c.soap, c.status, c.fault]),
      [
        ['AnswerCall', 'current', false, 500, 'invalidCallID'],
        ['AnswerCall', 'current', true, 500, 'invalidCallID'],
      ],
    );
  });

  it('unknown call id → invalidCallID; wrong state → invalidConnectionState', async () => {
    const r = await csta(phone, bare('HoldCall', conn('callToBeHeld', '-77')));
    assert.equal(faultOf(r.body), 'invalidCallID');
    const id = await inject(phone);
    const h = await csta(phone, bare('HoldCall', conn('callToBeHeld', id)));
    assert.equal(h.status, 500);
    assert.equal(faultOf(h.body), 'invalidConnectionState');
    const rt = await csta(phone, soap(`<csta:RetrieveCall>${sconn('callToBeRetrieved', id)}</csta:RetrieveCall>`));
    assert.equal(faultOf(rt.body), 'Invalid Connection State');
  });

  it('HoldCall / RetrieveCall / ClearConnection change the call', async () => {
    const id = await inject(phone);
    await key(phone, 'ENTER');
    assert.equal((await csta(phone, bare('HoldCall', conn('callToBeHeld', id)))).status, 200);
    assert.equal((await call(phone, id)).state, 'held');
    assert.equal((await csta(phone, bare('RetrieveCall', conn('callToBeRetrieved', id)))).status, 200);
    assert.equal((await call(phone, id)).state, 'connected');
    assert.equal((await csta(phone, bare('ClearConnection', conn('connectionToBeCleared', id)))).status, 200);
    assert.equal((await call(phone, id)).state, 'disconnected');
    assert.deepEqual(
      (await call(phone, id)).history.map((h) => h.state),
      ['ringing', 'connected', 'held', 'connected', 'disconnected'],
    );
  });

  it('ClearCall needs the SOAP envelope since 8.7.3; enveloped it ends the call', async () => {
    const id = await inject(phone);
    await key(phone, 'ENTER');
    const r = await csta(phone, bare('ClearCall', conn('callToBeCleared', id)));
    assert.equal(r.status, 500);
    assert.equal(faultOf(r.body), 'generic');
    assert.equal((await call(phone, id)).state, 'connected');
    const s = await csta(phone, soap(`<csta:ClearCall>${sconn('callToBeCleared', id)}</csta:ClearCall>`));
    assert.equal(s.status, 200);
    assert.match(s.body, /<csta:ClearCallResponse\/>/);
    assert.equal((await call(phone, id)).state, 'disconnected');
  });

  it('ConsultationCall holds the call and dials; TransferCall joins held and active', async () => {
    const a = await inject(phone);
    await key(phone, 'ENTER');
    const r = await csta(
      phone,
      bare('ConsultationCall', conn('existingCall', a) + '<consultedDevice>301</consultedDevice>'),
    );
    assert.equal(r.status, 200);
    const m = /<initiatedCall><callID>(-\d+)<\/callID><deviceID>sip:100@sim.local<\/deviceID><\/initiatedCall>/.exec(
      r.body,
    );
    assert.ok(m, r.body);
    const c = m[1];
    assert.equal((await call(phone, a)).state, 'held');
    assert.equal((await call(phone, c)).state, 'dialing');
    await json(`${phone.url}/sim/calls/${c}/answer-remote`, 'POST');
    const t = await csta(phone, bare('TransferCall', conn('heldCall', a) + conn('activeCall', c)));
    assert.equal(t.status, 200);
    assert.deepEqual(
      (await calls(phone)).map((x) => x.state),
      ['transferred', 'transferred'],
    );
    const events = (await ext(phone)).csta.map((x) => x.operation);
    assert.deepEqual(events, ['ConsultationCall', 'TransferCall']);
  });

  it('TransferCall with the calls the wrong way round is invalidConnectionState', async () => {
    const a = await inject(phone);
    await key(phone, 'ENTER');
    const b = await inject(phone);
    await key(phone, 'ENTER');
    const t = await csta(phone, bare('TransferCall', conn('heldCall', b) + conn('activeCall', a)));
    assert.equal(faultOf(t.body), 'invalidConnectionState');
  });

  it('ConferenceCall joins a held and an active call', async () => {
    const a = await inject(phone);
    await key(phone, 'ENTER');
    const b = await inject(phone);
    await key(phone, 'ENTER');
    const r = await csta(phone, bare('ConferenceCall', conn('heldCall', a) + conn('activeCall', b)));
    assert.equal(r.status, 200);
    assert.match(r.body, /<conferenceCall><callID>-?\d+<\/callID>/);
    const list = await calls(phone);
    assert.deepEqual(
      list.map((x) => x.state),
      ['connected', 'connected'],
    );
    assert.equal(list[0].conference, list[1].conference);
  });

  it('SingleStepTransferCall sends the call on; DeflectCall sends a ringing call away', async () => {
    const a = await inject(phone);
    await key(phone, 'ENTER');
    const r = await csta(
      phone,
      bare('SingleStepTransferCall', conn('activeCall', a) + '<transferredTo>sip:400@sim.local</transferredTo>'),
    );
    assert.equal(r.status, 200);
    assert.equal((await call(phone, a)).state, 'transferred');
    assert.equal((await call(phone, a)).transferredTo, 'sip:400@sim.local');
    const b = await inject(phone);
    const d = await csta(
      phone,
      bare('DeflectCall', conn('callToBeDiverted', b) + '<newDestination>500</newDestination>'),
    );
    assert.equal(d.status, 200);
    assert.equal((await call(phone, b)).state, 'transferred');
    const c = await inject(phone);
    await key(phone, 'ENTER');
    const d2 = await csta(
      phone,
      bare('DeflectCall', conn('callToBeDiverted', c) + '<newDestination>500</newDestination>'),
    );
    assert.equal(faultOf(d2.body), 'invalidConnectionState');
  });

  it('GenerateDigits records DTMF on a connected call only', async () => {
    const a = await inject(phone);
    const early = await csta(
      phone,
      bare('GenerateDigits', conn('connectionToSendDigits', a) + '<charactersToSend>12#</charactersToSend>'),
    );
    assert.equal(faultOf(early.body), 'invalidConnectionState');
    await key(phone, 'ENTER');
    const r = await csta(
      phone,
      bare('GenerateDigits', conn('connectionToSendDigits', a) + '<charactersToSend>12#</charactersToSend>'),
    );
    assert.equal(r.status, 200);
    assert.deepEqual(
      (await ext(phone)).generatedDigits.map((g) => [g.cstaId, g.digits]),
      [[a, '12#']],
    );
  });

  it('SnapshotDevice (docs/protocol.md §8.6) lists the calls with their compound call state', async () => {
    const a = await inject(phone);
    const r = await csta(
      phone,
      `<?xml version="1.0" encoding="UTF-8"?><SnapshotDevice xmlns="${ED5}"><snapshotObject>100@sim.local</snapshotObject></SnapshotDevice>`,
    );
    assert.equal(r.status, 200);
    assert.equal(
      r.body,
      `<?xml version="1.0" encoding="utf-8"?>\n<SnapshotDeviceResponse xmlns="${ED5}"><crossRefIDorSnapshotData><snapshotData><snapshotDeviceResponseInfo>` +
        `<connectionIdentifier><callID>${a}</callID><deviceID>sip:100@sim.local</deviceID></connectionIdentifier>` +
        '<localCallState><compoundCallState><localConnectionState>alerting</localConnectionState></compoundCallState></localCallState>' +
        '</snapshotDeviceResponseInfo></snapshotData></crossRefIDorSnapshotData></SnapshotDeviceResponse>',
    );
    await key(phone, 'ENTER;F_HOLD');
    const h = await csta(phone, bare('SnapshotDevice', '<snapshotObject>sip:100@sim.local</snapshotObject>'));
    assert.match(h.body, /<localConnectionState>hold<\/localConnectionState>/);
    const other = await csta(phone, bare('SnapshotDevice', '<snapshotObject>101@sim.local</snapshotObject>'));
    assert.match(other.body, /<snapshotData\/>/);
  });

  it('Get/SetDoNotDisturb (SetDoNotDisturb fires dnd on) and Get/SetForwarding', async () => {
    await json(`${phone.url}/sim/settings`, 'PUT', { action_dnd_on_url: 'http://127.0.0.1:1/dnd?x=$local' });
    const dev = '<device>sip:100@sim.local</device>';
    assert.match((await csta(phone, bare('GetDoNotDisturb', dev))).body, /<doNotDisturbOn>false<\/doNotDisturbOn>/);
    assert.equal(
      (await csta(phone, bare('SetDoNotDisturb', `${dev}<doNotDisturbOn>true</doNotDisturbOn>`))).status,
      200,
    );
    assert.match((await csta(phone, bare('GetDoNotDisturb', dev))).body, /<doNotDisturbOn>true<\/doNotDisturbOn>/);
    const e = await ext(phone);
    assert.equal(e.dnd, true);
    assert.deepEqual(
      e.actionUrls.map((a) => [a.event, a.url]),
      [['dnd_on', 'http://127.0.0.1:1/dnd?x=sip%3A100%40sim.local']],
    );

    const set = await csta(
      phone,
      bare(
        'SetForwarding',
        `${dev}<forwardingType>forwardBusy</forwardingType><activateForward>true</activateForward><forwardDN>sip:300@sim.local</forwardDN>`,
      ),
    );
    assert.equal(set.status, 200);
    const g = await csta(phone, bare('GetForwarding', dev));
    assert.match(
      g.body,
      /<forwardListItem><forwardingType>forwardBusy<\/forwardingType><forwardStatus>true<\/forwardStatus><forwardDN>sip:300@sim.local<\/forwardDN><\/forwardListItem>/,
    );
    assert.match(
      g.body,
      /<forwardListItem><forwardingType>forwardImmediate<\/forwardingType><forwardStatus>false<\/forwardStatus><\/forwardListItem>/,
    );
    assert.deepEqual((await ext(phone)).forwarding, { busy: 'sip:300@sim.local' });
    const bad = await csta(
      phone,
      bare(
        'SetForwarding',
        `${dev}<forwardingType>forwardBusy</forwardingType><activateForward>true</activateForward>`,
      ),
    );
    assert.equal(faultOf(bad.body), 'invalidForwardingDestination');
    // a forwardingType that names an Object.prototype member is as unknown as any other word
    for (const type of ['constructor', 'toString', '__proto__', 'forwardDND']) {
      const odd = await csta(
        phone,
        bare(
          'SetForwarding',
          `${dev}<forwardingType>${type}</forwardingType><activateForward>true</activateForward><forwardDN>sip:9@x</forwardDN>`,
        ),
      );
      assert.equal(faultOf(odd.body), 'valueOutOfRange', type);
    }
    assert.deepEqual((await ext(phone)).forwarding, { busy: 'sip:300@sim.local' });
    const stranger = await csta(phone, bare('GetDoNotDisturb', '<device>sip:1@x</device>'));
    assert.equal(faultOf(stranger.body), 'invalidDeviceID');
  });

  it('the ed4 namespace, unknown operations and garbage are refused', async () => {
    const ns = await csta(phone, bare('RequestSystemStatus', '', ED4));
    assert.equal(ns.status, 500);
    assert.equal(faultOf(ns.body), 'generic');
    const unknown = await csta(phone, bare('MonitorStart', '<monitorObject>1</monitorObject>'));
    assert.equal(faultOf(unknown.body), 'serviceNotSupported');
    const junk = await csta(phone, '<MakeCall><oops></MakeCall>');
    assert.equal(junk.status, 500);
    assert.equal(faultOf(junk.body), 'generic');
  });
});

describe('simulator CSTA on 8.7.3: the 8.7.4 operations are not there yet', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ model: 'snom370', firmware: '8.7.3.25' });
  });
  after(() => phone.stop());

  it('ConsultationCall, DeflectCall, DND, forwarding → serviceNotSupported; the identity index is not a device', async () => {
    // prettier-ignore
    for (const op of [
      'ConsultationCall', 'DeflectCall', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
    ]) {
      const r = await csta(phone, bare(op, '<device>sip:100@sim.local</device>'));
      assert.equal(r.status, 500, op);
      assert.equal(faultOf(r.body), 'serviceNotSupported', op);
    }
    const mk = await csta(
      phone,
      bare('MakeCall', '<callingDevice>1</callingDevice><calledDirectoryNumber>7</calledDirectoryNumber>'),
    );
    assert.equal(faultOf(mk.body), 'invalidCallingDevice');
    assert.equal((await csta(phone, bare('RequestSystemStatus'))).status, 200);
  });

  it('SingleStepTransferCall still takes the bare call id (its older format) as well as <callID>', async () => {
    const a = await inject(phone);
    await key(phone, 'ENTER');
    const r = await csta(
      phone,
      bare('SingleStepTransferCall', `<activeCall>${a}</activeCall><transferredTo>400</transferredTo>`),
    );
    assert.equal(r.status, 200);
    assert.equal((await call(phone, a)).state, 'transferred');
    const b = await inject(phone);
    await key(phone, 'ENTER');
    assert.equal(
      (await csta(phone, bare('SingleStepTransferCall', `${conn('activeCall', b)}<transferredTo>400</transferredTo>`)))
        .status,
      200,
    );
  });
});
