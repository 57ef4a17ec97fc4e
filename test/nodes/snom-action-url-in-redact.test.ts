// The action-URL token never leaves the action-url code: not in provisioning errors, the editor's
// answer, the report on output 2 or Catch's msg.error, even when a phone's error page echoes the
// request (issue 7 §1 "Redaction").
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { REDACTED, REDACTED_URL, redactError, redactToken, tokenForms } from '../../src/lib/action-url';
import { SnomError } from '../../src/lib/errors';
import { catchNode, collect, helper, nodeModule } from '../support/red';

describe('token redaction', () => {
  const token = 'r3d-T0k/en+with&odd=chars';
  const once = encodeURIComponent(token);
  const twice = encodeURIComponent(once);

  it('knows the forms a request carries the token in', () => {
    assert.deepEqual(tokenForms(token), [
      'r3d-T0k%252Fen%252Bwith%2526odd%253Dchars', // twice percent-encoded: a URL inside a query
      'r3d-T0k%2Fen%2Bwith%26odd%3Dchars',
      'r3d-T0k/en+with&amp;odd=chars', // XML-escaped: CSTA SetSettings
      'r3d-T0k/en+with&odd=chars',
    ]);
    assert.deepEqual(tokenForms(''), []);
  });

  it('blanks every URL that carries the token, in any encoding, and the bare token', () => {
    const url = `http://10.0.0.5:1880/snom/events?t=${once}&e=incoming&remote=$remote`;
    const cases: Array<[string, string]> = [
      [`failed: ${url} (500)`, `failed: ${REDACTED_URL} (500)`],
      // dummy.htm: the URL is the value of a query parameter, so encoded once more
      [
        `GET /dummy.htm?settings=save&action_incoming_url=${encodeURIComponent(url)} said no`,
        `GET /dummy.htm?settings=save&action_incoming_url=${REDACTED_URL} said no`,
      ],
      [`echo ${encodeURIComponent(encodeURIComponent(url))}`, `echo ${REDACTED_URL}`],
      // CSTA SetSettings: XML-escaped inside an element
      [`<csta:value>${url.replace(/&/g, '&amp;')}</csta:value>`, `<csta:value>${REDACTED_URL}</csta:value>`],
      // an excerpt cut inside the token still carries our t= parameter
      [`HTTP 500: ${encodeURIComponent(url).slice(0, 60)}…`, `HTTP 500: ${REDACTED_URL}`],
      [`token was ${token}.`, `token was ${REDACTED}.`],
      [`form ${twice} here`, `form ${REDACTED} here`],
    ];
    for (const [input, expected] of cases) assert.equal(redactToken(input, token), expected, input.slice(0, 80));
  });

  it('blanks a short token only where it stands as the token, not as ordinary text', () => {
    assert.equal(redactToken('Phone snom reception: failed', 'snom'), 'Phone snom reception: failed');
    assert.equal(redactToken('GET /x?e=hold&t=snom&z=1', 'snom'), `GET /x?e=hold&t=${REDACTED}&z=1`);
    assert.equal(redactToken('see http://h/s?t=snom&e=hold', 'snom'), `see ${REDACTED_URL}`);
    assert.equal(redactToken('unrelated http://example.com/a?b=c', 'snom'), 'unrelated http://example.com/a?b=c');
  });

  it('gives a new error without the token in message, details or stack, keeping the code', () => {
    const original = new SnomError(
      'E_HTTP',
      `Phone p: settings set failed: HTTP 500: GET /dummy.htm?x=http%3A%2F%2Fh%3Ft%3D${twice}`,
      {
        status: 500,
        body: `echo ${token}`,
        nested: [{ text: `again ${token}` }],
      },
    );
    const e = redactError(original, token);
    assert.equal(e.code, 'E_HTTP');
    assert.equal(e.details.status, 500);
    const seen = JSON.stringify({ m: e.message, d: e.details, s: e.stack, j: e.toJSON() });
    for (const f of tokenForms(token)) assert.ok(!seen.includes(f), f);
    assert.equal(redactError(new Error(`plain ${token}`), token).code, 'E_INPUT');
  });
});

