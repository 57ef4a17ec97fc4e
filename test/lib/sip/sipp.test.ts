/**
 * Interop with an independent SIP implementation: SIPp (Debian's sip-tester)
 * started on loopback as the phone (UAS), with the scenarios in ./scenarios.
 * Each scenario checks the request line, headers and body of one message kind
 * with regexps (ereg check_it) and answers as a phone would; SIPp's exit code
 * says whether every check held. Skips loudly without sipp; REQUIRE_INTEROP=1
 * turns the skip into a failure.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SnomError } from '../../../src/lib/errors';
import {
  buildButtonsMessage,
  buildCheckSyncNotify,
  buildMinibrowserNotify,
  buildTalkHoldNotify,
  cstaRootName,
  SipClient,
  UaCstaSession,
  type SipTransportName,
} from '../../../src/lib/sip';

const SIPP = process.env.SIPP_BIN ?? '/usr/bin/sipp'; // override only to try the skip path
// The scenarios are XML next to the TypeScript sources; tests run from dist/.
const SCENARIOS = path.resolve(__dirname, '../../../../test/lib/sip/scenarios');
const SIPP_TIMEOUT_S = 15;

const ED5 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed5';
const DOOR_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<SnomIPPhoneText><Title>Door</Title><Text>Visitor at the door</Text></SnomIPPhoneText>';

function canBind(transport: SipTransportName, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (transport === 'udp') {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    } else {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    }
  });
}

async function freePort(transport: SipTransportName): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (await canBind(transport, port)) return port;
  }
}

/** Media echo ports: SIPp binds mp and mp+2 even when a scenario has no media. */
async function freeMediaPort(): Promise<number> {
  for (;;) {
    const p = 2 * Math.floor((20000 + Math.random() * 30000) / 2);
    if ((await canBind('udp', p)) && (await canBind('udp', p + 2))) return p;
  }
}

interface SippRun {
  port: number;
  exited: Promise<{ code: number | null; report: string }>;
  child: ChildProcess;
}

