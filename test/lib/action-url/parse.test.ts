import assert from 'node:assert/strict';
import { parseActionQuery, tryParseActionQuery } from '../../../src/lib/action-url';
import { SnomError } from '../../../src/lib/errors';

/** Every event name of the node (docs/protocol.md §6.3), written out. */
const EVENT_NAMES = [
  'incoming',
  'outgoing',
  'connected',
  'disconnected',
  'offhook',
  'onhook',
  'missed',
  'hold',
  'unhold',
  'transfer',
  'blindTransfer',
  'attendedTransfer',
  'receivedAttendedTransfer',
  'dndOn',
  'dndOff',
  'redirectionOn',
  'redirectionOff',
  'setup',
  'registrationFailed',
  'logOn',
  'logOff',
  'longPress',
  'blacklist',
  'subscriptionNotify',
  'firewallTest',
];

describe('parseActionQuery', () => {
  it("parses every event name; the phone's unfilled $placeholders are dropped", () => {
    for (const name of EVENT_NAMES) {
      const ev = parseActionQuery(
        `?t=tok&e=${name}&local=$local&remote=$remote&cid=$call-id&csta=$csta_id&mac=$mac&h.X-A=$sip_header(X-A)&v.user_uid%5B1%5D=$user_uid[1]`,
      );
      assert.deepEqual(ev, { event: name, token: 'tok', variables: {}, extra: {} }, name);
    }
  });

  it('accepts an event under its setting names too (both names of the firewall test)', () => {
    assert.equal(parseActionQuery('e=action_fwtest_url').event, 'firewallTest');
    assert.equal(parseActionQuery('e=action_firewall_test').event, 'firewallTest');
    assert.equal(parseActionQuery('e=ACTION_FIREWALL_TEST').event, 'firewallTest');
    assert.equal(parseActionQuery('e=action_hold').event, 'hold');
    assert.equal(parseActionQuery('e=action_reg_failed').event, 'registrationFailed');
  });

  it('parses every variable under its readable key, by short query name', () => {
    const ev = parseActionQuery(
      't=tok&e=incoming&local=sip%3A100%40pbx&remote=sip%3A200%40pbx&cid=a1%4010.0.0.1&csta=-18&dloc=Empfang&drem=Anna%20M%C3%BCller' +
        '&aurl=sip%3A100%40pbx&auser=100&ahost=pbx&akey=P3&exp=1&ip=10.0.0.5&calls=2&ctx=sip%3A101%40pbx&reason=busy&lkey=P7' +
        '&mac=000413922D24&lip=10.0.0.5&rev=all&rnum=0301234&rtime=20',
    );
    assert.deepEqual(ev.variables, {
      local: 'sip:100@pbx',
      remote: 'sip:200@pbx',
      callId: 'a1@10.0.0.1',
      cstaId: '-18',
      displayLocal: 'Empfang',
      displayRemote: 'Anna Müller',
      activeUrl: 'sip:100@pbx',
      activeUser: '100',
      activeHost: 'pbx',
      activeKey: 'P3',
      expansionModule: '1',
      phoneIp: '10.0.0.5',
      nrOngoingCalls: 2,
      contextUrl: 'sip:101@pbx',
      cancelReason: 'busy',
      longpressKey: 'P7',
      mac: '000413922D24',
      localIp: '10.0.0.5',
      redirectEvent: 'all',
      redirectNumber: '0301234',
      redirectTime: '20',
    });
    assert.deepEqual(ev.extra, {});
  });

  it('parses the same variables by their readable and phone names', () => {
    const ev = parseActionQuery(
      'e=connected&callId=x1&csta_id=-2&display_remote=Bob&active_host=h&nr_ongoing_calls=1&longpress_key=P2&redirect_number=77&phone_ip=1.2.3.4',
    );
    assert.deepEqual(ev.variables, {
      callId: 'x1',
      cstaId: '-2',
      displayRemote: 'Bob',
      activeHost: 'h',
      nrOngoingCalls: 1,
      longpressKey: 'P2',
      redirectNumber: '77',
      phoneIp: '1.2.3.4',
    });
  });

  it('delivers SIP headers (h.NAME) and phone settings (v.NAME) under the names asked, first value winning', () => {
    const ev = parseActionQuery(
      'e=incoming&h.X-Foo=ticket%2042&h.X-Foo=second&h.X-Bar=&v.user_uid%5B1%5D=u7&v.language=Deutsch&h.=x&v.__proto__=p&h.constructor=c',
    );
    assert.deepEqual(ev.sipHeaders, { 'X-Foo': 'ticket 42', constructor: 'c' });
    assert.deepEqual(ev.phoneVariables, { 'user_uid[1]': 'u7', language: 'Deutsch' });
    assert.deepEqual(ev.extra, { 'h.': 'x' });
    assert.equal(Object.getPrototypeOf(ev.phoneVariables), Object.prototype);
    assert.equal(parseActionQuery('e=incoming&remote=x').sipHeaders, undefined, 'absent when none was filled');
  });

  it('decodes values, keeps a raw + and puts unknown parameters in extra', () => {
    const ev = parseActionQuery(
      '?t=abc&e=incoming&remote=sip:+4930123@pbx.local&drem=Anna%20M%C3%BCller&cid=3c2e@10.0.0.1&csta=-18&foo=bar%26baz&akey=P1',
    );
    assert.equal(ev.variables.remote, 'sip:+4930123@pbx.local');
    assert.equal(ev.variables.displayRemote, 'Anna Müller');
    assert.equal(ev.variables.callId, '3c2e@10.0.0.1');
    assert.equal(ev.variables.cstaId, '-18');
    assert.equal(ev.variables.activeKey, 'P1');
    assert.deepEqual(ev.extra, { foo: 'bar&baz' });
  });

  it('drops literal placeholders and empty values, in variables and extra', () => {
    const ev = parseActionQuery(
      'e=missed&t=x&local=$local&remote=&cid=$call-id&csta=-3&uid=$user_uid[1]&h=$sip_header(X-Foo)&note=&keep=ok',
    );
    assert.deepEqual(ev.variables, { cstaId: '-3' });
    assert.deepEqual(ev.extra, { keep: 'ok' });
  });

  it('accepts the phone names and long names of p4irin-style URLs (docs/protocol.md §6.2)', () => {
    const ev = parseActionQuery(
      'ip=192.168.1.50&event=incoming&local=sip:100@pbx.local&remote=sip:200@pbx.local&token=s3',
    );
    assert.deepEqual(ev, {
      event: 'incoming',
      token: 's3',
      variables: { phoneIp: '192.168.1.50', local: 'sip:100@pbx.local', remote: 'sip:200@pbx.local' },
      extra: {},
    });
    assert.equal(parseActionQuery('e=incoming&call_id=abc&csta_id=-1').variables.callId, 'abc');
    assert.equal(parseActionQuery(new URLSearchParams('e=dndon&call-id=q')).event, 'dndOn');
  });

  it('keeps a non-numeric call count in extra instead of inventing a number', () => {
    const ev = parseActionQuery('e=connected&calls=many');
    assert.equal(ev.variables.nrOngoingCalls, undefined);
    assert.deepEqual(ev.extra, { calls: 'many' });
  });

  it('takes the first of repeated names and survives bad %-escapes and prototype names', () => {
    const ev = parseActionQuery('e=hold&e=unhold&remote=a&remote=b&x=%E0%A4%A&constructor=c&__proto__=p');
    assert.equal(ev.event, 'hold');
    assert.equal(ev.variables.remote, 'a');
    assert.equal(ev.extra.x, '%E0%A4%A');
    assert.equal(ev.extra.constructor, 'c');
    assert.equal(Object.getPrototypeOf(ev.extra), Object.prototype);
  });

  it('refuses a missing or unknown event with E_INPUT, keeping the token for the caller', () => {
    for (const q of ['t=x&e=ringing', 't=x', 't=x&e=']) {
      assert.throws(
        () => parseActionQuery(q),
        (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT',
      );
      const r = tryParseActionQuery(q);
      assert.equal(r.value, undefined);
      assert.equal(r.token, 'x');
      assert.equal(r.error?.code, 'E_INPUT');
    }
  });
});
