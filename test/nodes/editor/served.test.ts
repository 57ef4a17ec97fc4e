// What a real `node-red` process (the dev dependency, this package in its user directory) hands the
// editor: every node's template and help in English and German, inline scripts that parse, and
// the shared scripts from the package's resources/ folder at the URLs the .html files name.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { startNodeRed, type NodeRedProcess } from '../../support/node-red-process';
import { ROOT, TYPES } from './editor-vm';

describe('editor files served by a real node-red process', function () {
  this.timeout(60000);
  let red: NodeRedProcess;
  const html: Record<string, string> = {};
  before(async () => {
    red = await startNodeRed([{ id: 'tab', type: 'tab', label: 'editor' }], {});
    for (const lang of ['en-US', 'de']) {
      const res = await fetch(`${red.url}/nodes`, { headers: { accept: 'text/html', 'accept-language': lang } });
      assert.equal(res.status, 200);
      html[lang] = await res.text();
    }
  });
  after(async () => {
    await red?.stop();
  });

  /** Our part of GET /nodes: the node sets of this module. */
  function ours(text: string): string {
    return text
      .split(/(?=<!-- --- \[red-module:)/)
      .filter((c) => c.startsWith('<!-- --- [red-module:@snom-flows/node-red-contrib-snom/'))
      .join('\n');
  }

  it('sends every node type with its template and its help, in English and in German', () => {
    for (const type of TYPES) {
      for (const lang of ['en-US', 'de']) {
        const mine = ours(html[lang]);
        assert.ok(mine.includes(`data-template-name="${type}"`), `${type} template (${lang})`);
        assert.ok(mine.includes(`data-help-name="${type}"`), `${type} help (${lang})`);
        assert.doesNotMatch(mine, /\{\{/, `no unexpanded help section (${lang})`);
      }
    }
    // the shared sections reached both languages
    assert.match(ours(html['en-US']), /Errors reach Catch nodes/);
    assert.match(ours(html.de), /Fehler erreichen Catch-Nodes/);
  });

  it('every inline script parses, and every script it loads comes from the package, as built', async () => {
    const mine = ours(html['en-US']);
    const inline = [...mine.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    assert.ok(inline.length >= TYPES.length);
    inline.forEach((code, i) => assert.doesNotThrow(() => new vm.Script(code, { filename: `inline ${i + 1}` })));
    const srcs = new Set([...mine.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]));
    assert.deepEqual([...srcs].sort(), [
      'resources/@snom-flows/node-red-contrib-snom/snom-editor.js',
      'resources/@snom-flows/node-red-contrib-snom/snom-rules.js',
    ]);
    for (const src of srcs) {
      // the editor loads a relative src from its admin root
      const res = await fetch(`${red.url}/${src}`);
      assert.equal(res.status, 200, src);
      assert.match(String(res.headers.get('content-type')), /javascript/);
      const body = await res.text();
      assert.equal(
        body,
        fs.readFileSync(path.join(ROOT, 'resources', path.basename(src)), 'utf8'),
        `${src} is the package's file`,
      );
      assert.doesNotThrow(() => new vm.Script(body, { filename: src }));
    }
  });
});
