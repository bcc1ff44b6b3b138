#!/usr/bin/env bash
# Installs Debian's Chromium, used by the end-to-end tests to render the weekly report HTML
# headless and keep a PNG of it. Only when missing; needs root (apt-get).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
	echo "setup-chromium.sh: chromium is missing and installing it needs root (apt-get install chromium)." >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "Installing Debian chromium for the report-rendering test..." >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
