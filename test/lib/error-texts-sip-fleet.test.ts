// The errors of SIP, the fleet, action URLs, provisioning and minibrowser documents by their catalog key
// (runtime.errors.<area>.<key>): the English catalog gives the message as thrown, German differs.
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { parseAllowlist } from '../../src/lib/action-url/allowlist';
import { endpointConfig } from '../../src/lib/action-url/endpoint-config';
import { parseExtraVariables } from '../../src/lib/action-url/extra-variables';
import { tryParseActionQuery } from '../../src/lib/action-url/parse';
import { endpointBase, provisioningValues } from '../../src/lib/action-url/provision';
import {
  provisionAction,
  provisionFailure,
  provisionPhones,
  type ProvisionReport,
} from '../../src/lib/action-url/provision-report';
import { redactError } from '../../src/lib/action-url/redact';
import { buildActionUrl, normalizePath } from '../../src/lib/action-url/url';
import { SnomError } from '../../src/lib/errors';
import { Fleet, MAX_FLEET_ENTRIES, parseEndpoint } from '../../src/lib/fleet';
import { SnomPhone } from '../../src/lib/phone';
import { requireSipNotify, resolveProfile } from '../../src/lib/profile';
import { buildButtonsMessage, buildCheckSyncNotify, SipClient } from '../../src/lib/sip';
import { UaCstaSession } from '../../src/lib/sip/uacsta';
import { UaCstaLink } from '../../src/lib/sip/uacsta-link';
import { withSavedLogin } from '../../src/lib/detect-login';
import { checkForeignDialog } from '../../src/lib/sip/dialog';
import { buildSipNotify, buttonKeyList, parseButtonsText, sipNotifyKind } from '../../src/lib/sip/notify';
import * as syntax from '../../src/lib/sip/syntax';
import { checkDocumentSize, DocumentStore, documentUrl } from '../../src/nodes/shared/document-server';
import { sipSettings } from '../../src/nodes/shared/sip-settings';
import { localise, sayText, translator } from '../../src/nodes/shared/i18n';
import { rejection } from '../support/assert-error';
import { flatten, paramsOf, render, runtimePart } from '../support/catalog';
import { RawPeer } from './sip/peer';

/** What a sample yields: a thrown error, or one quoted inside another (the text of a nested reason). */
type Said = Pick<SnomError, 'code' | 'message' | 'text'>;

/** The SnomError `f` throws (the test fails when it throws nothing or something else). */
function thrown(f: () => unknown): SnomError {
  let caught: unknown;
  assert.throws(f, (e) => ((caught = e), e instanceof SnomError));
  return caught as SnomError;
}

/** The fleet's own reason for refusing an entry, as its invalid-fleet error quotes it. */
function fleetReason(value: unknown): Said {
  const err = Fleet.parse(value).error;
  assert.ok(err?.text?.inner?.reason, 'a reason with its key');
  return { code: err.code, message: String(err.text.params.reason), text: err.text.inner.reason };
}

const d865 = resolveProfile({ model: 'D865', firmware: '10.1.33.33' });
const old870 = resolveProfile({ model: 'snom870', firmware: '6.5.20' });
const s870 = resolveProfile({ model: 'snom870', firmware: '8.7.0' });
const lamps =
  (...l: unknown[]) =>
  () =>
    thrown(() => buildButtonsMessage({ lamps: l as never }));
const host = (e: string) => () => thrown(() => parseEndpoint(e, 'msg.target'));

function storeFull(): SnomError {
  const store = new DocumentStore({ maxDocuments: 1 });
  store.put('<a/>');
  return thrown(() => store.put('<b/>'));
}

/** A SIP client that never opens a socket: the refusals come before anything is sent. */
const idle = new SipClient({ localAddress: '127.0.0.1' });
const nowhere = { host: '127.0.0.1', port: 9 };

async function closedLink(): Promise<SnomError> {
  const link = new UaCstaLink({ endpoint: () => ({ client: idle, target: nowhere }) });
  await link.close();
  return rejection(link.request('<a/>', 'csta'));
}

