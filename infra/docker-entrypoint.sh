#!/bin/sh
# Roles of the EvalForge image: the first argument picks one, the rest go to it.
#   api                        the HTTP API (PORT, default 3000)
#   worker [--queues=a,b]      a Temporal worker (or EVALFORGE_WORKER_QUEUES)
#   migrate                    apply pending database migrations, then exit
# Each runs exactly the command of its npm script in package.json (infra/infra.test.ts keeps them
# equal). Node is exec'd directly, with no npm in between, so SIGTERM reaches it and shutdown drains.
set -eu
role="${1:-api}"
if [ "$#" -gt 0 ]; then shift; fi
case "$role" in
  api) exec node --import tsx scripts/api.ts "$@" ;; # npm run api
  worker) exec node --max-old-space-size=512 --import tsx scripts/worker.ts "$@" ;; # npm run worker
  migrate) exec node --import tsx scripts/db-migrate.ts "$@" ;; # npm run db:migrate
  *) exec "$role" "$@" ;;
esac
