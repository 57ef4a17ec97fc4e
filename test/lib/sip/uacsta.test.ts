/**
 * The uaCSTA association (INVITE dialog) against a raw peer playing the
 * phone over real sockets: ACK forms, requests in INFO with the response in
 * the 200 OK or in a separate INFO, events as INFO/NOTIFY, loss detection.
 */
import assert from 'node:assert/strict';
import { SipClient, UaCstaSession, cstaRootName, type DialogEnd } from '../../../src/lib/sip';
import { branchOf, digestParams, expectedDigest, h, RawPeer, tagOf, type PeerMessage } from './peer';

const ED5 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed5';
const SYSTEM_STATUS = `<?xml version="1.0" encoding="utf-8"?><RequestSystemStatusResponse xmlns="${ED5}"><systemStatus>normal</systemStatus></RequestSystemStatusResponse>`;
const MONITOR_START = `<MonitorStart xmlns='${ED5}'><monitorObject><deviceObject>sip:101@127.0.0.1</deviceObject></monitorObject></MonitorStart>`;
const MONITOR_START_RESPONSE = `<?xml version="1.0" encoding="utf-8"?><MonitorStartResponse xmlns="${ED5}"><monitorCrossRefID>43</monitorCrossRefID><monitorExistingCalls>true</monitorExistingCalls></MonitorStartResponse>`;
const DELIVERED = `<?xml version="1.0" encoding="utf-8"?><DeliveredEvent xmlns="${ED5}"><monitorCrossRefID>43</monitorCrossRefID><connection><callID>7</callID></connection></DeliveredEvent>`;

/** One message per transaction (drops UDP retransmissions). */
function distinct(list: PeerMessage[]): PeerMessage[] {
  const seen = new Set<string>();
  return list.filter((m) => !seen.has(branchOf(m)) && seen.add(branchOf(m)) !== undefined);
}

/** The phone side of the dialog, written from RFC 3261 in the test. */
class Phone {
  invite?: PeerMessage;
  private seq = 100;
  readonly tag = 'phonetag';
  constructor(readonly peer: RawPeer) {}

  answerInvite(m: PeerMessage, body = SYSTEM_STATUS): void {
    this.invite = m;
    this.peer.reply(m, 200, 'OK', {
      toTag: this.tag,
      headers: [
        `Contact: <sip:101@127.0.0.1:${this.peer.port}>`,
        'Content-Type: application/csta+xml',
        'Content-Disposition: signal;handling=required',
      ],
      body,
    });
  }

