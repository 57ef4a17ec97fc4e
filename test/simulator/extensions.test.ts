import assert from 'node:assert/strict';
import { extensions } from '../../src/simulator/extensions';
import { SimPhone } from '../../src/simulator/phone';
import { sendJson } from '../../src/simulator/http-util';
import { startSimPhones, stopAll } from '../../src/simulator/cluster';
import { basic, getState, request } from './helpers';

describe('simulator extension point', () => {
  const ext = (phone: SimPhone): void => {
    phone.addRoute('POST', '/csta', (req, res) => {
      phone.log('csta', { body: req.body });
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end('<ok/>');
    });
    // overrides the built-in info page for GET only
    phone.addRoute('GET', '/info.htm', (_req, res) => {
      res.writeHead(200);
      res.end('overridden');
    });
    phone.addControlRoute('GET', 'calls', (_req, res) => sendJson(res, 200, { calls: phone.state.ext.calls ?? [] }));
    phone.on('reset', () => {
      phone.state.ext.calls = [];
    });
  };
  let phones: SimPhone[] = [];
  before(async () => {
    extensions.push(ext);
    phones = await startSimPhones([
      { name: 'a', model: 'D785', firmware: '10.1.33.33', auth: 'basic', password: 'pw' },
      { name: 'b', model: 'D735', firmware: '10.1.33.33', auth: 'none' },
    ]);
  });
  after(async () => {
    extensions.splice(extensions.indexOf(ext), 1);
    await stopAll(phones);
  });

  it('runs each extension on every new phone; its routes get auth, counting and the raw body', async () => {
    const [a] = phones;
    const xml = '<?xml version="1.0"?><MakeCall/>';
    assert.equal(
      (await request(`${a.url}/csta`, { method: 'POST', body: xml, headers: { 'Content-Type': 'text/xml' } })).status,
      401,
    );
    const r = await request(`${a.url}/csta`, {
      method: 'POST',
      body: xml,
      headers: { 'Content-Type': 'text/xml', Authorization: basic('admin', 'pw') },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.server, 'snom embedded');
    const s = await getState(a);
    assert.equal(s.requests, 2);
    assert.equal(s.challenges, 1);
    assert.ok(s.log.some((e) => e.kind === 'csta' && e.body === xml));
  });

  it('a later route overrides the built-in one for the same method and path only', async () => {
    const b = phones[1];
    assert.equal((await request(`${b.url}/info.htm`)).body, 'overridden');
    assert.match((await request(`${b.url}/info.htm`, { method: 'POST' })).body, /<title>snom D735<\/title>/);
  });

  it('control routes answer JSON without auth, and extensions see /sim/reset', async () => {
    const [a] = phones;
    a.state.ext.calls = [{ id: 1 }];
    assert.deepEqual(JSON.parse((await request(`${a.url}/sim/calls`)).body), { calls: [{ id: 1 }] });
    await request(`${a.url}/sim/reset`, { method: 'POST' });
    assert.deepEqual(JSON.parse((await request(`${a.url}/sim/calls`)).body), { calls: [] });
  });

  it('emits request, key, dial, dtmf and command events', async () => {
    const b = phones[1];
    const got: Array<[string, unknown]> = [];
    for (const ev of ['request', 'key', 'dial', 'dtmf', 'command']) {
      b.on(ev, (d: { pathname?: string }) => got.push([ev, ev === 'request' ? d.pathname : d]));
    }
    await request(`${b.url}/command.htm?key=P1,50`);
    await request(`${b.url}/command.htm?number=42&outgoing_uri=sip%3A100%40sim.local`);
    await request(`${b.url}/command.htm?key_dtmf=9`);
    await request(`${b.url}/command.htm?LOGOFFLINE=1`);
    assert.deepEqual(
      got.map(([e]) => e),
      ['request', 'key', 'request', 'dial', 'request', 'dtmf', 'request', 'command'],
    );
    const key = got[1][1] as { key: string; time: number; at: number };
    assert.equal(key.key, 'P1');
    assert.equal(key.time, 50);
    assert.deepEqual(got[3][1], { number: '42', outgoingUri: 'sip:100@sim.local' });
    assert.deepEqual(got[5][1], { digits: '9' });
    assert.deepEqual(got[7][1], { name: 'LOGOFFLINE', value: '1' });
  });

  it('refuses bad configs in plain words', () => {
    assert.throws(() => new SimPhone({ model: '', firmware: '1', auth: 'none' }), /model/);
    assert.throws(() => new SimPhone({ model: 'D785', firmware: 'latest', auth: 'none' }), /firmware/);
    assert.throws(() => new SimPhone({ model: 'D785', firmware: '10.1', auth: 'ntlm' as 'none' }), /auth/);
    assert.throws(() => new SimPhone({ model: 'D785', firmware: '10.1', auth: 'none', mac: 'xyz' }), /mac/);
  });
});
