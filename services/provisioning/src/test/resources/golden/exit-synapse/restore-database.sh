#!/bin/sh
# Loads database.dump into the empty database named by libpq's variables
# (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE). Runs once: a database that
# has tables already is left as it is, so running it again changes nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tables=$(psql -tAc "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "The database has tables already: nothing restored."
  exit 0
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$PGDATABASE" "$here/database.dump"
echo "Database restored."
