import assert from 'node:assert/strict';
import {
  ACTION_EVENT_NAMES,
  ACTION_VARIABLES,
  buildActionUrl,
  parseActionQuery,
  tryParseActionQuery,
} from '../../src/lib/action-url';
import { SnomError } from '../../src/lib/errors';

/** What a phone would send: the built URL with each `$var` replaced by a value. */
function phoneFills(url: string, values: Record<string, string>): string {
  return url.replace(/\$([A-Za-z][\w-]*)/g, (whole, name: string) =>
    name in values ? encodeURIComponent(values[name]) : whole,
  );
}

describe('parseActionQuery', () => {
  it('parses every event name from a URL built for it', () => {
    for (const name of ACTION_EVENT_NAMES) {
      const url = buildActionUrl({ baseUrl: 'http://nr:1880', path: '/snom/events', token: 'tok', event: name });
      const ev = parseActionQuery(new URL(url).search);
      assert.equal(ev.event, name);
      assert.equal(ev.token, 'tok');
      assert.deepEqual(ev.variables, {}, 'nothing filled: every literal $x dropped');
      assert.deepEqual(ev.extra, {});
    }
  });

  it('parses every variable under its readable key', () => {
    const all = ACTION_VARIABLES.map((v) => v.key);
    const url = buildActionUrl({ baseUrl: 'http://nr:1880', path: '/e', token: 'tok', event: 'incoming', variables: all });
    const values: Record<string, string> = {};
    const expected: Record<string, unknown> = {};
    ACTION_VARIABLES.forEach((v, i) => {
      const value = v.key === 'nrOngoingCalls' ? '2' : `value ${i} ${v.key} ü`;
      values[v.phoneVar] = value;
      expected[v.key] = v.key === 'nrOngoingCalls' ? 2 : value;
    });
    const ev = parseActionQuery(new URL(phoneFills(url, values)).search);
    assert.deepEqual(ev.variables, expected);
    assert.equal(typeof ev.variables.nrOngoingCalls, 'number');
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

  it('accepts the phone names and long names of p4irin-style URLs (reference §10.3)', () => {
    const ev = parseActionQuery('ip=192.168.1.50&event=incoming&local=sip:100@pbx.local&remote=sip:200@pbx.local&token=s3');
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
      assert.throws(() => parseActionQuery(q), (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT');
      const r = tryParseActionQuery(q);
      assert.equal(r.value, undefined);
      assert.equal(r.token, 'x');
      assert.equal(r.error?.code, 'E_INPUT');
    }
  });
});
