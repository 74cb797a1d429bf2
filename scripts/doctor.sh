#!/usr/bin/env bash
# Names every system program the tests and benchmarks need that this machine lacks, and how to get it.
# `make doctor` runs it; `make test` runs it first. Installs nothing: scripts/system-deps.sh does (as root).
set -uo pipefail
chromium=${GOVSITE_CHROMIUM:-/usr/bin/chromium}
python=${PYTHON:-python3}
missing=()

need() {  # need WHAT PACKAGE CHECK...: the check is a command that succeeds when WHAT is there
  local what=$1 package=$2; shift 2
  if "$@" >/dev/null 2>&1; then
    printf '  ok       %s\n' "$what"
  else
    printf '  MISSING  %s (Debian package %s)\n' "$what" "$package"
    missing+=("$package")
  fi
}

echo "System programs for the tests and benchmarks:"
need "Chromium at $chromium (browser tests)" chromium test -x "$chromium"
need "nginx (publishing/tests/test_nginx.py, bench/serve_static.py)" nginx \
  bash -c 'command -v nginx || test -x /usr/sbin/nginx'
need "wrk (bench/serve_static.py)" wrk command -v wrk
need "redis-server (core/tests/test_shared_state.py)" redis-server \
  bash -c 'command -v redis-server || test -x /usr/bin/redis-server'
need "rsync (publishing to web nodes)" rsync command -v rsync
need "sshd (publishing to web nodes over SSH, tests)" openssh-server \
  bash -c 'command -v sshd || test -x /usr/sbin/sshd'
need "psql (PostgreSQL test pass)" postgresql command -v psql
need "pg_ctlcluster (scripts/postgres-setup.sh)" postgresql command -v pg_ctlcluster
need "fc-list (font check)" fontconfig command -v fc-list
need "CJK fonts (Chinese in browser screenshots)" fonts-noto-cjk bash -c '[ -n "$(fc-list :lang=zh family)" ]'
need "$python with venv and ensurepip (make install)" python3-venv "$python" -c 'import ensurepip, venv'

if [ ${#missing[@]} -gt 0 ]; then
  echo
  echo "Missing: $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
  echo "Install them with: sudo make system-deps   (runs scripts/system-deps.sh)"
  exit 1
fi
echo "All present."
