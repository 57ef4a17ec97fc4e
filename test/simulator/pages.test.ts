import assert from 'node:assert/strict';
import { SimPhone } from '../../src/simulator/phone';
import { getState, request, startPhone } from './helpers';

describe('simulator pages: command.htm', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ model: 'D785', identities: ['sip:100@sim.local', 'sip:200@sim.local'] });
  });
  after(() => phone.stop());
  beforeEach(() => request(`${phone.url}/sim/reset`, { method: 'POST' }));

  it('answers with Server: snom embedded and records key events with time and pause in order', async () => {
    const seen: string[] = [];
    phone.on('key', (e: { key: string }) => seen.push(e.key));
    const r = await request(`${phone.url}/command.htm?key=9;1;ENTER,,1000;%2A,1000,2000;%23,,1000;P24`);
    phone.removeAllListeners('key');
    assert.equal(r.status, 200);
    assert.equal(r.headers.server, 'snom embedded');
    const s = await getState(phone);
    assert.deepEqual(
      s.keys.map((k) => [k.key, k.time, k.pause]),
      [
        ['9', undefined, undefined],
        ['1', undefined, undefined],
        ['ENTER', undefined, 1000],
        ['*', 1000, 2000],
        ['#', undefined, 1000],
        ['P24', undefined, undefined],
      ],
    );
    assert.ok(s.keys.every((k) => typeof k.at === 'number' && k.at > 0));
    assert.deepEqual(seen, ['9', '1', 'ENTER', '*', '#', 'P24']);
  });

  it('percent-decodes the whole value before splitting on ; and ,', async () => {
    await request(`${phone.url}/command.htm?key=1%2C100%2C100%3B2%2C100%2C100`);
    const s = await getState(phone);
    assert.deepEqual(
      s.keys.map((k) => [k.key, k.time, k.pause]),
      [
        ['1', 100, 100],
        ['2', 100, 100],
      ],
    );
  });

  it('accepts nothing of a request with an unknown key and logs it as rejected', async () => {
    await request(`${phone.url}/command.htm?key=ENTER`);
    for (const bad of ['ENTER;FOO', 'P25', 'p1', 'ENTER,abc']) {
      const r = await request(`${phone.url}/command.htm?key=${encodeURIComponent(bad)}`);
      assert.equal(r.status, 200);
      assert.match(r.body, /not accepted/i);
    }
    const s = await getState(phone);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['ENTER'],
    );
    assert.equal(s.rejected.length, 4);
    assert.match(s.rejected[0].reason, /FOO/);
    assert.match(s.rejected[1].reason, /P1\.\.P24/);
    assert.ok(s.log.some((e) => e.kind === 'rejected'));
  });

  it('dials with outgoing_uri: 302 to /index.htm, dial recorded and appended to the dialed list', async () => {
    const r = await request(`${phone.url}/command.htm?number=0301234567&outgoing_uri=123%40domain1`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, '/index.htm');
    const s = await getState(phone);
    assert.deepEqual(
      s.dials.map((d) => [d.number, d.outgoingUri]),
      [['0301234567', '123@domain1']],
    );
    assert.deepEqual(s.lists.dialed, ['0301234567']);
  });

  it('sends DTMF and refuses non-DTMF characters', async () => {
    await request(`${phone.url}/command.htm?key_dtmf=123%23`);
    await request(`${phone.url}/command.htm?key_dtmf=12x`);
    const s = await getState(phone);
    assert.deepEqual(
      s.dtmf.map((d) => d.digits),
      ['123#'],
    );
    assert.equal(s.rejected.length, 1);
  });

  it('runs the bare tokens and tracks registrations per identity', async () => {
    await request(`${phone.url}/command.htm?RELEASE_ALL_CALLS`);
    await request(`${phone.url}/command.htm?LOGOFFLINE=2`);
    let s = await getState(phone);
    assert.deepEqual(
      s.registrations.map((r) => r.registered),
      [true, false],
    );
    await request(`${phone.url}/command.htm?LOGOFFALL`);
    await request(`${phone.url}/command.htm?FIX_LIL=true`);
    await request(`${phone.url}/dummy.htm?REREGISTER=1`);
    await request(`${phone.url}/command.htm?LOGOFFLINE=13`);
    s = await getState(phone);
    assert.deepEqual(
      s.commands.map((c) => [c.name, c.value]),
      [
        ['RELEASE_ALL_CALLS', undefined],
        ['LOGOFFLINE', '2'],
        ['LOGOFFALL', undefined],
        ['FIX_LIL', 'true'],
        ['REREGISTER', '1'],
      ],
    );
    assert.deepEqual(
      s.registrations.map((r) => [r.registered, r.logoffs, r.reregisters]),
      [
        [true, 1, 1],
        [false, 2, 0],
      ],
    );
    assert.equal(s.rejected.length, 1);
  });

  it('treats POST like GET, with form fields merged into the query', async () => {
    const r = await request(`${phone.url}/command.htm`, {
      method: 'POST',
      body: 'key=P1%3BP2',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 200);
    const r2 = await request(`${phone.url}/command.htm?key=OFFHOOK`, { method: 'POST', body: '' });
    assert.equal(r2.status, 200);
    const s = await getState(phone);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['P1', 'P2', 'OFFHOOK'],
    );
  });

  it('answers 404 for unknown pages', async () => {
    const r = await request(`${phone.url}/nothing.htm`);
    assert.equal(r.status, 404);
  });
});

