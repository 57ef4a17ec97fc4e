import assert from 'node:assert/strict';
import {
  CSTA_SETTINGS,
  buildWebSettingsWrite,
  isReadOnly,
  parseSettingsXml,
  settingRoute,
  validateSettingName,
} from '../../../src/lib/settings';
import { throwsCode } from '../csta/xml-helpers';

/** Decode a dummy.htm path the way a standard query parser does. */
function query(path: string): URLSearchParams {
  assert.ok(path.startsWith('/dummy.htm?'), path);
  return new URLSearchParams(path.slice('/dummy.htm?'.length));
}

describe('settings', () => {
  describe('names and routes', () => {
    it('holds the list of docs/protocol.md §9.2, with mac, phone_type and firmware_version read-only', () => {
      const names = CSTA_SETTINGS.map((s) => s.name);
      assert.equal(names.length, 19);
      for (const n of [
        'mac',
        'phone_type',
        'firmware_version',
        'action_incoming_url',
        'action_missed_url',
        'action_fwtest_url',
      ]) {
        assert.ok(names.includes(n), n);
      }
      assert.deepEqual(
        CSTA_SETTINGS.filter((s) => s.readOnly).map((s) => s.name),
        ['mac', 'phone_type', 'firmware_version'],
      );
      assert.ok(isReadOnly('mac') && isReadOnly('firmware_version') && isReadOnly('phone_type'));
      assert.ok(!isReadOnly('action_hold') && !isReadOnly('user_name1') && !isReadOnly('language'));
    });

    it('routes the list of docs/protocol.md §9.2 to CSTA and everything else to the web', () => {
      for (const n of [
        'mac',
        'user_name1',
        'user_realname12',
        'user_host3',
        'action_blind_transfer',
        'action_fwtest_url',
        'action_onhook_url',
      ]) {
        assert.equal(settingRoute(n), 'csta', n);
      }
      for (const n of [
        'user_name',
        'user_name13',
        'user_name0',
        'language',
        'fkey0',
        'action_hold1',
        'user_realname',
      ]) {
        assert.equal(settingRoute(n), 'web', n);
      }
    });

    it('validates names: letters, digits, _ and an index suffix only', () => {
      assert.equal(validateSettingName('user_idle_text1'), 'user_idle_text1');
      for (const bad of [
        '',
        'a b',
        'a-b',
        '1abc',
        'a=b',
        'a&b',
        'ä',
        '_x',
        'settings',
        'store_settings',
        'x'.repeat(101),
      ]) {
        throwsCode(() => validateSettingName(bad), 'E_INPUT', 'name');
      }
      throwsCode(() => validateSettingName(5), 'E_INPUT', 'name');
      throwsCode(() => settingRoute('a b'), 'E_INPUT', 'name');
    });
  });

  describe('web write (dummy.htm)', () => {
    it('saves and stores by default, only saves with store: false', () => {
      assert.equal(
        buildWebSettingsWrite({ fkey_label0: 'Light' }),
        '/dummy.htm?settings=save&store_settings=save&fkey_label0=Light',
      );
      assert.equal(
        buildWebSettingsWrite({ fkey_label0: 'Light' }, { store: false }),
        '/dummy.htm?settings=save&fkey_label0=Light',
      );
    });

    it('writes an Action URL as IP-Symcon does, with $ left literal (docs/protocol.md §5.1, §5.2)', () => {
      const path = buildWebSettingsWrite({
        action_incoming_url: 'http://192.168.1.10:5000/in?remote=$remote&id=$csta_id',
      });
      assert.equal(
        path,
        '/dummy.htm?settings=save&store_settings=save&action_incoming_url=http%3A%2F%2F192.168.1.10%3A5000%2Fin%3Fremote%3D$remote%26id%3D$csta_id',
      );
    });

    it('round-trips awkward values exactly through URLSearchParams decoding', () => {
      const values: Record<string, string> = {
        action_incoming_url: 'http://srv/x?a=$remote&b=$csta_id#frag',
        fkey0: 'url http://192.168.1.10:3777/hook/?xml=false&value=a+b',
        user_realname1: 'Müller & Söhne = 100% "quoted" \'single\' <tag> 😀',
        empty_value: '',
        plus_and_space: ' + ',
        percent: '%20%zz%',
      };
      const path = buildWebSettingsWrite(values);
      const q = query(path);
      for (const [k, v] of Object.entries(values)) assert.equal(q.get(k), v, k);
      assert.equal(q.get('settings'), 'save');
      // & # + = never travel literally inside a value
      const valuePart = path.slice(path.indexOf('action_incoming_url='));
      assert.ok(!/[#+]/.test(valuePart), valuePart);
      assert.equal(valuePart.split('&').length, Object.keys(values).length);
    });

    it('refuses read-only and hidden names, bad names, control characters and empty input', () => {
      throwsCode(() => buildWebSettingsWrite({ mac: '000413000000' }), 'E_INPUT', 'settings');
      throwsCode(() => buildWebSettingsWrite({ phone_type: 'x' }), 'E_INPUT', 'settings');
      throwsCode(() => buildWebSettingsWrite({ action_fwtest_url: 'http://x' }), 'E_INPUT', 'settings');
      throwsCode(() => buildWebSettingsWrite({ 'a&b': 'x' }), 'E_INPUT', 'name');
      throwsCode(() => buildWebSettingsWrite({ settings: 'x' }), 'E_INPUT', 'name');
      for (const bad of ['a\nb', 'a\rb', 'tab\t', 'nul\u0000', 'del\u007f']) {
        throwsCode(() => buildWebSettingsWrite({ user_idle_text1: bad }), 'E_INPUT', 'settings');
      }
      throwsCode(() => buildWebSettingsWrite({ user_idle_text1: 5 as unknown as string }), 'E_INPUT', 'settings');
      throwsCode(() => buildWebSettingsWrite({ user_idle_text1: '\ud800' }), 'E_INPUT', 'value');
      throwsCode(() => buildWebSettingsWrite({}), 'E_INPUT', 'settings');
    });
  });

  describe('settings.xml', () => {
    it('reads the provisioning shape: idx suffix, perm ignored, entities decoded, fkeys', () => {
      const xml = `<?xml version="1.0" encoding="utf-8"?>
<settings>
  <phone-settings e="2">
    <user_name idx="1" perm="">100</user_name>
    <user_name idx="2" perm="RW">200</user_name>
    <user_realname idx="1" perm="!">Reception &amp; Desk</user_realname>
    <language perm="">Deutsch</language>
    <user_idle_text idx="1" perm=""/>
    <action_incoming_url perm="">http://srv/in?r=$remote&amp;id=$csta_id</action_incoming_url>
  </phone-settings>
  <functionKeys e="2">
    <fkey idx="0" context="active" label="Light" perm="">url http://srv/light</fkey>
  </functionKeys>
</settings>`;
      assert.deepEqual(parseSettingsXml(xml), {
        user_name1: '100',
        user_name2: '200',
        user_realname1: 'Reception & Desk',
        language: 'Deutsch',
        user_idle_text1: '',
        action_incoming_url: 'http://srv/in?r=$remote&id=$csta_id',
        fkey0: 'url http://srv/light',
      });
    });

    it('tolerates a missing wrapper on either level', () => {
      assert.deepEqual(parseSettingsXml('<phone-settings><mac perm="&amp;">000413AABBCC</mac></phone-settings>'), {
        mac: '000413AABBCC',
      });
      assert.deepEqual(
        parseSettingsXml('<settings><user_host idx="3">pbx.example</user_host><dnd_mode>off</dnd_mode></settings>'),
        {
          user_host3: 'pbx.example',
          dnd_mode: 'off',
        },
      );
    });

    it('non-XML and HTML bodies are E_HTTP', () => {
      for (const bad of ['', 'Unauthorized', '<settings><a></settings>', '<html><body>Login</body></html>']) {
        throwsCode(() => parseSettingsXml(bad), 'E_HTTP');
      }
    });

    it('reads settings named constructor, __proto__, toString or prototype as plain settings (one broke every read)', () => {
      const xml =
        '<settings><phone-settings e="2"><constructor perm="">c</constructor><toString perm="">t</toString><__proto__>p</__proto__>' +
        '<prototype/><hasOwnProperty idx="2">h</hasOwnProperty><language perm="">English</language></phone-settings></settings>';
      const got = parseSettingsXml(xml);
      assert.deepEqual(Object.entries(got), [
        ['constructor', 'c'],
        ['toString', 't'],
        ['__proto__', 'p'],
        ['prototype', ''],
        ['hasOwnProperty2', 'h'],
        ['language', 'English'],
      ]);
      assert.equal(Object.getPrototypeOf(got), Object.prototype, 'a plain object, its prototype untouched');
      assert.equal(({} as Record<string, unknown>).p, undefined);
    });
  });

  describe('values and names that must not reach the phone', () => {
    it('refuses names every JavaScript object has', () => {
      for (const n of [
        'constructor',
        'toString',
        'valueOf',
        'hasOwnProperty',
        'isPrototypeOf',
        'prototype',
        '__proto__',
        '__defineGetter__',
      ]) {
        throwsCode(() => validateSettingName(n), 'E_INPUT', 'name');
        throwsCode(() => buildWebSettingsWrite({ [n]: 'x' }), 'E_INPUT');
      }
      assert.equal(validateSettingName('constructor_note'), 'constructor_note');
    });

    it('refuses lone surrogates in values on the web route', () => {
      for (const v of ['\uD800', 'a\uDC00', 'x\uD83Dy'])
        throwsCode(() => buildWebSettingsWrite({ custom_note: v }), 'E_INPUT');
      assert.equal(query(buildWebSettingsWrite({ custom_note: 'Müller 😀' })).get('custom_note'), 'Müller 😀');
    });
  });
});
