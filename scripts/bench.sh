#!/usr/bin/env bash
# `npm run bench [filter]`: compiles the benchmarks and prints one table (see bench/run.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npx tsc -p tsconfig.bench.json
node .build-bench/bench/run.js "$@"
