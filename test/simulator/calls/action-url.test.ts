import assert from 'node:assert/strict';
import { substitute } from '../../../src/simulator/calls/action-url';
import type { SimPhone } from '../../../src/simulator/phone';
import { ext, inject, key, query, settings, phoneWithReceiver } from './helpers';

describe('simulator Action URL substitution and firing', () => {
  const s = new Map([
    ['mac', '000413922D24'],
    ['user_name1', '100'],
    ['user_name10', '110'],
    ['user_pass1', 'secret'],
    ['language', 'Deutsch'],
  ]);

  it('substitutes runtime variables and settings, longest name first, percent-encoded', () => {
    assert.equal(
      substitute(
        'http://h/e?a=$user_name1&b=$user_name10&l=$language&r=$remote&c=$call-id',
        { remote: 'sip:2@x', 'call-id': 'a b@c' },
        s,
      ),
      'http://h/e?a=100&b=110&l=Deutsch&r=sip%3A2%40x&c=a%20b%40c',
    );
  });

  it('ends a variable in the path with & (docs/protocol.md §6.1) and keeps & in the query', () => {
    assert.equal(
      substitute('http://www.snom.com/$mac&/settings.xml?m=$mac&x=1', {}, s),
      'http://www.snom.com/000413922D24/settings.xml?m=000413922D24&x=1',
    );
    assert.equal(substitute('http://h/$mac.xml', {}, s), 'http://h/000413922D24.xml');
  });

  it('fills $sip_header(NAME) from the first INVITE, in any case, but not the headers the phone cannot report', () => {
    const vars = { 'sip_header(x-ticket)': 'T 42' };
    assert.equal(
      substitute(
        'http://h/?a=$sip_header(X-Ticket)&b=$sip_header(x-TICKET)&c=$sip_header(X-None)&d=$sip_header(Via)',
        vars,
        s,
      ),
      'http://h/?a=T%2042&b=T%2042&c=$sip_header(X-None)&d=$sip_header(Via)',
    );
  });

  it('empties passwords and leaves unknown variables literal', () => {
    assert.equal(substitute('http://h/?p=$user_pass1&u=$unknown_thing', {}, s), 'http://h/?p=&u=$unknown_thing');
  });

  describe('against a receiver', () => {
    let phone: SimPhone;
    const rx = phoneWithReceiver({ model: 'snom710', firmware: '8.7.5.35', mac: '000413741767' }, (p) => (phone = p));

    it('sends a GET with the variables filled in (docs/protocol.md §6.1) and a phone User-Agent (§6.5)', async () => {
      await settings(phone, {
        action_incoming_url: `${rx.base}/event?ip=$phone_ip&event=incoming&local=$local&remote=$remote&mac=$mac&pw=$http_pass`,
      });
      await inject(phone, { remote: 'sip:200@pbx.local' });
      const [got] = await rx.wait(1);
      assert.equal(
        got.url,
        '/event?ip=127.0.0.1&event=incoming&local=sip%3A100%40sim.local&remote=sip%3A200%40pbx.local&mac=000413741767&pw=',
      );
      assert.equal(
        got.headers['user-agent'],
        'Mozilla/4.0 (compatible; snom710-SIP 8.7.5.35 1.1.5-IFX-05.01.12 000413741767 SXM:0 UXM:0)',
      );
      const [fired] = (await ext(phone)).actionUrls;
      assert.equal(fired.url, `${rx.base}${got.url}`);
    });

    it('reports headers of the incoming INVITE injected with the call through $sip_header', async () => {
      await settings(phone, {
        action_incoming_url: `${rx.base}/sh?t=$sip_header(X-Ticket)&via=$sip_header(Via)&r=$remote`,
      });
      await inject(phone, {
        remote: 'sip:300@pbx.local',
        sipHeaders: { 'X-Ticket': 'T-42 ü', Via: 'SIP/2.0/UDP 10.0.0.1' },
      });
      const got = await rx.wait(1);
      assert.equal(got.at(-1)!.url, '/sh?t=T-42%20%C3%BC&via=$sip_header(Via)&r=sip%3A300%40pbx.local');
    });

    it('records the answer status, and an unreachable server as an error, without retrying', async () => {
      rx.answer = { status: 404, type: 'text/plain', body: 'no' };
      await settings(phone, { action_offhook_url: `${rx.base}/off`, action_onhook_url: 'http://127.0.0.1:1/on' });
      await key(phone, 'OFFHOOK;ONHOOK');
      for (let i = 0; i < 250; i++) {
        const a = (await ext(phone)).actionUrls;
        if (a.length === 2 && a[0].status !== undefined && a[1].error !== undefined) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const [off, on] = (await ext(phone)).actionUrls;
      rx.answer = { status: 200, type: 'text/plain', body: '' };
      assert.equal(off.status, 404);
      assert.equal(on.event, 'onhook');
      assert.ok(on.error, 'connection refused is recorded');
      assert.equal(on.status, undefined);
      assert.equal(rx.got.length, 1);
    });

    it('a minibrowser document in the answer becomes the screen (docs/protocol.md §6.1)', async () => {
      const doc = '<SnomIPPhoneText><Text>Anna, 2 open tickets</Text></SnomIPPhoneText>';
      rx.answer = { status: 200, type: 'text/xml', body: doc };
      await settings(phone, { action_incoming_url: `${rx.base}/in` });
      await inject(phone);
      let screen = null;
      for (let i = 0; i < 250 && !screen; i++) {
        screen = (await ext(phone)).screen;
        if (!screen) await new Promise((r) => setTimeout(r, 20));
      }
      rx.answer = { status: 200, type: 'text/plain', body: '' };
      assert.equal(screen?.via, 'action-url');
      assert.equal(screen?.document, doc);
      assert.equal(query(rx.got[0]).toString(), '');
    });
  });
});
