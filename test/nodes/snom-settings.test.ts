import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { helper } from '../support/red';
import { simReset, simState, startPhones, stopAll } from '../support/sim';
import { ext, failed, ok, openFlow, simJson } from './csta-harness';

describe('snom-settings by the CSTA and the web route', function () {
  let d785: SimPhone;
  let gap: SimPhone;
  let none: SimPhone;
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    [d785, gap, none] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33', settings: { language: 'English', custom_note: 'a&b <c>' } },
      { model: 'snom821', firmware: '8.7.2.9' },
      { model: 'snom360', firmware: '7.3.3' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [d785, gap, none]) await simReset(p);
  });
  after(async () => {
    await stopAll([d785, gap, none]);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  const settings = (p: SimPhone): Promise<Record<string, string>> => simJson(p, 'GET', 'settings');
  const webWrites = async (p: SimPhone) => (await simState(p)).settingsWrites.map((w) => [w.name, w.value]);

  it("reads Snom's list (docs/protocol.md §9.2) with CSTA GetSettings", async () => {
    const f = await openFlow(d785, { type: 'snom-settings', action: 'get' });
    const out = ok(await f.send({ payload: ['user_name1', 'user_host1', 'firmware_version'] }));
    assert.deepEqual(out.payload, { user_name1: '100', user_host1: 'sim.local', firmware_version: '10.1.33.33' });
    assert.equal(out.snom.route, 'csta');
    assert.deepEqual(
      (await ext(d785)).csta.map((r: any) => r.operation),
      ['GetSettings'],
    );
  });

  it('reads any other setting from settings.xml, a single name or a list from the form', async () => {
    const f = await openFlow(d785, { type: 'snom-settings', action: 'get' });
    const one = ok(await f.send({ payload: 'custom_note' }));
    assert.deepEqual(one.payload, { custom_note: 'a&b <c>' });
    assert.equal(one.snom.route, 'web');
    assert.equal(one.snom.request, 'GET /settings.xml');
    const g = await openFlow(d785, { type: 'snom-settings', action: 'get', names: 'language, no_such_setting' });
    const out = ok(await g.send({ payload: 'ignored' }));
    assert.deepEqual(out.payload, { language: 'English', no_such_setting: null });
    assert.deepEqual((await ext(d785)).csta, []);
  });

  it('splits a mixed read into GetSettings and settings.xml and says "both"', async () => {
    const f = await openFlow(d785, { type: 'snom-settings', action: 'msg' });
    const out = ok(await f.send({ action: 'get', payload: { user_realname1: 1, language: 1 } }));
    assert.deepEqual(out.payload, { user_realname1: 'Sim 100', language: 'English' });
    assert.equal(out.snom.route, 'both');
    assert.equal(out.snom.request, 'POST /csta ; GET /settings.xml');
  });

  it("writes Snom's list (docs/protocol.md §9.2) with CSTA SetSettings, values exactly as given", async () => {
    const url = 'http://10.0.0.2:1880/snom/events?event=incoming&remote=$remote&id=$csta_id';
    const f = await openFlow(d785, { type: 'snom-settings', action: 'set' });
    const out = ok(await f.send({ payload: { action_incoming_url: url, user_realname1: 'Anna <Empfang>' } }));
    assert.equal(out.snom.route, 'csta');
    const s = await settings(d785);
    assert.equal(s.action_incoming_url, url);
    assert.equal(s.user_realname1, 'Anna <Empfang>');
    assert.deepEqual(
      (await ext(d785)).csta.map((r: any) => [r.operation, r.soap, r.status]),
      [['SetSettings', true, 200]],
    );
  });

  it('writes any other setting through dummy.htm, several in one request, from the form or the message', async () => {
    const f = await openFlow(d785, { type: 'snom-settings', action: 'set', setName: 'language', setValue: 'Deutsch' });
    ok(await f.send({}));
    const g = await openFlow(d785, { type: 'snom-settings', action: 'set' });
    const out = ok(
      await g.send({ payload: { custom_note: 'x & y = 50% #1 + more', disable_speaker: true, ring_volume: 7 } }),
    );
    assert.equal(out.snom.route, 'web');
    assert.match(out.snom.request, /^GET \/dummy\.htm\?settings=save&store_settings=save&custom_note=/);
    assert.deepEqual(await webWrites(d785), [
      ['language', 'Deutsch'],
      ['custom_note', 'x & y = 50% #1 + more'],
      ['disable_speaker', 'on'],
      ['ring_volume', '7'],
    ]);
    assert.deepEqual((await ext(d785)).csta, []);
  });

  it('splits a mixed write into SetSettings and dummy.htm', async () => {
    const f = await openFlow(d785, { type: 'snom-settings', action: 'set' });
    const out = ok(await f.send({ payload: { action_connected_url: 'http://h/c', language: 'Francais' } }));
    assert.equal(out.snom.route, 'both');
    const s = await settings(d785);
    assert.equal(s.action_connected_url, 'http://h/c');
    assert.equal(s.language, 'Francais');
    assert.deepEqual(
      (await ext(d785)).csta.map((r: any) => r.operation),
      ['SetSettings'],
    );
  });

  it('refuses read-only settings with E_INPUT and sends nothing of the message', async () => {
    const f = await openFlow(d785, { type: 'snom-settings', action: 'set' });
    for (const name of ['mac', 'phone_type', 'firmware_version']) {
      const err = failed(await f.send({ payload: { language: 'Deutsch', [name]: 'x' } }));
      assert.equal(err.error.code, 'E_INPUT');
      assert.match(err.error.message, new RegExp(`${name}.*read-only`));
    }
    assert.equal((await simState(d785)).requests, 0);
  });

  it("on firmware without CSTA over HTTP, reads and writes Snom's list by the web route (docs/protocol.md §9.2) and says so", async () => {
    for (const phone of [gap, none]) {
      const f = await openFlow(phone, { type: 'snom-settings', action: 'msg' });
      const read = ok(await f.send({ action: 'get', payload: ['user_name1', 'language'] }));
      assert.deepEqual(read.payload, { user_name1: '100', language: 'English' });
      assert.equal(read.snom.route, 'web');
      assert.match(read.snom.routeNote, /no CSTA over HTTP.*user_name1.*web route/);
      const write = ok(await f.send({ action: 'set', payload: { action_incoming_url: 'http://h/i?r=$remote' } }));
      assert.equal(write.snom.route, 'web');
      assert.deepEqual(await webWrites(phone), [['action_incoming_url', 'http://h/i?r=$remote']]);
      const fw = failed(await f.send({ action: 'set', payload: { action_fwtest_url: 'http://h/fw' } }));
      assert.equal(fw.error.code, 'E_UNSUPPORTED');
      assert.deepEqual((await ext(phone)).csta, []);
    }
  });

  it('refuses bad names and empty input before sending', async () => {
    const f = await openFlow(d785, { type: 'snom-settings', action: 'msg' });
    for (const [msg, why] of [
      [{ action: 'get', payload: ['ok_name', 'bad name'] }, /not a valid setting name/],
      [{ action: 'get', payload: [] }, /No setting names/],
      [{ action: 'set', payload: 'language' }, /Nothing to write/],
      [{ action: 'set', payload: { language: 'a\nb' } }, /control characters/],
      [{ action: 'delete', payload: 'language' }, /"get" or "set"/],
    ] as Array<[Record<string, unknown>, RegExp]>) {
      const err = failed(await f.send(msg));
      assert.equal(err.error.code, 'E_INPUT');
      assert.match(err.error.message, why);
    }
    assert.equal((await simState(d785)).requests, 0);
  });
});
