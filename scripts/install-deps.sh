#!/usr/bin/env bash
# Installs the project's own dev dependencies when they are missing or out of date.
# `npm install` rather than `npm ci`: the lock file, written on linux-x64, lists only the
# platform bindings this registry serves for eslint's import resolver, and `npm ci` refuses a
# lock without the others; `npm install` keeps every locked version and skips them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dev dependencies (npm install from the lock file)..." >&2
  npm install --no-audit --no-fund --loglevel=error
fi
