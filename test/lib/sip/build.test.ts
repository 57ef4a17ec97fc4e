/** Message builders against Snom's published examples (docs/protocol.md §10.3, §10.5), and "nothing sent on bad input". */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SnomError } from '../../../src/lib/errors';
import {
  buildButtonsMessage,
  buildCheckSyncNotify,
  buildMinibrowserNotify,
  buildTalkHoldNotify,
  renderRequest,
  SipClient,
  type SipRequestSpec,
} from '../../../src/lib/sip';
import { BUTTONS_EXAMPLE, NOTIFY_EXAMPLE, NOTIFY_EXAMPLE_BODY } from '../../support/sip-examples';
import { hasControlChar } from '../../../src/lib/sip/syntax';
import { h, parsePeer, RawPeer } from './peer';

const NOWHERE = { address: '0.0.0.0', port: 0 };

/** Renders a spec with the fixed ids of a vector. */
function render(
  spec: SipRequestSpec,
  f: { requestUri: string; via: string; from: string; to: string; contact: string; cseq: number; callId: string },
) {
  return parsePeer(
    renderRequest({
      method: spec.method,
      ...f,
      headers: spec.headers,
      body: spec.body,
      contentType: spec.contentType,
    }).toString('utf8'),
    NOWHERE,
  );
}

const V107 = {
  requestUri: 'sip:500@192.168.88.8',
  via: 'SIP/2.0/UDP 192.168.88.8:5060;branch=z9hG4bK001b84f6;rport',
  from: 'sip:info@192.168.89.193',
  to: 'sip:500@domain',
  contact: '<sip:500@sender:7089>',
  cseq: 10,
  callId: '1234@192.168.91.254',
};

describe('lib/sip builders', () => {
  it('(a) minibrowser NOTIFY reproduces the §10.7 vector (Content-Length from the body, plus Max-Forwards)', () => {
    const vector = parsePeer(NOTIFY_EXAMPLE, NOWHERE);
    const ours = render(buildMinibrowserNotify({ xml: NOTIFY_EXAMPLE_BODY }), V107);
    assert.equal(ours.startLine, vector.startLine);
    for (const [name, values] of vector.headers) {
      if (name === 'content-length') continue;
      assert.deepEqual(ours.headers.get(name), values, name);
    }
    assert.equal(h(ours, 'content-length'), String(Buffer.byteLength(NOTIFY_EXAMPLE_BODY)));
    const extra = [...ours.headers.keys()].filter((n) => !vector.headers.has(n));
    assert.deepEqual(extra, ['max-forwards']);
    assert.equal(h(ours, 'max-forwards'), '70');
    assert.equal(ours.body, NOTIFY_EXAMPLE_BODY);
    assert.equal(ours.headers.has('event'), false, "Snom's example has no Event header");
  });

  it('(a) the Event: xml variant (kettenbach) is one option away', () => {
    const spec = buildMinibrowserNotify({ xml: '<SnomIPPhoneText><Text>Hi</Text></SnomIPPhoneText>', event: 'xml' });
    assert.deepEqual(spec.headers, [['Event', 'xml']]);
    assert.equal(spec.contentType, 'application/snomxml');
    assert.throws(() => buildMinibrowserNotify({ xml: '<SnomIPPhoneText>', event: 'xml' }), { code: 'E_INPUT' });
    assert.throws(() => buildMinibrowserNotify({ xml: '<html/>' }), { code: 'E_INPUT' });
    assert.throws(() => buildMinibrowserNotify({ xml: '<SnomIPPhoneText/>', event: 'xml\r\nX: 1' }), {
      code: 'E_INPUT',
    });
  });

  it('(c) x-buttons MESSAGE matches §10.8: Subject, Content-Type, k/c lines in CRLF', () => {
    const vector = parsePeer(BUTTONS_EXAMPLE, NOWHERE);
    const spec = buildButtonsMessage({ lamps: [{ key: 6, light: 'on' }] });
    const ours = render(spec, { ...V107, requestUri: 'sip:101@192.168.1.50;transport=udp' });
    assert.equal(ours.startLine, vector.startLine);
    assert.equal(h(ours, 'subject'), h(vector, 'subject'));
    assert.equal(h(ours, 'content-type'), h(vector, 'content-type'));
    assert.equal(spec.body, 'k=6\r\nc=on\r\n');
    assert.ok(spec.body.startsWith(vector.body));
  });

  it('(c) several lamps: all lines in k, c, o, l, n, a order, an empty line between lamps', () => {
    const spec = buildButtonsMessage({
      lamps: [
        { key: '1', light: 'on', colour: 'red', label: 'Door', number: '**1', action: 'message' },
        { key: 2, light: 'off' },
        { key: 3, label: 'Käse' },
      ],
      subject: null,
    });
    assert.equal(
      spec.body,
      'k=1\r\nc=on\r\no=red\r\nl=Door\r\nn=**1\r\na=message\r\n\r\nk=2\r\nc=off\r\n\r\nk=3\r\nl=Käse\r\n',
    );
    assert.deepEqual(spec.headers, []);
  });

  it('(c) refuses bad keys, light modes, colours, actions and line breaks', () => {
    const bad: unknown[] = [
      [],
      [{ key: 6 }],
      [{ key: -1, light: 'on' }],
      [{ key: 1000, light: 'on' }],
      [{ key: '6a', light: 'on' }],
      [{ key: 6, light: 'blink' }],
      [{ key: 6, light: 'on', colour: 'blue' }],
      [{ key: 6, label: 'a\r\nk=7' }],
      [{ key: 6, number: '1\n2' }],
      [{ key: 6, action: 'a b' }],
      [null],
    ];
    for (const lamps of bad) {
      assert.throws(() => buildButtonsMessage({ lamps: lamps as never }), { code: 'E_INPUT' }, JSON.stringify(lamps));
    }
    assert.throws(() => buildButtonsMessage({ lamps: [{ key: 1, light: 'on' }], subject: 'x\ny' }), {
      code: 'E_INPUT',
    });
  });

  it('(c) any printable label stays on its one line (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !hasControlChar(s)),
        (label) => {
          const body = buildButtonsMessage({ lamps: [{ key: 5, light: 'on', label }] }).body;
          assert.deepEqual(body.split('\r\n'), ['k=5', 'c=on', `l=${label}`, '']);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('\r', '\n', '\0', '\r\n'),
        fc.string({ maxLength: 10 }),
        (a, br, b) => {
          assert.throws(() => buildButtonsMessage({ lamps: [{ key: 5, label: a + br + b }] }), { code: 'E_INPUT' });
        },
      ),
      { seed: 8, numRuns: 200 },
    );
  });

  it('(b) talk/hold NOTIFY: Event header, no body; (d) check-sync with reboot=false|true', () => {
    const talk = buildTalkHoldNotify({ event: 'talk' });
    assert.equal(talk.method, 'NOTIFY');
    assert.deepEqual(talk.headers, [['Event', 'talk']]);
    assert.equal(talk.body, '');
    assert.equal(talk.dialog, undefined);
    assert.deepEqual(buildTalkHoldNotify({ event: 'hold', subscriptionState: 'active' }).headers, [
      ['Event', 'hold'],
      ['Subscription-State', 'active'],
    ]);
    assert.throws(() => buildTalkHoldNotify({ event: 'answer' as never }), { code: 'E_INPUT' });
    assert.throws(() => buildTalkHoldNotify({ event: 'talk', subscriptionState: 'active\r\nX: y' }), {
      code: 'E_INPUT',
    });
    assert.deepEqual(buildCheckSyncNotify().headers, [['Event', 'check-sync;reboot=false']]);
    assert.deepEqual(buildCheckSyncNotify({ reboot: true }).headers, [['Event', 'check-sync;reboot=true']]);
    assert.throws(() => buildCheckSyncNotify({ reboot: 'yes' as never }), { code: 'E_INPUT' });
  });
});

