import assert from 'node:assert/strict';
import {
  buildActionUrl,
  normalizePath,
  parseExtraVariables,
  settingsForProvisioning,
  settingsForUnprovisioning,
} from '../../../src/lib/action-url';
import { SnomError } from '../../../src/lib/errors';

const isInput = (e: unknown): boolean => e instanceof SnomError && e.code === 'E_INPUT';

/** Every event's setting, in the order of the editor's list (docs/protocol.md §6.3; the firewall test as §6.4 names it). */
const ALL_SETTINGS = [
  'action_incoming_url',
  'action_outgoing_url',
  'action_connected_url',
  'action_disconnected_url',
  'action_offhook_url',
  'action_onhook_url',
  'action_missed_url',
  'action_hold',
  'action_unhold',
  'action_transfer',
  'action_blind_transfer',
  'action_attended_transfer',
  'action_received_attended_transfer',
  'action_dnd_on_url',
  'action_dnd_off_url',
  'action_redirection_on_url',
  'action_redirection_off_url',
  'action_setup_url',
  'action_reg_failed',
  'action_log_on_url',
  'action_log_off_url',
  'action_longpress_url',
  'action_blacklist_url',
  'action_received_subscr_notify_url',
  'action_fwtest_url',
];

describe('buildActionUrl and provisioning settings', () => {
  it('builds the URL with token, event and literal $variables', () => {
    const url = buildActionUrl({
      baseUrl: 'http://10.0.0.5:1880/',
      path: 'snom/events/',
      token: 'a-b_c',
      event: 'incoming',
    });
    assert.equal(
      url,
      'http://10.0.0.5:1880/snom/events?t=a-b_c&e=incoming&local=$local&remote=$remote&cid=$call-id&csta=$csta_id' +
        '&dloc=$display_local&drem=$display_remote&akey=$active_key&calls=$nr_ongoing_calls&mac=$mac',
    );
  });

  it('keeps a base path (httpNodeRoot) and honours an explicit variable list', () => {
    const url = buildActionUrl({
      baseUrl: 'https://nr.example/api',
      path: '/p',
      token: 't',
      event: 'longPress',
      variables: ['longpressKey', 'phoneIp'],
    });
    assert.equal(url, 'https://nr.example/api/p?t=t&e=longPress&lkey=$longpress_key&ip=$phone_ip');
  });

  it('refuses bad input with E_INPUT', () => {
    const ok = { baseUrl: 'http://h', path: '/p', token: 't', event: 'hold' };
    assert.throws(() => buildActionUrl({ ...ok, event: 'ringing' }), isInput);
    assert.throws(() => buildActionUrl({ ...ok, token: '' }), isInput);
    assert.throws(() => buildActionUrl({ ...ok, baseUrl: 'ftp://h' }), isInput);
    assert.throws(() => buildActionUrl({ ...ok, baseUrl: 'not a url' }), isInput);
    assert.throws(() => buildActionUrl({ ...ok, baseUrl: 'http://h/?x=1' }), isInput);
    assert.throws(() => buildActionUrl({ ...ok, variables: ['nope'] }), isInput);
    assert.throws(() => normalizePath('/a b'), isInput);
    assert.throws(() => normalizePath('/a?b'), isInput);
    assert.equal(normalizePath(''), '/');
    assert.equal(normalizePath('x//'), '/x');
  });

  it('gives one setting per chosen event, and empties them for unprovisioning', () => {
    const opts = { baseUrl: 'http://h:1880', path: '/s', token: 'k' };
    const some = settingsForProvisioning(['hold', 'firewallTest', 'registrationFailed'], opts);
    assert.deepEqual(some, {
      action_hold:
        'http://h:1880/s?t=k&e=hold&local=$local&remote=$remote&cid=$call-id&csta=$csta_id&dloc=$display_local' +
        '&drem=$display_remote&akey=$active_key&calls=$nr_ongoing_calls&mac=$mac',
      action_fwtest_url: 'http://h:1880/s?t=k&e=firewallTest&mac=$mac',
      action_reg_failed: 'http://h:1880/s?t=k&e=registrationFailed&ctx=$context_url&aurl=$active_url&mac=$mac',
    });
    const all = settingsForProvisioning('all', opts);
    assert.deepEqual(Object.keys(all), ALL_SETTINGS);
    assert.equal(
      all.action_redirection_on_url,
      'http://h:1880/s?t=k&e=redirectionOn&aurl=$active_url&rev=$redirect_event&rnum=$redirect_number&rtime=$redirect_time&mac=$mac',
    );
    assert.equal(all.action_setup_url, 'http://h:1880/s?t=k&e=setup&ip=$phone_ip&lip=$local_ip&mac=$mac');
    assert.equal(all.action_longpress_url, 'http://h:1880/s?t=k&e=longPress&lkey=$longpress_key&mac=$mac');
    assert.equal(
      all.action_blacklist_url,
      'http://h:1880/s?t=k&e=blacklist&local=$local&remote=$remote&drem=$display_remote&mac=$mac',
    );
    assert.deepEqual(settingsForUnprovisioning(['dndOn', 'dndOff']), { action_dnd_on_url: '', action_dnd_off_url: '' });
    assert.deepEqual(settingsForUnprovisioning('all'), Object.fromEntries(ALL_SETTINGS.map((n) => [n, ''])));
    assert.throws(() => settingsForUnprovisioning(['nope']), isInput);
  });

  it('appends extra variables: SIP headers as h.NAME, settings as v.NAME, runtime variables by their short name', () => {
    const extraVariables = parseExtraVariables(
      '$sip_header(X-Foo) user_uid[1], $language;activeHost $active_host $sip_header(X-Foo)',
    );
    assert.deepEqual(extraVariables, [
      { query: 'h.X-Foo', placeholder: '$sip_header(X-Foo)' },
      { query: 'v.user_uid[1]', placeholder: '$user_uid[1]' },
      { query: 'v.language', placeholder: '$language' },
      { query: 'ahost', placeholder: '$active_host' },
    ]);
    assert.equal(
      buildActionUrl({ baseUrl: 'http://h', path: '/p', token: 't', event: 'dndOn', extraVariables }),
      'http://h/p?t=t&e=dndOn&aurl=$active_url&mac=$mac&h.X-Foo=$sip_header(X-Foo)&v.user_uid%5B1%5D=$user_uid[1]&v.language=$language&ahost=$active_host',
    );
    assert.equal(
      buildActionUrl({
        baseUrl: 'http://h',
        path: '/p',
        token: 't',
        event: 'dndOn',
        extraVariables: parseExtraVariables(['mac', 'aurl']),
      }),
      'http://h/p?t=t&e=dndOn&aurl=$active_url&mac=$mac',
      'a variable the event already asks for is not repeated',
    );
    assert.deepEqual(parseExtraVariables(''), []);
    assert.deepEqual(parseExtraVariables(undefined), []);
    for (const bad of [
      '$sip_header(Via)',
      'sip_header(call-id)',
      '$sip_header(CSeq)',
      '$sip_header()',
      '$sip_header(X Y)',
      '$http_pass',
      'user_pass1',
      '1abc',
      'a&b',
      'x=y',
      '$sip_header(%41)',
    ]) {
      assert.throws(() => parseExtraVariables(bad), isInput, bad);
    }
    assert.throws(() => parseExtraVariables(42), isInput);
    assert.throws(() => parseExtraVariables([1]), isInput);
    assert.throws(() => parseExtraVariables(Array.from({ length: 17 }, (_, i) => `s${i}`)), isInput);
    const long = 'x'.repeat(5000);
    assert.throws(
      () => parseExtraVariables(long),
      (e: unknown) => isInput(e) && (e as Error).message.length < 300,
      'the error quotes the input briefly',
    );
  });
});
