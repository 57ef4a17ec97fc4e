import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimPhone } from '../../src/simulator/phone';
import { getState, request, startPhone, waitState } from './helpers';

const DOC =
  '<?xml version="1.0" encoding="UTF-8"?>\n<SnomIPPhoneText><Title>Living room</Title><Text>Light: On</Text></SnomIPPhoneText>';

describe('simulator minibrowser push', () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ url: string; ua: string }> = [];
  const phones: SimPhone[] = [];
  const start = async (c: Parameters<typeof startPhone>[0]): Promise<SimPhone> => {
    const p = await startPhone({ keepAliveMinibrowserDelayMs: 30, ...c });
    phones.push(p);
    return p;
  };

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', ua: String(req.headers['user-agent']) });
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(DOC);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it('fetches the decoded URL with a phone-like User-Agent and keeps the document', async () => {
    const p = await start({ model: 'D785', firmware: '10.1.33.33', mac: '000413922D24' });
    const target = `${base}/hook/snom/1/?xml=true&value=On&ledNo=6`;
    const r = await request(`${p.url}/minibrowser.htm?url=${encodeURIComponent(target)}`, {
      headers: { Connection: 'close' },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(
      seen.map((s) => s.url),
      ['/hook/snom/1/?xml=true&value=On&ledNo=6'],
    );
    assert.match(seen[0].ua, /^Mozilla\/4\.0 \(compatible; snomD785-SIP 10\.1\.33\.33 \S+ 000413922D24 SXM:0 UXM:0\)$/);
    const s = await getState(p);
    assert.equal(s.minibrowser.length, 1);
    const push = s.minibrowser[0];
    assert.equal(push.url, target);
    assert.equal(push.keepAlive, false);
    assert.deepEqual(push.fetched, { status: 200, contentType: 'text/xml', body: DOC });
  });

  it('records a keep-alive push and still answers (after the configured delay)', async () => {
    const p = await start({});
    const r = await request(`${p.url}/minibrowser.htm?url=${encodeURIComponent(base + '/a.xml')}`, {
      headers: { Connection: 'keep-alive' },
    });
    assert.equal(r.status, 200);
    const s = await getState(p);
    assert.equal(s.minibrowser[0].keepAlive, true);
    assert.equal(s.minibrowser[0].fetched?.body, DOC);
  });

  it('holds a keep-alive push before fetching (docs/protocol.md §2.5), not one with Connection: close', async () => {
    const p = await startPhone({ keepAliveMinibrowserDelayMs: 600_000 }); // stopped below, which ends the wait
    const held = request(`${p.url}/minibrowser.htm?url=${encodeURIComponent(base + '/held.xml')}`, {
      headers: { Connection: 'keep-alive' },
    }).catch(() => null);
    const s = await waitState(p, (st) => st.minibrowser.length === 1);
    // recorded, but the fetch waits behind the delay (the fetch URL is set only once it starts)
    assert.equal(s.minibrowser[0].keepAlive, true);
    assert.equal(s.minibrowser[0].fetchUrl, undefined);
    const quick = await request(`${p.url}/minibrowser.htm?url=${encodeURIComponent(base + '/quick.xml')}`, {
      headers: { Connection: 'close' },
    });
    assert.equal(quick.status, 200);
    const after = await getState(p);
    assert.equal(after.minibrowser[1].fetched?.status, 200);
    assert.equal(after.minibrowser[0].fetchUrl, undefined);
    assert.deepEqual(
      seen.map((x) => x.url),
      ['/quick.xml'],
    );
    await p.stop();
    await held;
  });

  it('old firmware wants the URL without http:// and adds it itself; 8.4.32+ needs the scheme', async () => {
    const old = await start({ model: 'snom320', firmware: '8.4.31' });
    const host = base.replace('http://', '');
    await request(`${old.url}/minibrowser.htm?url=${encodeURIComponent(host + '/old.xml')}`, {
      headers: { Connection: 'close' },
    });
    await request(`${old.url}/minibrowser.htm?url=${encodeURIComponent(base + '/old2.xml')}`, {
      headers: { Connection: 'close' },
    });
    let s = await getState(old);
    assert.equal(s.minibrowser[0].fetched?.status, 200);
    assert.match(seen[0].ua, /snom320-SIP 8\.4\.31 /);
    assert.match(s.minibrowser[1].error ?? '', /without http/);
    assert.equal(seen.length, 1);

    const now = await start({ model: 'snom320', firmware: '8.4.32' });
    await request(`${now.url}/minibrowser.htm?url=${encodeURIComponent(host + '/new.xml')}`, {
      headers: { Connection: 'close' },
    });
    s = await getState(now);
    assert.match(s.minibrowser[0].error ?? '', /needs an http/);
    assert.equal(seen.length, 1);
  });
});
