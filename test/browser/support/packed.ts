// The package as a user installs it: `npm pack` output installed into a fresh Node-RED user directory.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../../../src/dev/userdir';

const { packInto } = require(path.join(PACKAGE_ROOT, 'scripts', 'pack.js')) as { packInto(dir: string): string };

let tarball: string | undefined;

/** Packs the built package once per run (npm pack without scripts: the build is already there). */
export function packedTarball(): string {
  if (tarball && fs.existsSync(tarball)) return tarball;
  tarball = packInto(fs.mkdtempSync(path.join(os.tmpdir(), 'snom-pack-')));
  return tarball;
}

/** A user directory with the packed package installed by npm (runtime dependencies from the registry). */
export function userDirWithPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snom-browser-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'snom-browser-userdir', private: true }));
  execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error', packedTarball()], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return dir;
}
