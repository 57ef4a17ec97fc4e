// lib/sip/notify (what snom-sip-notify sends, and Prepare phone's settings) and lib/profile/sip (which
// kinds a phone has): pure functions, against the forms of docs/protocol.md §10.5, §10.9.
import assert from 'node:assert/strict';
import { requireSipNotify, resolveProfile, sipNotifyRefusal } from '../../../src/lib/profile';
import { buildSipNotify, buttonKeyList, parseButtonsText, prepareSettings } from '../../../src/lib/sip';

const code = (c: string) => (e: any) => e.code === c;

describe('lib/sip/notify: the kinds of snom-sip-notify', () => {
  it('reads the x-buttons text: one lamp per k= (a blank line or a new k= starts the next), values kept', () => {
    assert.deepEqual(parseButtonsText('k=6\r\nc=on\r\nl= Door 1\r\n\r\nk=7\nc=off\nk=8\no=red\nc=hold'), [
      { key: '6', light: 'on', label: ' Door 1' },
      { key: '7', light: 'off' },
      { key: '8', colour: 'red', light: 'hold' },
    ]);
    assert.throws(() => parseButtonsText('k=1\nz=2'), /Buttons line 2/);
    assert.throws(() => parseButtonsText('k=1\nc=on\nc=off'), /given twice/);
  });

  it('builds each kind through the lib builders; the buttons body is the §10.8 form', () => {
    const b = buildSipNotify('buttons', { lamps: 'k=6\nc=on\nl=Door' });
    assert.equal(b.method, 'MESSAGE');
    assert.equal(b.body, 'k=6\r\nc=on\r\nl=Door\r\n');
    const o = buildSipNotify('buttons', { lamps: { key: 6, color: 'red', light: 'on', extra: 'x' } });
    assert.equal(o.body, 'k=6\r\nc=on\r\no=red\r\n');
    const m = buildSipNotify('minibrowser', { document: { type: 'text', title: 'T', text: 'a & b' } });
    assert.equal(m.contentType, 'application/snomxml');
    assert.match(m.body, /a &amp; b/);
    assert.deepEqual(buildSipNotify('check-sync', { reboot: 'true' }).headers, [['Event', 'check-sync;reboot=true']]);
    assert.deepEqual(buildSipNotify('talk').headers, [['Event', 'talk']]);
  });

  it('refuses with E_INPUT: no document, no lamps, an own-property trick, a bad reboot', () => {
    assert.throws(() => buildSipNotify('minibrowser', {}), code('E_INPUT'));
    assert.throws(() => buildSipNotify('buttons', { lamps: [] }), code('E_INPUT'));
    assert.throws(
      () => buildSipNotify('buttons', { lamps: JSON.parse('{"__proto__": {"key": 1, "light": "on"}}') }),
      code('E_INPUT'),
    );
    assert.throws(() => buildSipNotify('check-sync', { reboot: 1 }), code('E_INPUT'));
  });

  it('Prepare phone: adds our address once, filter_registrar off, fkeyN = button N', () => {
    assert.deepEqual(
      prepareSettings({ trustedHost: '10.0.0.5', currentTrusted: '10.0.0.1 pbx.lan;', buttonKeys: [6, 0] }),
      {
        mb_trusted_hosts: '10.0.0.1,pbx.lan,10.0.0.5',
        filter_registrar: 'off',
        fkey6: 'button 6',
        fkey0: 'button 0',
      },
    );
    assert.equal(prepareSettings({ trustedHost: '10.0.0.5', currentTrusted: '10.0.0.5' }).mb_trusted_hosts, '10.0.0.5');
    assert.equal(prepareSettings({ trustedHost: '10.0.0.5', currentTrusted: null }).mb_trusted_hosts, '10.0.0.5');
    assert.deepEqual(buttonKeyList('6, 7 6;8'), [6, 7, 8]);
    assert.deepEqual(buttonKeyList(''), []);
    for (const bad of ['x', '1000', [-1], { a: 1 }]) assert.throws(() => buttonKeyList(bad), code('E_INPUT'));
  });
});

describe('lib/profile/sip: which SIP kinds a phone has', () => {
  const p = (model: string, firmware: string) => resolveProfile({ model, firmware });
  it('x-buttons from firmware 7; D8xx without minibrowser and x-buttons; talk/hold/check-sync everywhere', () => {
    assert.equal(sipNotifyRefusal(p('snom360', '7.3.30'), 'buttons'), undefined);
    assert.match(sipNotifyRefusal(p('snom360', '6.5.20'), 'buttons')!, /needs firmware 7/);
    assert.equal(sipNotifyRefusal(p('snom360', '6.5.20'), 'minibrowser'), undefined);
    assert.match(sipNotifyRefusal(p('D862', '10.1.33.33'), 'minibrowser')!, /D8xx/);
    assert.match(sipNotifyRefusal(p('D862', '10.1.33.33'), 'buttons')!, /D8xx/);
    for (const k of ['talk', 'hold', 'check-sync'] as const)
      assert.equal(sipNotifyRefusal(p('D862', '10.1.33.33'), k), undefined);
    assert.equal(sipNotifyRefusal(resolveProfile({}), 'buttons'), undefined, 'unknown phone: permissive');
    assert.throws(() => requireSipNotify(p('snom360', '6.5.20'), 'buttons'), code('E_UNSUPPORTED'));
  });
});