describe('provisioning against a phone whose error pages echo the request', function () {
  const TOKEN = 'echo-t0ken-abcdefghijklmnopqrstuvwxyz0123';
  const forms = tokenForms(TOKEN);
  let server: http.Server;
  let port = 0;
  const seen: string[] = [];

  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    // a hostile or careless phone: its error pages quote the request (the web route's URL, the
    // CSTA value it refuses)
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        seen.push(`${req.url} ${body}`);
        if (req.url === '/csta') {
          const value = /<(?:csta:)?value>([^<]*)</.exec(body)?.[1] ?? '';
          res.writeHead(500, { 'content-type': 'text/xml' });
          res.end(
            `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>invalid value ${value}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
          );
          return;
        }
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`Request ${req.method} ${req.url} failed.`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await new Promise<void>((r) => helper.stopServer(r));
  });
  afterEach(async () => {
    await helper.unload();
    seen.length = 0;
  });

  const nodes = [nodeModule('snom-phone'), nodeModule('snom-action-url-in'), catchNode];
  const flow = (events: string[]) => [
    {
      id: 'p0',
      type: 'snom-phone',
      name: '',
      host: '127.0.0.1',
      port: String(port),
      protocol: 'http',
      model: 'D785',
      firmware: '10.1.33.33',
      auth: 'none',
      timeout: '3000',
      queueSize: '100',
      baseUrl: 'http://192.0.2.10:1880',
    },
    {
      id: 'a1',
      type: 'snom-action-url-in',
      path: '/snom/events',
      allowlist: '',
      holdMs: 1000,
      holdCount: 10,
      phones: ['p0'],
      events,
      wires: [['events'], ['report']],
    },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    { id: 'events', type: 'helper' },
    { id: 'report', type: 'helper' },
    { id: 'err', type: 'helper' },
  ];
  const creds = () => ({ p0: { user: 'admin', password: 'pw' }, a1: { token: TOKEN } });
  const leaks = (what: unknown): string[] => {
    const text = typeof what === 'string' ? what : JSON.stringify(what);
    return forms.filter((f) => text.includes(f));
  };

  for (const [route, events] of [
    ['CSTA SetSettings', ['incoming']],
    ['web (dummy.htm)', ['dndOn']],
  ] as const) {
    it(`keeps the token out of the report on output 2, Catch's msg.error and the log (${route})`, async () => {
      await helper.load(nodes, flow([...events]), creds());
      const report = collect(helper.getNode('report'));
      const err = collect(helper.getNode('err'));
      helper.getNode('a1').receive({ topic: 'provision' });
      const [r] = await report.wait(1);
      const [e] = await err.wait(1);
      assert.equal(seen.length, 1);
      assert.ok(leaks(seen[0]).length > 0, 'the phone was sent the token');
      assert.equal(r.payload.errors.length, 1);
      const message: string = r.payload.errors[0].message;
      assert.ok(message.includes(REDACTED_URL), `the echoed URL is reported, blanked: ${message}`);
      assert.deepEqual(leaks(r.payload), [], 'report on output 2');
      assert.deepEqual(leaks({ error: e.error, stack: e.error.stack }), [], "Catch's msg.error");
      assert.equal(e.error.code, r.payload.errors[0].code);
      const logged = helper.log().args.map((a: unknown[]) => JSON.stringify(a));
      assert.deepEqual(leaks(logged.join('\n')), [], 'the log');
    });
  }

  it("keeps the token out of the editor button's answer", async () => {
    await helper.load(nodes, flow(['incoming', 'dndOn']), creds());
    const res = await helper
      .request()
      .post('/snom-action-url-in/a1/provision')
      .send({ action: 'provision', phones: ['p0'] })
      .expect(200);
    assert.equal(res.body.errors.length, 1);
    assert.ok(String(res.body.errors[0].message).includes(REDACTED_URL));
    assert.ok(leaks(seen.join(' ')).length > 0);
    assert.deepEqual(leaks(res.body), []);
  });
});
