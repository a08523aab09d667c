#!/usr/bin/env bash
# Starts the local PostgreSQL 15 cluster (Debian layout, no systemd) and makes sure the
# `leadhub` role (LOGIN, CREATEDB) and database exist. `source` it to get TEST_DATABASE_URL.
# Safe to run when the cluster is already up.
set -euo pipefail
PGVER=${PGVER:-15} PGCLUSTER=${PGCLUSTER:-main}
DB_USER=${DB_USER:-leadhub} DB_PASS=${DB_PASS:-leadhub} DB_NAME=${DB_NAME:-leadhub}
as_pg() { (cd / && runuser -u postgres -- "$@"); }

if ! command -v pg_ctlcluster >/dev/null; then
  echo "installing PostgreSQL ${PGVER}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${PGVER}" >/dev/null
fi
pg_lsclusters -h | awk -v v="$PGVER" -v c="$PGCLUSTER" '$1==v && $2==c {f=1} END {exit !f}' \
  || pg_createcluster "$PGVER" "$PGCLUSTER" >/dev/null
install -d -o postgres -g postgres -m 2775 /var/run/postgresql
# status: 0 running, 3 stopped; `start` on a running cluster exits 2, so ask first.
if ! pg_ctlcluster "$PGVER" "$PGCLUSTER" status >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$PGVER" "$PGCLUSTER" start
fi
for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
pg_isready -q -h 127.0.0.1 -p 5432

as_pg psql -X -q -v ON_ERROR_STOP=1 -v u="$DB_USER" -v p="$DB_PASS" -v d="$DB_NAME" <<'SQL'
SELECT format('CREATE ROLE %I', :'u') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'u', :'p') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'d', :'u') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'d') \gexec
SQL
# Databases left behind by earlier test runs and benchmarks (one statement a line, each run
# on its own: DROP DATABASE cannot share a transaction).
as_pg psql -X -q -At -c "SELECT format('DROP DATABASE %I WITH (FORCE);', datname) FROM pg_database WHERE datname LIKE 'lh\_test\_%' OR datname LIKE 'lh\_bench\_%'" \
  | as_pg psql -X -q >/dev/null
export TEST_DATABASE_URL="postgres://$DB_USER:$DB_PASS@127.0.0.1:5432/$DB_NAME"
psql "$TEST_DATABASE_URL" -X -qAtc 'select 1' >/dev/null
