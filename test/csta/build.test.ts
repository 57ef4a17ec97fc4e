import assert from 'node:assert/strict';
import {
  CSTA_ED4,
  CSTA_ED5,
  CSTA_OPERATIONS,
  EXTENDED_OPERATIONS,
  LEGACY_OPERATIONS,
  SOAP_NS,
  buildCstaRequest,
  buildRawCsta,
  escapeXml,
  type CstaOperation,
  type CstaParams,
} from '../../src/lib/csta';
import type { CstaCaps } from '../../src/lib/profile/types';
import {
  REF_LEGACY_ANSWER_CALL,
  REF_MAKE_CALL,
  REF_REQUEST_SYSTEM_STATUS,
  REF_SNAPSHOT_DEVICE,
  SEED_FIRE_TEST,
  SEED_GET_SETTINGS,
  squeeze,
} from './fixtures';
import { INJECTION, at, elementNames, parseBack, throwsCode } from './xml-helpers';

const CURRENT: CstaCaps = { dialect: 'current', identityIndex: true, extendedOps: true };
const CURRENT_873: CstaCaps = { dialect: 'current', identityIndex: false, extendedOps: false };
const LEGACY: CstaCaps = { dialect: 'legacy', identityIndex: false, extendedOps: false };
const GAP: CstaCaps = { dialect: 'gap', identityIndex: false, extendedOps: false };
const NONE: CstaCaps = { dialect: 'none', identityIndex: false, extendedOps: false };

const DOC = '<SnomIPPhoneText><Title>Caller</Title><Text>Alice &amp; Bob</Text></SnomIPPhoneText>';

/** Valid parameters for every operation. */
const VALID: Record<CstaOperation, CstaParams> = {
  MakeCall: { callingDevice: '100@pbx', calledDirectoryNumber: '200' },
  AnswerCall: { callId: -18 },
  ClearConnection: { callId: '-3' },
  ClearCall: { callId: 4 },
  HoldCall: { callId: 5 },
  RetrieveCall: { callId: 6 },
  ConsultationCall: { callId: 7, consultedDevice: '300' },
  TransferCall: { heldCallId: 8, activeCallId: 9 },
  ConferenceCall: { heldCallId: 10, activeCallId: 11 },
  SingleStepTransferCall: { callId: 12, transferredTo: '400' },
  DeflectCall: { callId: 13, newDestination: '500' },
  GenerateDigits: { callId: 14, digits: '12#' },
  SnapshotDevice: { snapshotObject: '100@pbx' },
  RequestSystemStatus: {},
  GetDoNotDisturb: { deviceId: '100@pbx' },
  SetDoNotDisturb: { deviceId: '100@pbx', doNotDisturbOn: true },
  GetForwarding: { deviceId: '100@pbx' },
  SetForwarding: { deviceId: '100@pbx', forwardingType: 'forwardBusy', activateForward: true, forwardDN: '600' },
  GetSettings: {},
  SetSettings: { settings: { action_incoming_url: 'http://srv/in?r=$remote&id=$csta_id' } },
  XmlPush: { document: DOC },
  FireTest: {},
};

/** The operation element of a built body, wherever it sits (bare or in SOAP). */
function opElement(body: string, op: string): Record<string, unknown> {
  const tree = parseBack(body);
  const el = 'Envelope' in tree ? at(tree, 'Envelope', 'Body', op) : tree[op];
  assert.notEqual(el, undefined, `no ${op} element in ${body}`);
  return (el === '' ? {} : el) as Record<string, unknown>;
}

function fillSeedNamespaces(seed: string, cstaNs: string): string {
  return seed.replace('xmlns:SOAP-ENV=""', `xmlns:SOAP-ENV="${SOAP_NS}"`).replace('xmlns:csta=""', `xmlns:csta="${cstaNs}"`);
}

