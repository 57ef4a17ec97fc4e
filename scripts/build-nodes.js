// After tsc: lay out nodes/, the folder Node-RED loads (package.json "node-red.nodes").
// - nodes/<type>.js: the node's compiled runtime code (from dist/src/nodes/<type>.js), with its
//   relative requires rebased so it loads the library from dist/src/ (one copy of every module).
// - nodes/icons/: a copy of the top-level icons/ (Node-RED's registry reads icons only beside the
//   node files: <module>/<dirname of the node file>/icons).
// - dist/src/simulator/assets: the simulator's static files.
// - nodes/locales/<lang>/<type>.html: the help, from nodes/help/ with the shared sections (build-help.js).
// - resources/snom-rules.js: the runtime's checks and lists for the editor (build-editor.js).
// Everything written here is build output and ignored by git; nodes/*.html, nodes/help/, the
// locales' .json files and resources/snom-editor.js are sources.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'dist', 'src', 'nodes');
const nodesDir = path.join(root, 'nodes');

function copyTree(src, dst) {
  if (!fs.existsSync(src)) return;
  if (fs.statSync(src).isDirectory()) {
    fs.mkdirSync(dst, { recursive: true });
    for (const e of fs.readdirSync(src)) copyTree(path.join(src, e), path.join(dst, e));
  } else {
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(src, dst);
  }
}

/** `require("./shared/x")` in dist/src/nodes/a.js → `require("../dist/src/nodes/shared/x")` in nodes/a.js. */
function rebase(code) {
  return code.replace(/require\((["'])(\.{1,2}\/[^"']+)\1\)/g, (_m, q, spec) => {
    let rel = path.relative(nodesDir, path.resolve(compiled, spec)).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = './' + rel;
    return `require(${q}${rel}${q})`;
  });
}

const types = Object.keys(require(path.join(root, 'package.json'))['node-red'].nodes);
for (const type of types) {
  const from = path.join(compiled, `${type}.js`);
  if (!fs.existsSync(from)) throw new Error(`build-nodes: ${from} is missing (did tsc run?)`);
  const code = rebase(fs.readFileSync(from, 'utf8')).replace(
    /\/\/# sourceMappingURL=.*$/m,
    `//# sourceMappingURL=../dist/src/nodes/${type}.js.map`,
  );
  fs.writeFileSync(path.join(nodesDir, `${type}.js`), code);
}
// afresh: an icon removed from icons/ must not linger in what Node-RED loads
fs.rmSync(path.join(nodesDir, 'icons'), { recursive: true, force: true });
copyTree(path.join(root, 'icons'), path.join(nodesDir, 'icons'));
copyTree(path.join(root, 'src', 'simulator', 'assets'), path.join(root, 'dist', 'src', 'simulator', 'assets'));
require('./build-help').build();
require('./build-editor').build();
