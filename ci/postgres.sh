#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on $PGHOST:$PGPORT (default 127.0.0.1:5432) and that the role and
# databases the services and their tests use exist: role `berth` (password `berth`), databases `berth`
# (run), `berth_test` (unit/service tests) and `berth_it` (packaged-app tests).
#
# Uses a server that is already running; otherwise starts Debian's, installing it if missing.
# Administration: $POSTGRES_ADMIN_URL if set (GitHub Actions' service container), else the local `postgres`
# OS user over the socket, else the `postgres` role over TCP. Idempotent. `--reset-test` recreates the
# test databases empty.
source "$(dirname "$0")/lib.sh"

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"

ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

if ! command -v pg_isready >/dev/null; then apt_install postgresql-client; fi
if ! ready; then
  [ "$PGHOST" = 127.0.0.1 ] || [ "$PGHOST" = localhost ] || die "PostgreSQL at $PGHOST:$PGPORT is not answering"
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
  ready || die "PostgreSQL did not start on $PGHOST:$PGPORT"
fi

export PGOPTIONS="-c client_min_messages=warning"

admin_psql() {
  if [ -n "${POSTGRES_ADMIN_URL:-}" ]; then
    psql -v ON_ERROR_STOP=1 -qAt "$POSTGRES_ADMIN_URL" "$@"
  elif [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 && runuser -u postgres -- psql -qAt -c 'select 1' >/dev/null 2>&1; then
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt "$@"
  else
    psql -v ON_ERROR_STOP=1 -qAt -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres "$@"
  fi
}

admin_psql -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'berth') THEN
    CREATE ROLE berth LOGIN PASSWORD 'berth' CREATEDB;
  END IF;
END \$\$;"

for db in berth berth_test berth_it; do
  if [ "${1:-}" = --reset-test ] && [ "$db" != berth ]; then
    admin_psql -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  fi
  if [ -z "$(admin_psql -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    admin_psql -c "CREATE DATABASE $db OWNER berth"
  fi
done
say "PostgreSQL ready on $PGHOST:$PGPORT (role berth; databases berth, berth_test, berth_it)"
