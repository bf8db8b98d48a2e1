#!/usr/bin/env bash
# Builds the Go test services (module ../go.mod) into the cache, once per change of their sources
# (go.mod, go.sum and every .go file; see once.sh):
# ${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}/go-clients/<service>.
#   go.sh                          build (or check) every Go service
#   go.sh run <service> <args…>    build if needed, then exec that service's binary with <args…>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/once.sh"
services=$(cd "$here/.." && pwd)
bin=${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}/go-clients

build_go() {
  mkdir -p "$bin"
  local dir
  for dir in "$services"/go-*/; do
    # A new file replaces the old one (a running binary cannot be written over).
    (cd "$services" && go build -mod=readonly -p 2 -o "$bin/.new" "./$(basename "$dir")")
    mv -f "$bin/.new" "$bin/$(basename "$dir")"
  done
}

sources=$(cd "$services" && find go.mod go.sum _shared/go go-* \( -name '*.go' -o -name go.mod -o -name go.sum \) | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
build_once "$bin" "$sources" build_go

if [ "${1:-}" = run ]; then
  exec "$bin/$2" "${@:3}"
fi
