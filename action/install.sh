#!/usr/bin/env bash
# Builds ni-config from the action's own checkout and puts `ni-config` on PATH for later steps.
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
mkdir -p "$RUNNER_TEMP/ni-config-bin"
ln -sf "$GITHUB_ACTION_PATH/bin/ni-config.js" "$RUNNER_TEMP/ni-config-bin/ni-config"
echo "$RUNNER_TEMP/ni-config-bin" >> "$GITHUB_PATH"
