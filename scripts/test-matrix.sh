#!/usr/bin/env bash
# The Node-RED version matrix: the runtime (test/nodes) and end-to-end (test/e2e) tests on Node-RED 3.1
# (Node 20) and 5.0 (Node 22, from the npm registry's `node` package), each installed beside the project
# in .matrix/ (git-ignored). The whole suite runs on 4.1, the dev dependency, through `npm test`.
# Run after `npm run build`. Usage: bash scripts/test-matrix.sh [3.1|5.0]...
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_RED_31=3.1.15
NODE_RED_50=5.0.7
NODE_22=22.23.3

install() { # folder, package@version
  [ -f "$1/node_modules/${2%@*}/package.json" ] && grep -q "\"version\": \"${2##*@}\"" "$1/node_modules/${2%@*}/package.json" && return
  mkdir -p "$1"
  npm install --prefix "$1" --no-save --no-audit --no-fund --loglevel=error "$2" >/dev/null
}

run() { # label, node binary, Node-RED folder
  echo "== Node-RED $1 on Node $("$2" --version): test/nodes and test/e2e"
  SNOM_NODE_RED_DIR="$PWD/$3" "$2" node_modules/mocha/bin/mocha.js --no-config --timeout 30000 --exit \
    --reporter dot 'dist/test/nodes/**/*.test.js' 'dist/test/e2e/**/*.test.js'
}

versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(3.1 5.0)
for v in "${versions[@]}"; do
  case "$v" in
  3.1)
    install .matrix/node-red-3.1 "node-red@$NODE_RED_31"
    run "$NODE_RED_31" "$(command -v node)" .matrix/node-red-3.1
    ;;
  5.0)
    install .matrix/node-22 "node@$NODE_22"
    install .matrix/node-red-5.0 "node-red@$NODE_RED_50"
    run "$NODE_RED_50" "$PWD/.matrix/node-22/node_modules/node/bin/node" .matrix/node-red-5.0
    ;;
  *) echo "unknown Node-RED version $v (3.1 or 5.0)" >&2; exit 2 ;;
  esac
done
