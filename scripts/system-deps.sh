#!/usr/bin/env bash
# System packages for the test suite: Debian's Chromium (driven by Playwright), CJK fonts so that
# Chinese renders in screenshots, and PostgreSQL for the production-database test pass.
set -euo pipefail
packages=(chromium fonts-noto-cjk fonts-liberation postgresql)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
/usr/bin/chromium --version 2>/dev/null || true