describe('lib/sip client: nothing is sent on bad input', () => {
  let peer: RawPeer;
  let client: SipClient;
  before(async () => {
    peer = await RawPeer.udp();
    client = new SipClient({ localAddress: '127.0.0.1', timers: { t1: 20 } });
    await client.open();
  });
  after(async () => {
    await client.close();
    await peer.close();
  });

  const injections = fc.tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\r\n', '\n', '\r', '\0'),
    fc.string({ maxLength: 8 }),
  );

  it('line breaks in any user value → E_INPUT and no packet (property)', async () => {
    const target = () => ({ host: '127.0.0.1', port: peer.port });
    const cases: Array<(bad: string) => Promise<unknown>> = [
      (bad) => client.send(buildCheckSyncNotify(), { target: { ...target(), user: bad } }),
      (bad) => client.send(buildCheckSyncNotify(), { target: target(), requestUri: `sip:1@127.0.0.1${bad}` }),
      (bad) => client.send(buildCheckSyncNotify(), { target: target(), toUri: `sip:${bad}@x` }),
      (bad) =>
        client.send(
          { method: 'NOTIFY', headers: [['Event', `talk${bad}`]], body: '', command: 't' },
          { target: target() },
        ),
      (bad) =>
        client.send({ method: 'NOTIFY', headers: [[`X${bad}`, 'v']], body: '', command: 't' }, { target: target() }),
      (bad) =>
        client.send(buildTalkHoldNotify({ event: 'talk' }), { target: { host: `127.0.0.1${bad}`, port: peer.port } }),
      (bad) =>
        client.send(buildCheckSyncNotify(), { target: target(), credentials: { user: `u${bad}`, password: 'p' } }),
      (bad) =>
        client.send(
          buildTalkHoldNotify({
            event: 'hold',
            dialog: {
              callId: `c${bad}`,
              localTag: 'a',
              remoteTag: 'b',
              cseq: 2,
              localUri: 'sip:a@b',
              remoteUri: 'sip:c@d',
            },
          }),
          { target: target() },
        ),
      (bad) => Promise.resolve().then(() => buildButtonsMessage({ lamps: [{ key: 1, label: `x${bad}` }] })),
    ];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: cases.length - 1 }), injections, async (i, [a, br, b]) => {
        await assert.rejects(cases[i](a + br + b), (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT');
      }),
      { seed: 3, numRuns: 120 },
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(peer.received.length, 0);
  });

  it('headers the client writes cannot be given by a builder', async () => {
    for (const name of ['Via', 'call-id', 'CSeq', 'Content-Length', 'v', 'Authorization']) {
      await assert.rejects(
        client.send(
          { method: 'NOTIFY', headers: [[name, 'x']], body: '', command: 't' },
          { target: { host: '127.0.0.1', port: peer.port } },
        ),
        { code: 'E_INPUT' },
      );
    }
    assert.equal(peer.received.length, 0);
  });
});