describe('simulator pages: the other remote commands', () => {
  let phone: SimPhone;
  before(async () => {
    phone = await startPhone({ model: 'snom320', firmware: '8.7.5.35', settings: { user_idle_text1: 'hello' } });
  });
  after(() => phone.stop());
  beforeEach(() => request(`${phone.url}/sim/reset`, { method: 'POST' }));

  it('plays the ringer from the literal and the percent-encoded forms, and refuses X outside 1..9', async () => {
    await request(`${phone.url}/line_login.htm?PLAY_RINGER:3=+Ringer`);
    await request(`${phone.url}/line_login.htm?PLAY_RINGER%3A5=%2BRinger`);
    await request(`${phone.url}/line_login.htm?PLAY_RINGER%3A9%3D%2BRinger`);
    await request(`${phone.url}/line_login.htm?PLAY_RINGER:0=+Ringer`);
    const s = await getState(phone);
    assert.deepEqual(s.ringer, { last: 9, count: 3 });
    assert.equal(s.rejected.length, 1);
  });

  it('counts reboots and factory resets; a reset puts the settings back', async () => {
    await request(`${phone.url}/dummy.htm?settings=save&user_idle_text1=changed`);
    assert.equal(phone.settings.get('user_idle_text1'), 'changed');
    await request(`${phone.url}/advanced_update.htm?reboot=Reboot`);
    await request(`${phone.url}/advanced_update.htm?reset=Reset`);
    await request(`${phone.url}/advanced_update.htm?reboot=Now`);
    const s = await getState(phone);
    assert.equal(s.reboots, 1);
    assert.equal(s.resets, 1);
    assert.equal(phone.settings.get('user_idle_text1'), 'hello');
    assert.equal(s.rejected.length, 1);
  });

  it('clears the dialed, missed and received lists', async () => {
    phone.state.lists.missed.push('555');
    phone.state.lists.received.push('666');
    await request(`${phone.url}/command.htm?number=777`);
    await request(`${phone.url}/index.htm?dialeddel=clear`);
    let s = await getState(phone);
    assert.deepEqual(s.lists, { dialed: [], missed: ['555'], received: ['666'] });
    await request(`${phone.url}/index.htm?misseddel=0&receiveddel=0`);
    s = await getState(phone);
    assert.deepEqual(s.lists, { dialed: [], missed: [], received: [] });
  });

  it('records a firmware upgrade URL', async () => {
    const fw = 'http://srv.local/fw/snom320-8.7.5.35.bin';
    await request(`${phone.url}/dummy.htm?swload=load&firmware=${encodeURIComponent(fw)}`);
    await request(`${phone.url}/dummy.htm?swload=load`);
    const s = await getState(phone);
    assert.deepEqual(
      s.firmwareUpdates.map((f) => f.url),
      [fw],
    );
    assert.equal(s.rejected.length, 1);
  });

  it('writes settings through dummy.htm and settings.htm (+ is a space) and refuses read-only ones', async () => {
    await request(
      `${phone.url}/dummy.htm?settings=save&store_settings=save&fkey0=url+http%3A%2F%2F10.0.0.1%2F%3Fa%3D1%26b%3D2&fkey_label0=Light&mac=001122334455`,
    );
    await request(
      `${phone.url}/settings.htm?settings=save&action_incoming_url=http://srv/in?remote=$remote%26local=$local`,
    );
    const s = await getState(phone);
    assert.equal(phone.settings.get('fkey0'), 'url http://10.0.0.1/?a=1&b=2');
    assert.equal(phone.settings.get('fkey_label0'), 'Light');
    assert.equal(phone.settings.get('action_incoming_url'), 'http://srv/in?remote=$remote&local=$local');
    assert.equal(phone.settings.get('mac'), phone.mac);
    assert.deepEqual(
      s.settingsWrites.map((w) => [w.name, w.store]),
      [
        ['fkey0', true],
        ['fkey_label0', true],
        ['action_incoming_url', false],
      ],
    );
    assert.equal(s.rejected.length, 1);
    assert.match(s.rejected[0].reason, /mac is read-only/);
  });

  it('shows model, MAC, firmware and identities on info.htm', async () => {
    const r = await request(`${phone.url}/info.htm`);
    assert.equal(r.status, 200);
    assert.match(r.body, /<title>snom 320<\/title>/);
    assert.match(r.body, /Hardware: snom320/);
    assert.match(r.body, new RegExp(`Mac:${phone.mac}`));
    assert.match(r.body, /^Mac:[0-9A-F]{12}$/m);
    assert.match(r.body, /8\.7\.5\.35/);
    assert.match(r.body, /sip:100@sim\.local/);
  });
});
