#!/usr/bin/env node
// snom-sim: virtual Snom phones on 127.0.0.1 (for tests, `npm start`, and flows built before a phone arrives).
import * as fs from 'node:fs';
import { startSimPhones, stopAll } from './cluster';
import type { SimPhone } from './phone';
import type { SimDigestAlgorithm, SimPhoneConfig } from './types';

export const HELP = `snom-sim — virtual Snom desk phones on 127.0.0.1

Each phone is an HTTP(S) server that answers like a Snom phone's web server, and a SIP user agent
on UDP and TCP, so that Node-RED flows (or curl, sipp) can be tried without a real phone. Nothing
leaves this machine.

Usage: snom-sim [options]

Options:
  --phones N            how many phones, 1..5000 (default 1; each takes 3 file descriptors: see ulimit -n)
  --model M             model, e.g. D785, D735, D385, snom870, snom320, D865 (default D785)
  --firmware V          firmware version, e.g. 10.1.33.33 or 8.7.5.35 (default 10.1.33.33)
  --port P              first port; further phones take P+1, P+2, ... (default 0 = any free port)
  --auth none|basic|digest   web login (default none)
  --user U              web user (default admin)
  --password P          web password (default 0000; or env SNOM_SIM_PASSWORD)
  --digest-algorithms A offered digest algorithms, comma separated: MD5,MD5-sess,SHA-256,SHA-256-sess
  --qop auth|none       digest qop (default auth)
  --https               serve HTTPS with the built-in self-signed certificate
  --keepalive-delay MS  delay of minibrowser.htm pushes sent with Connection: keep-alive (default 8000)
  --sip-port P          first SIP port, UDP and TCP alike; further phones take P+1, ... (default 0 = any free port)
  --config FILE         JSON array of phone configs ({ model, firmware, auth, port, ... }); overrides the flags above
  -h, --help            this text

Pages a phone answers (GET and POST alike; see the Snom "Remote phone control" page):
  /command.htm?key=KEY[,TIME[,PAUSE]];...      key events (names checked against the model)
  /command.htm?number=N&outgoing_uri=U         dial (answers 302 to /index.htm)
  /command.htm?key_dtmf=123                    DTMF in a call
  /command.htm?RELEASE_ALL_CALLS | LOGOFFALL | LOGOFFLINE=n | FIX_LIL=true
  /command.htm?touch=X Y [p|r|pr] ...          snom870 touch screen (8.4.34+ / 8.7.2+)
  /dummy.htm?REREGISTER=n | swload=load&firmware=URL | settings=save&NAME=VALUE...
  /settings.htm?settings=save&NAME=VALUE...    write settings;  /settings.xml  read them
  /line_login.htm?PLAY_RINGER:X=+Ringer        play ringer X (1..9)
  /advanced_update.htm?reboot=Reboot | reset=Reset
  /index.htm?dialeddel=clear | misseddel=clear | receiveddel=clear
  /minibrowser.htm?url=URL                     the phone fetches URL and keeps the document
  /info.htm                                    model, MAC, firmware, identities
  POST /csta                                   CSTA over HTTP in the dialect of the firmware (7.3.4+ legacy SOAP,
                                               8.7.0-8.7.2 broken, 8.7.3+ current), incl. GetSettings, SetSettings,
                                               XmlPush and FireTest
  D8xx models answer 404 on every remote-control page, as real D8xx phones do.

Calls and Action URLs: keys, dialling and CSTA move calls through ringing, connected, held,
transferred and disconnected; on each change the phone sends a GET to the URL in the matching
action_* setting with $variables filled in (as a real phone does). P-keys programmed
"url <URL>" (setting fkeyN, N = key - 1) call their URL; a key held over 2 s fires
action_longpress_url.

SIP (each phone also listens on 127.0.0.1, UDP and TCP; the ports are printed at start, see docs/protocol.md §10):
  NOTIFY  Content-Type: application/snomxml      minibrowser document, only from hosts in mb_trusted_hosts
                                                 (or a registrar of an identity); else 403
  NOTIFY  Event: talk | hold                     answer the ringing call / retrieve, hold the active call; 481 if none
  NOTIFY  Event: check-sync;reboot=false|true    re-provision (and reboot: calls drop, associations end);
                                                 401 Digest with user_nameN/user_passN when challenge_checksync=on
  MESSAGE Content-Type: application/x-buttons    k=/c=/l=/n=/a= lamps for fkeys set to "button <k>"
  INVITE  Content-Type: application/csta+xml     uaCSTA association (8.7.1+, csta_control=on; csta_challenge=1
                                                 challenges it); CSTA requests in INFO, responses in the 200 OK;
                                                 after MonitorStart the events come as INFO; BYE ends it
  OPTIONS                                        capabilities; other methods 405/501; retransmissions get the same answer

Control API (JSON, no login, not counted as phone requests):
  GET    /sim/state      everything the phone was asked to do (keys, dials, commands, log, ...)
  GET    /sim/received   the phone-page requests exactly as they arrived (method, target, body)
  POST   /sim/reset      forget it all (settings back to the start values)
  POST   /sim/faults     {"latencyMs":500} {"status":500} {"reset":true} {"stall":true}, optional "count":n
  DELETE /sim/faults     clear faults (stalled requests then go on)
  GET    /sim/settings   the settings store;  PUT /sim/settings  {"name":"value"} merges
  POST   /sim/calls      {"remote":"sip:0301234567@pbx.local","displayName":"Ada"} rings the phone → {"cstaId":"-1",...}
  GET    /sim/calls      the calls, DND and forwarding
  POST   /sim/calls/<cstaId>/answer-remote | hangup-remote   the far end answers / hangs up
  GET    /sim/sip        SIP ports, LEDs, check-syncs, talk/hold, uaCSTA associations and events, received messages
  GET    /sim/sip/leds | /sim/sip/associations | /sim/sip/messages      parts of it;  DELETE /sim/sip/messages clears
  DELETE /sim/sip/associations   the phone forgets its uaCSTA associations ({"bye":true}: it sends BYE first)
  POST   /sim/sip/faults {"drop":1} (the next request is lost) {"latencyMs":800} {"silent":true};  DELETE clears

Examples:
  snom-sim --phones 2 --model D785 --auth digest --password secret --port 8081
  curl --digest -u admin:secret 'http://127.0.0.1:8081/command.htm?key=P1'
  curl 'http://127.0.0.1:8081/sim/state'
  curl -X POST -H 'Content-Type: application/json' -d '{"latencyMs":2000,"count":1}' http://127.0.0.1:8081/sim/faults
  curl -X POST http://127.0.0.1:8081/sim/reset
  curl -X POST -H 'Content-Type: application/json' -d '{"remote":"sip:200@pbx.local"}' http://127.0.0.1:8081/sim/calls
  curl -X PUT -d '{"mb_trusted_hosts":"127.0.0.1","csta_control":"on","fkey5":"button 6"}' http://127.0.0.1:8081/sim/settings
  curl http://127.0.0.1:8081/sim/sip/leds

Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
`;

