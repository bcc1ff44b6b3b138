#!/usr/bin/env bash
# `npm test`: installs what the tests need (dev dependencies, the pinned n8n, an IMAP server),
# builds the package, then runs every test layer (unit, in-process workflow, real-n8n e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-n8n.sh
bash scripts/setup-imap.sh
bash scripts/setup-chromium.sh
npm run build --silent
npx jest --ci "$@"
