import assert from 'node:assert/strict';
import {
  ACTION_EVENTS,
  ACTION_EVENT_NAMES,
  ACTION_VARIABLES,
  eventByName,
  eventBySetting,
  variableByQueryName,
} from '../../../src/lib/action-url';

describe('action-url event and variable tables', () => {
  it('has every event of docs/protocol.md §6.3 with its exact setting name', () => {
    const expected: Record<string, string> = {
      incoming: 'action_incoming_url',
      outgoing: 'action_outgoing_url',
      connected: 'action_connected_url',
      disconnected: 'action_disconnected_url',
      offhook: 'action_offhook_url',
      onhook: 'action_onhook_url',
      missed: 'action_missed_url',
      hold: 'action_hold',
      unhold: 'action_unhold',
      transfer: 'action_transfer',
      blindTransfer: 'action_blind_transfer',
      attendedTransfer: 'action_attended_transfer',
      receivedAttendedTransfer: 'action_received_attended_transfer',
      dndOn: 'action_dnd_on_url',
      dndOff: 'action_dnd_off_url',
      redirectionOn: 'action_redirection_on_url',
      redirectionOff: 'action_redirection_off_url',
      setup: 'action_setup_url',
      registrationFailed: 'action_reg_failed',
      logOn: 'action_log_on_url',
      logOff: 'action_log_off_url',
      longPress: 'action_longpress_url',
      blacklist: 'action_blacklist_url',
      subscriptionNotify: 'action_received_subscr_notify_url',
      firewallTest: 'action_fwtest_url', // docs/protocol.md §6.4
    };
    assert.deepEqual(Object.fromEntries(ACTION_EVENTS.map((e) => [e.name, e.setting])), expected);
    assert.deepEqual([...ACTION_EVENT_NAMES], Object.keys(expected));
    for (const [name, setting] of Object.entries(expected)) {
      assert.equal(eventBySetting(setting)?.name, name);
      assert.equal(eventByName(name.toLowerCase())?.name, name, 'lookup ignores case');
    }
    assert.equal(eventByName('ringing'), undefined);
  });

  it('recognises the firewall test under both setting names and writes action_fwtest_url', () => {
    assert.equal(eventBySetting('action_fwtest_url')?.name, 'firewallTest');
    assert.equal(eventBySetting('action_firewall_test')?.name, 'firewallTest', 'the older wiki name');
    assert.equal(eventBySetting('ACTION_FIREWALL_TEST')?.name, 'firewallTest');
    assert.equal(eventByName('firewallTest')?.setting, 'action_fwtest_url', 'the name provisioning writes');
    assert.deepEqual(eventByName('firewallTest')?.aliases, ['action_firewall_test']);
    assert.equal(eventBySetting('action_nonsense'), undefined);
    assert.equal(eventBySetting('constructor'), undefined);
  });

  it('has every runtime variable of docs/protocol.md §6.2 with distinct keys', () => {
    const expected: Record<string, string> = {
      local: 'local',
      remote: 'remote',
      callId: 'call-id',
      cstaId: 'csta_id',
      displayLocal: 'display_local',
      displayRemote: 'display_remote',
      activeUrl: 'active_url',
      activeUser: 'active_user',
      activeHost: 'active_host',
      activeKey: 'active_key',
      expansionModule: 'expansion_module',
      phoneIp: 'phone_ip',
      nrOngoingCalls: 'nr_ongoing_calls',
      contextUrl: 'context_url',
      cancelReason: 'cancel_reason',
      longpressKey: 'longpress_key',
      mac: 'mac',
      localIp: 'local_ip',
      redirectEvent: 'redirect_event',
      redirectNumber: 'redirect_number',
      redirectTime: 'redirect_time',
    };
    assert.deepEqual(Object.fromEntries(ACTION_VARIABLES.map((v) => [v.key, v.phoneVar])), expected);
    const queries = ACTION_VARIABLES.map((v) => v.query);
    assert.equal(new Set(queries).size, queries.length, 'short query keys are unique');
    for (const v of ACTION_VARIABLES) {
      assert.ok(!['t', 'e', 'token', 'event'].includes(v.query), `${v.query} collides with t/e`);
      assert.equal(variableByQueryName(v.query), v);
      assert.equal(variableByQueryName(v.key), v);
      assert.equal(variableByQueryName(v.phoneVar), v);
    }
  });

  it('asks each event only for variables that exist', () => {
    const keys = new Set(ACTION_VARIABLES.map((v) => v.key));
    for (const e of ACTION_EVENTS) {
      assert.ok(e.variables.length > 0, e.name);
      for (const k of e.variables) assert.ok(keys.has(k), `${e.name}: ${k}`);
    }
  });
});