export interface CliResult {
  /** process exit code; 0 also when phones are running */
  code: number;
  phones: SimPhone[];
}

type Flags = Record<string, string | true>;

function parseFlags(argv: string[]): Flags | string {
  const flags: Flags = {};
  const valued = [
    'phones',
    'model',
    'firmware',
    'port',
    'auth',
    'user',
    'password',
    'digest-algorithms',
    'qop',
    'keepalive-delay',
    'config',
    'sip-port',
  ];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') flags.help = true;
    else if (a === '--https') flags.https = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (!valued.includes(name)) return `unknown option ${a}`;
      const value = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (value === undefined) return `option --${name} needs a value`;
      flags[name] = value;
    } else return `unexpected argument ${a}`;
  }
  return flags;
}

function intFlag(flags: Flags, name: string, dflt: number, min: number, max: number): number | string {
  const v = flags[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : `--${name} must be a whole number ${min}..${max}`;
}

/** Phones one process takes: the fan-out bench needs 1,000+; each phone holds three sockets (HTTP, SIP over UDP and TCP). */
export const MAX_PHONES = 5000;

/** Starting many phones can run out of file descriptors: say which limit, not only EMFILE. */
function startError(err: unknown, count: number): string {
  const msg = err instanceof Error ? err.message : String(err);
  if ((err as NodeJS.ErrnoException)?.code === 'EMFILE' || /EMFILE/.test(msg))
    return `${msg}: ${count} phones need more open files than this process may have; raise the limit (ulimit -n) or start fewer phones per process`;
  return msg;
}

/** Builds the phone configs from flags (or the --config file). */
export function configsFromFlags(flags: Flags, env: NodeJS.ProcessEnv): SimPhoneConfig[] | string {
  if (typeof flags.config === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(flags.config, 'utf8'));
    } catch (err) {
      return `cannot read --config ${flags.config}: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (!Array.isArray(parsed) || parsed.length === 0) return '--config must hold a JSON array of phone configs';
    return parsed as SimPhoneConfig[];
  }
  const n = intFlag(flags, 'phones', 1, 1, MAX_PHONES);
  const port = intFlag(flags, 'port', 0, 0, 65535);
  const delay = intFlag(flags, 'keepalive-delay', 8000, 0, 600000);
  const sipPort = intFlag(flags, 'sip-port', 0, 0, 65535);
  for (const v of [n, port, delay, sipPort]) if (typeof v === 'string') return v;
  // consecutive ports must all exist
  for (const [flag, first] of [
    ['port', port],
    ['sip-port', sipPort],
  ] as const) {
    if ((first as number) > 0 && (first as number) + (n as number) - 1 > 65535)
      return `--${flag} ${first} with --phones ${n} runs past port 65535`;
  }
  const auth = (flags.auth ?? 'none') as SimPhoneConfig['auth'];
  if (!['none', 'basic', 'digest'].includes(auth)) return '--auth must be none, basic or digest';
  const qop = flags.qop as SimPhoneConfig['qop'] | undefined;
  if (qop !== undefined && qop !== 'auth' && qop !== 'none') return '--qop must be auth or none';
  const algs =
    typeof flags['digest-algorithms'] === 'string'
      ? ((flags['digest-algorithms'] as string).split(',').map((s) => s.trim()) as SimDigestAlgorithm[])
      : undefined;
  const password = typeof flags.password === 'string' ? flags.password : env.SNOM_SIM_PASSWORD;
  const configs: SimPhoneConfig[] = [];
  for (let i = 0; i < (n as number); i++) {
    configs.push({
      name: `phone${i + 1}`,
      port: port === 0 ? 0 : (port as number) + i,
      model: typeof flags.model === 'string' ? flags.model : 'D785',
      firmware: typeof flags.firmware === 'string' ? flags.firmware : '10.1.33.33',
      auth,
      ...(typeof flags.user === 'string' ? { user: flags.user } : {}),
      ...(password ? { password } : {}),
      ...(algs ? { digestAlgorithms: algs } : {}),
      ...(qop ? { qop } : {}),
      https: flags.https === true,
      identities: [`sip:${100 + i}@sim.local`],
      keepAliveMinibrowserDelayMs: delay as number,
      ...(sipPort === 0 ? {} : { sip: { udpPort: (sipPort as number) + i, tcpPort: (sipPort as number) + i } }),
    });
  }
  return configs;
}

/** Runs the CLI: prints help, or starts the phones and prints their URLs. */
export async function main(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  const flags = parseFlags(argv);
  if (typeof flags === 'string') {
    out(`snom-sim: ${flags} (try --help)`);
    return { code: 2, phones: [] };
  }
  if (flags.help) {
    out(HELP);
    return { code: 0, phones: [] };
  }
  const configs = configsFromFlags(flags, env);
  if (typeof configs === 'string') {
    out(`snom-sim: ${configs}`);
    return { code: 2, phones: [] };
  }
  let phones: SimPhone[];
  try {
    phones = await startSimPhones(configs);
  } catch (err) {
    out(`snom-sim: ${startError(err, configs.length)}`);
    return { code: 1, phones: [] };
  }
  for (const p of phones) {
    const login = p.config.auth === 'none' ? 'no login' : `${p.config.auth} login as ${p.config.user}`;
    const sip = p.sipPorts ? `  SIP 127.0.0.1 udp:${p.sipPorts.udp} tcp:${p.sipPorts.tcp}` : '';
    out(`${p.config.name}: ${p.url}  (snom ${p.info.id}, firmware ${p.config.firmware}, MAC ${p.mac}, ${login})${sip}`);
  }
  out('Control API: <url>/sim/state — stop with Ctrl-C.');
  return { code: 0, phones };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    ({ code, phones }) => {
      if (code !== 0 || phones.length === 0) {
        process.exitCode = code;
        return;
      }
      const shutdown = (): void => {
        stopAll(phones).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err: unknown) => {
      process.stderr.write(`snom-sim: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
