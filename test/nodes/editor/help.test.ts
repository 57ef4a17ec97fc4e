// The help Node-RED loads (nodes/locales/<lang>/<type>.html) is built from nodes/help/: the sections
// every node shares are written once per language and expanded into each node's help.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './editor-vm';
import { TYPED_FIELDS } from '../../../src/nodes/shared/typed-props';

const help = require(path.join(ROOT, 'scripts', 'build-help.js')) as {
  build(): string[];
  expand(source: string, sections: Map<string, string>, where: string): string;
};

const HELP = path.join(ROOT, 'nodes', 'help');
const LANGS = ['en-US', 'de'];
const sources = (lang: string) =>
  fs.readdirSync(path.join(HELP, lang)).filter((f) => f.endsWith('.html') && !f.startsWith('_'));

describe('help: shared sections written once per language, expanded by the build', () => {
  it('expands sections with their values and defaults, keeps a conditional line only with a value, and refuses what it cannot expand', () => {
    const sections = new Map([
      ['list', '<ul>\n    <li>{{a|first}}</li>\n    {{?b}}<li>{{b}}</li>\n</ul>'],
      ['outer', '<div>\n    {{> list}}\n</div>'],
    ]);
    assert.equal(help.expand('  {{> list}}\n', sections, 't'), '  <ul>\n      <li>first</li>\n  </ul>\n');
    assert.equal(
      help.expand('{{> list a="one" b="two <code>x</code>"}}', sections, 't'),
      '<ul>\n    <li>one</li>\n    <li>two <code>x</code></li>\n</ul>',
    );
    assert.equal(
      help.expand('{{> outer b="2"}}', sections, 't'),
      '<div>\n    <ul>\n        <li>first</li>\n        <li>2</li>\n    </ul>\n</div>',
    );
    assert.throws(() => help.expand('{{> nope}}', sections, 't'), /no section "nope"/);
    assert.throws(() => help.expand('{{> list a=one}}', sections, 't'), /key="value"/);
    assert.throws(() => help.expand('{{stray}}', sections, 't'), /was not expanded/);
  });

  it('what Node-RED loads is what the sources say, for every node help in both languages', () => {
    const before = new Map(
      LANGS.flatMap((l) =>
        sources(l).map(
          (f) =>
            [
              path.join(ROOT, 'nodes', 'locales', l, f),
              fs.readFileSync(path.join(ROOT, 'nodes', 'locales', l, f), 'utf8'),
            ] as const,
        ),
      ),
    );
    const written = help.build();
    assert.deepEqual(written.sort(), [...before.keys()].sort());
    for (const [file, text] of before) assert.equal(fs.readFileSync(file, 'utf8'), text, `${file} is up to date`);
    for (const lang of LANGS)
      assert.deepEqual(sources(lang).sort(), sources('en-US').sort(), `${lang} has a help for every node`);
  });

  it('every command node lists every error code in both languages; the shared wording stands only in the sections files', () => {
    const shared = {
      'en-US': [
        'Errors reach Catch nodes',
        'in parallel across phones',
        'timeout for this message in milliseconds',
        'the HTTP status and how long it took',
      ],
      de: [
        'Fehler erreichen Catch-Nodes',
        'parallel über die Telefone hinweg',
        'Timeout für diese Nachricht in Millisekunden',
        'der HTTP-Status und die Dauer',
      ],
    };
    for (const lang of LANGS) {
      // the SIP nodes have no msg.target, no HTTP status and its own E_SIP: their help lists its codes itself
      const own = ['snom-phone.html', 'snom-action-url-in.html', 'snom-sip-notify.html', 'snom-csta-events.html'];
      for (const f of sources(lang).filter((n) => !own.includes(n))) {
        const built = fs.readFileSync(path.join(ROOT, 'nodes', 'locales', lang, f), 'utf8');
        for (const code of ['E_INPUT', 'E_UNSUPPORTED', 'E_AUTH', 'E_TIMEOUT', 'E_UNREACHABLE', 'E_HTTP', 'E_BUSY']) {
          assert.match(built, new RegExp(`<li><code>${code}</code> `), `${lang}/${f}: ${code}`);
        }
        const source = fs.readFileSync(path.join(HELP, lang, f), 'utf8');
        for (const text of shared[lang as 'de']) {
          assert.ok(built.includes(text), `${lang}/${f} says "${text}"`);
          assert.ok(!source.includes(text), `${lang}/${f}'s source writes "${text}" again`);
        }
      }
    }
  });
  const NO_INPUT = new Set(['snom-csta-events']);
  it("reads like Node-RED's own help: a summary, Inputs, Outputs, Details and References with Snom's wiki and the project's docs", () => {
    const headings = {
      'en-US': ['Inputs', 'Outputs', 'Details', 'References'],
      de: ['Eingaben', 'Ausgaben', 'Details', 'Referenzen'],
    };
    const typedHeading = { 'en-US': 'Values from elsewhere', de: 'Werte von anderswo' };
    for (const lang of LANGS) {
      // the phone config's help belongs to its own dialog's work (Properties instead of Inputs)
      for (const f of sources(lang).filter((n) => n !== 'snom-phone.html')) {
        const built = fs.readFileSync(path.join(ROOT, 'nodes', 'locales', lang, f), 'utf8');
        const body = built.replace(/^<!--.*-->\n/, '');
        assert.match(
          body,
          /^<script type="text\/html" data-help-name="[\w-]+">\s*<p>/,
          `${lang}/${f}: a summary first`,
        );
        const h3 = [...body.matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
        // an input node (no input port, as Node-RED's own inject or http in) has no Inputs section
        const expected = NO_INPUT.has(f.replace(/\.html$/, ''))
          ? headings[lang as 'de'].slice(1)
          : headings[lang as 'de'];
        assert.deepEqual(h3, expected, `${lang}/${f}`);
        const refs = body.slice(body.lastIndexOf('<h3>'));
        assert.match(refs, /href=['"]https?:\/\/(?:service\.snom\.com|wiki\.snom\.com)\//, `${lang}/${f}: Snom's wiki`);
        assert.match(refs, /docs\/protocol\.md/, `${lang}/${f}: the project's docs`);
        const type = f.replace(/\.html$/, '');
        assert.equal(
          body.includes(`<h4>${typedHeading[lang as 'de']}</h4>`),
          Object.hasOwn(TYPED_FIELDS, type),
          `${lang}/${f}: says which fields may come from msg, flow, global or env`,
        );
      }
    }
  });
});