  /** A request from the phone inside the dialog, to the client's Contact. */
  request(
    method: string,
    body: string,
    o: { branch?: string; contentType?: string; via?: { address: string; port: number }; contact?: string } = {},
  ): { text: string; branch: string } {
    const inv = this.invite!;
    const contact = /<([^>]+)>/.exec(h(inv, 'contact'))![1];
    const branch = o.branch ?? `z9hG4bKphone${this.seq}`;
    const lines = [
      `${method} ${contact} SIP/2.0`,
      `Via: SIP/2.0/${this.peer.transport.toUpperCase()} 127.0.0.1:${this.peer.port};branch=${branch};rport`,
      `From: ${h(inv, 'to')};tag=${this.tag}`,
      `To: ${h(inv, 'from')}`,
      `Call-ID: ${h(inv, 'call-id')}`,
      `CSeq: ${this.seq++} ${method}`,
      'Max-Forwards: 70',
      ...(o.contact ? [`Contact: ${o.contact}`] : []),
      `Content-Type: ${o.contentType ?? 'application/csta+xml'}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
    ];
    const text = `${lines.join('\r\n')}\r\n\r\n${body}`;
    if (o.via) this.peer.send(text, o.via);
    else this.peer.send(text, inv.remote, inv.socket);
    this.last = { cseq: this.seq - 1 };
    return { text, branch };
  }

  private last = { cseq: 0 };

  /** ACK for the phone's own re-INVITE (a new transaction, §13.2.2.4). */
  ack(): void {
    const inv = this.invite!;
    const contact = /<([^>]+)>/.exec(h(inv, 'contact'))![1];
    const text = [
      `ACK ${contact} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.peer.port};branch=z9hG4bKphoneack${this.last.cseq}`,
      `From: ${h(inv, 'to')};tag=${this.tag}`,
      `To: ${h(inv, 'from')}`,
      `Call-ID: ${h(inv, 'call-id')}`,
      `CSeq: ${this.last.cseq} ACK`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    this.peer.send(text, inv.remote, inv.socket);
  }
}

describe('lib/sip uaCSTA association (dialog)', function () {
  this.timeout(15000);
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup(transport: 'udp' | 'tcp' = 'udp', t1 = 20) {
    const peer = transport === 'udp' ? await RawPeer.udp() : await RawPeer.tcp();
    const client = new SipClient({ transport, localAddress: '127.0.0.1', timers: { t1 } });
    closers.push(
      () => peer.close(),
      () => client.close(),
    );
    const phone = new Phone(peer);
    const target = { host: '127.0.0.1', port: peer.port, user: '101' };
    return { peer, client, phone, target };
  }

  it('INVITE with csta+xml body → 200 (body kept) → ACK to the Contact with a new branch', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => m.method === 'INVITE' && phone.answerInvite(m);
    const s = await UaCstaSession.open({ client, target });
    const inv = phone.invite!;
    assert.equal(inv.startLine, `INVITE sip:101@127.0.0.1:${peer.port} SIP/2.0`);
    assert.equal(h(inv, 'content-type'), 'application/csta+xml');
    assert.equal(h(inv, 'content-disposition'), 'signal;handling=required');
    assert.equal(cstaRootName(inv.body), 'RequestSystemStatus');
    assert.match(h(inv, 'contact'), /^<sip:node-red@127\.0\.0\.1:\d+>$/);
    assert.equal(s.inviteResponse.body, SYSTEM_STATUS);
    const ack = await peer.next((m) => m.method === 'ACK');
    assert.equal(ack.uri, `sip:101@127.0.0.1:${peer.port}`, 'ACK for a 2xx goes to the remote target');
    assert.notEqual(branchOf(ack), branchOf(inv));
    assert.equal(h(ack, 'cseq'), `${h(inv, 'cseq').split(' ')[0]} ACK`);
    assert.equal(tagOf(h(ack, 'to')), phone.tag);
    assert.equal(h(ack, 'call-id'), h(inv, 'call-id'));
    assert.equal(h(ack, 'content-length'), '0');
  });

  it('CSTA request in INFO; response in the 200 OK to the INFO', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => {
      if (m.method === 'INVITE') phone.answerInvite(m);
      if (m.method === 'INFO')
        peer.reply(m, 200, 'OK', { headers: ['Content-Type: application/csta+xml'], body: MONITOR_START_RESPONSE });
    };
    const s = await UaCstaSession.open({ client, target });
    const reply = await s.request(MONITOR_START, 'csta MonitorStart');
    assert.equal(reply.via, 'response');
    assert.equal(reply.body, MONITOR_START_RESPONSE);
    const info = peer.requests('INFO')[0];
    assert.equal(info.uri, `sip:101@127.0.0.1:${peer.port}`);
    assert.equal(tagOf(h(info, 'to')), phone.tag);
    assert.equal(tagOf(h(info, 'from')), tagOf(h(phone.invite!, 'from')));
    assert.equal(h(info, 'call-id'), h(phone.invite!, 'call-id'));
    assert.equal(h(info, 'cseq'), '2 INFO');
    assert.equal(h(info, 'content-type'), 'application/csta+xml');
    assert.equal(h(info, 'content-disposition'), 'signal;handling=required');
    assert.equal(info.body, MONITOR_START);
  });

  it('CSTA response in a separate INFO from the phone (after an empty 200 OK) is accepted, and that INFO gets 200', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => {
      if (m.method === 'INVITE') phone.answerInvite(m);
      if (m.method === 'INFO') {
        peer.reply(m, 200, 'OK');
        setTimeout(() => phone.request('INFO', MONITOR_START_RESPONSE), 20);
      }
    };
    const s = await UaCstaSession.open({ client, target });
    const events: string[] = [];
    s.on('event', (x) => events.push(x));
    const reply = await s.request(MONITOR_START);
    assert.equal(reply.via, 'info');
    assert.equal(reply.body, MONITOR_START_RESPONSE);
    const ok = await peer.next(
      (m) => m.status === 200 && h(m, 'cseq').endsWith('INFO') && branchOf(m).startsWith('z9hG4bKphone'),
    );
    assert.equal(tagOf(h(ok, 'to')), tagOf(h(phone.invite!, 'from')));
    assert.deepEqual(events, [], 'a response is not an event');
  });

  it('the separate-INFO response may overtake the 200 OK', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => {
      if (m.method === 'INVITE') phone.answerInvite(m);
      if (m.method === 'INFO') {
        phone.request('INFO', MONITOR_START_RESPONSE);
        setTimeout(() => peer.reply(m, 200, 'OK'), 30);
      }
    };
    const s = await UaCstaSession.open({ client, target });
    assert.equal((await s.request(MONITOR_START)).via, 'info');
  });

  it('events in INFO and NOTIFY are answered 200 and emitted once; a retransmitted INFO is answered again, not re-emitted', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => m.method === 'INVITE' && phone.answerInvite(m);
    const s = await UaCstaSession.open({ client, target });
    const events: string[] = [];
    s.on('event', (x) => events.push(cstaRootName(x) ?? '?'));
    const first = phone.request('INFO', DELIVERED);
    await peer.next((m) => m.status === 200 && branchOf(m) === first.branch);
    peer.send(first.text, phone.invite!.remote); // a retransmission
    await peer.next((m) => m.status === 200 && branchOf(m) === first.branch);
    const n = phone.request('NOTIFY', DELIVERED.replace(/Delivered/g, 'Established'));
    await peer.next((m) => m.status === 200 && branchOf(m) === n.branch);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(events, ['DeliveredEvent', 'EstablishedEvent']);
    assert.equal(client.stats.requestRetransmissionsAbsorbed, 1);
  });

  it('481 to an INFO (phone rebooted) → E_SIP 481 and the association ends as lost', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => {
      if (m.method === 'INVITE') phone.answerInvite(m);
      if (m.method === 'INFO') peer.reply(m, 481, 'Call/Transaction Does Not Exist');
    };
    const s = await UaCstaSession.open({ client, target });
    const ended = new Promise<DialogEnd>((r) => s.once('end', r));
    await assert.rejects(
      s.request(MONITOR_START),
      (e: Error & { code: string; details: { status?: number } }) => e.code === 'E_SIP' && e.details.status === 481,
    );
    const end = await ended;
    assert.equal(end.lost, true);
    assert.equal(end.reason, 'rejected');
    assert.equal(s.active, false);
    await assert.rejects(s.request(MONITOR_START), { code: 'E_SIP' });
    assert.equal(new Set(peer.requests('INFO').map(branchOf)).size, 1, 'nothing more is sent into an ended dialog');
  });

  it('in-dialog requests that time out → E_TIMEOUT and the association ends as lost', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => m.method === 'INVITE' && phone.answerInvite(m);
    const s = await UaCstaSession.open({ client, target });
    const ended = new Promise<DialogEnd>((r) => s.once('end', r));
    await assert.rejects(s.request(MONITOR_START), { code: 'E_TIMEOUT' });
    assert.deepEqual([(await ended).reason, (await ended).lost], ['timeout', true]);
  });

  it('keep-alive notices a reboot without any request from the flow', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => {
      if (m.method === 'INVITE') phone.answerInvite(m);
      if (m.method === 'INFO') peer.reply(m, 481, 'Call/Transaction Does Not Exist');
    };
    const s = await UaCstaSession.open({ client, target, keepAliveMs: 30 });
    const end = await new Promise<DialogEnd>((r) => s.once('end', r));
    assert.equal(end.lost, true);
    assert.equal(cstaRootName(peer.requests('INFO')[0].body), 'RequestSystemStatus');
  });

  it('BYE from the phone → 200 and end (remote-bye); close() sends BYE in the dialog', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => {
      if (m.method === 'INVITE') phone.answerInvite(m);
      if (m.method === 'BYE') peer.reply(m, 200, 'OK');
    };
    const s1 = await UaCstaSession.open({ client, target });
    const ended = new Promise<DialogEnd>((r) => s1.once('end', r));
    const bye = phone.request('BYE', '');
    await peer.next((m) => m.status === 200 && branchOf(m) === bye.branch);
    assert.equal((await ended).reason, 'remote-bye');
    // A request into the ended dialog now gets 481 from the client.
    const late = phone.request('INFO', DELIVERED);
    assert.equal((await peer.next((m) => m.status !== undefined && branchOf(m) === late.branch)).status, 481);

    const s2 = await UaCstaSession.open({ client, target });
    await s2.close();
    const sent = await peer.next((m) => m.method === 'BYE');
    assert.equal(h(sent, 'call-id'), h(phone.invite!, 'call-id'));
    assert.equal(tagOf(h(sent, 'to')), phone.tag);
    assert.equal(sent.uri, `sip:101@127.0.0.1:${peer.port}`);
    assert.equal(s2.active, false);
  });

  it('INVITE challenged with 401: ACK for the 401 (same branch), INVITE again with Authorization and CSeq 2', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => {
      if (m.method !== 'INVITE') return;
      if (distinct(peer.requests('INVITE')).length === 1) {
        peer.reply(m, 401, 'Unauthorized', {
          toTag: 'x1',
          headers: ['WWW-Authenticate: Digest realm="snom", nonce="abc", qop="auth"'],
        });
      } else phone.answerInvite(m);
    };
    await UaCstaSession.open({ client, target, credentials: { user: '101', password: 'pw' } });
    const [i1, i2] = distinct(peer.requests('INVITE'));
    const ack401 = peer.requests('ACK')[0];
    assert.equal(branchOf(ack401), branchOf(i1), 'non-2xx ACK is part of the INVITE transaction');
    assert.equal(h(ack401, 'cseq'), '1 ACK');
    assert.equal(tagOf(h(ack401, 'to')), 'x1');
    assert.equal(h(i2, 'cseq'), '2 INVITE');
    const p = digestParams(h(i2, 'authorization'));
    assert.equal(p.get('uri'), i2.uri);
    assert.equal(p.get('response'), expectedDigest('101', 'snom', 'pw', 'INVITE', p));
    const ack200 = await peer.next((m) => m.method === 'ACK' && h(m, 'cseq') === '2 ACK');
    assert.notEqual(branchOf(ack200), branchOf(i2));
  });

  it('INVITE refused (486) → ACK and E_SIP; dropped first INVITE is retransmitted (timer A)', async () => {
    const { peer, client, target } = await setup();
    peer.onMessage = (m) => {
      if (m.method === 'INVITE' && peer.requests('INVITE').length === 2) peer.reply(m, 486, 'Busy Here');
    };
    await assert.rejects(
      UaCstaSession.open({ client, target }),
      (e: Error & { code: string; details: { status?: number } }) => e.code === 'E_SIP' && e.details.status === 486,
    );
    const [i1, i2] = peer.requests('INVITE');
    assert.equal(i2.raw, i1.raw);
    const ack = await peer.next((m) => m.method === 'ACK');
    assert.equal(branchOf(ack), branchOf(i1));
  });

  it('a retransmitted 2xx to the INVITE gets the ACK again', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => m.method === 'INVITE' && phone.answerInvite(m);
    await UaCstaSession.open({ client, target });
    const a1 = await peer.next((m) => m.method === 'ACK');
    phone.answerInvite(phone.invite!); // the phone did not see the ACK
    const a2 = await peer.next((m) => m.method === 'ACK');
    assert.equal(a2.raw, a1.raw);
  });

  it('INVITE with only a 100 Trying: E_TIMEOUT at timer B, CANCEL sent; the late 487 is ACKed, a late 200 is ACKed and ended with BYE', async () => {
    const { peer, client, target } = await setup('udp');
    peer.onMessage = (m) => {
      if (
        m.method === 'INVITE' &&
        distinct(peer.requests('INVITE')).length === 1 &&
        peer.requests('INVITE').length === 1
      )
        peer.reply(m, 100, 'Trying');
      if (m.method === 'CANCEL') {
        peer.reply(m, 200, 'OK');
        peer.reply(peer.requests('INVITE')[0], 487, 'Request Terminated', { toTag: 'late' });
      }
      if (m.method === 'BYE') peer.reply(m, 200, 'OK');
    };
    await assert.rejects(UaCstaSession.open({ client, target }), { code: 'E_TIMEOUT' });
    const inv = peer.requests('INVITE')[0];
    const cancel = await peer.next((m) => m.method === 'CANCEL');
    assert.equal(branchOf(cancel), branchOf(inv));
    assert.equal(cancel.uri, inv.uri);
    assert.equal(h(cancel, 'cseq'), '1 CANCEL');
    assert.equal(h(cancel, 'call-id'), h(inv, 'call-id'));
    const ack = await peer.next((m) => m.method === 'ACK');
    assert.equal(branchOf(ack), branchOf(inv));
    assert.equal(tagOf(h(ack, 'to')), 'late');

    // Another INVITE that times out, then a 200 arrives after all: ACK, then BYE.
    peer.onMessage = (m) => {
      if (m.method === 'INVITE' && peer.requests('INVITE').length === 2) peer.reply(m, 100, 'Trying');
      if (m.method === 'BYE') peer.reply(m, 200, 'OK');
    };
    await assert.rejects(UaCstaSession.open({ client, target }), { code: 'E_TIMEOUT' });
    const inv2 = distinct(peer.requests('INVITE'))[1];
    peer.reply(inv2, 200, 'OK', { toTag: 'late2', headers: [`Contact: <sip:101@127.0.0.1:${peer.port}>`] });
    const ack2 = await peer.next((m) => m.method === 'ACK' && tagOf(h(m, 'to')) === 'late2');
    assert.notEqual(branchOf(ack2), branchOf(inv2));
    const bye = await peer.next((m) => m.method === 'BYE');
    assert.equal(h(bye, 'call-id'), h(inv2, 'call-id'));
    assert.equal(tagOf(h(bye, 'to')), 'late2');
  });

  it('over TCP, the phone may open its own connection to our Contact for an in-dialog request', async () => {
    const { peer, client, phone, target } = await setup('tcp');
    peer.onMessage = (m) => m.method === 'INVITE' && phone.answerInvite(m);
    const s = await UaCstaSession.open({ client, target });
    const got = new Promise<string>((r) => s.on('event', r));
    const inv = phone.invite!;
    const port = Number(/:(\d+)[;>]/.exec(h(inv, 'contact'))![1]);
    // Not on the connection the INVITE came on: a new one, to the listening port in Contact.
    const sent = phone.request('INFO', DELIVERED, { via: { address: '127.0.0.1', port } });
    assert.equal(await got, DELIVERED);
    const ok = await peer.next((m) => m.status === 200 && branchOf(m) === sent.branch);
    assert.notEqual(ok.socket, inv.socket);
  });

  it('a re-INVITE from the phone gets 200 with Contact, repeated until the ACK, and moves the remote target', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => {
      if (m.method === 'INVITE') phone.answerInvite(m);
      if (m.method === 'INFO') peer.reply(m, 200, 'OK', { body: MONITOR_START_RESPONSE });
    };
    const s = await UaCstaSession.open({ client, target });
    const reinvite = phone.request('INVITE', '', { contact: `<sip:101-moved@127.0.0.1:${peer.port}>` });
    const ok1 = await peer.next((m) => m.status === 200 && branchOf(m) === reinvite.branch);
    assert.match(h(ok1, 'contact'), /^<sip:node-red@127\.0\.0\.1:\d+>$/);
    const ok2 = await peer.next((m) => m.status === 200 && branchOf(m) === reinvite.branch);
    assert.equal(ok2.raw, ok1.raw, 'the 2xx is repeated while no ACK comes');
    phone.ack();
    await s.request(MONITOR_START);
    assert.equal(peer.requests('INFO')[0].uri, `sip:101-moved@127.0.0.1:${peer.port}`);
  });

  it('over TCP too: association, INFO with response, event from the phone on the same connection', async () => {
    const { peer, client, phone, target } = await setup('tcp');
    peer.onMessage = (m) => {
      if (m.method === 'INVITE') phone.answerInvite(m);
      if (m.method === 'INFO')
        peer.reply(m, 200, 'OK', { headers: ['Content-Type: application/csta+xml'], body: MONITOR_START_RESPONSE });
    };
    const s = await UaCstaSession.open({ client, target });
    assert.equal((await s.request(MONITOR_START)).body, MONITOR_START_RESPONSE);
    const got = new Promise<string>((r) => s.on('event', r));
    phone.request('INFO', DELIVERED);
    assert.equal(await got, DELIVERED);
    assert.match(h(phone.invite!, 'via'), /^SIP\/2\.0\/TCP /);
  });

  it('a request for an unknown dialog gets 481; out of dialog OPTIONS gets 200, other methods 405', async () => {
    const { peer, client, phone, target } = await setup();
    peer.onMessage = (m) => m.method === 'INVITE' && phone.answerInvite(m);
    await UaCstaSession.open({ client, target });
    const inv = phone.invite!;
    const contact = /<([^>]+)>/.exec(h(inv, 'contact'))![1];
    const mk = (method: string, toTag: string, branch: string) =>
      [
        `${method} ${contact} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=${branch}`,
        `From: <sip:101@127.0.0.1>;tag=zz`,
        `To: <sip:node-red@127.0.0.1>${toTag}`,
        `Call-ID: other`,
        `CSeq: 1 ${method}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    for (const [method, toTag, status] of [
      ['INFO', ';tag=nope', 481],
      ['OPTIONS', '', 200],
      ['MESSAGE', '', 405],
    ] as const) {
      const branch = `z9hG4bKq${method}`;
      peer.send(mk(method, toTag, branch), inv.remote);
      assert.equal((await peer.next((m) => m.status !== undefined && branchOf(m) === branch)).status, status, method);
    }
  });
});
