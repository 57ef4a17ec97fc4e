// WWW-Authenticate parsing (RFC 9110 §11.6.1) beyond the examples in digest.test.ts: parameter
// names are the server's text, and quoted strings round-trip whatever they hold.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseWwwAuthenticate } from '../../../src/lib/http/challenge';

const TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** RFC 9110 quoted-string: a backslash before '"' and '\' */
const quote = (v: string): string => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

describe('http/challenge: WWW-Authenticate parameters', () => {
  it('keeps parameters named like Object.prototype members as the server sent them', () => {
    const [c] = parseWwwAuthenticate(
      'Digest constructor="a", __proto__="b", toString=c, hasOwnProperty="d", realm="r", nonce="n"',
    );
    // names are case-insensitive: the parser lower-cases them
    assert.deepEqual(Object.keys(c.params), [
      'constructor',
      '__proto__',
      'tostring',
      'hasownproperty',
      'realm',
      'nonce',
    ]);
    assert.equal(c.params.constructor, 'a');
    assert.equal(c.params.__proto__, 'b');
    assert.equal(c.params.tostring, 'c');
    assert.equal(c.params.hasownproperty, 'd');
    assert.equal(c.params.realm, 'r');
    assert.equal(c.params.nonce, 'n');
  });

  it('gives no inherited value for a parameter the server did not send', () => {
    const [c] = parseWwwAuthenticate('Digest realm="r", nonce="n"');
    assert.equal(c.params.constructor, undefined);
    assert.equal(c.params.valueOf, undefined);
  });

  it('ends an unterminated quoted string at the end of the header, a lone trailing backslash kept', () => {
    assert.equal(parseWwwAuthenticate('Digest realm="ab\\"c')[0].params.realm, 'ab"c');
    assert.equal(parseWwwAuthenticate('Digest realm="ab\\')[0].params.realm, 'ab\\');
  });

  it('round-trips any parameters, quoted or as tokens, in any spacing (property)', () => {
    const name = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
    const value = fc.string({ maxLength: 24 });
    const space = fc.constantFrom('', ' ', '  ', '\t', ' \t ');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, value, space, fc.boolean()), {
          minLength: 1,
          maxLength: 8,
          selector: ([n]) => n.toLowerCase(),
        }),
        (params) => {
          const header =
            'Digest ' +
            params
              .map(([n, v, sp, asToken]) => {
                // a value that is a token may go unquoted; anything else must be quoted
                const tokenOk = asToken && v.length > 0 && [...v].every((ch) => TCHARS.includes(ch));
                return `${n}${sp}=${sp}${tokenOk ? v : quote(v)}`;
              })
              .join(`,${params[0][2]}`);
          const list = parseWwwAuthenticate(header);
          assert.equal(list.length, 1, header);
          assert.equal(list[0].scheme, 'Digest');
          const want = Object.fromEntries(params.map(([n, v]) => [n.toLowerCase(), v]));
          assert.deepEqual({ ...list[0].params }, want, header);
        },
      ),
      { seed: 9110, numRuns: 600 },
    );
  });
});
