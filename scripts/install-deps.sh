#!/usr/bin/env bash
# Installs the project's own dev dependencies when they are missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dev dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
