#!/usr/bin/env bash
# System packages for the test suite: Debian's Chromium (driven by Playwright), CJK fonts so that
# Chinese renders in screenshots, PostgreSQL for the production-database test pass, nginx (the
# generated config is run for real by publishing/tests), and what a
# bare Debian image lacks to build the virtualenv (make, python3-venv, CA certificates for pip).
set -euo pipefail
packages=(chromium fonts-noto-cjk fonts-liberation postgresql nginx make python3-venv ca-certificates)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
/usr/bin/chromium --version 2>/dev/null || true
