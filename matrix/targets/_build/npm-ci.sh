#!/usr/bin/env bash
# Installs a Node target's pinned dependencies (npm ci) unless node_modules already matches its
# package-lock.json: the stamp holds the lock file's hash, so a second call is a no-op.
set -euo pipefail
cd "${1:-.}"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.sse-matrix-lock-sha256
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "node_modules matches package-lock.json: nothing to install"
  exit 0
fi
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
