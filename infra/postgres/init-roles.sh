#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised: one role per consumer, so EvalForge
# and Temporal never share credentials. Temporal's schema job creates its own two databases.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set=temporal_pw="$TEMPORAL_DB_PASSWORD" --set=evalforge_pw="$EVALFORGE_DB_PASSWORD" <<'SQL'
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_pw';
CREATE ROLE evalforge LOGIN PASSWORD :'evalforge_pw';
CREATE DATABASE evalforge OWNER evalforge;
SQL
