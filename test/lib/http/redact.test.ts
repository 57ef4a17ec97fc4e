// Redaction that neither leaks nor garbles: credentials go where they stand as credentials, the
// request's secrets (an Action URL token) wherever they stand, our own wording never.
import assert from 'node:assert/strict';
import { SnomError } from '../../../src/lib/errors';
import { PhoneClient, phoneOrigin, Redactor } from '../../../src/lib/http';
import type { PhoneRequest } from '../../../src/lib/http';
import { freePort, startHttp, closedAfter } from './servers';
import { rejection } from '../../support/assert-error';

const TOKEN = 'q7Rk2mZp9XwLb4Tn8VcJ0sHd6YfGa1Ue';

function everything(err: SnomError): string {
  return err.message + JSON.stringify(err.toJSON()) + JSON.stringify(err.details);
}

describe('http/redact: credentials where they stand as credentials', () => {
  let r: Redactor;
  before(() => {
    r = Redactor.of({ user: 'admin', password: 'snom' });
  });

  it('leaves text alone that only contains the password as a word', () => {
    for (const t of ['snom reception', 'Welcome to snom D785', 'snom:8080 is up', 'password policy: snom-approved'])
      assert.equal(r.foreign(t), t);
    assert.equal(
      r.own('Phone snom reception: key failed: the phone answered HTTP 500'),
      'Phone snom reception: key failed: the phone answered HTTP 500',
    );
  });

  it('removes the password from Authorization values, userinfo, query and form values, password fields, user:password', () => {
    const basic = Buffer.from('admin:snom').toString('base64');
    const cases: Array<[string, string]> = [
      [`Authorization: Basic ${basic}`, 'Authorization: Basic ***'],
      [`got ${basic} from you`, 'got *** from you'],
      [
        'Authorization: Digest username="admin", realm="snom", nonce="abc", uri="/x", response="6629fae49393a05397450978507c4ef1", cnonce="0a4f"',
        'Authorization: Digest ***',
      ],
      ['fetch http://admin:snom@10.0.0.5/settings failed', 'fetch http://admin:***@10.0.0.5/settings failed'],
      ['GET /dummy.htm?settings=save&user=admin&pw=snom&x=1', 'GET /dummy.htm?settings=save&user=admin&pw=***&x=1'],
      ['GET /dummy.htm?settings=save&http_pass=n3w-one', 'GET /dummy.htm?settings=save&http_pass=***'],
      ['admin_mode_password=1234; ok', 'admin_mode_password=***; ok'],
      ['{"user":"admin","password":"snom"}', '{"user":"admin","password":"***"}'],
      ['login admin:snom refused', 'login admin:*** refused'],
      ['q=sn%6Fm&z', 'q=***&z'],
    ];
    for (const [input, expected] of cases) assert.equal(r.foreign(input), expected, input);
  });

  it('removes a long password wherever it stands in foreign text, never from our own', () => {
    const long = Redactor.of({ user: 'admin', password: 'Reception-Desk-7' });
    assert.equal(long.foreign('echo: Reception-Desk-7 and Reception%2DDesk-7'), 'echo: *** and ***');
    assert.equal(long.own('Phone Reception-Desk-7: key failed'), 'Phone Reception-Desk-7: key failed');
  });

  it('removes listed secrets, raw and percent-encoded in any case, from our text and foreign text alike', () => {
    const s = r.withSecrets([TOKEN, 'a b/c']);
    const encoded = encodeURIComponent(TOKEN).replace(/q/, '%71');
    assert.equal(s.own(`provision ${TOKEN}`), 'provision ***');
    assert.equal(
      s.foreign(`url=http://nr:1880/snom/in/${TOKEN}?x and ${encoded}`),
      'url=http://nr:1880/snom/in/***?x and ***',
    );
    assert.equal(s.foreign('v=a+b%2Fc, v=a%20b%2fc, v=a b/c'), 'v=***, v=***, v=***');
  });
});

