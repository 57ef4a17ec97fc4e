import assert from 'node:assert/strict';
import {
  CSTA_OPERATIONS,
  EXTENDED_OPERATIONS,
  LEGACY_OPERATIONS,
  PROPRIETARY_OPERATIONS,
  buildCstaRequest,
  buildRawCsta,
  type CstaOperation,
  type CstaParams,
} from '../../../src/lib/csta';
import type { CstaCaps } from '../../../src/lib/profile/types';
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

// Namespaces written out (docs/protocol.md §8.3), not imported: a wrong constant in src must fail here.
const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
const ED4 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed4';
const ED5 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed5';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** Every operation the builder offers: ECMA-323 names (docs/protocol.md §8.2, §8.5) and Snom's four messages (§9). */
// prettier-ignore
const ALL_OPERATIONS: readonly CstaOperation[] = [
  'MakeCall', 'AnswerCall', 'ClearConnection', 'ClearCall', 'HoldCall', 'RetrieveCall', 'ConsultationCall',
  'TransferCall', 'ConferenceCall', 'SingleStepTransferCall', 'DeflectCall', 'GenerateDigits', 'SnapshotDevice',
  'RequestSystemStatus', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding', 'GetSettings',
  'SetSettings', 'XmlPush', 'FireTest',
];
/** docs/protocol.md §8.2: "since 8.7.4" (SingleStepTransferCall existed before, in an older format). */
// prettier-ignore
const SINCE_874: readonly CstaOperation[] = [
  'ConsultationCall', 'DeflectCall', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
];
/** The proprietary Snom messages (docs/protocol.md §9). */
const SNOM_MESSAGES: readonly CstaOperation[] = ['GetSettings', 'SetSettings', 'XmlPush', 'FireTest'];
/** docs/protocol.md §8.2 "from 7.3.4" (before 8.7), plus the Snom messages (§11.2 P3). */
const BEFORE_87: readonly CstaOperation[] = [
  'MakeCall',
  'AnswerCall',
  'ClearConnection',
  'ClearCall',
  'HoldCall',
  'RetrieveCall',
  'TransferCall',
  'SingleStepTransferCall',
  ...SNOM_MESSAGES,
];

