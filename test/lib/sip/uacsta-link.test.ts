/**
 * UaCstaLink against the simulator's uaCSTA (an independent implementation, src/simulator/sip):
 * one association reused by requests and monitors, events routed to their monitor, and the
 * association set up again with its monitors after the phone forgets it (reboot, drop).
 */
import assert from 'node:assert/strict';
import { SipClient, UaCstaLink, type MonitorStatus } from '../../../src/lib/sip';
import {
  buildCstaRequest,
  buildMonitorStart,
  buildMonitorStop,
  parseCstaResponse,
  type CstaEvent,
} from '../../../src/lib/csta';
import { resolveProfile, uaCstaCaps } from '../../../src/lib/profile';
import type { SimPhone } from '../../../src/simulator/phone';
import { request } from '../../simulator/helpers';
import { calls, ring, settings, sim, sipPhone, sipState } from '../../simulator/sip/helpers';
import { until } from '../../support/until';

const DEVICE = 'sip:455455@ser.intern.snom.de';

describe('lib/sip: UaCstaLink against the simulator', () => {
  let phone: SimPhone;
  let client: SipClient;
  let link: UaCstaLink;

  async function start(firmware: string): Promise<void> {
    phone = await sipPhone({ firmware, identities: [DEVICE] });
    await settings(phone, { csta_control: 'on' });
    client = new SipClient({ transport: 'udp', localAddress: '127.0.0.1', timers: { t1: 40, t2: 160, timeout: 2000 } });
    link = new UaCstaLink({
      endpoint: () => ({ client, target: { host: '127.0.0.1', port: phone.sipPorts!.udp, user: '455455' } }),
      retryMs: 50,
      retryMaxMs: 200,
    });
  }
  afterEach(async () => {
    await link?.close();
    await client?.close();
    await phone?.stop();
  });

  const caps = () => uaCstaCaps(resolveProfile({ model: 'D785', firmware: phone.config.firmware }));

  function watch(keepAliveMs = 100) {
    const events: CstaEvent[] = [];
    const states: MonitorStatus[] = [];
    const handle = link.monitor({
      start: buildMonitorStart(DEVICE, caps()),
      stop: caps().extendedOps ? (ref) => buildMonitorStop(ref, caps()) : undefined,
      keepAliveMs,
      onEvent: (ev) => events.push(ev),
      onStatus: (s) => states.push(s),
    });
    return { events, states, handle };
  }

  it('8.7.1: one association carries MonitorStart and AnswerCall; Delivered → Established → ConnectionCleared arrive with the call id', async () => {
    await start('8.7.1');
    const w = watch(60000);
    await until('monitoring', async () => (w.handle.status.state === 'monitoring' ? true : undefined));
    const id = await ring(phone);
    await until('delivered', async () => (w.events.some((e) => e.event === 'delivered') ? true : undefined));
    const answer = buildCstaRequest('AnswerCall', { callId: id, deviceId: DEVICE }, caps());
    const reply = await link.request(answer.body, 'csta AnswerCall');
    assert.equal(parseCstaResponse(200, reply.body).operation, 'AnswerCallResponse');
    assert.equal((await calls(phone))[0].state, 'connected');
    const clear = buildCstaRequest('ClearConnection', { callId: id, deviceId: DEVICE }, caps());
    await link.request(clear.body, 'csta ClearConnection');
    await until('cleared', async () => (w.events.some((e) => e.event === 'connectionCleared') ? true : undefined));
    assert.deepEqual(
      w.events.map((e) => [e.event, e.cstaId]),
      [
        ['delivered', id],
        ['established', id],
        ['connectionCleared', id],
      ],
    );
    assert.equal(w.events[0].devices.callingDevice, 'sip:200@pbx.local');
    assert.equal(link.opened, 1);
    assert.equal((await sipState(phone)).associations.length, 1);
  });

  it('a reboot (the phone forgets the association silently): the keep-alive notices, monitoring comes back, events flow again', async () => {
    await start('8.7.1');
    const w = watch(100);
    await until('monitoring', async () => (w.handle.status.state === 'monitoring' ? true : undefined));
    const r = await request(`${phone.url}/advanced_update.htm?reboot=Reboot`);
    assert.equal(r.status, 200);
    await until('lost', async () => (w.states.some((s) => s.state === 'lost') ? true : undefined));
    await until('back', async () =>
      w.handle.status.state === 'monitoring' && w.handle.status.restarts === 1 ? true : undefined,
    );
    assert.equal(link.opened, 2);
    const id = await ring(phone);
    await until('delivered after reboot', async () => (w.events.some((e) => e.cstaId === id) ? true : undefined));
  });

  it('a request after the phone dropped the association (481) is sent again on a new one', async () => {
    await start('8.7.4');
    await link.request(buildCstaRequest('RequestSystemStatus', {}, caps()).body, 'csta RequestSystemStatus');
    await sim(phone, 'DELETE', 'sip/associations');
    const id = await ring(phone);
    const reply = await link.request(
      buildCstaRequest('AnswerCall', { callId: id, deviceId: 1 }, caps()).body,
      'csta AnswerCall',
    );
    assert.equal(parseCstaResponse(200, reply.body).operation, 'AnswerCallResponse');
    assert.equal(link.opened, 2);
  });

  it('8.7.4: closing a monitor sends MonitorStop; closing the link ends the association with BYE', async () => {
    await start('8.7.4');
    const w = watch(60000);
    await until('monitoring', async () => (w.handle.status.state === 'monitoring' ? true : undefined));
    assert.equal((await sipState(phone)).associations[0].monitors.length, 1);
    await w.handle.close();
    assert.equal((await sipState(phone)).associations[0].monitors.length, 0);
    await link.close();
    const s = await until('ended', async () => {
      const v = await sipState(phone);
      return v.associations.length === 0 ? v : undefined;
    });
    assert.match(s.ended[0].why, /BYE/);
  });
});