describe('CSTA request builder', () => {
  describe('published vectors (reference §10.5), compared modulo whitespace between tags', () => {
    it('RequestSystemStatus uses ed3 exactly as Snom shows it', () => {
      const r = buildCstaRequest('RequestSystemStatus', {}, CURRENT);
      assert.equal(squeeze(r.body), squeeze(REF_REQUEST_SYSTEM_STATUS));
      assert.equal(r.soap, false);
      assert.equal(r.contentType, 'text/xml');
    });

    it('MakeCall', () => {
      const r = buildCstaRequest(
        'MakeCall',
        { callingDevice: 'sip:455455@ser.intern.snom.de', calledDirectoryNumber: '455360', autoOriginate: 'doNotPrompt' },
        CURRENT,
      );
      assert.equal(squeeze(r.body), squeeze(REF_MAKE_CALL));
    });

    it('MakeCall adds sip: to user@host and defaults autoOriginate to doNotPrompt', () => {
      const r = buildCstaRequest('MakeCall', { callingDevice: '455455@ser.intern.snom.de', calledDirectoryNumber: '455360' }, CURRENT);
      assert.equal(squeeze(r.body), squeeze(REF_MAKE_CALL));
    });

    it('SnapshotDevice keeps the snapshot object as given', () => {
      const r = buildCstaRequest('SnapshotDevice', { snapshotObject: '455455@ser.intern.snom.de' }, CURRENT);
      assert.equal(squeeze(r.body), squeeze(REF_SNAPSHOT_DEVICE));
    });

    it('legacy AnswerCall: SOAP, ed4, bare call id', () => {
      const r = buildCstaRequest('AnswerCall', { callId: '-18' }, LEGACY);
      assert.equal(squeeze(r.body), squeeze(REF_LEGACY_ANSWER_CALL));
      assert.equal(r.soap, true);
    });
  });

  describe('seed forms', () => {
    it('8.7.3+ AnswerCall puts the call id in <callID> (seed: callToBeAnswered/callID -18)', () => {
      const el = opElement(buildCstaRequest('AnswerCall', { callId: -18 }, CURRENT).body, 'AnswerCall');
      assert.deepEqual(el, { callToBeAnswered: { callID: '-18' } });
    });

    it('8.7.3+ ConnectionID has <deviceID> after <callID> when the device is given', () => {
      const body = buildCstaRequest('HoldCall', { callId: -2, deviceId: '455455@ser.intern.snom.de' }, CURRENT).body;
      assert.match(squeeze(body), /<callToBeHeld><callID>-2<\/callID><deviceID>sip:455455@ser\.intern\.snom\.de<\/deviceID><\/callToBeHeld>/);
    });

    it('GetSettings and FireTest are the seed templates in a SOAP envelope (ed5 on 8.7.3+, ed4 on legacy)', () => {
      for (const [caps, ns] of [
        [CURRENT, CSTA_ED5],
        [LEGACY, CSTA_ED4],
      ] as const) {
        const gs = buildCstaRequest('GetSettings', {}, caps);
        assert.equal(gs.soap, true);
        assert.equal(squeeze(gs.body), squeeze('<?xml version="1.0" encoding="UTF-8"?>' + fillSeedNamespaces(SEED_GET_SETTINGS, ns)));
        const ft = buildCstaRequest('FireTest', {}, caps);
        assert.equal(squeeze(ft.body), squeeze('<?xml version="1.0" encoding="UTF-8"?>' + fillSeedNamespaces(SEED_FIRE_TEST, ns)));
      }
    });

    it('SetSettings: one csta:Setting with name and value per setting', () => {
      const r = buildCstaRequest('SetSettings', { settings: { user_realname1: 'Reception', action_fwtest_url: 'http://srv/fw' } }, CURRENT);
      assert.equal(r.soap, true);
      assert.match(
        squeeze(r.body),
        /<csta:SetSettings><csta:Setting><csta:name>user_realname1<\/csta:name><csta:value>Reception<\/csta:value><\/csta:Setting><csta:Setting><csta:name>action_fwtest_url<\/csta:name><csta:value>http:\/\/srv\/fw<\/csta:value><\/csta:Setting><\/csta:SetSettings>/,
      );
    });

    it('XmlPush carries the document as escaped text of csta:document', () => {
      const r = buildCstaRequest('XmlPush', { document: DOC }, CURRENT);
      assert.match(r.body, /<csta:XmlPush><csta:document>&lt;SnomIPPhoneText&gt;/);
      assert.equal(opElement(r.body, 'XmlPush').document, DOC);
    });

    it('ClearCall is always enveloped, with ed5 and <callID> on 8.7.3+', () => {
      const r = buildCstaRequest('ClearCall', { callId: -7 }, CURRENT);
      assert.equal(r.soap, true);
      assert.ok(r.body.includes(`xmlns:csta="${CSTA_ED5}"`));
      assert.match(squeeze(r.body), /<csta:ClearCall><csta:callToBeCleared><csta:callID>-7<\/csta:callID><\/csta:callToBeCleared><\/csta:ClearCall>/);
    });
  });

  describe('element names per ECMA-323 (reference §7.5) on 8.7.4+', () => {
    const expected: Partial<Record<CstaOperation, unknown>> = {
      ClearConnection: { connectionToBeCleared: { callID: '-3' } },
      RetrieveCall: { callToBeRetrieved: { callID: '6' } },
      ConsultationCall: { existingCall: { callID: '7' }, consultedDevice: '300' },
      TransferCall: { heldCall: { callID: '8' }, activeCall: { callID: '9' } },
      ConferenceCall: { heldCall: { callID: '10' }, activeCall: { callID: '11' } },
      SingleStepTransferCall: { activeCall: { callID: '12' }, transferredTo: '400' },
      DeflectCall: { callToBeDiverted: { callID: '13' }, newDestination: '500' },
      GenerateDigits: { connectionToSendDigits: { callID: '14' }, charactersToSend: '12#' },
      GetDoNotDisturb: { device: 'sip:100@pbx' },
      SetDoNotDisturb: { device: 'sip:100@pbx', doNotDisturbOn: 'true' },
      GetForwarding: { device: 'sip:100@pbx' },
      SetForwarding: { device: 'sip:100@pbx', forwardingType: 'forwardBusy', activateForward: 'true', forwardDN: '600' },
    };
    for (const [op, want] of Object.entries(expected)) {
      it(op, () => {
        const r = buildCstaRequest(op as CstaOperation, VALID[op as CstaOperation], CURRENT);
        assert.equal(r.soap, false);
        assert.ok(r.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
        assert.ok(r.body.includes(`<${op} xmlns="${CSTA_ED5}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`));
        const el = opElement(r.body, op);
        delete el['@xmlns'];
        delete el['@xmlns:xsi'];
        assert.deepEqual(el, want);
      });
    }

    it('SetForwarding off needs no forwardDN, and writes ECMA order device, type, activate, DN', () => {
      const off = buildCstaRequest('SetForwarding', { deviceId: 2, forwardingType: 'forwardImmediate', activateForward: false }, CURRENT);
      assert.match(off.body, /<device>2<\/device><forwardingType>forwardImmediate<\/forwardingType><activateForward>false<\/activateForward><\/SetForwarding>/);
      const on = buildCstaRequest('SetForwarding', VALID.SetForwarding, CURRENT);
      assert.match(on.body, /<device>.*<\/device><forwardingType>.*<\/forwardingType><activateForward>true<\/activateForward><forwardDN>600<\/forwardDN>/);
    });

    it('every operation builds on 8.7.4+ and yields well-formed XML naming the operation', () => {
      for (const op of CSTA_OPERATIONS) {
        const r = buildCstaRequest(op, VALID[op], CURRENT);
        assert.equal(r.operation, op);
        opElement(r.body, op);
      }
    });
  });

  describe('legacy dialect (7.3.4 to before 8.7)', () => {
    it('builds every legacy operation as SOAP ed4 with bare call ids', () => {
      for (const op of LEGACY_OPERATIONS) {
        const r = buildCstaRequest(op, VALID[op], LEGACY);
        assert.equal(r.soap, true, op);
        assert.ok(r.body.includes(`xmlns:csta="${CSTA_ED4}"`), op);
        assert.ok(!r.body.includes('callID'), `${op} must not use <callID>: ${r.body}`);
        opElement(r.body, op);
      }
      const t = opElement(buildCstaRequest('TransferCall', { heldCallId: 8, activeCallId: -9 }, LEGACY).body, 'TransferCall');
      assert.deepEqual(t, { heldCall: '8', activeCall: '-9' });
      const s = opElement(buildCstaRequest('SingleStepTransferCall', { callId: 3, transferredTo: '22@pbx' }, LEGACY).body, 'SingleStepTransferCall');
      assert.deepEqual(s, { activeCall: '3', transferredTo: 'sip:22@pbx' });
    });

    it('ignores deviceId in legacy ConnectionIDs (the old format has none)', () => {
      const r = buildCstaRequest('HoldCall', { callId: 5, deviceId: '100@pbx' }, LEGACY);
      assert.deepEqual(opElement(r.body, 'HoldCall'), { callToBeHeld: '5' });
    });

    it('refuses what legacy firmware lacks, naming the operation', () => {
      const missing = CSTA_OPERATIONS.filter((op) => !LEGACY_OPERATIONS.includes(op));
      assert.deepEqual(missing, [
        'ConsultationCall',
        'ConferenceCall',
        'DeflectCall',
        'GenerateDigits',
        'SnapshotDevice',
        'RequestSystemStatus',
        'GetDoNotDisturb',
        'SetDoNotDisturb',
        'GetForwarding',
        'SetForwarding',
      ]);
      for (const op of missing) {
        throwsCode(() => buildCstaRequest(op, VALID[op], LEGACY), 'E_UNSUPPORTED');
        assert.throws(() => buildCstaRequest(op, VALID[op], LEGACY), new RegExp(op));
      }
    });
  });

  describe('dialect boundaries through caps', () => {
    it('none: no CSTA over HTTP before 7.3.4', () => {
      for (const op of CSTA_OPERATIONS) {
        throwsCode(() => buildCstaRequest(op, VALID[op], NONE), 'E_UNSUPPORTED');
        assert.throws(() => buildCstaRequest(op, VALID[op], NONE), /7\.3\.4/);
      }
    });

    it('gap: 8.7.0–8.7.2 cannot, update to 8.7.3+', () => {
      for (const op of CSTA_OPERATIONS) {
        throwsCode(() => buildCstaRequest(op, VALID[op], GAP), 'E_UNSUPPORTED');
        assert.throws(() => buildCstaRequest(op, VALID[op], GAP), /8\.7\.0 to 8\.7\.2.*8\.7\.3/);
      }
    });

    it('8.7.3 without extendedOps refuses the 8.7.4 operations and builds the rest', () => {
      for (const op of CSTA_OPERATIONS) {
        if (EXTENDED_OPERATIONS.includes(op)) {
          assert.throws(
            () => buildCstaRequest(op, VALID[op], CURRENT_873),
            (e: unknown) => (e as { code: string }).code === 'E_UNSUPPORTED' && new RegExp(`${op}.*8\\.7\\.4`).test((e as Error).message),
          );
        } else {
          assert.equal(buildCstaRequest(op, VALID[op], CURRENT_873).operation, op);
        }
      }
    });

    it('an identity index as deviceID needs identityIndex (8.7.4+)', () => {
      throwsCode(() => buildCstaRequest('MakeCall', { callingDevice: 1, calledDirectoryNumber: '200' }, CURRENT_873), 'E_UNSUPPORTED', 'callingDevice');
      throwsCode(() => buildCstaRequest('HoldCall', { callId: 1, deviceId: '2' }, CURRENT_873), 'E_UNSUPPORTED', 'deviceId');
      const r = buildCstaRequest('MakeCall', { callingDevice: 1, calledDirectoryNumber: '200' }, CURRENT);
      assert.equal(opElement(r.body, 'MakeCall').callingDevice, '1');
      const h = buildCstaRequest('HoldCall', { callId: 1, deviceId: '12' }, CURRENT);
      assert.deepEqual(at(opElement(h.body, 'HoldCall'), 'callToBeHeld'), { callID: '1', deviceID: '12' });
      throwsCode(() => buildCstaRequest('HoldCall', { callId: 1, deviceId: 13 }, CURRENT), 'E_INPUT', 'deviceId');
      throwsCode(() => buildCstaRequest('HoldCall', { callId: 1, deviceId: 0 }, CURRENT), 'E_INPUT', 'deviceId');
    });
  });

  describe('parameter validation (nothing built, E_INPUT naming the field)', () => {
    it('call ids must be decimal integers, possibly negative', () => {
      for (const bad of ['', 'abc', '1.5', '--1', '1e3', '0x10', ' ', '12a']) {
        throwsCode(() => buildCstaRequest('AnswerCall', { callId: bad }, CURRENT), 'E_INPUT', 'callId');
      }
      for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
        throwsCode(() => buildCstaRequest('AnswerCall', { callId: bad }, CURRENT), 'E_INPUT', 'callId');
      }
      throwsCode(() => buildCstaRequest('AnswerCall', {}, CURRENT), 'E_INPUT', 'callId');
      throwsCode(() => buildCstaRequest('TransferCall', { heldCallId: 1 }, CURRENT), 'E_INPUT', 'activeCallId');
      throwsCode(() => buildCstaRequest('TransferCall', { activeCallId: 1 }, CURRENT), 'E_INPUT', 'heldCallId');
      const r = buildCstaRequest('AnswerCall', { callId: ' -018 ' }, CURRENT);
      assert.deepEqual(opElement(r.body, 'AnswerCall'), { callToBeAnswered: { callID: '-18' } });
    });

    it('devices must be SIP URIs, user@host or an index', () => {
      throwsCode(() => buildCstaRequest('MakeCall', { callingDevice: 'alice', calledDirectoryNumber: '1' }, CURRENT), 'E_INPUT', 'callingDevice');
      throwsCode(() => buildCstaRequest('MakeCall', { callingDevice: 'a b@c', calledDirectoryNumber: '1' }, CURRENT), 'E_INPUT', 'callingDevice');
      throwsCode(() => buildCstaRequest('MakeCall', { calledDirectoryNumber: '1' }, CURRENT), 'E_INPUT', 'callingDevice');
      throwsCode(() => buildCstaRequest('MakeCall', { callingDevice: '1@x' }, CURRENT), 'E_INPUT', 'calledDirectoryNumber');
      throwsCode(() => buildCstaRequest('GetDoNotDisturb', {}, CURRENT), 'E_INPUT', 'deviceId');
      const viaDevice = buildCstaRequest('MakeCall', { deviceId: 'sips:9@x', calledDirectoryNumber: 'bob@pbx' }, CURRENT);
      assert.deepEqual(
        [opElement(viaDevice.body, 'MakeCall').callingDevice, opElement(viaDevice.body, 'MakeCall').calledDirectoryNumber],
        ['sips:9@x', 'sip:bob@pbx'],
      );
    });

    it('digits allow only 0-9 * # A-D and ","', () => {
      const r = buildCstaRequest('GenerateDigits', { callId: 1, digits: '0123456789*#ABCD,' }, CURRENT);
      assert.equal(opElement(r.body, 'GenerateDigits').charactersToSend, '0123456789*#ABCD,');
      for (const bad of ['', '12 3', 'E', 'a', '1;2', '<1>']) {
        throwsCode(() => buildCstaRequest('GenerateDigits', { callId: 1, digits: bad }, CURRENT), 'E_INPUT', 'digits');
      }
    });

    it('enumerations and booleans', () => {
      throwsCode(
        () => buildCstaRequest('MakeCall', { callingDevice: '1@x', calledDirectoryNumber: '2', autoOriginate: 'yes' as 'prompt' }, CURRENT),
        'E_INPUT',
        'autoOriginate',
      );
      throwsCode(() => buildCstaRequest('SetDoNotDisturb', { deviceId: '1@x' }, CURRENT), 'E_INPUT', 'doNotDisturbOn');
      throwsCode(
        () => buildCstaRequest('SetDoNotDisturb', { deviceId: '1@x', doNotDisturbOn: 'true' as unknown as boolean }, CURRENT),
        'E_INPUT',
        'doNotDisturbOn',
      );
      throwsCode(
        () => buildCstaRequest('SetForwarding', { ...VALID.SetForwarding, forwardingType: 'always' as 'forwardBusy' }, CURRENT),
        'E_INPUT',
        'forwardingType',
      );
      throwsCode(() => buildCstaRequest('SetForwarding', { ...VALID.SetForwarding, activateForward: undefined }, CURRENT), 'E_INPUT', 'activateForward');
      throwsCode(() => buildCstaRequest('SetForwarding', { ...VALID.SetForwarding, forwardDN: undefined }, CURRENT), 'E_INPUT', 'forwardDN');
      throwsCode(() => buildCstaRequest('Nope' as CstaOperation, {}, CURRENT), 'E_INPUT', 'operation');
    });

    it('SetSettings refuses read-only, unknown and malformed settings', () => {
      throwsCode(() => buildCstaRequest('SetSettings', { settings: {} }, CURRENT), 'E_INPUT', 'settings');
      throwsCode(() => buildCstaRequest('SetSettings', {}, CURRENT), 'E_INPUT', 'settings');
      throwsCode(() => buildCstaRequest('SetSettings', { settings: { mac: '00' } }, CURRENT), 'E_INPUT', 'settings');
      throwsCode(() => buildCstaRequest('SetSettings', { settings: { firmware_version: '1' } }, CURRENT), 'E_INPUT', 'settings');
      throwsCode(() => buildCstaRequest('SetSettings', { settings: { language: 'Deutsch' } }, CURRENT), 'E_INPUT', 'settings');
      throwsCode(() => buildCstaRequest('SetSettings', { settings: { user_name13: 'x' } }, CURRENT), 'E_INPUT', 'settings');
      throwsCode(() => buildCstaRequest('SetSettings', { settings: { 'a b': 'x' } }, CURRENT), 'E_INPUT', 'name');
      throwsCode(() => buildCstaRequest('SetSettings', { settings: { user_name1: 'a\nb' } }, CURRENT), 'E_INPUT', 'settings');
      throwsCode(() => buildCstaRequest('SetSettings', { settings: { user_name1: 5 as unknown as string } }, CURRENT), 'E_INPUT', 'settings');
    });

    it('XmlPush needs a valid minibrowser document', () => {
      throwsCode(() => buildCstaRequest('XmlPush', {}, CURRENT), 'E_INPUT', 'document');
      throwsCode(() => buildCstaRequest('XmlPush', { document: '<SnomIPPhoneText><Text>a</SnomIPPhoneText>' }, CURRENT), 'E_INPUT', 'document');
      throwsCode(() => buildCstaRequest('XmlPush', { document: '<html/>' }, CURRENT), 'E_INPUT', 'document');
    });
  });

  describe('XML injection: every free-text field comes back exactly, with no new element', () => {
    const cases: Array<[CstaOperation, CstaParams, (el: Record<string, unknown>) => unknown, string]> = [
      ['MakeCall', { callingDevice: `a${INJECTION}@h`, calledDirectoryNumber: INJECTION }, (el) => el.callingDevice, `sip:a${INJECTION}@h`],
      ['MakeCall', { callingDevice: '1@h', calledDirectoryNumber: INJECTION }, (el) => el.calledDirectoryNumber, INJECTION],
      ['HoldCall', { callId: 1, deviceId: `u${INJECTION}@h` }, (el) => at(el, 'callToBeHeld', 'deviceID'), `sip:u${INJECTION}@h`],
      ['ConsultationCall', { callId: 1, consultedDevice: INJECTION }, (el) => el.consultedDevice, INJECTION],
      ['SingleStepTransferCall', { callId: 1, transferredTo: INJECTION }, (el) => el.transferredTo, INJECTION],
      ['DeflectCall', { callId: 1, newDestination: INJECTION }, (el) => el.newDestination, INJECTION],
      ['SnapshotDevice', { snapshotObject: INJECTION }, (el) => el.snapshotObject, INJECTION],
      ['GetDoNotDisturb', { deviceId: `u${INJECTION}@h` }, (el) => el.device, `sip:u${INJECTION}@h`],
      [
        'SetForwarding',
        { deviceId: '1@h', forwardingType: 'forwardImmediate', activateForward: true, forwardDN: INJECTION },
        (el) => el.forwardDN,
        INJECTION,
      ],
      ['SetSettings', { settings: { user_realname2: INJECTION } }, (el) => at(el, 'Setting', 'value'), INJECTION],
    ];
    cases.forEach(([op, params, pick, want], i) => {
      it(`case ${i + 1}: ${op} (${pick.toString().replace(/^\(el\) => /, '')})`, () => {
        const r = buildCstaRequest(op, params, CURRENT);
        const el = opElement(r.body, op);
        assert.equal(pick(el), want);
        const names = elementNames(parseBack(r.body));
        assert.ok(!names.has('evil') && !names.has('x'), `injected element in ${r.body}`);
      });
    });

    it('legacy SOAP bodies escape too', () => {
      const r = buildCstaRequest('SingleStepTransferCall', { callId: 1, transferredTo: INJECTION }, LEGACY);
      assert.equal(opElement(r.body, 'SingleStepTransferCall').transferredTo, INJECTION);
      assert.ok(!elementNames(parseBack(r.body)).has('evil'));
    });

    it('XmlPush: a document holding the injection text survives the round trip unchanged', () => {
      const doc = `<SnomIPPhoneText><Title a="${escapeXml(INJECTION)}">${escapeXml(INJECTION)}</Title><Text>x</Text></SnomIPPhoneText>`;
      const r = buildCstaRequest('XmlPush', { document: doc }, CURRENT);
      assert.equal(opElement(r.body, 'XmlPush').document, doc);
      const names = elementNames(parseBack(r.body));
      assert.deepEqual([...names].sort(), ['Body', 'Envelope', 'XmlPush', 'document']);
    });
  });

  describe('raw XML', () => {
    it('passes well-formed XML through and names the operation', () => {
      const bare = buildRawCsta(REF_MAKE_CALL);
      assert.deepEqual(bare, { operation: 'MakeCall', body: REF_MAKE_CALL, contentType: 'text/xml', soap: false });
      const soap = buildRawCsta(REF_LEGACY_ANSWER_CALL);
      assert.equal(soap.operation, 'AnswerCall');
      assert.equal(soap.soap, true);
    });

    it('refuses XML that is not well-formed with the parser message', () => {
      assert.throws(
        () => buildRawCsta('<AnswerCall><callToBeAnswered>1</AnswerCall>'),
        (e: unknown) => (e as { code: string }).code === 'E_INPUT' && /not well-formed.*closing tag/i.test((e as Error).message),
      );
      throwsCode(() => buildRawCsta(''), 'E_INPUT', 'xml');
      throwsCode(() => buildRawCsta('hello'), 'E_INPUT', 'xml');
      throwsCode(() => buildRawCsta('<a/><b/>'), 'E_INPUT', 'xml');
    });
  });
});
