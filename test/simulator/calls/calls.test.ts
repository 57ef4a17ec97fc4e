import assert from 'node:assert/strict';
import type { SimPhone } from '../../../src/simulator/phone';
import { call, calls, ext, inject, json, key, query, request, settings, phoneWithReceiver } from './helpers';

describe('simulator call model: keys, /sim/calls and Action URLs', () => {
  let phone: SimPhone;
  const rx = phoneWithReceiver({}, (p) => (phone = p));

  const allEvents = async (): Promise<void> => {
    const s: Record<string, string> = {};
    for (const e of ['incoming', 'outgoing', 'connected', 'disconnected', 'missed', 'offhook', 'onhook'])
      s[`action_${e}_url`] = `${rx.base}/${e}?id=$csta_id`;
    for (const e of ['hold', 'unhold', 'transfer', 'attended_transfer', 'blind_transfer'])
      s[`action_${e}`] = `${rx.base}/${e}?id=$csta_id`;
    for (const e of ['dnd_on', 'dnd_off', 'log_on', 'log_off', 'setup'])
      s[`action_${e}_url`] = `${rx.base}/${e}?ctx=$context_url`;
    await settings(phone, s);
  };
  // arrival order of concurrent GETs is not guaranteed: compare sorted, order is checked on ext.actionUrls
  const paths = (): string[] => rx.got.map((r) => r.url.split('?')[0]).sort();

  it('an injected call rings, fires action_incoming_url with $csta_id, $call-id, $remote and $local', async () => {
    await settings(phone, {
      action_incoming_url: `${rx.base}/in?ip=$phone_ip&event=incoming&local=$local&remote=$remote&id=$csta_id&cid=$call-id&name=$display_remote&n=$nr_ongoing_calls&key=$active_key`,
    });
    const id = await inject(phone, { remote: '200', displayName: 'Anna & Co' });
    assert.equal(id, '-1');
    const c = await call(phone, id);
    assert.equal(c.state, 'ringing');
    assert.equal(c.direction, 'incoming');
    assert.equal(c.remote, 'sip:200@sim.local');
    const [got] = await rx.wait(1);
    const q = query(got);
    assert.equal(q.get('ip'), '127.0.0.1');
    assert.equal(q.get('local'), 'sip:100@sim.local');
    assert.equal(q.get('remote'), 'sip:200@sim.local');
    assert.equal(q.get('id'), '-1');
    assert.equal(q.get('cid'), c.sipCallId);
    assert.equal(q.get('name'), 'Anna & Co');
    assert.equal(q.get('n'), '1');
    assert.equal(q.get('key'), 'P1');
    // values are percent-encoded (& and : and @ do not leak into the query)
    assert.match(got.url, /local=sip%3A100%40sim.local&/);
    assert.match(got.url, /name=Anna%20%26%20Co&/);
    assert.match(
      String(got.headers['user-agent']),
      new RegExp(`^Mozilla/4\\.0 \\(compatible; snomD785-SIP 10\\.1\\.33\\.33 .* ${phone.mac} `),
    );
    const e = await ext(phone);
    assert.equal(e.actionUrls.length, 1);
    assert.equal(e.actionUrls[0].event, 'incoming');
    assert.equal(e.actionUrls[0].setting, 'action_incoming_url');
  });

  it('ENTER answers (connected fired); CANCEL then ends it (disconnected fired)', async () => {
    await allEvents();
    const id = await inject(phone);
    await key(phone, 'ENTER');
    assert.equal((await call(phone, id)).state, 'connected');
    await key(phone, 'CANCEL');
    const c = await call(phone, id);
    assert.deepEqual(
      c.history.map((h) => h.state),
      ['ringing', 'connected', 'disconnected'],
    );
    await rx.wait(3);
    assert.deepEqual(paths(), ['/connected', '/disconnected', '/incoming']);
    assert.deepEqual(
      rx.got.map((r) => query(r).get('id')),
      ['-1', '-1', '-1'],
    );
    assert.deepEqual(
      (await ext(phone)).actionUrls.map((a) => a.event),
      ['incoming', 'connected', 'disconnected'],
    );
    assert.deepEqual((await json<{ lists: { received: string[] } }>(`${phone.url}/sim/state`)).body.lists.received, [
      'sip:200@sim.local',
    ]);
  });

  it('CANCEL on a ringing call rejects it and fires no Action URL (docs/protocol.md §3.4)', async () => {
    await allEvents();
    const id = await inject(phone);
    await rx.wait(1);
    await key(phone, 'CANCEL');
    assert.equal((await call(phone, id)).state, 'disconnected');
    const e = await ext(phone);
    assert.deepEqual(
      e.actionUrls.map((a) => a.event),
      ['incoming'],
    );
  });

  it('OFFHOOK answers and fires offhook; ONHOOK hangs up and fires onhook and disconnected', async () => {
    await allEvents();
    const id = await inject(phone);
    await key(phone, 'OFFHOOK');
    assert.equal((await call(phone, id)).state, 'connected');
    await key(phone, 'ONHOOK');
    assert.equal((await call(phone, id)).state, 'disconnected');
    assert.deepEqual(
      (await ext(phone)).actionUrls.map((a) => a.event),
      ['incoming', 'offhook', 'connected', 'onhook', 'disconnected'],
    );
  });

  it('F_HOLD holds and unholds (hold / unhold fired), F_R too', async () => {
    await allEvents();
    const id = await inject(phone);
    await key(phone, 'SPEAKER');
    await key(phone, 'F_HOLD');
    assert.equal((await call(phone, id)).state, 'held');
    await key(phone, 'F_HOLD');
    assert.equal((await call(phone, id)).state, 'connected');
    await key(phone, 'F_R');
    assert.equal((await call(phone, id)).state, 'held');
    const events = (await ext(phone)).actionUrls.map((a) => a.event);
    assert.deepEqual(events, ['incoming', 'connected', 'hold', 'unhold', 'hold']);
    await rx.wait(5);
    assert.deepEqual(paths(), ['/connected', '/hold', '/hold', '/incoming', '/unhold']);
  });

  it('a ringing call nobody answers becomes missed after ringTimeoutMs (missed fired, missed list)', async () => {
    await allEvents();
    const id = await inject(phone, { ringTimeoutMs: 30 });
    await rx.wait(2);
    assert.deepEqual(paths(), ['/incoming', '/missed']);
    assert.equal((await call(phone, id)).state, 'missed');
    const s = await json<{ lists: { missed: string[] } }>(`${phone.url}/sim/state`);
    assert.deepEqual(s.body.lists.missed, ['sip:200@sim.local']);
  });

  it('dialling with command.htm?number= makes a dialling outgoing call on the outgoing_uri identity', async () => {
    await allEvents();
    const r = await request(`${phone.url}/command.htm?number=300&outgoing_uri=101%40sim.local`);
    assert.equal(r.status, 302);
    const [c] = await calls(phone);
    assert.equal(c.direction, 'outgoing');
    assert.equal(c.state, 'dialing');
    assert.equal(c.identity, 2);
    assert.equal(c.local, 'sip:101@sim.local');
    assert.equal(c.remote, 'sip:300@sim.local');
    assert.equal((await json(`${phone.url}/sim/calls/${c.cstaId}/answer-remote`, 'POST')).status, 200);
    assert.equal((await call(phone, c.cstaId)).state, 'connected');
    assert.equal((await json(`${phone.url}/sim/calls/hangup-remote`, 'POST', { cstaId: c.cstaId })).status, 200);
    assert.equal((await call(phone, c.cstaId)).state, 'disconnected');
    assert.deepEqual(
      (await ext(phone)).actionUrls.map((a) => a.event),
      ['outgoing', 'connected', 'disconnected'],
    );
  });

  it('the attended transfer of docs/protocol.md §4.5: F_HOLD, digits, ENTER, TRANSFER', async () => {
    await allEvents();
    const a = await inject(phone);
    await key(phone, 'ENTER');
    await key(phone, 'F_HOLD;3;0;1;ENTER');
    const list = await calls(phone);
    assert.equal(list.length, 2);
    const c = list[1];
    assert.equal(c.remote, 'sip:301@sim.local');
    assert.equal(c.state, 'dialing');
    await json(`${phone.url}/sim/calls/${c.cstaId}/answer-remote`, 'POST');
    await key(phone, 'TRANSFER');
    const after = await calls(phone);
    assert.deepEqual(
      after.map((x) => x.state),
      ['transferred', 'transferred'],
    );
    assert.equal(after[0].cstaId, a);
    assert.equal(after[0].transferredTo, 'sip:301@sim.local');
    const events = (await ext(phone)).actionUrls.map((x) => x.event);
    assert.deepEqual(events, [
      'incoming',
      'connected',
      'hold',
      'outgoing',
      'connected',
      'transfer',
      'attended_transfer',
    ]);
  });

  it('the far end hanging up a ringing call makes it missed; answer-remote on an incoming call is refused', async () => {
    const id = await inject(phone);
    assert.equal((await json(`${phone.url}/sim/calls/${id}/answer-remote`, 'POST')).status, 409);
    await json(`${phone.url}/sim/calls/${id}/hangup-remote`, 'POST');
    assert.equal((await call(phone, id)).state, 'missed');
    assert.equal((await json(`${phone.url}/sim/calls/${id}/hangup-remote`, 'POST')).status, 404);
  });

  it('RELEASE_ALL_CALLS ends every call', async () => {
    const a = await inject(phone);
    await key(phone, 'ENTER');
    const b = await inject(phone);
    await request(`${phone.url}/command.htm?RELEASE_ALL_CALLS`);
    assert.equal((await call(phone, a)).state, 'disconnected');
    assert.equal((await call(phone, b)).state, 'disconnected');
  });

  it('DND key toggles DND (dnd on/off fired); with DND on an incoming call is missed at once', async () => {
    await allEvents();
    await key(phone, 'DND');
    assert.equal((await ext(phone)).dnd, true);
    const id = await inject(phone);
    assert.equal((await call(phone, id)).state, 'missed');
    await key(phone, 'DND');
    assert.equal((await ext(phone)).dnd, false);
    assert.deepEqual(
      (await ext(phone)).actionUrls.map((a) => a.event),
      ['dnd_on', 'missed', 'dnd_off'],
    );
  });

  it('LOGOFFLINE / REREGISTER fire log off / on with $context_url; a reboot fires setup', async () => {
    await allEvents();
    await request(`${phone.url}/command.htm?LOGOFFLINE=2`);
    await request(`${phone.url}/dummy.htm?REREGISTER=2`);
    await request(`${phone.url}/advanced_update.htm?reboot=Reboot`);
    await rx.wait(3);
    assert.deepEqual(paths(), ['/log_off', '/log_on', '/setup']);
    assert.deepEqual(
      (await ext(phone)).actionUrls.map((a) => a.event),
      ['log_off', 'log_on', 'setup'],
    );
    const off = rx.got.find((r) => r.url.startsWith('/log_off')) as (typeof rx.got)[number];
    assert.equal(query(off).get('ctx'), 'sip:101@sim.local');
  });

  it('injection is validated; /sim/reset clears calls and ids start again at -1', async () => {
    assert.equal((await json(`${phone.url}/sim/calls`, 'POST', {})).status, 400);
    assert.equal((await json(`${phone.url}/sim/calls`, 'POST', { remote: '1', identity: 3 })).status, 400);
    assert.equal((await json(`${phone.url}/sim/calls`, 'POST', { remote: '1', ringTimeoutMs: -5 })).status, 400);
    assert.equal(await inject(phone), '-1');
    assert.equal(await inject(phone), '-2');
    await request(`${phone.url}/sim/reset`, 'POST');
    assert.deepEqual(await calls(phone), []);
    assert.equal(await inject(phone), '-1');
  });
});