const secure = new SnomPhone({ host: '127.0.0.1', port: 9, protocol: 'https', model: 'D785', firmware: '10.1.33.33' });
const desk = new SnomPhone({ host: '127.0.0.1', port: 9, model: 'D785', firmware: '10.1.33.33' });
/** One phone without a base URL (the runtime's reason), one id that names no phone. */
const FAN_OUT = {
  configured: [] as string[],
  phoneFor: (id: string) => (id === 'desk' ? { phone: desk, baseUrl: '' } : undefined),
  events: 'all' as const,
  httpNodeRoot: '/',
  path: '/snom/events',
  token: 'T0KEN-T0KEN-T0KEN',
  variables: undefined,
  unprovision: false,
};
const PROVISION = { events: 'all' as const, baseUrl: 'http://nr:1880', path: '/e', token: 't' };
const failureOf = (r: ProvisionReport): Said => ({
  code: r.errors[0].code,
  message: r.errors[0].message,
  text: r.errors[0].text,
});
const failureIn = (action: 'provision' | 'unprovision') => (r: ProvisionReport) => provisionFailure(action, r)!;

const SAMPLES: Array<[string, () => Said | Promise<Said>]> = [
  ['fleet.notHost', host('bad host!')],
  ['fleet.unspecified', host('0.0.0.0')],
  ['fleet.portNotNumber', host('phone:http')],
  ['fleet.portRange', host('phone:70000')],
  ['fleet.brackets', host('[phone]')],
  ['fleet.notRangeNoPort', () => fleetReason('10.0.0.0/8:80')],
  ['fleet.ipv4Prefix', () => fleetReason('10.0.0.0/33')],
  ['fleet.ipv6Prefix', () => fleetReason('fd00::/129')],
  ['fleet.notRange', () => fleetReason('10.0.0/8')],
  ['fleet.entryNotText', () => fleetReason(['10.0.0.1', 5])],
  ['fleet.shape', () => fleetReason(5)],
  ['fleet.tooMany', () => fleetReason(Array(MAX_FLEET_ENTRIES + 1).fill('10.0.0.1'))],
  ['fleet.invalid', () => Fleet.parse(5).error!],
  ['notify.kind', () => thrown(() => sipNotifyKind('bells'))],
  ['notify.kindFrom', () => thrown(() => sipNotifyKind(undefined, 'msg.topic'))],
  ['notify.buttonLines', () => thrown(() => parseButtonsText('\n'.repeat(2001)))],
  ['notify.buttonLine', () => thrown(() => parseButtonsText('k=6\nlight=on'))],
  ['notify.buttonTwice', () => thrown(() => parseButtonsText('k=6\nc=on\nc=off'))],
  ['notify.lamps', () => thrown(() => buildSipNotify('buttons', { lamps: 5 }))],
  ['notify.noDocument', () => thrown(() => buildSipNotify('minibrowser', { document: ' ' }))],
  ['notify.reboot', () => thrown(() => buildSipNotify('check-sync', { reboot: 'yes' }))],
  ['notify.dialog', () => thrown(() => buildSipNotify('talk', { dialog: 'call 1' }))],
  ['notify.event', () => thrown(() => buildSipNotify('minibrowser', { document: '<x/>', event: 7 }))],
  ['notify.buttonKeys', () => thrown(() => buttonKeyList({ keys: 5 }))],
  ['notify.tooManyKeys', () => thrown(() => buttonKeyList(Array(101).fill(1)))],
  ['notify.buttonKey', () => thrown(() => buttonKeyList('5, 1000'))],
  ['notify.d8xxButtons', () => thrown(() => requireSipNotify(d865, 'buttons'))],
  ['notify.d8xxMinibrowser', () => thrown(() => requireSipNotify(d865, 'minibrowser'))],
  ['notify.buttonsFirmware', () => thrown(() => requireSipNotify(old870, 'buttons'))],
  ['sip.notString', () => thrown(() => syntax.checkHeaderValue('subject', 5))],
  ['sip.lineBreak', lamps({ key: 1, label: 'Door\nBell' })],
  ['sip.tooLong', () => thrown(() => syntax.checkHeaderValue('subject', 'x'.repeat(1025)))],
  ['sip.headerControl', () => thrown(() => syntax.checkHeaderValue('subject', 'a\r\nVia: evil'))],
  ['sip.token', () => thrown(() => syntax.checkToken('event', 'x ml'))],
  ['sip.callIdText', () => thrown(() => syntax.checkCallIdValue('dialog.callId', 5))],
  ['sip.callId', () => thrown(() => syntax.checkCallIdValue('dialog.callId', 'a@b@c'))],
  ['sip.port', () => thrown(() => syntax.checkPort('SIP port', '0'))],
  ['sip.hostMissing', () => thrown(() => syntax.checkHost('SIP host', ''))],
  ['sip.host', () => thrown(() => syntax.checkHost('SIP host', 'bad host!'))],
  ['sip.uriText', () => thrown(() => syntax.checkSipUri('dialog.localUri', 5))],
  ['sip.uri', () => thrown(() => syntax.checkSipUri('dialog.localUri', 'phone 101'))],
  ['sip.sips', () => thrown(() => syntax.checkSipUri('dialog.localUri', 'sips:101@pbx'))],
  ['sip.user', () => thrown(() => syntax.checkSipUser('SIP user', 'a:b'))],
  ['sip.credentialEmpty', () => thrown(() => syntax.checkCredential('SIP password', ''))],
  ['sip.credential', () => thrown(() => syntax.checkCredential('SIP password', 'a\nb'))],
  ['sip.lampObject', lamps(null)],
  ['sip.lampKey', lamps({ key: 'six' })],
  ['sip.lampLight', lamps({ key: 6, light: 'blink' })],
  ['sip.lampColour', lamps({ key: 6, colour: 'pink' })],
  ['sip.lampAction', lamps({ key: 6, action: 'open door' })],
  ['sip.lampEmpty', lamps({ key: 6 })],
  ['sip.noLamps', lamps()],
  ['sip.tooManyLamps', lamps(...Array(201).fill({ key: 1, light: 'on' }))],
  ['sip.cstaEmpty', () => rejection(UaCstaSession.open({ client: idle, target: nowhere, inviteBody: ' ' }))],
  ['sip.cstaNul', () => rejection(UaCstaSession.open({ client: idle, target: nowhere, inviteBody: '<a>\0</a>' }))],
  ['sip.cstaXml', () => rejection(UaCstaSession.open({ client: idle, target: nowhere, inviteBody: '<a><b></a>' }))],
  ['sip.linkClosed', () => closedLink()],
  ['detect.notInFleet', () => rejection(withSavedLogin({ phone: desk }, { host: '10.0.0.9' }))],
  ['detect.httpsToHttp', () => rejection(withSavedLogin({ phone: secure }, { host: '127.0.0.1', port: 9 }))],
  [
    'detect.selfSigned',
    () =>
      rejection(
        withSavedLogin({ phone: secure }, { host: '127.0.0.1', port: 9, protocol: 'https', allowSelfSigned: true }),
      ),
  ],
  ['sip.cseq', () => thrown(() => checkForeignDialog({ cseq: 0 } as never))],
  ['sip.noHost', () => thrown(() => sipSettings({}))],
  ['sip.transport', () => thrown(() => sipSettings({ host: 'phone', sipTransport: 'tls' }))],
  ['sip.localAddress', () => thrown(() => sipSettings({ host: 'phone', sipLocalAddress: 'me' }))],
  ['documents.tooLarge', () => thrown(() => checkDocumentSize('x'.repeat(11), 10))],
  ['documents.full', storeFull],
  ['documents.noHttpNodes', () => thrown(() => documentUrl('http://nr:1880', false, 't'))],
  ['documents.noBaseUrl', () => thrown(() => documentUrl('', '/', 't'))],
  ['documents.badBaseUrl', () => thrown(() => documentUrl('http://[nr', '/', 't'))],
  ['documents.baseUrlScheme', () => thrown(() => documentUrl('ftp://nr', '/', 't'))],
  ['actionUrl.headerName', () => thrown(() => parseExtraVariables(['$sip_header(X/Foo)']))],
  ['actionUrl.headerUnreportable', () => thrown(() => parseExtraVariables('$sip_header(Via)'))],
  ['actionUrl.unknownVariable', () => thrown(() => parseExtraVariables('what?'))],
  ['actionUrl.privateSetting', () => thrown(() => parseExtraVariables('http_pass'))],
  ['actionUrl.variablesShape', () => thrown(() => parseExtraVariables(5))],
  ['actionUrl.variableNotText', () => thrown(() => parseExtraVariables([5]))],
  [
    'actionUrl.tooManyVariables',
    () => thrown(() => parseExtraVariables(Array.from({ length: 17 }, (_, i) => `s${i}`))),
  ],
  ['actionUrl.allowAddress', () => thrown(() => parseAllowlist('10.0.0.300'))],
  ['actionUrl.allowPrefix', () => thrown(() => parseAllowlist('10.0.0.0/40'))],
  [
    'actionUrl.unknownEvent',
    () => thrown(() => buildActionUrl({ event: 'ringing', baseUrl: 'http://nr', path: '/e', token: 't' })),
  ],
  ['actionUrl.path', () => thrown(() => normalizePath('/a b'))],
  [
    'actionUrl.baseUrl',
    () => thrown(() => buildActionUrl({ event: 'incoming', baseUrl: 'nr', path: '/e', token: 't' })),
  ],
  [
    'actionUrl.baseUrlScheme',
    () => thrown(() => buildActionUrl({ event: 'incoming', baseUrl: 'ftp://nr', path: '/e', token: 't' })),
  ],
  [
    'actionUrl.baseUrlQuery',
    () => thrown(() => buildActionUrl({ event: 'incoming', baseUrl: 'http://nr/?a=1', path: '/e', token: 't' })),
  ],
  ['actionUrl.noEvent', () => tryParseActionQuery('t=x').error as SnomError],
  ['actionUrl.requestEvent', () => tryParseActionQuery('t=x&e=ringing').error as SnomError],
  ['provision.action', () => thrown(() => provisionAction('write'))],
  ['provision.noPhones', () => rejection(provisionPhones({ ...FAN_OUT }))],
  ['provision.noSuchPhone', () => provisionPhones({ ...FAN_OUT, configured: ['abc'] }).then(failureOf)],
  ['provision.failed', () => provisionPhones({ ...FAN_OUT, configured: ['desk'] }).then(failureIn('provision'))],
  [
    'provision.unprovisionFailed',
    () => provisionPhones({ ...FAN_OUT, configured: ['desk', 'x'] }).then(failureIn('unprovision')),
  ],
  ['provision.noBaseUrl', () => thrown(() => endpointBase(''))],
  ['provision.noEvents', () => thrown(() => provisioningValues({ ...PROVISION, events: [] }, s870))],
];

