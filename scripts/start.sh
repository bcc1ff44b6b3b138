#!/usr/bin/env bash
# `npm start`: builds, installs the pinned n8n locally if missing, installs this package into it
# as a community package, imports every template and the demo, and starts n8n on
# http://127.0.0.1:5678 with a preset owner whose login it prints.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-n8n.sh
npm run build --silent
npx tsc -p tsconfig.bench.json
exec node .build-bench/scripts/n8nHome.js start
