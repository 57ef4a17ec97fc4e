import assert from 'node:assert/strict';
import {
  ACTION_EVENTS,
  buildActionUrl,
  normalizePath,
  settingsForProvisioning,
  settingsForUnprovisioning,
} from '../../src/lib/action-url';
import { SnomError } from '../../src/lib/errors';

const isInput = (e: unknown): boolean => e instanceof SnomError && e.code === 'E_INPUT';

describe('buildActionUrl and provisioning settings', () => {
  it('builds the URL with token, event and literal $variables', () => {
    const url = buildActionUrl({ baseUrl: 'http://10.0.0.5:1880/', path: 'snom/events/', token: 'a-b_c', event: 'incoming' });
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
    assert.deepEqual(Object.keys(some), ['action_hold', 'action_fwtest_url', 'action_reg_failed']);
    assert.ok(some.action_hold.startsWith('http://h:1880/s?t=k&e=hold&'));
    assert.ok(some.action_fwtest_url.startsWith('http://h:1880/s?t=k&e=firewallTest&'));
    const all = settingsForProvisioning('all', opts);
    assert.equal(Object.keys(all).length, ACTION_EVENTS.length);
    assert.deepEqual(settingsForUnprovisioning(['dndOn', 'dndOff']), { action_dnd_on_url: '', action_dnd_off_url: '' });
    assert.equal(Object.keys(settingsForUnprovisioning('all')).length, ACTION_EVENTS.length);
    assert.throws(() => settingsForUnprovisioning(['nope']), isInput);
  });
});
