import assert from 'node:assert/strict';
import {
  MINIBROWSER_ROOTS,
  buildMinibrowserXml,
  minibrowserPushPath,
  validateMinibrowserXml,
  type MinibrowserObject,
} from '../../../src/lib/minibrowser';
import { INJECTION, at, elementNames, parseBack, textOf, throwsCode } from '../csta/xml-helpers';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** Published documents: IP-Symcon's LED screen and alert (docs/protocol.md §7.3, §7.4), a Silent dial (§7.1). */
const REF_LED_TEXT = `<?xml version="1.0" encoding="UTF-8"?>
<SnomIPPhoneText>
  <Title>Living room</Title>
  <Text>Light: On</Text>
  <LED number="6" color="green">On</LED>
  <fetch mil="1">snom://mb_exit</fetch>
</SnomIPPhoneText>`;
const REF_ALERT = '<SnomIPPhoneText><Text>Door bell</Text><fetch mil="2000">snom://mb_exit</fetch></SnomIPPhoneText>';
const REF_SILENT = '<SnomIPPhoneSilent><fetch mil="10">phone://mb_nop#numberdial=1001</fetch></SnomIPPhoneSilent>';

const squeeze = (xml: string): string => xml.replace(/>\s+</g, '><').trim();

describe('minibrowser', () => {
  describe('validateMinibrowserXml', () => {
    it('accepts the published documents and names the root in Snom spelling', () => {
      assert.deepEqual(validateMinibrowserXml(REF_LED_TEXT), { root: 'SnomIPPhoneText' });
      assert.deepEqual(validateMinibrowserXml(REF_SILENT), { root: 'SnomIPPhoneSilent' });
      assert.deepEqual(validateMinibrowserXml('<!-- hi --><IPPhoneSilent><fetch>x</fetch></IPPhoneSilent>\n'), {
        root: 'IPPhoneSilent',
      });
    });

    it('is case-insensitive like the phone', () => {
      assert.deepEqual(validateMinibrowserXml('<snomipphonemenu/>'), { root: 'SnomIPPhoneMenu' });
      assert.deepEqual(validateMinibrowserXml('<SNOMIPPHONEIMAGEFILE></SNOMIPPHONEIMAGEFILE>'), {
        root: 'SnomIPPhoneImageFile',
      });
      assert.deepEqual(validateMinibrowserXml('<ipphoneText/>'), { root: 'IPPhoneText' });
    });

    it('knows all eight objects in both forms', () => {
      assert.equal(MINIBROWSER_ROOTS.length, 16);
      for (const r of MINIBROWSER_ROOTS) assert.equal(validateMinibrowserXml(`<${r}/>`).root, r);
    });

    it('refuses two roots, unknown roots, malformed XML, stray text, empty input', () => {
      throwsCode(() => validateMinibrowserXml('<SnomIPPhoneText/><SnomIPPhoneText/>'), 'E_INPUT', 'document');
      assert.throws(() => validateMinibrowserXml('<SnomIPPhoneText/><SnomIPPhoneMenu/>'), /2 root elements.*Batch/);
      throwsCode(() => validateMinibrowserXml('<html><body/></html>'), 'E_INPUT', 'document');
      assert.throws(() => validateMinibrowserXml('<SnomIPPhoneTexts/>'), /not a minibrowser object/);
      throwsCode(() => validateMinibrowserXml('<SnomIPPhoneText><Text>a</SnomIPPhoneText>'), 'E_INPUT', 'document');
      assert.throws(() => validateMinibrowserXml('<SnomIPPhoneText>a & b</SnomIPPhoneText>'), /not well-formed/);
      throwsCode(() => validateMinibrowserXml('<SnomIPPhoneText/>junk'), 'E_INPUT', 'document');
      throwsCode(() => validateMinibrowserXml('just text'), 'E_INPUT', 'document');
      throwsCode(() => validateMinibrowserXml(''), 'E_INPUT', 'document');
      throwsCode(() => validateMinibrowserXml(42), 'E_INPUT', 'document');
      throwsCode(() => validateMinibrowserXml('<SnomIPPhoneText>\u0001</SnomIPPhoneText>'), 'E_INPUT', 'document');
    });

    it('refuses DOCTYPE and entity declarations (a billion-laughs document), lone surrogates, any text after the root', () => {
      const laughs =
        '<!DOCTYPE SnomIPPhoneText [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><SnomIPPhoneText><Text>&b;</Text></SnomIPPhoneText>';
      assert.throws(
        () => validateMinibrowserXml(laughs),
        (e: any) => e.code === 'E_INPUT' && /DOCTYPE/.test(e.message),
      );
      assert.throws(() => validateMinibrowserXml('<!doctype SnomIPPhoneText><SnomIPPhoneText/>'), /DOCTYPE/);
      assert.throws(
        () => validateMinibrowserXml('<SnomIPPhoneText><Text>\uD800</Text></SnomIPPhoneText>'),
        /lone surrogate/,
      );
      for (const tail of ['junk', 'x>', 'x/>', '<!-- c -->t', '<?pi?>t', ' a <!-- c -->']) {
        for (const root of [
          '<SnomIPPhoneText/>',
          '<SnomIPPhoneText a="1>"/>',
          '<SnomIPPhoneText><Text>a</Text></SnomIPPhoneText>',
        ]) {
          assert.throws(
            () => validateMinibrowserXml(`${root}${tail}`),
            /outside its root|not well-formed/,
            `${root}${tail}`,
          );
        }
      }
      for (const ok of [
        '<?xml version="1.0"?>\n<!-- a --><SnomIPPhoneText a=">" b=\'/>\'/>\n<!-- b -->\n<?pi x?>\n',
        '\uFEFF<SnomIPPhoneText></SnomIPPhoneText >',
      ]) {
        assert.equal(validateMinibrowserXml(ok).root, 'SnomIPPhoneText');
      }
    });

    it('quotes a huge input briefly in its error', () => {
      for (const bad of [
        `<${'A'.repeat(1 << 20)}/>`,
        `<a></${'A'.repeat(1 << 20)}>`,
        `<x/><${'A'.repeat(1 << 20)}/>`,
      ]) {
        assert.throws(
          () => validateMinibrowserXml(bad),
          (e: any) => e.code === 'E_INPUT' && e.message.length < 1000,
        );
      }
    });
  });

  describe('buildMinibrowserXml', () => {
    it('text with title, LED and timeout equals the published LED document (docs/protocol.md §7.3)', () => {
      const xml = buildMinibrowserXml({
        type: 'text',
        title: 'Living room',
        text: 'Light: On',
        leds: [{ number: 6, color: 'green', state: 'On' }],
        timeout: 1,
      });
      assert.ok(xml.startsWith(DECL));
      assert.equal(squeeze(xml), squeeze(REF_LED_TEXT));
    });

    it('text popup with auto-close equals the published alert (docs/protocol.md §7.4)', () => {
      assert.equal(
        squeeze(buildMinibrowserXml({ type: 'text', text: 'Door bell', timeout: 2000 })),
        squeeze(DECL + REF_ALERT),
      );
    });

    it('text with softkeys and a fetch; LED colour and state normalised', () => {
      const xml = buildMinibrowserXml({
        type: 'text',
        text: 'line 1\nline 2',
        leds: [
          { number: 42, color: 'RED', state: 'BLINKFAST' },
          { number: 3, state: 'off' },
        ],
        softkeys: [{ name: 'F1', label: 'Open', url: 'http://srv/open' }, { name: 'CANCEL' }],
        fetch: { url: 'http://srv/refresh', mil: 5000 },
      });
      assert.equal(
        squeeze(xml.slice(DECL.length)),
        '<SnomIPPhoneText><Text>line 1\nline 2</Text><LED number="42" color="red">blinkfast</LED><LED number="3">Off</LED>' +
          '<SoftKeyItem><Name>F1</Name><Label>Open</Label><URL>http://srv/open</URL></SoftKeyItem><SoftKeyItem><Name>CANCEL</Name></SoftKeyItem>' +
          '<fetch mil="5000">http://srv/refresh</fetch></SnomIPPhoneText>',
      );
    });

    it('menu, directory, input, image, imagefile, silent and led', () => {
      const cases: Array<[MinibrowserObject, string]> = [
        [
          { type: 'menu', title: 'Symcon Demo', items: [{ name: 'On', url: 'http://SRV/hook/snom/1?aid=5&value=1' }] },
          '<SnomIPPhoneMenu><Title>Symcon Demo</Title><MenuItem><Name>On</Name><URL>http://SRV/hook/snom/1?aid=5&amp;value=1</URL></MenuItem></SnomIPPhoneMenu>',
        ],
        [
          {
            type: 'directory',
            title: 'Team',
            entries: [
              { name: 'Alice', telephone: '100' },
              { name: 'Bob', telephone: 'sip:bob@pbx' },
            ],
          },
          '<SnomIPPhoneDirectory><Title>Team</Title><DirectoryEntry><Name>Alice</Name><Telephone>100</Telephone></DirectoryEntry><DirectoryEntry><Name>Bob</Name><Telephone>sip:bob@pbx</Telephone></DirectoryEntry></SnomIPPhoneDirectory>',
        ],
        [
          {
            type: 'input',
            title: 'Search',
            prompt: 'Name?',
            url: 'http://srv/search?q=__Y__',
            items: [
              { displayName: 'Name', token: '__Y__', defaultValue: 'A', flags: 'a' },
              { displayName: 'PIN', flags: 'pn' },
            ],
          },
          '<SnomIPPhoneInput><Title>Search</Title><Prompt>Name?</Prompt><URL>http://srv/search?q=__Y__</URL><InputItem><DisplayName>Name</DisplayName><InputToken>__Y__</InputToken><DefaultValue>A</DefaultValue><InputFlags>a</InputFlags></InputItem><InputItem><DisplayName>PIN</DisplayName><InputFlags>pn</InputFlags></InputItem></SnomIPPhoneInput>',
        ],
        [
          { type: 'image', data: 'Qk0=', locationX: 0, locationY: 10 },
          '<SnomIPPhoneImage><LocationX>0</LocationX><LocationY>10</LocationY><Data encoding="base64">Qk0=</Data></SnomIPPhoneImage>',
        ],
        [
          { type: 'imagefile', title: 'Door', url: 'http://cam/snap.jpg' },
          '<SnomIPPhoneImageFile><Title>Door</Title><URL>http://cam/snap.jpg</URL></SnomIPPhoneImageFile>',
        ],
        [{ type: 'silent', fetch: { url: 'phone://mb_nop#numberdial=1001', mil: 10 } }, REF_SILENT],
        [
          { type: 'led', leds: [{ number: 6, color: 'green', state: 'On' }] },
          '<SnomIPPhoneText><LED number="6" color="green">On</LED><fetch mil="1">snom://mb_exit</fetch></SnomIPPhoneText>',
        ],
      ];
      for (const [doc, want] of cases) {
        const xml = buildMinibrowserXml(doc);
        assert.ok(xml.startsWith(DECL), doc.type);
        assert.equal(xml.slice(DECL.length).trim(), want, doc.type);
        validateMinibrowserXml(xml);
      }
    });

    it('refuses wrong types, naming the field', () => {
      const bad: Array<[unknown, string]> = [
        [{ type: 'video' }, 'type'],
        [null, 'type'],
        [{ type: 'text' }, 'text'],
        [{ type: 'text', text: 5 }, 'text'],
        [{ type: 'text', text: 'a', title: 'two\nlines' }, 'title'],
        [{ type: 'text', text: 'a\u0007' }, 'text'],
        [{ type: 'text', text: 'a', timeout: 0 }, 'timeout'],
        [{ type: 'text', text: 'a', timeout: 1.5 }, 'timeout'],
        [{ type: 'text', text: 'a', timeout: 10, fetch: { url: 'x' } }, 'timeout'],
        [{ type: 'text', text: 'a', leds: [{ number: -1, state: 'On' }] }, 'leds[0].number'],
        [{ type: 'text', text: 'a', leds: [{ number: 1, color: 'purple', state: 'On' }] }, 'leds[0].color'],
        [{ type: 'text', text: 'a', leds: [{ number: 1, state: 'glow' }] }, 'leds[0].state'],
        [{ type: 'text', text: 'a', leds: 'x' }, 'leds'],
        [{ type: 'text', text: 'a', softkeys: [{ name: 'F 1' }] }, 'softkeys[0].name'],
        [{ type: 'text', text: 'a', fetch: { url: 'x', mil: -5 } }, 'fetch.mil'],
        [{ type: 'menu', items: [] }, 'items'],
        [{ type: 'menu', items: [{ name: 'a' }] }, 'items[0].url'],
        [{ type: 'directory', entries: [{ name: 'a', telephone: '' }] }, 'entries[0].telephone'],
        [{ type: 'input', items: [{ displayName: 'x' }] }, 'url'],
        [{ type: 'input', url: 'u', items: [{ displayName: 'x', flags: 'z' }] }, 'items[0].flags'],
        [{ type: 'image', data: 'not base64!' }, 'data'],
        [{ type: 'image', data: 'Qk0=', locationX: 'a' }, 'locationX'],
        [{ type: 'imagefile' }, 'url'],
        [{ type: 'silent' }, 'fetch'],
        [{ type: 'silent', fetch: {} }, 'fetch.url'],
        [{ type: 'led', leds: [] }, 'leds'],
      ];
      for (const [doc, field] of bad) {
        throwsCode(() => buildMinibrowserXml(doc as MinibrowserObject), 'E_INPUT', field);
      }
    });

    describe('XML injection: every text field comes back exactly, with no new element', () => {
      const fields: Array<[string, MinibrowserObject, Array<string | number>]> = [
        ['text.title', { type: 'text', title: INJECTION, text: 'a' }, ['Title']],
        ['text.text', { type: 'text', text: INJECTION }, ['Text']],
        ['text.softkeys.name (refused)', { type: 'text', text: 'a', softkeys: [{ name: INJECTION }] }, []],
        [
          'text.softkeys.label',
          { type: 'text', text: 'a', softkeys: [{ name: 'F1', label: INJECTION }] },
          ['SoftKeyItem', 'Label'],
        ],
        [
          'text.softkeys.url',
          { type: 'text', text: 'a', softkeys: [{ name: 'F1', url: INJECTION }] },
          ['SoftKeyItem', 'URL'],
        ],
        ['text.fetch.url', { type: 'text', text: 'a', fetch: { url: INJECTION } }, ['fetch']],
        ['menu.title', { type: 'menu', title: INJECTION, items: [{ name: 'a', url: 'b' }] }, ['Title']],
        ['menu.items.name', { type: 'menu', items: [{ name: INJECTION, url: 'b' }] }, ['MenuItem', 'Name']],
        ['menu.items.url', { type: 'menu', items: [{ name: 'a', url: INJECTION }] }, ['MenuItem', 'URL']],
        [
          'directory.title',
          { type: 'directory', title: INJECTION, entries: [{ name: 'a', telephone: '1' }] },
          ['Title'],
        ],
        [
          'directory.entries.name',
          { type: 'directory', entries: [{ name: INJECTION, telephone: '1' }] },
          ['DirectoryEntry', 'Name'],
        ],
        [
          'directory.entries.telephone',
          { type: 'directory', entries: [{ name: 'a', telephone: INJECTION }] },
          ['DirectoryEntry', 'Telephone'],
        ],
        ['input.title', { type: 'input', title: INJECTION, url: 'u', items: [{ displayName: 'd' }] }, ['Title']],
        ['input.prompt', { type: 'input', prompt: INJECTION, url: 'u', items: [{ displayName: 'd' }] }, ['Prompt']],
        ['input.url', { type: 'input', url: INJECTION, items: [{ displayName: 'd' }] }, ['URL']],
        [
          'input.items.displayName',
          { type: 'input', url: 'u', items: [{ displayName: INJECTION }] },
          ['InputItem', 'DisplayName'],
        ],
        [
          'input.items.token',
          { type: 'input', url: 'u', items: [{ displayName: 'd', token: INJECTION }] },
          ['InputItem', 'InputToken'],
        ],
        [
          'input.items.defaultValue',
          { type: 'input', url: 'u', items: [{ displayName: 'd', defaultValue: INJECTION }] },
          ['InputItem', 'DefaultValue'],
        ],
        ['image.title', { type: 'image', title: INJECTION, data: 'Qk0=' }, ['Title']],
        ['imagefile.title', { type: 'imagefile', title: INJECTION, url: 'u' }, ['Title']],
        ['imagefile.url', { type: 'imagefile', url: INJECTION }, ['URL']],
        ['silent.fetch.url', { type: 'silent', fetch: { url: INJECTION } }, ['fetch']],
      ];
      for (const [name, doc, path] of fields) {
        it(name, () => {
          if (path.length === 0) {
            throwsCode(() => buildMinibrowserXml(doc), 'E_INPUT');
            return;
          }
          const xml = buildMinibrowserXml(doc);
          const tree = parseBack(xml);
          const root = Object.keys(tree).find((k) => !k.startsWith('?')) as string;
          assert.equal(textOf(at(tree, root, ...path)), INJECTION);
          const names = elementNames(tree);
          assert.ok(!names.has('evil') && !names.has('x'), xml);
        });
      }
    });
  });

  describe('minibrowserPushPath', () => {
    const URL_1043 =
      'http://192.168.1.10:3777/hook/snom/12345/?xml=true&variableId=111&value=On&ledNo=6&color=green&timeout=1';

    it('8.4.32+: keeps the scheme and encodes the whole URL (docs/protocol.md §7.5)', () => {
      assert.equal(
        minibrowserPushPath(URL_1043, true),
        '/minibrowser.htm?url=http%3A%2F%2F192.168.1.10%3A3777%2Fhook%2Fsnom%2F12345%2F%3Fxml%3Dtrue%26variableId%3D111%26value%3DOn%26ledNo%3D6%26color%3Dgreen%26timeout%3D1',
      );
      const back = new URLSearchParams(
        minibrowserPushPath('https://srv/x.xml?a=1&b=2#f', true).split('?').slice(1).join('?'),
      );
      assert.equal(back.get('url'), 'https://srv/x.xml?a=1&b=2#f');
    });

    it('older firmware: scheme stripped, not encoded', () => {
      assert.equal(
        minibrowserPushPath('http://10.110.16.63/D7C_XML/TAG.xml', false),
        '/minibrowser.htm?url=10.110.16.63/D7C_XML/TAG.xml',
      );
      assert.equal(minibrowserPushPath('http://srv/x.php?id=3', false), '/minibrowser.htm?url=srv/x.php?id=3');
      throwsCode(() => minibrowserPushPath('http://srv/x.php?a=1&b=2', false), 'E_UNSUPPORTED', 'url');
      throwsCode(() => minibrowserPushPath('https://srv/x.xml', false), 'E_UNSUPPORTED', 'url');
    });

    it('only http(s) URLs', () => {
      for (const bad of ['ftp://srv/x', 'snom://mb_exit', 'srv/x.xml', '', 'javascript:alert(1)', 'http://srv/a b']) {
        throwsCode(() => minibrowserPushPath(bad, true), 'E_INPUT', 'url');
      }
    });
  });
});
