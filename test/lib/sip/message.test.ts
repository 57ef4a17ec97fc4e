/** Parser, framer and syntax checks, against Snom's published examples (docs/protocol.md §10.3, §10.5) written out literally. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FramingError, StreamFramer } from '../../../src/lib/sip/framing';
import {
  parseCSeq,
  parseMessage,
  parseNameAddr,
  parseVia,
  splitHeaderList,
  tagOf,
  topVia,
} from '../../../src/lib/sip/message';
import { checkHeaderValue, checkHost, checkSipUri, parseSipUri } from '../../../src/lib/sip/syntax';
import { BUTTONS_EXAMPLE, NOTIFY_EXAMPLE, NOTIFY_EXAMPLE_BODY } from '../../support/sip-examples';

describe('lib/sip message: parsing', () => {
  it('§10.7 vector: request line, headers and (Content-Length-bounded) body', () => {
    // The vector's Content-Length (186) is larger than its body (167 bytes): such a datagram is truncated and dropped.
    assert.equal(Buffer.byteLength(NOTIFY_EXAMPLE_BODY), 167);
    assert.equal(parseMessage(Buffer.from(NOTIFY_EXAMPLE)), undefined);
    const fixed = NOTIFY_EXAMPLE.replace('Content-Length: 186', 'Content-Length: 167');
    const m = parseMessage(Buffer.from(fixed));
    assert.ok(m && m.kind === 'request');
    assert.equal(m.method, 'NOTIFY');
    assert.equal(m.uri, 'sip:500@192.168.88.8');
    assert.equal(m.headers.get('content-type'), 'application/snomxml');
    assert.equal(m.headers.get('Call-ID'), '1234@192.168.91.254');
    assert.deepEqual(parseCSeq(m.headers.get('cseq')), { seq: 10, method: 'NOTIFY' });
    const via = topVia(m.headers)!;
    assert.equal(via.transport, 'UDP');
    assert.equal(via.host, '192.168.88.8');
    assert.equal(via.port, 5060);
    assert.equal(via.params.get('branch'), 'z9hG4bK001b84f6');
    assert.ok(via.params.has('rport'));
    assert.equal(parseNameAddr(m.headers.get('contact')!)?.uri, 'sip:500@sender:7089');
    assert.equal(m.body, NOTIFY_EXAMPLE_BODY);
  });

  it('§10.8 vector: x-buttons MESSAGE (its Content-Length 10 exceeds the 9-byte body: dropped as printed)', () => {
    // 'k=6\r\nc=on' is 9 bytes, fewer than the 10 announced: a truncated datagram (RFC 3261 §18.3).
    assert.equal(parseMessage(Buffer.from(BUTTONS_EXAMPLE)), undefined);
    const m = parseMessage(Buffer.from(BUTTONS_EXAMPLE.replace('Content-Length: 10', 'Content-Length: 9')));
    assert.ok(m && m.kind === 'request');
    assert.equal(m.method, 'MESSAGE');
    assert.equal(m.uri, 'sip:101@192.168.1.50;transport=udp');
    assert.equal(m.headers.get('subject'), 'buttons');
    assert.equal(m.headers.get('content-type'), 'application/x-buttons');
    assert.equal(m.body, 'k=6\r\nc=on');
    // Bytes beyond Content-Length are padding and are cut.
    const padded = parseMessage(Buffer.from(`${BUTTONS_EXAMPLE.replace('Content-Length: 10', 'Content-Length: 3')}`));
    assert.equal(padded?.body, 'k=6');
  });

  it('compact names, folded lines, LF-only line ends, repeated and comma-joined Via', () => {
    const raw =
      'SIP/2.0 180 Ringing\n' +
      'v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa, SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKb\n' +
      'Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bKc\n' +
      'f: "A, B" <sip:a@b>;tag=1\n' +
      't: <sip:c@d>\n' +
      ' ;tag=2\n' +
      'i: x@y\n' +
      'CSeq: 7 INVITE\n' +
      'l: 0\n\n';
    const m = parseMessage(Buffer.from(raw));
    assert.ok(m && m.kind === 'response');
    assert.equal(m.status, 180);
    assert.equal(m.reason, 'Ringing');
    assert.equal(tagOf(m.headers.get('to')), '2');
    assert.equal(tagOf(m.headers.get('from')), '1');
    assert.equal(parseNameAddr(m.headers.get('from')!)?.display, 'A, B');
    const vias = m.headers.getAll('via').flatMap(splitHeaderList);
    assert.equal(vias.length, 3);
    assert.equal(parseVia(vias[1])?.host, '2001:db8::1');
    assert.equal(parseVia(vias[1])?.port, 5070);
    assert.equal(m.headers.get('call-id'), 'x@y');
  });

  it('rejects what is not SIP', () => {
    for (const raw of [
      'HTTP/1.1 200 OK\r\n\r\n',
      'NOTIFY sip:a@b SIP/3.0\r\n\r\n',
      'SIP/2.0 99 Low\r\n\r\n',
      'NOTIFY sip:a@b SIP/2.0\r\nBad Header\r\n\r\n',
      '',
    ]) {
      assert.equal(parseMessage(Buffer.from(raw)), undefined, raw);
    }
    assert.equal(parseCSeq('1x INVITE'), undefined);
    assert.equal(parseCSeq('99999999999 INVITE'), undefined);
  });
});

describe('lib/sip framing (TCP)', () => {
  const a = 'SIP/2.0 200 OK\r\nCSeq: 1 NOTIFY\r\nContent-Length: 5\r\n\r\nhello';
  const b = 'INFO sip:x@y SIP/2.0\r\nl: 3\r\n\r\nabc';
  const c = 'SIP/2.0 100 Trying\r\nCSeq: 2 INFO\r\n\r\n';

  it('splits coalesced messages and skips CRLF keep-alives', () => {
    const f = new StreamFramer(65535);
    const out = f.push(Buffer.from(`\r\n\r\n${a}${b}\r\n${c}`));
    assert.deepEqual(
      out.map((x) => x.toString()),
      [a, b, c],
    );
    assert.equal(f.pending, 0);
  });

  it('any chunking of a stream yields the same messages (property)', () => {
    const stream = Buffer.from(a + b + c + a);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((x, y) => x - y);
        const f = new StreamFramer(65535);
        const out: string[] = [];
        let prev = 0;
        for (const p of [...points, stream.length]) {
          out.push(...f.push(stream.subarray(prev, p)).map((x) => x.toString()));
          prev = p;
        }
        assert.deepEqual(out, [a, b, c, a]);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('a bad or oversized Content-Length breaks the stream', () => {
    assert.throws(
      () => new StreamFramer(65535).push(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n')),
      FramingError,
    );
    assert.throws(
      () => new StreamFramer(100).push(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 500\r\n\r\n')),
      FramingError,
    );
    assert.throws(() => new StreamFramer(100).push(Buffer.alloc(200, 0x41)), FramingError);
  });
});

describe('lib/sip syntax', () => {
  it('SIP URIs: accepted, normalised, refused', () => {
    assert.equal(
      checkSipUri('u', 'sip:101@192.168.1.50:5060;transport=udp'),
      'sip:101@192.168.1.50:5060;transport=udp',
    );
    assert.equal(checkSipUri('u', 'SIP:phone.example.com'), 'sip:phone.example.com');
    assert.deepEqual(parseSipUri('sip:a@[2001:db8::1]:5070'), {
      scheme: 'sip',
      user: 'a',
      host: '2001:db8::1',
      port: 5070,
      params: '',
    });
    for (const bad of [
      'http://x',
      'sip:',
      'sip:a@',
      'sip:a b@c',
      'sip:a@b\r\nX: y',
      'sip:a@b:99999',
      'sip:a@b?x=y',
      '<sip:a@b>',
      'sips:a@b',
    ]) {
      assert.throws(() => checkSipUri('u', bad), { code: 'E_INPUT' }, bad);
    }
  });

  it('header values refuse CR, LF, NUL and controls; hosts are names or IPs', () => {
    for (const bad of ['a\r\nb', 'a\nb', 'a\rb', 'a\0b', 'a\x1bb'])
      assert.throws(() => checkHeaderValue('f', bad), { code: 'E_INPUT' });
    assert.equal(checkHeaderValue('f', 'ok\tvalue'), 'ok\tvalue');
    assert.equal(checkHost('h', '[::1]'), '::1');
    assert.equal(checkHost('h', 'phone-1.lan'), 'phone-1.lan');
    for (const bad of ['', 'a b', 'a\r\n', '-x.lan', 'x..y'])
      assert.throws(() => checkHost('h', bad), { code: 'E_INPUT' }, bad);
  });
});
