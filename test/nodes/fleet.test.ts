// msg.target inside a real Node-RED runtime: the fleet decides which phones get the credentials,
// aliases share one queue, each phone its own profile, and a target's failure stays its own.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimPhone } from '../../src/simulator/phone';
import { catchNode, collect, helper, nodeModule, phoneConfig, statusNode } from '../support/red';
import { SIM_PASSWORD, SIM_USER, simFaults, simJson, simReset, simState, startPhones, stopAll } from '../support/sim';
import { until } from '../support/until';

const phoneNode = nodeModule('snom-phone');
const keyNode = nodeModule('snom-key');
const commandNode = nodeModule('snom-command');
const touchNode = nodeModule('snom-touch');
const creds = { p1: { user: SIM_USER, password: SIM_PASSWORD } };
const BASIC_TOKEN = Buffer.from(`${SIM_USER}:${SIM_PASSWORD}`).toString('base64');

function portOf(p: SimPhone): number {
  return Number(new URL(p.url).port);
}

/** A host that asks for Basic and records every Authorization header it is sent. */
async function basicHarvester(): Promise<{ port: number; seen: Array<string | undefined>; close(): Promise<void> }> {
  const seen: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="snom"', 'Content-Type': 'text/html' });
    res.end('<html>401 Unauthorized</html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function flow(url: string, phoneExtra: Record<string, unknown> = {}) {
  return [
    phoneConfig('p1', url, phoneExtra),
    { id: 'k1', type: 'snom-key', phone: 'p1', keys: '', wires: [['out']] },
    { id: 'k2', type: 'snom-key', phone: 'p1', keys: '', wires: [['out2']] },
    { id: 'cmd', type: 'snom-command', phone: 'p1', command: 'transferStart', transferTarget: '12', wires: [['out']] },
    { id: 't1', type: 'snom-touch', phone: 'p1', touch: '', wires: [['out']] },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['err']] },
    // one status node (the test helper loads a core module once per node of its type)
    { id: 's1', type: 'status', scope: ['k1', 'k2'], wires: [['st']] },
    { id: 'out', type: 'helper' },
    { id: 'out2', type: 'helper' },
    { id: 'err', type: 'helper' },
    { id: 'st', type: 'helper' },
  ];
}

