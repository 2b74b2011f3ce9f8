#!/bin/sh
# Creates Temporal's two databases and brings their schemas up to the server image's version, then
# exits. Idempotent: re-run it (it runs on every `docker compose up`) and after each server upgrade.
set -eu
: "${SQL_HOST:=postgresql}" "${SQL_PORT:=5432}" "${SQL_USER:=temporal}"
schema_root=/etc/temporal/schema/postgresql/v12
sql() { temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"; }

until nc -z "$SQL_HOST" "$SQL_PORT"; do echo "waiting for PostgreSQL at $SQL_HOST:$SQL_PORT"; sleep 2; done
for db in temporal temporal_visibility; do
  dir=temporal
  [ "$db" = temporal_visibility ] && dir=visibility
  sql --db "$db" create 2>/dev/null || echo "database $db exists"
  # setup-schema -v 0.0 only creates the version table; it fails harmlessly once that exists.
  sql --db "$db" setup-schema -v 0.0 2>/dev/null || true
  sql --db "$db" update-schema -d "$schema_root/$dir/versioned"
done
echo "Temporal schemas are up to date"
