// The editors (nodes/<type>.html with resources/) as the browser runs them, in Node's vm: every
// node registers with the shared category, colour and validators; its form has a field for each
// property and every text in both languages; the examples are marked with the runtime's
// own message; no list of the library is written again in an editor.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildKeyCommand } from '../../../src/lib/commands/keys';
import { buildTouch } from '../../../src/lib/commands/touch';
import { buildDial, buildRemoteCommand, REMOTE_COMMANDS } from '../../../src/lib/commands/remote';
import { FORWARDING_TYPES } from '../../../src/lib/csta';
import { checkCallId } from '../../../src/lib/csta/params';
import { ACTION_EVENT_NAMES } from '../../../src/lib/action-url/events';
import { parseAllowlist } from '../../../src/lib/action-url/allowlist';
import { parseExtraVariables } from '../../../src/lib/action-url/extra-variables';
import { normalizePath, settingsForProvisioning } from '../../../src/lib/action-url/url';
import { endpointBase } from '../../../src/lib/action-url/provision';
import { Fleet } from '../../../src/lib/fleet';
import { phoneOrigin } from '../../../src/lib/http/origin';
import { validateMinibrowserXml } from '../../../src/lib/minibrowser';
import { KNOWN_MODELS, resolveProfile } from '../../../src/lib/profile';
import { validateSettingName } from '../../../src/lib/settings/names';
import { CSTA_NODE_OPERATIONS } from '../../../src/nodes/shared/csta-params';
import { TYPED_FIELDS } from '../../../src/nodes/shared/typed-props';
import { ROOT, TYPES, htmlParts, loadEditors, locale, lookup, type EditorVm } from './editor-vm';

