import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The self-signed certificate for 127.0.0.1/localhost. The build copies the assets next to the
 * compiled code; a bare `tsc` run does not, so fall back to the source folder.
 */
export function simCertificate(): { cert: string; key: string } {
  const dirs = [path.join(__dirname, 'assets'), path.join(__dirname, '..', '..', '..', 'src', 'simulator', 'assets')];
  for (const dir of dirs) {
    const cert = path.join(dir, 'sim-cert.pem');
    if (fs.existsSync(cert))
      return { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(path.join(dir, 'sim-key.pem'), 'utf8') };
  }
  throw new Error(`simulator: certificate not found in ${dirs.join(' or ')}`);
}