/** Errors that need a socket: a raw SIP peer on 127.0.0.1 that answers as each says, or a port in use. */
const NET_SAMPLES: Array<[string, (n: Net) => Promise<Said>]> = [
  ['sip.needsLogin', (n) => n.send(401)],
  ['sip.badLogin', (n) => n.send(401, { user: '101', password: 'wrong' })],
  ['sip.noDigest', (n) => n.send(401, { user: '101', password: 'x' }, 'Basic realm="snom"')],
  ['sip.failed', (n) => n.send(486)],
  ['sip.noAnswer', (n) => n.send(0)],
  [
    'sip.closed',
    async (n) => {
      await n.client.close();
      return n.send(200);
    },
  ],
  [
    'sip.wasClosed',
    async (n) => {
      const sent = n.send(0);
      await n.peer.next();
      await n.client.close();
      return sent;
    },
  ],
  [
    'sip.openUdp',
    async (n) => {
      const taken = dgram.createSocket('udp4');
      await new Promise<void>((r) => taken.bind(0, '127.0.0.1', () => r()));
      n.onEnd(() => taken.close());
      const c = n.own(new SipClient({ localAddress: '127.0.0.1', localPort: taken.address().port }));
      return rejection(c.send(buildCheckSyncNotify(), { target: n.target }));
    },
  ],
  [
    'sip.openTcp',
    async (n) => {
      const taken = net.createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
      n.onEnd(() => taken.close());
      const port = (taken.address() as net.AddressInfo).port;
      const c = n.own(new SipClient({ transport: 'tcp', localAddress: '127.0.0.1', localPort: port }));
      return rejection(c.send(buildCheckSyncNotify(), { target: n.target }));
    },
  ],
  [
    'sip.connectTcp',
    async (n) => {
      const c = n.own(new SipClient({ transport: 'tcp', localAddress: '127.0.0.1' }));
      const closed = net.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
      const port = (closed.address() as net.AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      return rejection(c.send(buildCheckSyncNotify(), { target: { host: '127.0.0.1', port } }));
    },
  ],
];

interface Net {
  peer: RawPeer;
  client: SipClient;
  target: { host: string; port: number; user: string };
  send(status: number, credentials?: { user: string; password: string }, challenge?: string): Promise<SnomError>;
  own(c: SipClient): SipClient;
  onEnd(f: () => void): void;
}

describe('lib: the SIP, fleet, action URL, provisioning and document errors carry their catalog key', function () {
  this.timeout(15000);
  after(() => idle.close());
  const en = flatten(runtimePart('en-US'));
  const de = flatten(runtimePart('de'));

  /** The sample's English message from its key; a German text that differs and fills every parameter. */
  /** A translator on one of the package's catalogs, as the runtime's `_` would answer. */
  const on =
    (cat: Map<string, string>) =>
    (k: string, params: Record<string, string | number> = {}) => {
      const text = cat.get(k);
      return text === undefined ? k : render(text, params);
    };

  /**
   * The sample says its message from its key: in English as thrown (every parameter given), in German
   * through the node layer's own path (fields named in words and quoted reasons said in German too).
   */
  function check(key: string, err: Said): void {
    const text = err.text;
    assert.deepEqual([text?.key, en.has(`errors.${key}`), de.has(`errors.${key}`)], [key, true, true], err.message);
    const english = en.get(`errors.${key}`)!;
    assert.deepEqual(
      paramsOf(english).filter((p) => !Object.hasOwn(text!.params, p)),
      [],
      'every parameter given',
    );
    assert.equal(sayText(on(en), text!), err.message);
    const german = sayText(on(de), text!);
    assert.ok(german !== err.message && !/__\w+?__/.test(german), german);
  }

  for (const [key, make] of SAMPLES) {
    it(`${key}: the English catalog gives the message as thrown; German differs and fills every parameter`, async () => {
      check(key, await make());
    });
  }

  describe('over sockets on 127.0.0.1', () => {
    const ends: Array<() => unknown> = [];
    afterEach(async () => {
      for (const f of ends.splice(0).reverse()) await f();
    });

    async function setup(): Promise<Net> {
      const peer = await RawPeer.udp();
      const client = new SipClient({ localAddress: '127.0.0.1', timers: { t1: 20, timeout: 300 } });
      ends.push(
        () => peer.close(),
        () => client.close(),
      );
      const target = { host: '127.0.0.1', port: peer.port, user: '101' };
      const n: Net = {
        peer,
        client,
        target,
        send(status, credentials, challenge = 'Digest realm="snom", nonce="n", qop="auth", algorithm=MD5') {
          peer.onMessage = (m) => {
            if (!m.method || status === 0) return;
            const headers = status === 401 ? [`WWW-Authenticate: ${challenge}`] : [];
            peer.reply(m, status, status === 401 ? 'Unauthorized' : status === 200 ? 'OK' : 'Busy Here', { headers });
          };
          return rejection(client.send(buildCheckSyncNotify(), { target, credentials }));
        },
        own: (c) => {
          ends.push(() => c.close());
          return c;
        },
        onEnd: (f) => ends.push(f),
      };
      return n;
    }

    for (const [key, make] of NET_SAMPLES) {
      it(`${key}: the English catalog gives the message as thrown; German differs`, async () => {
        check(key, await make(await setup()));
      });
    }
  });

  it("a reason quoted from another error is said in the runtime's language too (fleet, provisioning)", () => {
    const de = (key: string, params?: Record<string, string | number>) => {
      const text = flatten(runtimePart('de')).get(key);
      return text === undefined ? key : render(text, params ?? {});
    };
    const fleet = Fleet.parse('10.0.0.0/33').error!;
    const said = localise(de, fleet) as SnomError;
    assert.equal(said.code, 'E_INPUT');
    assert.equal(said.message, 'Die Flotte ist ungültig: Flotteneintrag "10.0.0.0/33" hat ein IPv4-Präfix über 32');
    // with the runtime's translator (fields named in words said too): the English catalog when the runtime has none
    assert.equal(localise(translator({}), fleet), fleet);
  });

  it("provisioning: the failure of a phone is said in German inside the run's error; redacted errors keep their key", async () => {
    const report = await provisionPhones({ ...FAN_OUT, configured: ['desk'] });
    const err = provisionFailure('provision', report)!;
    const t = (key: string, params?: Record<string, string | number>) => {
      const text = flatten(runtimePart('de')).get(key);
      return text === undefined ? key : render(text, params ?? {});
    };
    const said = localise(t, err) as SnomError;
    assert.equal(said.code, err.code);
    assert.match(
      said.message,
      /^Provisionierung auf 1 Telefon\(en\) fehlgeschlagen: 127\.0\.0\.1:9: Diese Telefon-Konfiguration hat keine/,
    );
    // the token never reaches a text: a redacted error keeps its key with the quoted values redacted
    const leaky = new SnomError('E_INPUT', 'The path "/T0KEN-T0KEN-T0KEN" may not …').withText('actionUrl.path', {
      path: '/T0KEN-T0KEN-T0KEN',
    });
    const clean = redactError(leaky, 'T0KEN-T0KEN-T0KEN');
    assert.equal(clean.text?.key, 'actionUrl.path');
    assert.deepEqual(clean.text?.params, { path: '/***' });
    assert.doesNotMatch(JSON.stringify(clean.text), /T0KEN/);
  });

  it('a bad allowlist or variable list of snom-action-url-in keeps its error for the node to say (endpointConfig)', () => {
    const c = endpointConfig({ path: '/e', allowlist: '10.0.0.300' });
    assert.match(c.problem ?? '', /^The allowlist entry "10\.0\.0\.300" is not valid/);
    assert.equal(c.problemError?.text?.key, 'actionUrl.allowAddress');
    assert.equal(Object.keys(c).includes('problemError'), false);
  });
});
