#!/usr/bin/env bash
# Builds the Go test services (module ../go.mod) into the cache, once per change of their sources
# (a stamp holds the hash of go.mod, go.sum and every .go file), serialised by flock so services
# started together build once. Idempotent: built binaries cost one hash.
#   go.sh                      build (or check) every Go service
#   go.sh run <service> <args…>  build if needed, then exec that service's binary with <args…>
set -euo pipefail
services=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}
bin=$cache/go-clients
want=$(cd "$services" && find go.mod go.sum _shared/go go-* -name '*.go' -o -name 'go.mod' -o -name 'go.sum' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
stamp=$bin/.sources.sha256

built() { [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; }

if ! built; then
  mkdir -p "$cache"
  exec 9>"$cache/go-clients.lock"
  flock -w 900 9 || { echo "go.sh: timed out waiting for $cache/go-clients.lock" >&2; exit 1; }
  if ! built; then
    echo "go.sh: building the Go test services into $bin" >&2
    mkdir -p "$bin"
    rm -f "$stamp"
    for dir in "$services"/go-*/; do
      name=$(basename "$dir")
      (cd "$services" && go build -mod=readonly -p 2 -o "$bin/$name" "./$name") >&2
    done
    echo "$want" > "$stamp"
  fi
  exec 9>&-
fi

if [ "${1:-}" = run ]; then
  exec "$bin/$2" "${@:3}"
fi
