// npm's "prepare": build from the TypeScript sources. npm also runs it when a folder is installed
// (`npm install /path/to/clone`); a fresh clone has no dev tools there, and "tsc: not found" helps
// nobody, so say what to do instead: build the clone once and install the tarball of `npm pack`.
'use strict';
const { execSync } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
try {
  require.resolve('typescript', { paths: [root] });
} catch {
  console.error(`
node-red-contrib-snom: this folder is a source checkout without its build tools, so it cannot be
built here. Build it once and install the package file instead:

  cd ${root}
  npm install          # the build tools; builds the package
  npm pack             # writes snom-flows-node-red-contrib-snom-<version>.tgz
  cd ~/.node-red
  npm install ${path.join(root, 'snom-flows-node-red-contrib-snom-<version>.tgz')}
`);
  process.exit(1);
}
execSync('npm run build', { cwd: root, stdio: 'inherit' });
