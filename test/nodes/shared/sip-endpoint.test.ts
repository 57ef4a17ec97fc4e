// The SIP side of a snom-phone config (src/nodes/shared/sip-endpoint.ts, sip-settings.ts): its
// fields read into the lib's SipTarget, and one SipClient per config, bound on first use and
// closed with the config, in a real Node-RED runtime.
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import { buildTalkHoldNotify } from '../../../src/lib/sip';
import { sipSettings } from '../../../src/nodes/shared/sip-settings';
import { helper, nodeModule } from '../../support/red';
import { rejection } from '../../support/assert-error';

describe('snom-phone: SIP address, port, transport and identity', () => {
  it('defaults: the HTTP host without its port, 5060, UDP, no user, any local port', () => {
    const s = sipSettings({ host: 'phone.lan:8080' });
    assert.deepEqual(s.target, { host: 'phone.lan', port: 5060, user: undefined });
    assert.equal(s.transport, 'udp');
    assert.equal(s.localAddress, '0.0.0.0');
    assert.equal(s.localPort, 0);
    assert.equal(s.authUser, undefined);
    assert.equal(sipSettings({ host: '[fe80::1]:80' }).target.host, 'fe80::1');
    assert.equal(sipSettings({ host: '192.168.1.50' }).target.host, '192.168.1.50');
  });

  it('reads every SIP field; the auth user defaults to the SIP user', () => {
    const s = sipSettings({
      host: '192.168.1.50',
      sipHost: 'sip-side.lan',
      sipPort: '5070',
      sipTransport: 'tcp',
      sipUser: '101',
      sipLocalAddress: '127.0.0.1',
      sipLocalPort: 5099,
      sipAdvertisedAddress: '10.0.0.5',
      timeout: '1200',
    });
    assert.deepEqual(s, {
      target: { host: 'sip-side.lan', port: 5070, user: '101' },
      transport: 'tcp',
      authUser: '101',
      localAddress: '127.0.0.1',
      localPort: 5099,
      advertisedAddress: '10.0.0.5',
      timeoutMs: 1200,
    });
    assert.equal(sipSettings({ host: 'h', sipUser: '101', sipAuthUser: 'auth101' }).authUser, 'auth101');
  });

  for (const [field, value, words] of [
    ['sipHost', 'bad host!', /SIP host is not a host name/],
    ['sipPort', '0', /SIP port must be a port number 1–65535/],
    ['sipPort', '70000', /SIP port/],
    ['sipTransport', 'tls', /SIP transport must be "udp" or "tcp", got "tls"/],
    ['sipUser', '10 1', /SIP user must be the user part/],
    ['sipLocalAddress', 'localhost', /local SIP address must be an IP address/],
    ['sipLocalPort', '-1', /local SIP port/],
    ['sipAdvertisedAddress', 'a b', /advertised SIP address/],
  ] as const) {
    it(`refuses ${field} = ${JSON.stringify(value)} with E_INPUT`, () => {
      assert.throws(
        () => sipSettings({ host: '192.168.1.50', [field]: value }),
        (e: any) => e.code === 'E_INPUT' && words.test(e.message),
      );
    });
  }

  describe('in Node-RED: one SipClient per config, closed with it', () => {
    before(() => new Promise<void>((r) => helper.startServer(r)));
    after(() => new Promise<void>((r) => helper.stopServer(r)));
    afterEach(() => helper.unload());

    it('is bound on first use, shared by every caller, and released on redeploy (the port is free again)', async () => {
      // a phone that never answers: we only look at our side's socket
      const peer = dgram.createSocket('udp4');
      await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
      const received: string[] = [];
      peer.on('message', (m) => received.push(m.toString('utf8')));
      const flow = [
        {
          id: 'p1',
          type: 'snom-phone',
          host: '127.0.0.1',
          sipPort: peer.address().port,
          sipLocalAddress: '127.0.0.1',
          sipUser: '101',
          timeout: '200',
        },
      ];
      await helper.load(nodeModule('snom-phone'), flow, { p1: { sipPassword: 'secret' } });
      const cfg = helper.getNode('p1');
      assert.equal(cfg.sip.started, false, 'nothing bound before a node sends');
      assert.deepEqual(cfg.sip.credentials(), { user: '101', password: 'secret' });
      const a = cfg.sip.client();
      assert.equal(cfg.sip.client(), a, 'one client per config');
      const err = await rejection(a.send(buildTalkHoldNotify({ event: 'talk' }), { target: cfg.sip.target() }));
      assert.equal(err.code, 'E_TIMEOUT');
      assert.ok(received.length >= 1 && received[0].startsWith('NOTIFY sip:101@127.0.0.1:'), received[0]);
      const port = a.localPort;
      assert.ok(port > 0);
      await helper.unload();
      // the config's close closed the socket: another socket can take the same port
      const again = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        again.once('error', reject);
        again.bind(port, '127.0.0.1', () => resolve());
      });
      again.close();
      const late = await rejection(a.send(buildTalkHoldNotify({ event: 'talk' }), { target: cfg.sip.target() }));
      assert.equal(late.code, 'E_UNREACHABLE');
      peer.close();
    });
  });
});