describe('http/client: redaction in error messages', function () {
  const { peers, clients } = closedAfter();

  it('password "snom" does not turn the phone "snom reception" into "*** reception"', async () => {
    const peer = await startHttp((req, res) => {
      res.writeHead(500);
      res.end(`snom reception: error in ${req.url} with ${req.headers.authorization}`);
    });
    peers.push(peer);
    const c = new PhoneClient({
      host: '127.0.0.1',
      port: peer.port,
      auth: 'basic',
      user: 'admin',
      password: 'snom',
      name: 'snom reception',
    });
    clients.push(c);
    const err = await rejection(c.request({ command: 'snom key', path: '/dummy.htm?settings=save&http_pass=snom' }));
    assert.equal(err.code, 'E_HTTP');
    assert.ok(
      err.message.startsWith(
        'Phone snom reception: snom key failed: the phone answered HTTP 500: snom reception: error in /dummy.htm?settings=save&http_pass=*** with Basic ***',
      ),
      err.message,
    );
    assert.equal(err.details.phone, 'snom reception');
    assert.equal(err.details.command, 'snom key');
    assert.ok(!everything(err).includes(Buffer.from('admin:snom').toString('base64')));
  });

  it("a request's secrets never show in its errors: message, details, body excerpt, transport errors", async () => {
    const peer = await startHttp((req, res) => {
      if (req.url?.startsWith('/hang')) return;
      res.writeHead(req.url?.startsWith('/404') ? 404 : 500);
      // a phone that echoes what it was asked, raw and decoded
      res.end(`bad value ${req.url} (${decodeURIComponent(req.url ?? '')})`);
    });
    peers.push(peer);
    const c = new PhoneClient({ host: '127.0.0.1', port: peer.port, auth: 'none' });
    clients.push(c);
    const url = encodeURIComponent(`http://10.0.0.1:1880/snom/in/${TOKEN}/`);
    const req = (path: string, extra: Partial<PhoneRequest> = {}): PhoneRequest => ({
      command: 'provision',
      path,
      secrets: [TOKEN],
      ...extra,
    });
    const errors = [
      await rejection(c.request(req(`/dummy.htm?settings=save&action_incoming_url=${url}`))),
      await rejection(c.request(req(`/404.htm?u=${url}`))),
      await rejection(c.request(req('/hang', { timeoutMs: 200 }))),
      await rejection(c.request(req('no-slash', { command: `provision ${TOKEN}` }))),
    ];
    assert.deepEqual(
      errors.map((e) => e.code),
      ['E_HTTP', 'E_HTTP', 'E_TIMEOUT', 'E_INPUT'],
    );
    for (const e of errors) assert.ok(!everything(e).includes(TOKEN), everything(e));
    assert.match(errors[0].message, /snom%2Fin%2F\*\*\*%2F .*snom\/in\/\*\*\*\//);
    assert.match(String(errors[1].details.body), /\*\*\*/);
    assert.equal(errors[3].details.command, 'provision ***');
  });

  it('quotes at most ~200 characters of a body, a host or a command', async () => {
    const huge = 'x'.repeat(1_000_000);
    const peer = await startHttp((_req, res) => {
      res.writeHead(500);
      res.end(huge);
    });
    peers.push(peer);
    const c = new PhoneClient({ host: '127.0.0.1', port: peer.port, auth: 'none' });
    clients.push(c);
    const err = await rejection(c.request({ command: huge, path: '/' }));
    assert.ok(err.message.length < 400, `${err.message.length} characters`);
    assert.ok(JSON.stringify(err.toJSON()).length < 1000);
    try {
      phoneOrigin(`${huge} y`);
      assert.fail('expected E_INPUT');
    } catch (e) {
      assert.ok((e as SnomError).message.length < 200);
      assert.ok(JSON.stringify((e as SnomError).toJSON()).length < 400);
    }
    const refused = new PhoneClient({ host: '127.0.0.1', port: await freePort(), auth: 'none' });
    clients.push(refused);
    const m = await rejection(refused.request({ command: 'k', path: '/', method: huge as 'GET' }));
    assert.ok(m.message.length < 200, m.message.slice(0, 300));
  });
});
