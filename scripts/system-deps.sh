#!/usr/bin/env bash
# System packages for the tests and benchmarks (scripts/doctor.sh checks the same list):
# Debian's Chromium (driven by Playwright) with CJK fonts so that Chinese renders in screenshots,
# nginx (publishing/tests/test_nginx.py runs the generated config; bench/serve_static.py measures it),
# wrk (the load generator of bench/serve_static.py), PostgreSQL for the production-database pass,
# redis-server (core/tests/test_shared_state.py starts its own on a free port), rsync and openssh-server
# (publishing to web nodes over SSH, tested against a local sshd the tests start), and what a bare
# Debian image lacks to build the virtualenv (make, python3-venv, CA certificates for pip).
# Debian 12's nginx-light is only a metapackage (nginx plus the echo module): plain `nginx` is the server.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "scripts/system-deps.sh installs Debian packages: run it as root (sudo make system-deps)." >&2; exit 1; }
packages=(chromium fonts-noto-cjk fonts-liberation fontconfig nginx wrk postgresql redis-server rsync openssh-client openssh-server
  make python3-venv ca-certificates)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  # The tests start their own nginx (`nginx -c FILE`), redis-server and sshd, and PostgreSQL cluster setup is
  # scripts/postgres-setup.sh: keep the packages' maintainer scripts from starting services (nginx, redis,
  # ssh), unless the machine already has a policy.
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' > "$guard" && chmod +x "$guard"
    trap 'rm -f "$guard"' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
/usr/bin/chromium --version 2>/dev/null || true
