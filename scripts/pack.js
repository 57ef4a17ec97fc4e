'use strict';
// The package as npm would publish it: `npm pack` of the built tree (no scripts: the build is there).
// Used by the scorecard (scripts/scorecard/check.js) and the browser suite (test/browser/support/packed.ts).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** Packs into `dir`; returns the tarball's path. */
function packInto(dir) {
  const out = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT });
  return path.join(dir, out.toString().trim().split('\n').pop());
}

module.exports = { packInto };
