#!/usr/bin/env node
/**
 * `npm start`: three simulated phones and a Node-RED with this package and every example flow, all
 * on 127.0.0.1, until SIGINT or SIGTERM (Ctrl-C, `kill`), which stop everything it started.
 * Flags: --reset (rewrite the flows). Env: NODE_RED_PORT (1880), SNOM_SIM_PORT (8081) and
 * SNOM_SIM_SIP_PORT (5081), the last two the first of three consecutive ports; SNOM_DEV_DIR (.dev).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { generateToken } from '../lib/action-url/token';
import { startSimPhones, stopAll } from '../simulator/cluster';
import { DEV_PHONES, SIM_PASSWORD, SIM_USER, devPorts, devSimConfigs, portMap } from './phones';
import { PACKAGE_ROOT, exampleFlows, movePorts, nodeRedScript, prepareUserDir } from './userdir';

type FlowNode = Record<string, unknown>;

/** The example flows for these ports, with the credentials the editor would have stored. */
export function devFlows(ports: ReturnType<typeof devPorts>): {
  flows: FlowNode[];
  credentials: Record<string, Record<string, string>>;
} {
  const flows = movePorts(exampleFlows() as FlowNode[], portMap(ports));
  const credentials: Record<string, Record<string, string>> = {};
  for (const n of flows) {
    if (n.type === 'snom-phone') credentials[n.id as string] = { user: SIM_USER, password: SIM_PASSWORD };
    // each event endpoint gets its secret, as the editor would generate it
    if (n.type === 'snom-action-url-in') credentials[n.id as string] = { token: generateToken() };
  }
  return { flows, credentials };
}

async function main(): Promise<void> {
  const ports = devPorts();
  const phones = await startSimPhones(devSimConfigs(ports));
  let stopping = false;
  // set once Node-RED is spawned; the signal handlers may run before
  const started: { nodeRed?: ReturnType<typeof spawn> } = {};
  // stops what was started, Node-RED first (its flows talk to the phones), then exits
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const child = started.nodeRed;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10000).unref();
      });
    }
    await stopAll(phones);
    console.log('npm start: Node-RED and the simulated phones are stopped.');
    process.exit(code);
  };
  // handlers first: a signal during start-up still stops what is already running
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));
  // `npm start` runs this under `sh -c`, and sh does not pass on the SIGTERM npm forwards to it: when
  // the parent goes away (this process is handed to init), stop as if the signal had come here
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(0);
  }, 250).unref();

  const { flows, credentials } = devFlows(ports);
  const userDir = path.resolve(process.env.SNOM_DEV_DIR || path.join(PACKAGE_ROOT, '.dev'), 'node-red');
  const settingsFile = prepareUserDir({
    dir: userDir,
    port: ports.nodeRed,
    flows,
    credentials,
    keepFlows: !process.argv.includes('--reset'),
  });

  console.log(`\nSimulated Snom phones (user "${SIM_USER}", password "${SIM_PASSWORD}"):`);
  phones.forEach((p, i) => {
    const c = p.config;
    const sip = p.sipPorts ? `SIP 127.0.0.1:${p.sipPorts.udp} (UDP+TCP)` : '';
    console.log(`  ${c.model.padEnd(8)} ${c.firmware.padEnd(11)} ${c.auth.padEnd(6)} ${p.url}  ${sip}`);
    console.log(
      `           config "${movePorts([DEV_PHONES[i].configName], portMap(ports))[0]}", state ${p.url}/sim/state`,
    );
  });
  const tabs = flows.filter((n) => n.type === 'tab').map((n) => n.label);
  console.log(`\nExample flows, one tab each: ${tabs.join(', ')}`);
  console.log(`Node-RED: http://127.0.0.1:${ports.nodeRed}/  (user directory ${userDir})`);
  console.log(`npm start -- --reset restores the examples; Ctrl-C or kill ${process.pid} stops everything.\n`);

  if (stopping) return;
  const nodeRed = spawn(process.execPath, [nodeRedScript(), '--settings', settingsFile, '--userDir', userDir], {
    stdio: 'inherit',
  });
  started.nodeRed = nodeRed;
  nodeRed.on('exit', (code) => void stop(code ?? 0));
}

if (require.main === module) {
  main().catch(async (err) => {
    console.error(err);
    await stopAll();
    process.exit(1);
  });
}
