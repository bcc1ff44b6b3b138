#!/usr/bin/env bash
# Installs Debian's dovecot-imapd (a real IMAP server) for the end-to-end tests, once.
# The tests start their own private dovecot (test/servers/imapServer.ts) with a config in a
# temp folder, so the system service must never run: policy-rc.d (Debian's hook for
# invoke-rc.d) tells the package scripts not to start it during the install.
set -euo pipefail

if command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; then
	exit 0
fi
if [ "$(id -u)" != "0" ]; then
	echo "setup-imap.sh: dovecot is missing and installing it needs root (apt-get install dovecot-imapd)." >&2
	exit 1
fi

policy=/usr/sbin/policy-rc.d
made_policy=no
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# Temporary: keep services from starting while setup-imap.sh installs dovecot.\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	made_policy=yes
fi
cleanup() { if [ "$made_policy" = yes ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
echo "Installing dovecot-imapd for the IMAP end-to-end tests..." >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null

# The tests run their own instance: stop the system service if an init system started it
# anyway, and keep it from starting at boot.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
fi
if [ -x /etc/init.d/dovecot ]; then
	/etc/init.d/dovecot stop >/dev/null 2>&1 || true
	if command -v update-rc.d >/dev/null 2>&1; then update-rc.d dovecot disable >/dev/null 2>&1 || true; fi
fi
echo "dovecot installed: $(dovecot --version)" >&2
