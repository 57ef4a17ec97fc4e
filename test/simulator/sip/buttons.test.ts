// LED remote control: MESSAGE with application/x-buttons (docs/protocol.md §10.5), lamp state read
// back through GET /sim/sip/leds.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SimPhone } from '../../../src/simulator/phone';
import type { SipIgnoredLamp, SipLamp } from '../../../src/simulator/sip/types';
import { one, rand, sipRequest, UdpPeer } from './peer';
import { settings, sim, sipPhone } from './helpers';

type Leds = { leds: SipLamp[]; ignoredLamps: SipIgnoredLamp[] };

describe('simulator SIP: LED and label control (x-buttons MESSAGE)', () => {
  let phone: SimPhone;
  let udp: UdpPeer;

  beforeEach(async () => {
    phone = await sipPhone({ identities: ['sip:101@sim.local'] });
    udp = await UdpPeer.open(phone.sipPorts!.udp);
  });
  afterEach(async () => {
    await udp.close();
    await phone.stop();
  });

  const leds = (): Promise<Leds> => sim<Leds>(phone, 'GET', 'sip/leds');
  const buttons = (body: string): string =>
    sipRequest(
      'MESSAGE sip:101@127.0.0.1;transport=udp SIP/2.0',
      [
        udp.via(),
        'From: <sip:pbx@127.0.0.1>;tag=b',
        'To: <sip:101@127.0.0.1>',
        `Call-ID: btn-${rand()}`,
        'CSeq: 1 MESSAGE',
        'Max-Forwards: 70',
        'Subject: buttons',
        'Content-Type: application/x-buttons',
      ],
      body,
    );

  // The sipsak example of docs/protocol.md §10.5, with the elided headers filled in as sipsak writes them. Its Content-Length (10)
  // fits neither "k=6" CRLF "c=on" (9 bytes) nor the same with a final CRLF (11 bytes).
  const sipsakExample = (body: string): string =>
    [
      'MESSAGE sip:101@127.0.0.1;transport=udp SIP/2.0',
      `Via: SIP/2.0/UDP 127.0.0.1:${udp.port};branch=z9hG4bK59620${rand()};rport`,
      'From: sip:sipsak@127.0.0.1:1036;tag=38473',
      'To: sip:101@127.0.0.1',
      'Call-ID: 6algjorv@test',
      'CSeq: 59620 MESSAGE',
      'Max-Forwards: 70',
      `Contact: <sip:sipsak@127.0.0.1:${udp.port};transport=udp>`,
      'Subject: buttons',
      'Content-Type: application/x-buttons',
      'Content-Length: 10',
      '',
      body,
    ].join('\r\n');

  it('the sipsak example sent from a file ending in a newline ("k=6" CRLF "c=on" CRLF): byte 11 is dropped (RFC 3261 §18.3), the key whose fkey is "button 6" lights', async () => {
    await settings(phone, { fkey3: 'button 6' });
    const r = await udp.ask(sipsakExample('k=6\r\nc=on\r\n'));
    assert.equal(r.startLine, 'SIP/2.0 200 OK', r.raw);
    assert.equal(one(r, 'cseq'), '59620 MESSAGE');
    const l = await leds();
    assert.deepEqual(
      l.leds.map(({ at: _at, ...x }) => x),
      [{ id: '6', fkey: 'fkey3', key: 'P4', light: 'on', colour: '', label: '', number: '', action: 'invite' }],
    );
    assert.deepEqual(l.ignoredLamps, []);
  });

  it('the sipsak example without the final newline (9 bytes for Content-Length 10): 400, nothing lit', async () => {
    await settings(phone, { fkey3: 'button 6' });
    const r = await udp.ask(sipsakExample('k=6\r\nc=on'));
    assert.equal(r.status, 400);
    assert.match(one(r, 'warning'), /Content-Length 10 is larger than the body \(9 bytes\)/);
    assert.deepEqual((await leds()).leds, []);
  });

  it("keeps each lamp's light, label, number, action and colour; a property left out takes its default again", async () => {
    await settings(phone, { fkey0: 'button 6', fkey1: 'button 7', fkey30: 'button' });
    const first =
      'k=6\r\nc=hold\r\nl=Lobby\r\nn=1234\r\na=invite\r\no=orange\r\n\r\nk=7\r\nc=pickup\r\nl=Park 1\r\n\r\nk=30\r\nc=message';
    assert.equal((await udp.ask(buttons(first))).status, 200);
    let l = await leds();
    const view = (x: SipLamp[]): string[][] =>
      x.map((e) => [e.key, e.id, e.light, e.label, e.number, e.action, e.colour]);
    // fkey30 is past the D785's 24 P-keys: the first expansion key.
    assert.deepEqual(view(l.leds), [
      ['P1', '6', 'hold', 'Lobby', '1234', 'invite', 'orange'],
      ['P2', '7', 'pickup', 'Park 1', '', 'invite', ''],
      ['EK6', '30', 'message', '', '', 'invite', ''],
    ]);
    assert.equal((await udp.ask(buttons('k=6\r\nc=on\r\n'))).status, 200);
    l = await leds();
    assert.deepEqual(view(l.leds)[0], ['P1', '6', 'on', '', '', 'invite', '']);
    assert.deepEqual(view(l.leds)[1], ['P2', '7', 'pickup', 'Park 1', '', 'invite', '']);
  });

  it('takes LF-only lines (the FreeSWITCH mod_snom form)', async () => {
    await settings(phone, { fkey1: 'button 2' });
    assert.equal((await udp.ask(buttons('k=2\nc=on\nl=DND\nn=*76\na=message\n'))).status, 200);
    assert.deepEqual(
      (await leds()).leds.map((e) => [e.key, e.light, e.label, e.number, e.action]),
      [['P2', 'on', 'DND', '*76', 'message']],
    );
  });

  it('a key that is not of type button, an unknown key and an unknown light: 200, but nothing is lit, and why is kept', async () => {
    await settings(phone, { fkey2: 'blf sip:200@pbx.local', fkey4: 'button 4' });
    const r = await udp.ask(buttons('k=2\r\nc=on\r\n\r\nk=9\r\nc=on\r\n\r\nk=4\r\nc=blinking\r\n\r\nc=on'));
    assert.equal(r.status, 200);
    const l = await leds();
    assert.deepEqual(l.leds, []);
    assert.deepEqual(
      l.ignoredLamps.map((i) => [i.id, i.reason]),
      [
        ['2', 'fkey2 is of type "blf", not "button"'],
        ['9', 'no function key of type "button" is named "9"'],
        ['4', 'unknown light "blinking"'],
        ['', 'no k= line names the key'],
      ],
    );
  });

  it('firmware before 7 does not know application/x-buttons: 415 with Accept', async () => {
    const old = await sipPhone({ model: 'snom360', firmware: '6.5.20', identities: ['sip:101@sim.local'] });
    const peer = await UdpPeer.open(old.sipPorts!.udp);
    try {
      await settings(old, { fkey0: 'button 6' });
      const r = await peer.ask(
        sipRequest(
          'MESSAGE sip:101@127.0.0.1 SIP/2.0',
          [
            peer.via(),
            'From: <sip:p@127.0.0.1>;tag=o',
            'To: <sip:101@127.0.0.1>',
            'Call-ID: old-1',
            'CSeq: 1 MESSAGE',
            'Content-Type: application/x-buttons',
          ],
          'k=6\r\nc=on',
        ),
      );
      assert.equal(r.status, 415);
      assert.equal(one(r, 'accept'), 'text/plain');
      assert.deepEqual((await sim<Leds>(old, 'GET', 'sip/leds')).leds, []);
    } finally {
      await peer.close();
      await old.stop();
    }
  });

  it('property: whatever the lamps say, only keys of type button are ever lit, each with its own id', async () => {
    await settings(phone, { fkey0: 'button a', fkey1: 'button 1', fkey2: 'speed 123', fkey3: 'line', fkey4: 'button' });
    const buttonIds = new Map([
      ['fkey0', 'a'],
      ['fkey1', '1'],
      ['fkey4', '4'],
    ]);
    const lamp = fc.record({
      k: fc.option(fc.constantFrom('a', '1', '2', '3', '4', 'x', ''), { nil: undefined }),
      c: fc.option(fc.constantFrom('on', 'off', 'hold', 'error', 'weird'), { nil: undefined }),
      l: fc.option(
        fc.string({ maxLength: 8 }).filter((s) => !/[\r\n]/.test(s)),
        { nil: undefined },
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(lamp, { maxLength: 4 }), fc.boolean(), async (lamps, lf) => {
        const nl = lf ? '\n' : '\r\n';
        const body = lamps
          .map((x) =>
            Object.entries(x)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => `${k}=${v}`)
              .join(nl),
          )
          .join(nl + nl);
        assert.equal((await udp.ask(buttons(body))).status, 200);
        for (const e of (await leds()).leds) assert.equal(buttonIds.get(e.fkey), e.id, `${e.fkey} lit as ${e.id}`);
      }),
      { seed: 7, numRuns: 40 },
    );
  });
});
