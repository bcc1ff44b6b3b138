#!/usr/bin/env bash
# `npm test`: installs what the tests need (dev dependencies, the pinned n8n, an IMAP server and
# Chromium), builds the package, then runs every test layer (unit, in-process workflow, real-n8n
# end-to-end) and ends with one summary line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-n8n.sh
bash scripts/setup-imap.sh
bash scripts/setup-chromium.sh
npm run build --silent
mkdir -p test-artifacts
status=0
npx jest --ci --json --outputFile=test-artifacts/jest-results.json "$@" || status=$?
node -e '
const r = require("./test-artifacts/jest-results.json");
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit $status