/** 8.7.3+ bare request (the MakeCall form of docs/protocol.md §8.3 with double quotes). */
const bare = (op: string, inner: string): string => `${DECL}<${op} xmlns="${ED5}" xmlns:xsi="${XSI}">${inner}</${op}>`;
const soap = (ns: string, inner: string): string =>
  `${DECL}<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_NS}" xmlns:csta="${ns}"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
const DOC_TEXT =
  '&lt;SnomIPPhoneText&gt;&lt;Title&gt;Caller&lt;/Title&gt;&lt;Text&gt;Alice &amp;amp; Bob&lt;/Text&gt;&lt;/SnomIPPhoneText&gt;';
const SETTING =
  '<csta:Setting><csta:name>action_incoming_url</csta:name><csta:value>http://srv/in?r=$remote&amp;id=$csta_id</csta:value></csta:Setting>';

/**
 * The body for VALID[op] on 8.7.3+ firmware, written out: bare ed5 XML with ConnectionIDs as
 * <callID>, ClearCall and the Snom messages in a SOAP envelope (docs/protocol.md §8.3), element
 * names per §8.5, RequestSystemStatus and SnapshotDevice exactly as Snom publishes them (§8.3).
 */
const BODY_CURRENT: Record<CstaOperation, string> = {
  MakeCall: `${DECL}<MakeCall xmlns='${ED5}' xmlns:xsi='${XSI}'><callingDevice>sip:100@pbx</callingDevice><calledDirectoryNumber>200</calledDirectoryNumber><autoOriginate>doNotPrompt</autoOriginate></MakeCall>`,
  AnswerCall: bare('AnswerCall', '<callToBeAnswered><callID>-18</callID></callToBeAnswered>'),
  ClearConnection: bare('ClearConnection', '<connectionToBeCleared><callID>-3</callID></connectionToBeCleared>'),
  ClearCall: soap(
    ED5,
    '<csta:ClearCall><csta:callToBeCleared><csta:callID>4</csta:callID></csta:callToBeCleared></csta:ClearCall>',
  ),
  HoldCall: bare('HoldCall', '<callToBeHeld><callID>5</callID></callToBeHeld>'),
  RetrieveCall: bare('RetrieveCall', '<callToBeRetrieved><callID>6</callID></callToBeRetrieved>'),
  ConsultationCall: bare(
    'ConsultationCall',
    '<existingCall><callID>7</callID></existingCall><consultedDevice>300</consultedDevice>',
  ),
  TransferCall: bare(
    'TransferCall',
    '<heldCall><callID>8</callID></heldCall><activeCall><callID>9</callID></activeCall>',
  ),
  ConferenceCall: bare(
    'ConferenceCall',
    '<heldCall><callID>10</callID></heldCall><activeCall><callID>11</callID></activeCall>',
  ),
  SingleStepTransferCall: bare(
    'SingleStepTransferCall',
    '<activeCall><callID>12</callID></activeCall><transferredTo>400</transferredTo>',
  ),
  DeflectCall: bare(
    'DeflectCall',
    '<callToBeDiverted><callID>13</callID></callToBeDiverted><newDestination>500</newDestination>',
  ),
  GenerateDigits: bare(
    'GenerateDigits',
    '<connectionToSendDigits><callID>14</callID></connectionToSendDigits><charactersToSend>12#</charactersToSend>',
  ),
  SnapshotDevice: `${DECL}<SnapshotDevice xmlns="${ED5}"><snapshotObject>100@pbx</snapshotObject></SnapshotDevice>`,
  RequestSystemStatus: `${DECL}<RequestSystemStatus xmlns="${ED3}" xmlns:xsi="${XSI}"/>`,
  GetDoNotDisturb: bare('GetDoNotDisturb', '<device>sip:100@pbx</device>'),
  SetDoNotDisturb: bare('SetDoNotDisturb', '<device>sip:100@pbx</device><doNotDisturbOn>true</doNotDisturbOn>'),
  GetForwarding: bare('GetForwarding', '<device>sip:100@pbx</device>'),
  SetForwarding: bare(
    'SetForwarding',
    '<device>sip:100@pbx</device><forwardingType>forwardBusy</forwardingType><activateForward>true</activateForward><forwardDN>600</forwardDN>',
  ),
  GetSettings: soap(ED5, '<csta:GetSettings></csta:GetSettings>'),
  SetSettings: soap(ED5, `<csta:SetSettings>${SETTING}</csta:SetSettings>`),
  XmlPush: soap(ED5, `<csta:XmlPush><csta:document>${DOC_TEXT}</csta:document></csta:XmlPush>`),
  FireTest: soap(ED5, '<csta:FireTest></csta:FireTest>'),
};

/** The body for VALID[op] before 8.7: SOAP, ed4, the call id bare in the ConnectionID (docs/protocol.md §8.3). */
const BODY_LEGACY: Partial<Record<CstaOperation, string>> = {
  MakeCall: soap(
    ED4,
    '<csta:MakeCall><csta:callingDevice>sip:100@pbx</csta:callingDevice><csta:calledDirectoryNumber>200</csta:calledDirectoryNumber><csta:autoOriginate>doNotPrompt</csta:autoOriginate></csta:MakeCall>',
  ),
  AnswerCall: soap(ED4, '<csta:AnswerCall><csta:callToBeAnswered>-18</csta:callToBeAnswered></csta:AnswerCall>'),
  ClearConnection: soap(
    ED4,
    '<csta:ClearConnection><csta:connectionToBeCleared>-3</csta:connectionToBeCleared></csta:ClearConnection>',
  ),
  ClearCall: soap(ED4, '<csta:ClearCall><csta:callToBeCleared>4</csta:callToBeCleared></csta:ClearCall>'),
  HoldCall: soap(ED4, '<csta:HoldCall><csta:callToBeHeld>5</csta:callToBeHeld></csta:HoldCall>'),
  RetrieveCall: soap(ED4, '<csta:RetrieveCall><csta:callToBeRetrieved>6</csta:callToBeRetrieved></csta:RetrieveCall>'),
  TransferCall: soap(
    ED4,
    '<csta:TransferCall><csta:heldCall>8</csta:heldCall><csta:activeCall>9</csta:activeCall></csta:TransferCall>',
  ),
  SingleStepTransferCall: soap(
    ED4,
    '<csta:SingleStepTransferCall><csta:activeCall>12</csta:activeCall><csta:transferredTo>400</csta:transferredTo></csta:SingleStepTransferCall>',
  ),
  GetSettings: soap(ED4, '<csta:GetSettings></csta:GetSettings>'),
  SetSettings: soap(ED4, `<csta:SetSettings>${SETTING}</csta:SetSettings>`),
  XmlPush: soap(ED4, `<csta:XmlPush><csta:document>${DOC_TEXT}</csta:document></csta:XmlPush>`),
  FireTest: soap(ED4, '<csta:FireTest></csta:FireTest>'),
};
/** On 8.7.3+ these travel in SOAP (docs/protocol.md §8.3: ClearCall and the proprietary messages). */
const SOAP_ON_CURRENT: readonly CstaOperation[] = ['ClearCall', ...SNOM_MESSAGES];

/** Asserts the refusal: E_UNSUPPORTED, nothing built, the operation and `why` in the message. */
function refuses(op: CstaOperation, caps: CstaCaps, why: RegExp): void {
  assert.throws(
    () => buildCstaRequest(op, VALID[op], caps),
    (e: unknown) => {
      const err = e as { code?: string; message?: string };
      assert.equal(err.code, 'E_UNSUPPORTED', `${op}: ${err.message}`);
      assert.match(err.message ?? '', new RegExp(`\\b${op}\\b`));
      assert.match(err.message ?? '', why);
      return true;
    },
  );
}

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

function fillSeedNamespaces(template: string, cstaNs: string): string {
  return template
    .replace('xmlns:SOAP-ENV=""', `xmlns:SOAP-ENV="${SOAP_NS}"`)
    .replace('xmlns:csta=""', `xmlns:csta="${cstaNs}"`);
}

describe('CSTA request builder', () => {
  describe('published vectors (docs/protocol.md §8.3), compared modulo whitespace between tags', () => {
    it('RequestSystemStatus uses ed3 exactly as Snom shows it', () => {
      const r = buildCstaRequest('RequestSystemStatus', {}, CURRENT);
      assert.equal(squeeze(r.body), squeeze(REF_REQUEST_SYSTEM_STATUS));
      assert.equal(r.soap, false);
      assert.equal(r.contentType, 'text/xml');
    });

    it('MakeCall', () => {
      const r = buildCstaRequest(
        'MakeCall',
        {
          callingDevice: 'sip:455455@ser.intern.snom.de',
          calledDirectoryNumber: '455360',
          autoOriginate: 'doNotPrompt',
        },
        CURRENT,
      );
      assert.equal(squeeze(r.body), squeeze(REF_MAKE_CALL));
    });

    it('MakeCall adds sip: to user@host and defaults autoOriginate to doNotPrompt', () => {
      const r = buildCstaRequest(
        'MakeCall',
        { callingDevice: '455455@ser.intern.snom.de', calledDirectoryNumber: '455360' },
        CURRENT,
      );
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

  describe('forms of the remote-control page (docs/protocol.md §8.3, §9.1)', () => {
    it('8.7.3+ AnswerCall puts the call id in <callID> (docs/protocol.md §8.3: callToBeAnswered/callID -18)', () => {
      const el = opElement(buildCstaRequest('AnswerCall', { callId: -18 }, CURRENT).body, 'AnswerCall');
      assert.deepEqual(el, { callToBeAnswered: { callID: '-18' } });
    });

    it('8.7.3+ ConnectionID has <deviceID> after <callID> when the device is given', () => {
      const body = buildCstaRequest('HoldCall', { callId: -2, deviceId: '455455@ser.intern.snom.de' }, CURRENT).body;
      assert.match(
        squeeze(body),
        /<callToBeHeld><callID>-2<\/callID><deviceID>sip:455455@ser\.intern\.snom\.de<\/deviceID><\/callToBeHeld>/,
      );
    });

    it('GetSettings and FireTest are the templates of docs/protocol.md §9.1 in a SOAP envelope (ed5 on 8.7.3+, ed4 on legacy: §11.2 P2)', () => {
      for (const [caps, ns] of [
        [CURRENT, ED5],
        [LEGACY, ED4],
      ] as const) {
        const gs = buildCstaRequest('GetSettings', {}, caps);
        assert.equal(gs.soap, true);
        assert.equal(
          squeeze(gs.body),
          squeeze('<?xml version="1.0" encoding="UTF-8"?>' + fillSeedNamespaces(SEED_GET_SETTINGS, ns)),
        );
        const ft = buildCstaRequest('FireTest', {}, caps);
        assert.equal(
          squeeze(ft.body),
          squeeze('<?xml version="1.0" encoding="UTF-8"?>' + fillSeedNamespaces(SEED_FIRE_TEST, ns)),
        );
      }
    });

    it('SetSettings: one csta:Setting with name and value per setting', () => {
      const r = buildCstaRequest(
        'SetSettings',
        { settings: { user_realname1: 'Reception', action_fwtest_url: 'http://srv/fw' } },
        CURRENT,
      );
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
      assert.ok(r.body.includes(`xmlns:csta="${ED5}"`));
      assert.match(
        squeeze(r.body),
        /<csta:ClearCall><csta:callToBeCleared><csta:callID>-7<\/csta:callID><\/csta:callToBeCleared><\/csta:ClearCall>/,
      );
    });
  });

  describe('element names per ECMA-323 (docs/protocol.md §8.5) on 8.7.4+', () => {
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
      SetForwarding: {
        device: 'sip:100@pbx',
        forwardingType: 'forwardBusy',
        activateForward: 'true',
        forwardDN: '600',
      },
    };
    for (const [op, want] of Object.entries(expected)) {
      it(op, () => {
        const r = buildCstaRequest(op as CstaOperation, VALID[op as CstaOperation], CURRENT);
        assert.equal(r.soap, false);
        assert.ok(r.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
        assert.ok(r.body.includes(`<${op} xmlns="${ED5}" xmlns:xsi="${XSI}">`));
        const el = opElement(r.body, op);
        delete el['@xmlns'];
        delete el['@xmlns:xsi'];
        assert.deepEqual(el, want);
      });
    }

    it('SetForwarding off needs no forwardDN, and writes ECMA order device, type, activate, DN', () => {
      const off = buildCstaRequest(
        'SetForwarding',
        { deviceId: 2, forwardingType: 'forwardImmediate', activateForward: false },
        CURRENT,
      );
      assert.match(
        off.body,
        /<device>2<\/device><forwardingType>forwardImmediate<\/forwardingType><activateForward>false<\/activateForward><\/SetForwarding>/,
      );
      const on = buildCstaRequest('SetForwarding', VALID.SetForwarding, CURRENT);
      assert.match(
        on.body,
        /<device>.*<\/device><forwardingType>.*<\/forwardingType><activateForward>true<\/activateForward><forwardDN>600<\/forwardDN>/,
      );
    });
  });

  describe('per firmware dialect: which operations, and the exact body of each', () => {
    it('the operation tables are the lists of docs/protocol.md §8.2', () => {
      assert.deepEqual([...CSTA_OPERATIONS], ALL_OPERATIONS);
      assert.deepEqual([...EXTENDED_OPERATIONS], SINCE_874);
      assert.deepEqual([...LEGACY_OPERATIONS], BEFORE_87);
      assert.deepEqual([...PROPRIETARY_OPERATIONS], SNOM_MESSAGES);
    });

    for (const op of ALL_OPERATIONS) {
      it(`8.7.4+: ${op}`, () => {
        const r = buildCstaRequest(op, VALID[op], CURRENT);
        assert.equal(squeeze(r.body), BODY_CURRENT[op]);
        assert.deepEqual(r, {
          operation: op,
          body: r.body,
          contentType: 'text/xml',
          soap: SOAP_ON_CURRENT.includes(op),
        });
        opElement(r.body, op);
      });
    }

    it('8.7.3: the same bodies, except the 8.7.4 operations, which are refused naming 8.7.4', () => {
      for (const op of ALL_OPERATIONS) {
        if (SINCE_874.includes(op)) refuses(op, CURRENT_873, /8\.7\.4/);
        else assert.equal(squeeze(buildCstaRequest(op, VALID[op], CURRENT_873).body), BODY_CURRENT[op], op);
      }
    });

    for (const op of ALL_OPERATIONS) {
      it(`before 8.7 (legacy): ${op}`, () => {
        const want = BODY_LEGACY[op];
        if (want === undefined) {
          // the update that brings it: 8.7.4 for the "since 8.7.4" list of docs/protocol.md §8.2, else 8.7.3
          refuses(op, LEGACY, SINCE_874.includes(op) ? /update to 8\.7\.4/ : /update to 8\.7\.3/);
          return;
        }
        const r = buildCstaRequest(op, VALID[op], LEGACY);
        assert.equal(squeeze(r.body), want);
        assert.equal(r.soap, true);
      });
    }
  });

  describe('legacy dialect (7.3.4 to before 8.7)', () => {
    it('TransferCall and SingleStepTransferCall with bare call ids', () => {
      const t = opElement(
        buildCstaRequest('TransferCall', { heldCallId: 8, activeCallId: -9 }, LEGACY).body,
        'TransferCall',
      );
      assert.deepEqual(t, { heldCall: '8', activeCall: '-9' });
      const s = opElement(
        buildCstaRequest('SingleStepTransferCall', { callId: 3, transferredTo: '22@pbx' }, LEGACY).body,
        'SingleStepTransferCall',
      );
      assert.deepEqual(s, { activeCall: '3', transferredTo: 'sip:22@pbx' });
    });

    it('ignores deviceId in legacy ConnectionIDs (the old format has none)', () => {
      const r = buildCstaRequest('HoldCall', { callId: 5, deviceId: '100@pbx' }, LEGACY);
      assert.deepEqual(opElement(r.body, 'HoldCall'), { callToBeHeld: '5' });
    });

    it('refuses what legacy firmware lacks, naming the operation', () => {
      // prettier-ignore
      for (const op of [
        'ConsultationCall', 'ConferenceCall', 'DeflectCall', 'GenerateDigits', 'SnapshotDevice',
        'RequestSystemStatus', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
      ] as const) {
        refuses(op, LEGACY, /before 8\.7/);
      }
    });
  });

  describe('dialect boundaries through caps', () => {
    it('none: no CSTA over HTTP before 7.3.4', () => {
      for (const op of ALL_OPERATIONS) refuses(op, NONE, /7\.3\.4/);
    });

    it('gap: 8.7.0–8.7.2 cannot, update to 8.7.3+', () => {
      for (const op of ALL_OPERATIONS) refuses(op, GAP, /8\.7\.0 to 8\.7\.2.*8\.7\.3/);
    });

    it('an identity index as deviceID needs identityIndex (8.7.4+)', () => {
      throwsCode(
        () => buildCstaRequest('MakeCall', { callingDevice: 1, calledDirectoryNumber: '200' }, CURRENT_873),
        'E_UNSUPPORTED',
        'callingDevice',
      );
      throwsCode(
        () => buildCstaRequest('HoldCall', { callId: 1, deviceId: '2' }, CURRENT_873),
        'E_UNSUPPORTED',
        'deviceId',
      );
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
      throwsCode(
        () => buildCstaRequest('MakeCall', { callingDevice: 'alice', calledDirectoryNumber: '1' }, CURRENT),
        'E_INPUT',
        'callingDevice',
      );
      throwsCode(
        () => buildCstaRequest('MakeCall', { callingDevice: 'a b@c', calledDirectoryNumber: '1' }, CURRENT),
        'E_INPUT',
        'callingDevice',
      );
      throwsCode(
        () => buildCstaRequest('MakeCall', { calledDirectoryNumber: '1' }, CURRENT),
        'E_INPUT',
        'callingDevice',
      );
      throwsCode(
        () => buildCstaRequest('MakeCall', { callingDevice: '1@x' }, CURRENT),
        'E_INPUT',
        'calledDirectoryNumber',
      );
      throwsCode(() => buildCstaRequest('GetDoNotDisturb', {}, CURRENT), 'E_INPUT', 'deviceId');
      const viaDevice = buildCstaRequest(
        'MakeCall',
        { deviceId: 'sips:9@x', calledDirectoryNumber: 'bob@pbx' },
        CURRENT,
      );
      assert.deepEqual(
        [
          opElement(viaDevice.body, 'MakeCall').callingDevice,
          opElement(viaDevice.body, 'MakeCall').calledDirectoryNumber,
        ],
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
        () =>
          buildCstaRequest(
            'MakeCall',
            { callingDevice: '1@x', calledDirectoryNumber: '2', autoOriginate: 'yes' as 'prompt' },
            CURRENT,
          ),
        'E_INPUT',
        'autoOriginate',
      );
      throwsCode(() => buildCstaRequest('SetDoNotDisturb', { deviceId: '1@x' }, CURRENT), 'E_INPUT', 'doNotDisturbOn');
      throwsCode(
        () =>
          buildCstaRequest(
            'SetDoNotDisturb',
            { deviceId: '1@x', doNotDisturbOn: 'true' as unknown as boolean },
            CURRENT,
          ),
        'E_INPUT',
        'doNotDisturbOn',
      );
      throwsCode(
        () =>
          buildCstaRequest(
            'SetForwarding',
            { ...VALID.SetForwarding, forwardingType: 'always' as 'forwardBusy' },
            CURRENT,
          ),
        'E_INPUT',
        'forwardingType',
      );
      throwsCode(
        () => buildCstaRequest('SetForwarding', { ...VALID.SetForwarding, activateForward: undefined }, CURRENT),
        'E_INPUT',
        'activateForward',
      );
      throwsCode(
        () => buildCstaRequest('SetForwarding', { ...VALID.SetForwarding, forwardDN: undefined }, CURRENT),
        'E_INPUT',
        'forwardDN',
      );
      throwsCode(() => buildCstaRequest('Nope' as CstaOperation, {}, CURRENT), 'E_INPUT', 'operation');
    });

    it('SetSettings refuses read-only, unknown and malformed settings', () => {
      throwsCode(() => buildCstaRequest('SetSettings', { settings: {} }, CURRENT), 'E_INPUT', 'settings');
      throwsCode(() => buildCstaRequest('SetSettings', {}, CURRENT), 'E_INPUT', 'settings');
      throwsCode(() => buildCstaRequest('SetSettings', { settings: { mac: '00' } }, CURRENT), 'E_INPUT', 'settings');
      throwsCode(
        () => buildCstaRequest('SetSettings', { settings: { firmware_version: '1' } }, CURRENT),
        'E_INPUT',
        'settings',
      );
      throwsCode(
        () => buildCstaRequest('SetSettings', { settings: { language: 'Deutsch' } }, CURRENT),
        'E_INPUT',
        'settings',
      );
      throwsCode(
        () => buildCstaRequest('SetSettings', { settings: { user_name13: 'x' } }, CURRENT),
        'E_INPUT',
        'settings',
      );
      throwsCode(() => buildCstaRequest('SetSettings', { settings: { 'a b': 'x' } }, CURRENT), 'E_INPUT', 'name');
      throwsCode(
        () => buildCstaRequest('SetSettings', { settings: { user_name1: 'a\nb' } }, CURRENT),
        'E_INPUT',
        'settings',
      );
      throwsCode(
        () => buildCstaRequest('SetSettings', { settings: { user_name1: 5 as unknown as string } }, CURRENT),
        'E_INPUT',
        'settings',
      );
    });

    it('XmlPush needs a valid minibrowser document', () => {
      throwsCode(() => buildCstaRequest('XmlPush', {}, CURRENT), 'E_INPUT', 'document');
      throwsCode(
        () => buildCstaRequest('XmlPush', { document: '<SnomIPPhoneText><Text>a</SnomIPPhoneText>' }, CURRENT),
        'E_INPUT',
        'document',
      );
      throwsCode(() => buildCstaRequest('XmlPush', { document: '<html/>' }, CURRENT), 'E_INPUT', 'document');
    });
  });

  describe('XML injection: every free-text field comes back exactly, with no new element', () => {
    const cases: Array<[CstaOperation, CstaParams, (el: Record<string, unknown>) => unknown, string]> = [
      [
        'MakeCall',
        { callingDevice: `a${INJECTION}@h`, calledDirectoryNumber: INJECTION },
        (el) => el.callingDevice,
        `sip:a${INJECTION}@h`,
      ],
      [
        'MakeCall',
        { callingDevice: '1@h', calledDirectoryNumber: INJECTION },
        (el) => el.calledDirectoryNumber,
        INJECTION,
      ],
      [
        'HoldCall',
        { callId: 1, deviceId: `u${INJECTION}@h` },
        (el) => at(el, 'callToBeHeld', 'deviceID'),
        `sip:u${INJECTION}@h`,
      ],
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
      const escaped = '&lt;/x&gt;&lt;evil/&gt;&amp;amp;&quot;&apos;&lt;'; // INJECTION, escaped by hand
      const doc = `<SnomIPPhoneText><Title a="${escaped}">${escaped}</Title><Text>x</Text></SnomIPPhoneText>`;
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
        (e: unknown) =>
          (e as { code: string }).code === 'E_INPUT' && /not well-formed.*closing tag/i.test((e as Error).message),
      );
      throwsCode(() => buildRawCsta(''), 'E_INPUT', 'xml');
      throwsCode(() => buildRawCsta('hello'), 'E_INPUT', 'xml');
      throwsCode(() => buildRawCsta('<a/><b/>'), 'E_INPUT', 'xml');
    });
  });
});
