import assert from 'node:assert/strict';
import { SimPhone } from '../../src/simulator/phone';
import { getState, request, startPhone } from './helpers';

describe('simulator models', () => {
  const phones: SimPhone[] = [];
  const start = async (model: string, firmware: string): Promise<SimPhone> => {
    const p = await startPhone({ model, firmware });
    phones.push(p);
    return p;
  };
  after(() => Promise.all(phones.map((p) => p.stop())));

  it('D8xx: info.htm says Phone Manager and every remote-control page answers 404', async () => {
    const p = await start('D865', '10.1.159.12');
    const info = await request(`${p.url}/info.htm`);
    assert.equal(info.status, 200);
    assert.match(info.body, /<title>Phone Manager<\/title>/);
    for (const path of [
      '/command.htm?key=ENTER',
      '/command.htm?number=1',
      '/dummy.htm?REREGISTER=1',
      '/advanced_update.htm?reboot=Reboot',
      '/minibrowser.htm?url=http%3A%2F%2F127.0.0.1%2F',
      '/settings.xml',
    ]) {
      assert.equal((await request(p.url + path)).status, 404, path);
    }
    const s = await getState(p);
    assert.equal(s.keys.length, 0);
    assert.equal(s.reboots, 0);
  });

  it('old 8xx (snom870) is not a D8xx: remote control works, P15 exists, P16 and F1 do not', async () => {
    const p = await start('snom870', '8.7.5.35');
    const info = await request(`${p.url}/info.htm`);
    assert.match(info.body, /<title>snom 870<\/title>/);
    await request(`${p.url}/command.htm?key=P15`);
    await request(`${p.url}/command.htm?key=P16`);
    await request(`${p.url}/command.htm?key=F1`);
    await request(`${p.url}/command.htm?key=EK1`);
    const s = await getState(p);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['P15'],
    );
    assert.equal(s.rejected.length, 3);
  });

  it('per-model keys: snom300 has P1..P4 and EKn; snom200 has no F4; an unknown model allows P48', async () => {
    const s300 = await start('snom300', '8.7.3.25');
    await request(`${s300.url}/command.htm?key=P4;EK0;EK143;F4`);
    await request(`${s300.url}/command.htm?key=P5`);
    let s = await getState(s300);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['P4', 'EK0', 'EK143', 'F4'],
    );
    assert.equal(s.rejected.length, 1);

    const s200 = await start('snom200', '7.3.30');
    await request(`${s200.url}/command.htm?key=F3`);
    await request(`${s200.url}/command.htm?key=F4`);
    s = await getState(s200);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['F3'],
    );

    const unknown = await start('D999', '10.1.1.1');
    await request(`${unknown.url}/command.htm?key=P48`);
    await request(`${unknown.url}/command.htm?key=P49`);
    s = await getState(unknown);
    assert.deepEqual(
      s.keys.map((k) => k.key),
      ['P48'],
    );
  });

  it('touch: snom870 with 8.4.34 or 8.7.2+ only, chains, bounds 0..479 x 0..271', async () => {
    const ok = await start('snom870', '8.7.2');
    await request(`${ok.url}/command.htm?touch=100%20200%20pr`);
    await request(`${ok.url}/command.htm?touch=${encodeURIComponent('0 0 p 479 271 r 10 20 press 30 40 release 5 6')}`);
    const refused = [
      '480 0',
      '0 272',
      '1 2 x',
      '1 2 constructor',
      '1 2 __proto__',
      '1 2 toString',
      '1 2 hasOwnProperty',
    ];
    for (const t of refused) await request(`${ok.url}/command.htm?touch=${encodeURIComponent(t)}`);
    const s = await getState(ok);
    assert.deepEqual(
      s.touches.map((t) => [t.x, t.y, t.action]),
      [
        [100, 200, 'pr'],
        [0, 0, 'p'],
        [479, 271, 'r'],
        [10, 20, 'p'],
        [30, 40, 'r'],
        [5, 6, 'pr'],
      ],
    );
    assert.equal(s.rejected.length, refused.length);
    assert.match(s.rejected[1].reason, /0 272 is outside/);
    assert.match(s.rejected[3].reason, /unknown touch action "constructor"/);

    for (const [model, fw] of [
      ['snom870', '8.4.33'],
      ['snom870', '8.7.1'],
      ['D785', '10.1.33.33'],
    ]) {
      const p = await start(model, fw);
      await request(`${p.url}/command.htm?touch=100%20200`);
      const st = await getState(p);
      assert.equal(st.touches.length, 0, `${model} ${fw}`);
      assert.match(st.rejected[0].reason, /not supported/);
    }
    const old84 = await start('snom870', '8.4.34');
    await request(`${old84.url}/command.htm?touch=1%202`);
    assert.equal((await getState(old84)).touches.length, 1);
  });

  it('minibrowser.htm answers 404 before firmware 8.2.7', async () => {
    const p = await start('snom320', '8.2.6');
    const r = await request(`${p.url}/minibrowser.htm?url=127.0.0.1/x.xml`);
    assert.equal(r.status, 404);
  });
});
