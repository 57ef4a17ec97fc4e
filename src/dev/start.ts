#!/usr/bin/env node
/**
 * `npm start`: three simulated phones and a Node-RED with this package and the example flows, all on
 * 127.0.0.1, until Ctrl-C. Flags: --reset (rewrite the flows), env NODE_RED_PORT (1880),
 * SNOM_SIM_PORT (8081: first of three consecutive ports), SNOM_SIM_SIP_PORT (5062: the first phone's SIP, UDP and
 * TCP, as the SIP examples expect).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { generateToken } from '../lib/action-url/token';
import { startSimPhones } from '../simulator/cluster';
import type { SimPhoneConfig } from '../simulator/types';
import { PACKAGE_ROOT, exampleFlows, nodeRedScript, prepareUserDir } from './userdir';

const SIM_USER = 'admin';
const SIM_PASSWORD = 'snom-sim';

async function main(): Promise<void> {
  const nrPort = Number(process.env.NODE_RED_PORT ?? 1880);
  const simPort = Number(process.env.SNOM_SIM_PORT ?? 8081);
  const sipPort = Number(process.env.SNOM_SIM_SIP_PORT ?? 5062);
  const common = { user: SIM_USER, password: SIM_PASSWORD, keepAliveMinibrowserDelayMs: 8000 };
  const configs: SimPhoneConfig[] = [
    {
      name: 'desk-d785',
      port: simPort,
      model: 'D785',
      firmware: '10.1.33.33',
      auth: 'digest',
      digestAlgorithms: ['SHA-256', 'MD5'],
      sip: { udpPort: sipPort, tcpPort: sipPort },
      ...common,
    },
    { name: 'desk-d735', port: simPort + 1, model: 'D735', firmware: '10.1.54.13', auth: 'basic', ...common },
    { name: 'touch-870', port: simPort + 2, model: 'snom870', firmware: '8.7.5.35', auth: 'digest', ...common },
  ];
  const phones = await startSimPhones(configs);
  const flows = exampleFlows();
  const credentials: Record<string, Record<string, string>> = {};
  for (const n of flows as Array<Record<string, unknown>>) {
    if (n.type === 'snom-phone') {
      credentials[n.id as string] = { user: SIM_USER, password: SIM_PASSWORD };
      n.port = String(simPort);
      if (n.sipPort !== undefined) n.sipPort = sipPort;
      n.baseUrl = `http://127.0.0.1:${nrPort}`;
    }
    // each event endpoint gets its secret, as the editor would generate it
    if (n.type === 'snom-action-url-in') credentials[n.id as string] = { token: generateToken() };
  }
  const userDir = path.join(PACKAGE_ROOT, '.dev', 'node-red');
  const settingsFile = prepareUserDir({
    dir: userDir,
    port: nrPort,
    flows,
    credentials,
    keepFlows: !process.argv.includes('--reset'),
  });

  console.log('\nSimulated Snom phones (user "admin", password "snom-sim"):');
  for (const p of phones)
    console.log(
      `  ${p.config.name?.padEnd(10)} ${p.config.model.padEnd(8)} ${p.config.firmware.padEnd(11)} ${p.config.auth.padEnd(6)} ${p.url}   state: ${p.url}/sim/state`,
    );
  console.log(
    `\nNode-RED: http://127.0.0.1:${nrPort}/  (flows in ${userDir}; npm start -- --reset restores the examples)\n`,
  );

  const child = spawn(process.execPath, [nodeRedScript(), '--settings', settingsFile, '--userDir', userDir], {
    stdio: 'inherit',
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    child.kill('SIGINT');
    await Promise.allSettled(phones.map((p) => p.stop()));
    process.exit(code);
  };
  child.on('exit', (code) => void stop(code ?? 0));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
