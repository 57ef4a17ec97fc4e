'use strict';
/*
 * The Flow Library scorecard (node-red-dev validate) of the package as npm would publish it: packs the
 * package, unpacks it in a temporary folder and validates that. Every check must pass but D03 (latest
 * dependency versions): undici 8 needs Node >= 22.19 while the package supports Node 20 (README).
 * The catalogue request is answered locally (offline-catalogue.js says why).
 * Run after `npm run build`: node scripts/scorecard/check.js
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { packInto } = require('../pack');

const root = path.resolve(__dirname, '..', '..');
const ALLOWED = { D03: ['undici'] };

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'snom-scorecard-'));
try {
  const tgz = packInto(work);
  execFileSync('tar', ['xzf', tgz, '-C', work]);
  const pkgDir = path.join(work, 'package');
  const out = path.join(work, 'scorecard.json');
  const cli = require.resolve('node-red-dev/bin/run', { paths: [root] });
  const log = execFileSync(
    process.execPath,
    ['-r', path.join(__dirname, 'offline-catalogue.js'), cli, 'validate', '-p', pkgDir, '-o', out],
    { cwd: work, env: { ...process.env, FORCE_COLOR: '0' } },
  ).toString();
  process.stdout.write(log);
  const card = JSON.parse(fs.readFileSync(out, 'utf8'));
  const problems = [];
  for (const [check, result] of Object.entries(card)) {
    if (check === 'package' || result.test) continue;
    const allowed = ALLOWED[check];
    const packages = result.packages || [];
    if (allowed && packages.length > 0 && packages.every((p) => allowed.includes(p))) continue;
    problems.push(`${check} failed: ${JSON.stringify(result)}`);
  }
  // node-red-dev skips, with a mere "Unable to parse", an editor file it cannot read; then N01 and N02
  // pass without having looked at a node. Every node type but the config node must have been seen.
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const seen = new Set((card.N02 && card.N02.nodes) || []);
  const unseen = Object.keys(pkg['node-red'].nodes).filter((t) => t !== 'snom-phone' && !seen.has(t));
  if (/Unable to parse/.test(log) || unseen.length > 0) {
    problems.push(`node-red-dev could not read the editor definitions of: ${unseen.join(', ') || '(see above)'}`);
  }
  if (problems.length > 0) {
    console.error(`\nscorecard: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('\nscorecard: every check passes (D03 allowed for undici only: README, "Node versions")');
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