describe('msg.target and the fleet (snom-phone)', function () {
  this.timeout(30000);
  let home: SimPhone; // the configured phone
  let other: SimPhone; // a fleet phone
  let s870: SimPhone;
  let basicPhone: SimPhone;
  const nodes = [phoneNode, keyNode, commandNode, touchNode, catchNode, statusNode];
  /** status messages of one node */
  const of = (c: { msgs: any[] }, id: string) => c.msgs.filter((m) => m.status.source?.id === id);

  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    [home, other, s870, basicPhone] = await startPhones([
      { model: 'D785', firmware: '10.1.33.33', auth: 'digest' },
      { model: 'D785', firmware: '10.1.33.33', auth: 'digest' },
      { model: 'snom870', firmware: '8.7.5.35', auth: 'digest' },
      { model: 'D785', firmware: '10.1.33.33', auth: 'basic' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [home, other, s870, basicPhone]) await simReset(p);
  });
  after(async () => {
    await stopAll([home, other, s870, basicPhone]);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  async function load(
    phoneExtra: Record<string, unknown>,
    url = home.url,
    credentials: Record<string, unknown> = creds,
  ) {
    await helper.load(nodes, flow(url, phoneExtra), credentials);
    return {
      out: collect(helper.getNode('out')),
      out2: collect(helper.getNode('out2')),
      err: collect(helper.getNode('err')),
      st: collect(helper.getNode('st')),
    };
  }

  async function nothingSent(...phones: SimPhone[]): Promise<void> {
    for (const p of phones) assert.equal((await simState(p)).requests, 0, `${p.url} was asked something`);
  }

  describe('which phones get the credentials', () => {
    it('refuses a target outside the fleet with E_INPUT naming the fleet setting, a red status, and sends nothing', async () => {
      const outsider = await basicHarvester();
      try {
        const c = await load({ fleet: `127.0.0.1:${portOf(other)}\n10.1.2.0/24` });
        helper.getNode('k1').receive({ payload: 'P1', target: `127.0.0.1:${outsider.port}` });
        const [e] = await c.err.wait(1);
        assert.equal(e.error.code, 'E_INPUT');
        assert.match(e.error.message, /not in the fleet of snom-phone .*"Fleet" in the snom-phone config/);
        assert.equal(e.snom.error.field, 'fleet');
        await c.st.wait(1);
        assert.ok(c.st.msgs.some((m) => m.status.fill === 'red' && /E_INPUT/.test(m.status.text)));
        assert.deepEqual(outsider.seen, []);
        await nothingSent(home, other);
      } finally {
        await outsider.close();
      }
    });

    it('with an empty fleet refuses msg.target and says how to allow it', async () => {
      const outsider = await basicHarvester();
      try {
        const c = await load({});
        helper.getNode('k1').receive({ payload: 'P1', target: [`127.0.0.1:${outsider.port}`] });
        const [e] = await c.err.wait(1);
        assert.equal(e.error.code, 'E_INPUT');
        assert.match(
          e.error.message,
          /fleet of snom-phone .* is empty.*To allow it, list the phones .* under "Fleet" in the snom-phone config/,
        );
        assert.deepEqual(outsider.seen, []);
        await nothingSent(home);
      } finally {
        await outsider.close();
      }
    });

    it('msg.target "*" sends to every host listed in the fleet, not to ranges and not to the configured phone', async () => {
      const c = await load({ fleet: `127.0.0.1:${portOf(other)}, LOCALHOST:${portOf(s870)}\n10.0.0.0/8\nfd00::/8` });
      helper.getNode('k1').receive({ payload: 'P2', target: '*' });
      const msgs = await c.out.wait(2);
      assert.deepEqual(
        msgs.map((m) => m.snom.phone).sort(),
        [`127.0.0.1:${portOf(other)}`, `127.0.0.1:${portOf(s870)}`].sort(),
      );
      assert.deepEqual(
        (await simState(other)).keys.map((k) => k.key),
        ['P2'],
      );
      assert.deepEqual(
        (await simState(s870)).keys.map((k) => k.key),
        ['P2'],
      );
      await nothingSent(home);
      assert.equal(c.err.msgs.length, 0);
    });

    it('an invalid fleet entry: red status on the nodes, an error at deploy, msg.target refused; the phone itself still works', async () => {
      const c = await load({ fleet: `127.0.0.1:${portOf(other)}\n10.0.0.0/33` });
      // the phone's state is what every node using it shows
      assert.deepEqual(helper.getNode('p1').state.get(), { fill: 'red', shape: 'ring', text: 'invalid fleet' });
      const logged = helper.log().args.filter((a: any[]) => a[0]?.type === 'snom-phone' && a[0]?.level === 20);
      assert.ok(
        logged.some((a: any[]) =>
          /The fleet is invalid: fleet entry "10\.0\.0\.0\/33"/.test(String(a[0].msg?.message)),
        ),
        'logged at deploy',
      );
      helper.getNode('k1').receive({ payload: 'P1', target: `127.0.0.1:${portOf(other)}` });
      const [e] = await c.err.wait(1);
      assert.equal(e.error.code, 'E_INPUT');
      assert.match(
        e.error.message,
        /fleet of snom-phone .* is invalid \(The fleet is invalid: fleet entry "10\.0\.0\.0\/33" has an IPv4 prefix above 32\)/,
      );
      await nothingSent(other);
      helper.getNode('k1').receive({ payload: 'P3' });
      await c.out.wait(1);
      assert.deepEqual(
        (await simState(home)).keys.map((k) => k.key),
        ['P3'],
      );
      assert.equal(helper.getNode('p1').state.get().text, 'invalid fleet', 'a working phone does not hide the fault');
    });

    for (const target of ['127.0.0.1:0', '127.0.0.1:99999', ['127.0.0.1:1', 'localhost:70000']]) {
      it(`refuses target ports out of range (${JSON.stringify(target)}) with E_INPUT and a red status, sending nothing`, async () => {
        const c = await load({ fleet: '127.0.0.1' });
        helper.getNode('k1').receive({ payload: 'P1', target });
        const [e] = await c.err.wait(1);
        assert.equal(e.error.code, 'E_INPUT');
        assert.match(e.error.message, /port \d+,? (is )?not between 1 and 65535/);
        await c.st.wait(1);
        assert.ok(
          c.st.msgs.some((m) => m.status.fill === 'red' && /E_INPUT/.test(m.status.text)),
          JSON.stringify(c.st.msgs),
        );
        await nothingSent(home);
      });
    }
  });

  describe('no downgrade', () => {
    it('a fleet phone asking for Basic gets nothing while the configured phone uses Digest (learned before, or learned first)', async () => {
      const harvester = await basicHarvester();
      try {
        // learned before: the configured phone answered a command with a Digest challenge
        let c = await load({ fleet: `127.0.0.1:${harvester.port}` });
        helper.getNode('k1').receive({ payload: 'P1' });
        await c.out.wait(1);
        helper.getNode('k1').receive({ payload: 'P1', target: `127.0.0.1:${harvester.port}` });
        let [e] = await c.err.wait(1);
        assert.equal(e.error.code, 'E_AUTH');
        assert.match(
          e.error.message,
          /asks for Basic auth, but the configured phone .* uses Digest: the password is not sent in clear/,
        );
        // not learned yet: one request to the configured phone learns it first
        await helper.unload();
        await simReset(home);
        c = await load({ fleet: `127.0.0.1:${harvester.port}` });
        helper.getNode('k1').receive({ payload: 'P1', target: [`127.0.0.1:${harvester.port}`] });
        [e] = await c.err.wait(1);
        assert.equal(e.error.code, 'E_AUTH');
        assert.ok((await simState(home)).requests > 0, 'the configured phone was asked for its scheme');
        assert.ok(harvester.seen.length >= 2);
        assert.ok(
          harvester.seen.every((a) => a === undefined),
          `the harvester got ${JSON.stringify(harvester.seen)}`,
        );
        assert.ok(!JSON.stringify([c.err.msgs, harvester.seen]).includes(BASIC_TOKEN));
      } finally {
        await harvester.close();
      }
    });

    it('a fleet phone gets Basic when the configured phone itself uses Basic (no downgrade then)', async () => {
      const harvester = await basicHarvester();
      try {
        const c = await load({ fleet: `127.0.0.1:${harvester.port}` }, basicPhone.url);
        helper.getNode('k1').receive({ payload: 'P1', target: `127.0.0.1:${harvester.port}` });
        const [e] = await c.err.wait(1);
        assert.equal(e.error.code, 'E_AUTH');
        assert.match(e.error.message, /user or password not accepted/);
        assert.deepEqual(harvester.seen, [undefined, `Basic ${BASIC_TOKEN}`]);
      } finally {
        await harvester.close();
      }
    });
  });

  describe('one phone, one queue', () => {
    it('8 messages arriving together for a new target: one client, the phone (40 ms latency) never sees 2 requests at once', async () => {
      await simFaults(other, { latencyMs: 40 });
      const c = await load({ fleet: '127.0.0.1' });
      const k1 = helper.getNode('k1');
      for (let i = 1; i <= 8; i++) k1.receive({ payload: `P${i}`, target: `127.0.0.1:${portOf(other)}` });
      await c.out.wait(8);
      const st = await simState(other);
      assert.equal(st.maxConcurrent, 1, `the phone saw ${st.maxConcurrent} requests at once`);
      assert.deepEqual(
        st.keys.map((k) => k.key),
        ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8'],
      );
      assert.equal(helper.getNode('p1').phone.targetClients, 1);
    });

    it('aliases and the configured host written another way share one queue (40 ms latency)', async () => {
      await simFaults(home, { latencyMs: 40 });
      await simFaults(other, { latencyMs: 40 });
      const c = await load({ fleet: '127.0.0.1' });
      const k1 = helper.getNode('k1');
      const h = portOf(home);
      const o = portOf(other);
      k1.receive({ payload: 'P1' });
      for (const alias of [`LOCALHOST:${h}`, `127.0.0.1.:${h}`, `2130706433:${h}`, `0x7f.1:${h}`])
        k1.receive({ payload: 'P2', target: alias });
      for (const alias of [
        `LOCALHOST:${o}`,
        `127.0.0.1.:${o}`,
        `2130706433:${o}`,
        `[::ffff:127.0.0.1]:${o}`,
        `localhost.:${o}`,
      ])
        k1.receive({ payload: 'P3', target: alias });
      const msgs = await c.out.wait(10);
      for (const p of [home, other]) assert.equal((await simState(p)).maxConcurrent, 1, p.url);
      assert.equal((await simState(home)).keys.length, 5);
      assert.equal((await simState(other)).keys.length, 5);
      assert.deepEqual([...new Set(msgs.map((m) => m.snom.phone))].sort(), [`127.0.0.1:${h}`, `127.0.0.1:${o}`].sort());
      assert.equal(helper.getNode('p1').phone.targetClients, 1);
    });

    it('an attended transfer (4 requests) is never interleaved with other commands on the phone (40 ms latency)', async () => {
      await simFaults(home, { latencyMs: 40 });
      const c = await load({ fleet: '127.0.0.1' });
      const k1 = helper.getNode('k1');
      const cmd = helper.getNode('cmd');
      k1.receive({ payload: 'P1' });
      cmd.receive({});
      k1.receive({ payload: 'P2' });
      k1.receive({ payload: 'P3', target: `LOCALHOST:${portOf(home)}` });
      cmd.receive({ target: `2130706433:${portOf(home)}` });
      k1.receive({ payload: 'P4' });
      await c.out.wait(6);
      const keys = (await simState(home)).keys.map((k) => k.key);
      assert.deepEqual(keys, ['P1', 'F_HOLD', '1', '2', 'ENTER', 'P2', 'P3', 'F_HOLD', '1', '2', 'ENTER', 'P4']);
      assert.equal((await simState(home)).maxConcurrent, 1);
    });

    it("a command's timeout bounds its whole life: a queued message with 300 ms fails while the first one still waits, and is never sent", async () => {
      const c = await load({});
      await simFaults(home, { stall: true, count: 1 });
      const k1 = helper.getNode('k1');
      k1.receive({ payload: 'P1', timeout: 20000 });
      k1.receive({ payload: 'P2', timeout: 300 });
      const [e] = await c.err.wait(1, 5000);
      assert.equal(e.error.code, 'E_TIMEOUT');
      assert.match(e.error.message, /waited for its turn.*nothing was sent/);
      assert.equal(c.out.msgs.length, 0, 'the first message is still waiting for the phone');
      assert.equal((await simState(home)).concurrent, 1);
      await simJson(home, 'DELETE', 'faults');
      await c.out.wait(1);
      k1.receive({ payload: 'P3' });
      await c.out.wait(2);
      assert.deepEqual(
        (await simState(home)).keys.map((k) => k.key),
        ['P1', 'P3'],
      );
    });
  });

  describe('each phone its own profile and its own failures', () => {
    it('with model and firmware on detect, each target detects its own: touch to a D785 is refused for it, the snom870 is touched', async () => {
      const c = await load({ model: 'detect', firmware: 'detect', fleet: '127.0.0.1' });
      helper
        .getNode('t1')
        .receive({ payload: '100 200 pr', target: [`127.0.0.1:${portOf(s870)}`, `127.0.0.1:${portOf(other)}`] });
      const [ok] = await c.out.wait(1);
      const [e] = await c.err.wait(1);
      assert.equal(ok.snom.phone, `127.0.0.1:${portOf(s870)}`);
      assert.deepEqual(
        (await simState(s870)).touches.map((t) => [t.x, t.y, t.action]),
        [[100, 200, 'pr']],
      );
      assert.equal(e.snom.phone, `127.0.0.1:${portOf(other)}`);
      assert.equal(e.error.code, 'E_UNSUPPORTED');
      const st = await simState(other);
      assert.equal(st.touches.length, 0);
      assert.ok(
        st.log.filter((x) => x.kind === 'request').every((x) => x.path === '/info.htm'),
        'only detection reached the D785',
      );
    });

    it('with model and firmware set, they apply to every target', async () => {
      const c = await load({ model: 'snom870', firmware: '8.7.5.35', fleet: '127.0.0.1' });
      helper
        .getNode('t1')
        .receive({ payload: '10 20', target: [`127.0.0.1:${portOf(s870)}`, `127.0.0.1:${portOf(other)}`] });
      await until('both answers', async () => (c.out.msgs.length + c.err.msgs.length === 2 ? true : undefined));
      // neither phone was asked for its model: the configured one counts for both
      for (const p of [s870, other]) {
        const st = await simState(p);
        assert.ok(!st.log.some((x) => x.kind === 'request' && x.path === '/info.htm'), p.url);
        assert.ok(
          st.log.some((x) => x.kind === 'request' && x.path === '/command.htm'),
          `${p.url} got the touch`,
        );
      }
    });

    it("a failing target colours its own message, not the configured phone's status on every node", async () => {
      const c = await load({ fleet: '127.0.0.1' });
      helper.getNode('k1').receive({ payload: 'P1', target: [`127.0.0.1:${portOf(home)}`, '127.0.0.1:1'] });
      const [ok] = await c.out.wait(1);
      const [e] = await c.err.wait(1);
      assert.equal(ok.snom.phone, `127.0.0.1:${portOf(home)}`);
      assert.equal(e.error.code, 'E_UNREACHABLE');
      assert.equal(e.snom.phone, '127.0.0.1:1');
      assert.equal(e.snom.error.code, 'E_UNREACHABLE');
      await c.st.wait(2);
      // k2 uses the same phone and sent nothing: it never turns red
      assert.ok(!of(c.st, 'k2').some((m) => m.status.fill === 'red'), JSON.stringify(c.st.msgs));
      assert.equal(helper.getNode('p1').state.get()?.fill, 'green');
      assert.ok(
        of(c.st, 'k1').some((m) => m.status.fill === 'yellow' && /1 of 2 phones, E_UNREACHABLE/.test(m.status.text)),
        JSON.stringify(c.st.msgs),
      );
    });
  });
});
