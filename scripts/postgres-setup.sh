#!/usr/bin/env bash
# Start the local PostgreSQL cluster (creating it if there is none) and make sure role `govsite`
# (password `govsite`, CREATEDB) can log in with a password over TCP on 127.0.0.1, as the
# PostgreSQL test pass needs:  DATABASE_URL=postgres://govsite:govsite@127.0.0.1:5432/govsite
# Safe to run again. Needs root and Debian's postgresql package (scripts/system-deps.sh).
set -euo pipefail
port=${GOVSITE_PG_PORT:-5432}
role=govsite
password=govsite

as_postgres() { (cd / && runuser -u postgres -- "$@"); }
psql_admin() { as_postgres psql -p "$port" -X -v ON_ERROR_STOP=1 -qtA "$@"; }

version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1)
[ -n "$version" ] || { echo "PostgreSQL is not installed: run scripts/system-deps.sh first." >&2; exit 1; }

# A cluster on our port: the package makes "15 main" unless told not to; containers may lack it.
cluster=$(pg_lsclusters -h | awk -v p="$port" '$3 == p {print $1, $2; exit}')
if [ -z "$cluster" ]; then
  name=main
  pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {found=1} END {exit !found}' && name=govsite
  echo "Creating PostgreSQL cluster $version/$name on port $port"
  pg_createcluster --port "$port" "$version" "$name"
  cluster="$version $name"
fi
# The socket directory lives on tmpfs in containers and may be gone after a restart.
install -d -o postgres -g postgres -m 2775 /var/run/postgresql
status=$(pg_lsclusters -h | awk -v p="$port" '$3 == p {print $4; exit}')
case "$status" in
  online*) ;;
  *) echo "Starting PostgreSQL cluster $cluster"; pg_ctlcluster $cluster start ;;
esac
for _ in $(seq 60); do pg_isready -q -h /var/run/postgresql -p "$port" && break; sleep 0.5; done
pg_isready -h /var/run/postgresql -p "$port"

# The role and its database (pytest-django creates test_govsite itself, hence CREATEDB).
[ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" = 1 ] || psql_admin -c "CREATE ROLE $role"
psql_admin -c "ALTER ROLE $role WITH LOGIN CREATEDB PASSWORD '$password'"
[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$role'")" = 1 ] || \
  as_postgres createdb -p "$port" -O "$role" "$role"

# Password login over TCP: Debian's default pg_hba.conf allows it; repair it if someone changed that.
tcp_login() { PGPASSWORD=$password psql -h 127.0.0.1 -p "$port" -U "$role" -d "$role" -X -qtAc "SELECT 1" >/dev/null 2>&1; }
if ! tcp_login; then
  echo "Password login on 127.0.0.1:$port fails: allowing it for $role in pg_hba.conf"
  hba=$(psql_admin -c "SHOW hba_file")
  sed -i "1i host all $role 127.0.0.1/32 scram-sha-256" "$hba"
  if [ -z "$(psql_admin -c "SHOW listen_addresses")" ]; then
    psql_admin -c "ALTER SYSTEM SET listen_addresses = 'localhost'"
    pg_ctlcluster $cluster restart
  else
    psql_admin -c "SELECT pg_reload_conf()" >/dev/null
  fi
  sleep 1
  tcp_login || { echo "Still cannot log in as $role on 127.0.0.1:$port" >&2; exit 1; }
fi
echo "PostgreSQL $(psql_admin -c 'SHOW server_version') ready: postgres://$role:$password@127.0.0.1:$port/$role"