/** The message the library throws for a call, the text the editor must show. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the library took it');
}

describe('editors: one source with the runtime (vm)', () => {
  let ed: EditorVm;
  before(() => {
    ed = loadEditors();
    ed.configs.set('d735', { type: 'snom-phone', model: 'D735', firmware: '10.1.54.13' });
    ed.configs.set('detect', { type: 'snom-phone', model: 'detect', firmware: 'detect' });
    ed.configs.set('s870', { type: 'snom-phone', model: 'snom870', firmware: '8.7.5.35' });
  });

  it('every node type of the package registers from its .html: the Snom category, one colour, an icon of its own', () => {
    assert.deepEqual([...ed.definitions.keys()].sort(), [...TYPES].sort());
    const colours = new Set([...ed.definitions.values()].map((d) => d.color));
    assert.equal(colours.size, 1, `one colour, not ${[...colours]}`);
    for (const [type, def] of ed.definitions) {
      assert.equal(def.category, type === 'snom-phone' ? 'config' : 'Snom', type);
      // named for the node, so no other package's icon of the same name can stand in for it
      assert.equal(def.icon, `${type}.svg`, type);
    }
    const icons = [...ed.definitions.values()].map((d) => fs.readFileSync(path.join(ROOT, 'icons', d.icon), 'utf8'));
    assert.equal(new Set(icons).size, icons.length, 'no two nodes share a drawing');
    // Node-RED reads icons beside the node files: the build copies them there
    for (const d of ed.definitions.values())
      assert.ok(fs.existsSync(path.join(ROOT, 'nodes', 'icons', d.icon)), d.icon);
  });

  it("draws every icon white on transparent, 40 × 60 like Node-RED's own", () => {
    for (const file of fs.readdirSync(path.join(ROOT, 'icons'))) {
      const svg = fs.readFileSync(path.join(ROOT, 'icons', file), 'utf8');
      assert.match(svg, /^<svg [^>]*viewBox="0 0 40 60"/, file);
      const paints = [...svg.matchAll(/\b(?:fill|stroke|stop-color)(?:="|:\s*)([^";]+)/g)].map((m) => m[1].trim());
      assert.ok(paints.length > 0, `${file} paints something`);
      for (const p of paints) assert.match(p, /^(?:#fff|#ffffff|white|none)$/i, `${file}: ${p}`);
      assert.doesNotMatch(svg, /<(?:image|style|script)\b/, file);
    }
  });

  it('each form holds an input for every field the node saves, and every text it names exists in en-US and de', () => {
    const catalogues = {
      'en-US': new Map(TYPES.map((t) => [t, locale('en-US', t)])),
      de: new Map(TYPES.map((t) => [t, locale('de', t)])),
    };
    for (const type of TYPES) {
      const html = ed.templates.get(type)!;
      assert.doesNotMatch(html, /data-snom-/, `${type}: every placeholder row is written out`);
      const prefix = type === 'snom-phone' ? 'node-config-input' : 'node-input';
      const def = ed.definitions.get(type)!;
      const fields = [...Object.keys(def.defaults), ...Object.keys((def.credentials as object) ?? {})];
      // the events node's two checkbox lists are collected by its oneditsave
      const collected = type === 'snom-action-url-in' ? ['events', 'phones'] : [];
      for (const f of fields.filter((x) => !collected.includes(x)))
        assert.match(html, new RegExp(`id="${prefix}-${f}"`), `${type}: an input for ${f}`);
      for (const m of html.matchAll(/data-i18n="(?:\[\w+\])?([^"]+)"/g)) {
        for (const [lang, cats] of Object.entries(catalogues)) {
          const [t] = m[1].split('.');
          assert.equal(typeof lookup(cats.get(t)!, m[1]), 'string', `${type}: ${m[1]} in ${lang}`);
        }
      }
    }
  });

  it('marks the examples red with the runtime message: key sequences, touch points, setting names, numbers, hosts', () => {
    const d735 = resolveProfile({ model: 'D735', firmware: '10.1.54.13' });
    const s870 = resolveProfile({ model: 'snom870', firmware: '8.7.5.35' });
    const cases: Array<[string, string, string, Record<string, unknown>, string]> = [
      ['snom-key', 'keys', 'P1;NOSUCHKEY', { phone: 'd735' }, refusal(() => buildKeyCommand('P1;NOSUCHKEY', d735))],
      ['snom-key', 'keys', 'P1,abc', { phone: 'd735' }, refusal(() => buildKeyCommand('P1,abc', d735))],
      // a key this model lacks: E_UNSUPPORTED at run time, so refused here too
      ['snom-key', 'keys', 'P40', { phone: 'd735' }, refusal(() => buildKeyCommand('P40', d735))],
      // the editor took 51 touch events; the runtime takes at most 50
      [
        'snom-touch',
        'touch',
        Array(51).fill('10 10').join(' '),
        { phone: 's870' },
        refusal(() => buildTouch(Array(51).fill('10 10').join(' '), s870)),
      ],
      ['snom-touch', 'touch', '480 10', { phone: 's870' }, refusal(() => buildTouch('480 10', s870))],
      [
        'snom-settings',
        'names',
        'user_name1 constructor',
        { phone: 'd735', action: 'get' },
        refusal(() => validateSettingName('constructor')),
      ],
      [
        'snom-settings',
        'setName',
        'bad-name',
        { phone: 'd735', action: 'set' },
        refusal(() => validateSettingName('bad-name')),
      ],
      [
        'snom-dial',
        'number',
        '030 12x',
        { phone: 'd735', mode: 'dial' },
        refusal(() => buildDial('030 12x', undefined, d735)),
      ],
      ['snom-dial', 'identity', 'alice', { phone: 'd735', mode: 'dial' }, refusal(() => buildDial('0', 'alice', d735))],
      [
        'snom-command',
        'identity',
        '13',
        { phone: 'd735', command: 'logoffLine' },
        refusal(() => buildRemoteCommand('logoffLine', { identity: '13' }, d735)),
      ],
      [
        'snom-command',
        'command',
        'factoryReset',
        { phone: 'd735', confirmReset: false },
        refusal(() => buildRemoteCommand('factoryReset', {}, d735)),
      ],
      [
        'snom-csta',
        'callId',
        '12a',
        { phone: 'd735', operation: 'HoldCall' },
        refusal(() => checkCallId('callId', '12a')),
      ],
      ['snom-xml-push', 'document', 'Hello', { phone: 'd735' }, refusal(() => validateMinibrowserXml('Hello'))],
      [
        'snom-phone',
        'host',
        'phone one',
        { protocol: 'http' },
        refusal(() => phoneOrigin('phone one', undefined, 'http')),
      ],
      ['snom-phone', 'port', '70000', { host: '10.0.0.5' }, refusal(() => phoneOrigin('10.0.0.5', 70000))],
      ['snom-phone', 'fleet', '10.1.0.0/33', {}, Fleet.parse('10.1.0.0/33').error!.message],
      ['snom-action-url-in', 'path', '/snom/events?x', {}, refusal(() => normalizePath('/snom/events?x'))],
      ['snom-action-url-in', 'allowlist', '192.168.1.0/33', {}, refusal(() => parseAllowlist('192.168.1.0/33'))],
      [
        'snom-action-url-in',
        'variables',
        '$sip_header(Via)',
        {},
        refusal(() => parseExtraVariables('$sip_header(Via)')),
      ],
    ];
    for (const [type, field, value, node, message] of cases) {
      assert.equal(
        ed.validate(type, field, value, node),
        message,
        `${type}.${field} = ${JSON.stringify(value).slice(0, 40)}`,
      );
    }
  });

  it('takes what the runtime takes, and an empty field (the message decides)', () => {
    const cases: Array<[string, string, string, Record<string, unknown>]> = [
      ['snom-key', 'keys', 'P1;ENTER,,100;1,100,100', { phone: 'd735' }],
      ['snom-key', 'keys', '', { phone: 'd735' }],
      ['snom-touch', 'touch', Array(50).fill('479 271').join(' ') + ' pr', { phone: 's870' }],
      ['snom-settings', 'names', 'user_name1, language', { phone: 'd735', action: 'get' }],
      ['snom-dial', 'number', '+49 (0)30 123-45', { phone: 'd735', mode: 'dial' }],
      ['snom-dial', 'number', '12A#', { phone: 'd735', mode: 'dtmf' }],
      ['snom-command', 'command', 'factoryReset', { phone: 'd735', confirmReset: true }],
      ['snom-csta', 'callId', '-18', { phone: 'd735', operation: 'HoldCall' }],
      // a field the chosen operation does not read is not checked
      ['snom-csta', 'callId', 'x', { phone: 'd735', operation: 'MakeCall' }],
      ['snom-phone', 'host', 'http://[fe80::1]:8080/', {}],
      ['snom-phone', 'fleet', '# desks\n10.1.0.0/24, phone2.lan:8080', {}],
      ['snom-action-url-in', 'allowlist', '192.168.1.0/24 ::ffff:10.0.0.1', {}],
      ['snom-action-url-in', 'variables', '$sip_header(X-Ticket), user_uid[1] activeUser', {}],
    ];
    for (const [type, field, value, node] of cases)
      assert.equal(ed.validate(type, field, value, node), true, `${type}.${field} = ${value.slice(0, 40)}`);
  });

  it("follows the phone config's model as the runtime does: P40 fits any model on detect, not the D735", () => {
    assert.equal(ed.validate('snom-key', 'keys', 'P40', { phone: 'detect' }), true);
    assert.match(String(ed.validate('snom-key', 'keys', 'P40', { phone: 'd735' })), /the D735 has P1 to P32/);
    assert.match(String(ed.validate('snom-touch', 'touch', '10 10', { phone: 'd735' })), /snom870 only/);
  });

  it("words what the runtime only falls back on in the editor's language", () => {
    assert.equal(
      ed.validate('snom-phone', 'timeout', '0', {}),
      lookup(locale('en-US', 'snom-phone'), 'snom-phone.validation.timeout'),
    );
    const de = loadEditors('de');
    assert.equal(
      de.validate('snom-phone', 'queueSize', 'many', {}),
      lookup(locale('de', 'snom-phone'), 'snom-phone.validation.queueSize'),
    );
  });

  it("offers the library's lists and writes none of them again", () => {
    assert.deepEqual([...ed.rules.LISTS.models], KNOWN_MODELS);
    assert.deepEqual([...ed.rules.LISTS.remoteCommands], REMOTE_COMMANDS);
    assert.deepEqual([...ed.rules.LISTS.cstaOperations], CSTA_NODE_OPERATIONS);
    assert.deepEqual([...ed.rules.LISTS.forwardingTypes], FORWARDING_TYPES);
    assert.deepEqual([...ed.rules.LISTS.actionEvents], ACTION_EVENT_NAMES);
    assert.deepEqual(
      [...(ed.definitions.get('snom-action-url-in')!.defaults.events.value as string[])],
      ACTION_EVENT_NAMES,
      'a new node reports every event',
    );
    for (const type of TYPES) {
      const { scripts, srcs } = htmlParts(type);
      assert.deepEqual(
        srcs,
        ['snom-rules.js', 'snom-editor.js'].map((f) => `resources/@snom-flows/node-red-contrib-snom/${f}`),
        type,
      );
      for (const s of scripts) {
        // a list of four or more names in an editor is a copy of something the runtime knows
        assert.doesNotMatch(s, /\[\s*'[^']*'(?:\s*,\s*'[^']*'){3,}/, `${type} holds a list literal`);
        for (const name of [
          'D785',
          "releaseAllCalls', 'logoffAll",
          'forwardImmediate',
          "MakeCall', 'AnswerCall",
          'blindTransfer',
          'sip_header(',
        ])
          assert.ok(!s.includes(name), `${type} copies ${name}`);
      }
    }
  });

  it('offers a typedInput (str, msg, flow, global, env…) on every field the runtime reads from elsewhere', () => {
    const typed = ed.rules.TYPED_FIELDS as Record<string, Record<string, string[]>>;
    assert.deepEqual(JSON.parse(JSON.stringify(typed)), TYPED_FIELDS);
    for (const [type, fields] of Object.entries(typed)) {
      const def = ed.definitions.get(type)!;
      const html = ed.templates.get(type)!;
      for (const [field, sources] of Object.entries(fields)) {
        assert.deepEqual([...sources.slice(0, 1)], ['str'], `${type}.${field}: the form's text first`);
        assert.ok(sources.includes('msg') && sources.includes('env'), `${type}.${field}`);
        // 'str' by default: a flow saved before <field>Type existed reads as it always did
        assert.equal(def.defaults[`${field}Type`]?.value, 'str', `${type}.${field}Type`);
        assert.match(html, new RegExp(`<input type="hidden" id="node-input-${field}Type">`), `${type}.${field}Type`);
        assert.match(html, new RegExp(`id="node-input-${field}(?:-source)?"`), `${type}.${field}`);
        assert.ok(def.defaults[field].validate, `${type}.${field} has a validator`);
      }
    }
  });

  it("checks a typed field with the runtime's rules only while it is the form's text", () => {
    const message = refusal(() =>
      buildKeyCommand('P1;NOSUCHKEY', resolveProfile({ model: 'D735', firmware: '10.1.54.13' })),
    );
    // an old node (no keysType) and 'str' are the text itself
    assert.equal(ed.validate('snom-key', 'keys', 'P1;NOSUCHKEY', { phone: 'd735' }), message);
    assert.equal(ed.validate('snom-key', 'keys', 'P1;NOSUCHKEY', { phone: 'd735', keysType: 'str' }), message);
    // from msg / flow / env the text names where the keys are: the runtime checks them when they come
    for (const keysType of ['msg', 'flow', 'global', 'env'])
      assert.equal(ed.validate('snom-key', 'keys', 'press.these', { phone: 'd735', keysType }), true, keysType);
    assert.equal(ed.validate('snom-settings', 'setValue', 'anything', { phone: 'd735', action: 'set' }), true);
  });

  it('labels say what the node will do, with where a typed value comes from, in both languages', () => {
    const label = (e: EditorVm, type: string, node: Record<string, unknown>) => {
      const RED = e.context.RED as { _: (k: string, s?: object) => string };
      return (e.definitions.get(type)!.label as (this: object) => string).call({ ...node, _: RED._ });
    };
    const de = loadEditors('de');
    assert.equal(label(ed, 'snom-key', { keys: 'P1;ENTER' }), 'press P1;ENTER');
    assert.equal(label(de, 'snom-key', { keys: 'P1;ENTER' }), 'P1;ENTER drücken');
    assert.equal(label(ed, 'snom-key', { keys: 'keys', keysType: 'msg' }), 'press msg.keys');
    assert.equal(label(ed, 'snom-key', { keys: 'DOOR_KEYS', keysType: 'env' }), 'press env DOOR_KEYS');
    assert.equal(label(ed, 'snom-dial', { mode: 'dial', number: '123' }), 'dial 123');
    assert.equal(
      label(ed, 'snom-dial', { mode: 'dial', number: 'callback', numberType: 'global' }),
      'dial global.callback',
    );
    assert.equal(label(ed, 'snom-settings', { action: 'set', setName: 'language' }), 'set language');
    assert.equal(label(ed, 'snom-xml-push', { document: 'screen', documentType: 'msg' }), 'show msg.screen');
    assert.equal(label(ed, 'snom-key', { keys: 'P1', name: 'Door' }), 'Door', 'the name wins');
    assert.equal(label(ed, 'snom-csta-events', { device: 'sip:100@pbx' }), 'CSTA events sip:100@pbx');
    assert.equal(label(de, 'snom-csta-events', { device: 'sip:100@pbx' }), 'CSTA-Ereignisse sip:100@pbx');
  });

  it("fits every command in snom-command's select (Node-RED cut off the firewall test's long name)", () => {
    assert.match(ed.templates.get('snom-command')!, /<select id="node-input-command" style="width: 70%;">/);
    for (const lang of ['en-US', 'de']) {
      const commands = lookup(locale(lang, 'snom-command'), 'snom-command.commands') as Record<string, string>;
      for (const c of [...REMOTE_COMMANDS, 'msg'])
        // about what 70% of the default dialog shows at the editor's font size
        assert.ok(commands[c].length <= 34, `${lang}: ${c} "${commands[c]}" (${commands[c].length} characters)`);
    }
  });

  it("puts snom-action-url-in's labels at the top of their lists, not beside the last entry", () => {
    const html = ed.templates.get('snom-action-url-in')!;
    for (const list of ['snom-aurl-phones', 'snom-aurl-preview'])
      assert.match(
        html,
        new RegExp(`<label style="vertical-align: top">[^]*?</label>\\s*<(?:div|textarea) id="${list}"[^>]*`),
        list,
      );
    assert.match(html, /<div id="snom-aurl-phones" style="[^"]*vertical-align: top/);
  });

  it('shows the URLs the phones will call, one per chosen event, exactly as provisioning writes them', () => {
    const base = endpointBase('http://10.0.0.5:1880/', '/api/');
    assert.equal(ed.rules.endpointPreview('http://10.0.0.5:1880/', '/api/'), base);
    const events = ['incoming', 'connected', 'dndOn'];
    const lines = ed.rules.actionUrlsPreview(base, '/snom/events', 'TOKEN', '$sip_header(X-Ticket)', events);
    const written = settingsForProvisioning(events, {
      baseUrl: base,
      path: '/snom/events',
      token: 'TOKEN',
      extraVariables: parseExtraVariables('$sip_header(X-Ticket)'),
    });
    assert.deepEqual(
      Object.fromEntries(lines.map((l: { setting: string; url: string }) => [l.setting, l.url])) as object,
      written,
    );
    assert.deepEqual([...lines.map((l: { event: string }) => l.event)], events);
    assert.equal(ed.rules.actionUrlsPreview(base, 'no slash?', 'TOKEN', '', events), undefined, 'a bad path');
  });

  it('keeps the shared editor code in one place: no node repeats category, colour or a validator', () => {
    for (const type of TYPES) {
      const html = fs.readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8');
      assert.doesNotMatch(html, /category:\s*'Snom'|color:|validate:|RED\.nodes\.registerType/, type);
    }
  });
});
