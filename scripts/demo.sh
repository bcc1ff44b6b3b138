#!/usr/bin/env bash
# `npm run demo`: runs the credential-free demo workflow headless in real n8n and prints where
# the weekly report was written.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-n8n.sh
npm run build --silent
npx tsc -p tsconfig.bench.json
node .build-bench/scripts/n8nHome.js demo