async function startSipp(scenario: string, transport: SipTransportName, extra: string[] = []): Promise<SippRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'snom-sipp-'));
  const port = await freePort(transport);
  const args = [
    '-sf',
    path.join(SCENARIOS, scenario),
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-t',
    transport === 'udp' ? 'u1' : 't1',
    '-m',
    '1',
    '-nostdin',
    '-timeout',
    `${SIPP_TIMEOUT_S}s`,
    '-timeout_error',
    '-ci',
    '127.0.0.1',
    '-mi',
    '127.0.0.1',
    '-mp',
    String(await freeMediaPort()),
    '-trace_err',
    '-error_file',
    path.join(dir, 'errors.log'),
    '-trace_msg',
    '-message_file',
    path.join(dir, 'messages.log'),
    ...extra,
  ];
  const child = spawn(SIPP, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; report: string }>((resolve) => {
    child.once('exit', (code) => {
      const read = (f: string) => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8') : '');
      const report = `--- SIPp stderr\n${stderr}\n--- errors.log\n${read('errors.log')}\n--- messages.log (tail)\n${read('messages.log').slice(-4000)}`;
      if (!process.env.KEEP_SIPP_DIR) rmSync(dir, { recursive: true, force: true });
      resolve({ code, report });
    });
  });
  // Ready when its SIP port is taken.
  const deadline = Date.now() + 10000;
  while (await canBind(transport, port)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const r = await Promise.race([
        exited,
        new Promise<{ code: null; report: string }>((res) => setTimeout(() => res({ code: null, report: '' }), 2000)),
      ]);
      child.kill('SIGKILL');
      throw new Error(`sipp did not start on ${transport} port ${port}\n${r.report}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, exited, child };
}

describe('lib/sip interop with SIPp as the phone', function () {
  this.timeout(40000);
  const clients: SipClient[] = [];
  const runs: SippRun[] = [];

  before(function () {
    if (!existsSync(SIPP)) {
      if (process.env.REQUIRE_INTEROP === '1')
        throw new Error(`REQUIRE_INTEROP=1 but ${SIPP} is missing (apt-get install sip-tester)`);
      console.warn('SKIPPED: SIPp interop tests: sipp is not installed (apt-get install sip-tester)');
      this.skip();
    }
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const r of runs.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  });

  /** Runs one scenario; `drive` talks to SIPp; then SIPp's own verdict must be success (unless `expectSippFailure`). */
  async function scenario(
    file: string,
    transport: SipTransportName,
    drive: (client: SipClient, target: { host: string; port: number; user: string }) => Promise<void>,
    o: { extra?: string[]; t1?: number; expectSippFailure?: boolean } = {},
  ): Promise<void> {
    const run = await startSipp(file, transport, o.extra);
    runs.push(run);
    const client = new SipClient({ transport, localAddress: '127.0.0.1', timers: o.t1 ? { t1: o.t1 } : undefined });
    clients.push(client);
    // A SIPp that fails a check mid-way exits at once; do not wait for the client's own timeouts then.
    const sippFailed = run.exited.then((r) => {
      if (r.code !== 0 && !o.expectSippFailure)
        throw new Error(`SIPp exited (${r.code}) before the client finished\n${r.report}`);
      return new Promise<never>(() => undefined);
    });
    await Promise.race([drive(client, { host: '127.0.0.1', port: run.port, user: '101' }), sippFailed]);
    const bound = new Promise<{ code: null; report: string }>((r) =>
      setTimeout(() => r({ code: null, report: 'SIPp did not exit in time' }), (SIPP_TIMEOUT_S + 5) * 1000).unref(),
    );
    const { code, report } = await Promise.race([run.exited, bound]);
    if (o.expectSippFailure) assert.notEqual(code, 0, `SIPp should have failed the call\n${report}`);
    else assert.equal(code, 0, `SIPp reports a failed check (exit ${code})\n${report}`);
  }

  for (const transport of ['udp', 'tcp'] as const) {
    it(`minibrowser NOTIFY over ${transport.toUpperCase()}: request line, mandatory headers, application/snomxml, no Event, body`, async () => {
      await scenario('minibrowser-notify.xml', transport, async (client, target) => {
        const res = await client.send(buildMinibrowserNotify({ xml: DOOR_XML }), { target });
        assert.equal(res.status, 200);
      });
    });
  }

  it('UDP retransmission: SIPp drops the first NOTIFY; timer E resends the same request, SIPp answers the copy', async () => {
    await scenario(
      'minibrowser-notify-retransmit.xml',
      'udp',
      async (client, target) => {
        const res = await client.send(buildMinibrowserNotify({ xml: DOOR_XML }), { target });
        assert.equal(res.status, 200);
        assert.ok(client.stats.retransmissions >= 1);
      },
      { extra: ['-nr'] },
    );
  });

  for (const event of ['talk', 'hold'] as const) {
    it(`Event: ${event} NOTIFY, out of dialog, no body`, async () => {
      await scenario(`${event}-notify.xml`, 'udp', async (client, target) => {
        assert.equal((await client.send(buildTalkHoldNotify({ event }), { target })).status, 200);
      });
    });
  }

  it('x-buttons MESSAGE: Subject, Content-Type, two lamps in CRLF lines', async () => {
    await scenario('buttons-message.xml', 'udp', async (client, target) => {
      const spec = buildButtonsMessage({
        lamps: [
          { key: 6, light: 'on', colour: 'red', label: 'Door' },
          { key: 7, light: 'off' },
        ],
      });
      assert.equal((await client.send(spec, { target })).status, 200);
    });
  });

  it('check-sync NOTIFY answered after a 401 Digest challenge (SIPp verifyauth)', async () => {
    await scenario('checksync-notify-auth.xml', 'udp', async (client, target) => {
      const res = await client.send(buildCheckSyncNotify(), {
        target,
        credentials: { user: '101', password: 'check-sync secret' },
      });
      assert.equal(res.status, 200);
    });
  });

  it('check-sync with a wrong password: SIPp finds the Digest response wrong, the client gets E_SIP 403', async () => {
    await scenario(
      'checksync-notify-auth.xml',
      'udp',
      async (client, target) => {
        await assert.rejects(
          client.send(buildCheckSyncNotify(), { target, credentials: { user: '101', password: 'not the secret' } }),
          (e: unknown) => e instanceof SnomError && e.code === 'E_SIP' && e.status === 403,
        );
      },
      { expectSippFailure: true },
    );
  });

  for (const transport of ['udp', 'tcp'] as const) {
    it(`uaCSTA over ${transport.toUpperCase()}: association INVITE/ACK, INFO request, event INFO, response in a separate INFO, BYE`, async () => {
      await scenario('uacsta.xml', transport, async (client, target) => {
        const s = await UaCstaSession.open({ client, target });
        assert.equal(cstaRootName(s.inviteResponse.body), 'RequestSystemStatusResponse');
        const event = new Promise<string>((r) => s.once('event', r));
        const r1 = await s.request(
          `<MonitorStart xmlns='${ED5}' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><monitorObject><deviceObject>sip:101@127.0.0.1</deviceObject></monitorObject></MonitorStart>`,
          'csta MonitorStart',
        );
        assert.equal(r1.via, 'response');
        assert.match(r1.body, /<monitorCrossRefID>43<\/monitorCrossRefID>/);
        assert.equal(cstaRootName(await event), 'DeliveredEvent');
        const r2 = await s.request(
          `<SnapshotDevice xmlns="${ED5}"><snapshotObject>sip:101@127.0.0.1</snapshotObject></SnapshotDevice>`,
        );
        assert.equal(r2.via, 'info');
        assert.equal(cstaRootName(r2.body), 'SnapshotDeviceResponse');
        await s.close();
      });
    });
  }
});
