import assert from 'node:assert/strict';
import { MAX_QUOTE, briefLine, inputError, quoteInput, unsupportedError } from '../../src/lib/errors';

describe('errors quote input briefly', () => {
  it('quoteInput: strings in quotes, one line, at most ~200 characters', () => {
    assert.equal(quoteInput('ENTER'), '"ENTER"');
    assert.equal(quoteInput('a\r\nb'), '"a\\r\\nb"');
    assert.equal(quoteInput('x\uD800'), '"x\\ud800"');
    const long = quoteInput('A'.repeat(1024 * 1024));
    assert.ok(long.length <= MAX_QUOTE + 2, `${long.length}`);
    assert.ok(long.startsWith('"AAA') && long.endsWith('…"'), long.slice(-5));
    // a cut never leaves half a surrogate pair
    for (let n = 99; n <= 102; n++) {
      const q = quoteInput(`${'a'.repeat(n)}${'😀'.repeat(100)}`);
      assert.ok(!/\\ud[89ab]/.test(q), `no escaped half pair in ${q.slice(-8)}`);
    }
  });
  it('quoteInput: other values briefly, and never throws', () => {
    assert.deepEqual(
      [Number.NaN, -Infinity, 1e21, 10n, true, null, undefined, [1, 2, 3], {}, Symbol('s'), () => 1].map((v) =>
        quoteInput(v),
      ),
      [
        'NaN',
        '-Infinity',
        '1e+21',
        '10n',
        'true',
        'null',
        'undefined',
        'an array of 3',
        'an object',
        'Symbol(s)',
        'a function',
      ],
    );
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    assert.equal(quoteInput(hostile), 'an object');
    assert.ok(quoteInput(BigInt('9'.repeat(5000))).length <= MAX_QUOTE);
  });
  it('input and unsupported errors cut their message and string details, whatever a caller passed', () => {
    const huge = 'x'.repeat(1024 * 1024);
    for (const e of [inputError(huge, { key: huge, position: 3 }), unsupportedError(huge, { key: huge })]) {
      assert.ok(e.message.length <= 1000);
      assert.ok(String(e.details.key).length <= MAX_QUOTE);
      assert.ok(JSON.stringify(e.toJSON()).length < 1500);
    }
    assert.equal(inputError('short', { position: 3 }).details.position, 3);
  });
});

describe('errors: one-line excerpts (briefLine), the one cut every body and input excerpt uses', () => {
  it('folds white space onto one line and keeps short text whole', () => {
    assert.equal(briefLine('  <html>\n\t<body>Not\r\nfound</body>  '), '<html> <body>Not found</body>');
  });

  it('cuts at the limit with … and never leaves half a surrogate pair', () => {
    const cut = briefLine('x'.repeat(1_000_000), 200);
    assert.equal(cut.length, 200);
    assert.ok(cut.endsWith('…'));
    const emoji = briefLine('a' + '😀'.repeat(10), 5);
    assert.ok(emoji.length <= 5, emoji);
    assert.ok(!/[\uD800-\uDBFF]…$/.test(emoji), `half a pair before the cut: ${JSON.stringify(emoji)}`);
  });
});
