import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { endpointStatus, endpointStatusParts, type EndpointCounts } from '../../src/lib/action-url';
import { SnomError } from '../../src/lib/errors';
import { monitorStatusText, monitorStatusView, type MonitorStatus } from '../../src/lib/sip';
import { REFUSAL_KEYS } from '../../src/lib/csta/build';
import { REASONS } from '../../src/lib/http/errors';
import { FLEET_REASON_KEYS } from '../../src/lib/fleet';
import { TRANSPORT_FAILURE_KEYS } from '../../src/lib/sip/transport';
import { DIAGNOSE_WORD_KEYS } from '../../src/lib/diagnose';
import { flatten, LANGS, paramsOf, render, runtimePart } from '../support/catalog';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The string literals in a call's first argument (`t(a ? 'x' : 'y', …)` gives x and y). */
function literalKeys(text: string, call: RegExp): string[] {
  const keys: string[] = [];
  for (const m of text.matchAll(call)) {
    const arg = m[1];
    // a literal before `?` is a condition's, not a key
    for (const l of arg.matchAll(/'([A-Za-z0-9.]+)'(?!\s*\?)/g)) keys.push(l[1]);
  }
  return keys;
}

const COUNTS: EndpointCounts = { path: '/p', duplicate: false, received: 0, refused: 0, dropped: 0 };
const ENDPOINTS: EndpointCounts[] = [
  COUNTS,
  { ...COUNTS, problem: 'x' },
  { ...COUNTS, duplicate: true },
  { ...COUNTS, received: 1, refused: 1, dropped: 1 },
  { ...COUNTS, received: 2, refused: 3, dropped: 2 },
];
const MONITORS: MonitorStatus[] = [
  { state: 'connecting', restarts: 0 },
  { state: 'monitoring', restarts: 0 },
  { state: 'monitoring', restarts: 2 },
  { state: 'lost', restarts: 0, error: new SnomError('E_TIMEOUT', 'x') },
  { state: 'failed', restarts: 0 },
  { state: 'stopped', restarts: 0 },
] as MonitorStatus[];
const DEVICE = 'sip:455455@ser.intern.snom.de;with-a-long-tail';

/** Every runtime key the code uses, as "runtime.<key>" would name it. */
function keysInCode(): Set<string> {
  const keys = new Set<string>();
  for (const file of sources(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const k of literalKeys(text, /\.withText\(\s*([^,)]+)/g)) keys.add(`errors.${k}`);
    for (const k of literalKeys(text, /\bt\(\s*([^,)]+)/g)) keys.add(k);
    if (file.endsWith(path.join('http', 'errors.ts')))
      for (const k of literalKeys(text, /\btext\(\s*([^,)]+)/g)) keys.add(`errors.http.${k}`);
    if (file.endsWith(path.join('commands', 'keys.ts')))
      for (const m of text.matchAll(/say: '(\w+)'/g)) keys.add(`errors.keys.${m[1]}`);
  }
  for (const k of Object.keys(REASONS)) keys.add(`errors.http.${k}`);
  for (const k of Object.values(REFUSAL_KEYS)) keys.add(`errors.csta.${k}`);
  for (const k of FLEET_REASON_KEYS) keys.add(`errors.fleet.${k}`);
  for (const k of TRANSPORT_FAILURE_KEYS) keys.add(`errors.sip.${k}`);
  for (const k of DIAGNOSE_WORD_KEYS) keys.add(`errors.diagnose.${k}`);
  for (const c of ENDPOINTS) for (const p of endpointStatusParts(c)) keys.add(`status.${p.key}`);
  for (const s of MONITORS) keys.add(`status.${monitorStatusText(s, DEVICE).key}`);
  return keys;
}

describe('package: the runtime catalogs (nodes/locales/*/snom-phone.json "runtime")', () => {
  const catalogs = LANGS.map((l) => [l, flatten(runtimePart(l))] as const);

  it('every key the code uses is in en-US and de', () => {
    const used = keysInCode();
    assert.ok(used.size > 100, `found ${used.size} keys`);
    for (const [lang, cat] of catalogs) {
      const missing = [...used].filter((k) => !cat.has(k));
      assert.deepEqual(missing, [], `missing in ${lang}`);
    }
  });

  it('en-US and de have the same keys, each with the same parameters', () => {
    const [[, en], [, de]] = catalogs;
    assert.deepEqual([...de.keys()].sort(), [...en.keys()].sort());
    for (const [k, text] of en) assert.deepEqual(paramsOf(de.get(k)!), paramsOf(text), k);
  });

  it("the English catalog gives the library's own status texts (endpoint, uaCSTA monitor)", () => {
    const [[, en]] = catalogs;
    for (const c of ENDPOINTS) {
      const text = endpointStatusParts(c)
        .map((p) => render(en.get(`status.${p.key}`)!, p.params))
        .join(', ');
      assert.equal(text, endpointStatus(c).text);
    }
    for (const s of MONITORS) {
      const said = monitorStatusText(s, DEVICE);
      assert.equal(render(en.get(`status.${said.key}`)!, said.params), monitorStatusView(s, DEVICE).text);
    }
  });

  it('no catalog key goes unused; the fields named in words are fields the code names', () => {
    const used = keysInCode();
    const [[, en]] = catalogs;
    assert.deepEqual(
      [...en.keys()].filter((k) => !k.startsWith('fields.') && !used.has(k)),
      [],
    );
    const code = sources(SRC)
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    for (const k of en.keys())
      if (k.startsWith('fields.')) assert.ok(code.includes(`'${k.slice('fields.'.length)}'`), k);
  });
});
