// Node-RED loads each node's .html, locales/ and icons/ next to its compiled .js, so copy them
// from src/nodes into dist/src/nodes after tsc.
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..');
const from = path.join(root, 'src', 'nodes');
const to = path.join(root, 'dist', 'src', 'nodes');
function copy(src, dst) {
  const st = fs.statSync(src);
  if (st.isDirectory()) {
    fs.mkdirSync(dst, { recursive: true });
    for (const e of fs.readdirSync(src)) copy(path.join(src, e), path.join(dst, e));
  } else if (!src.endsWith('.ts')) {
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(src, dst);
  }
}
copy(from, to);
const icons = path.join(root, 'icons');
if (fs.existsSync(icons)) copy(icons, path.join(to, 'icons'));
const simAssets = path.join(root, 'src', 'simulator', 'assets');
if (fs.existsSync(simAssets)) copy(simAssets, path.join(root, 'dist', 'src', 'simulator', 'assets'));
