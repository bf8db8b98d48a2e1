#!/usr/bin/env bash
# Builds the Rust test services (Cargo workspace ../Cargo.toml, Cargo.lock pinned) into the cache,
# once per change of their sources (Cargo.toml, Cargo.lock and every .rs file; see once.sh):
# ${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}/cargo-clients-target/release/<service>.
#   rust.sh                          build (or check) every Rust service
#   rust.sh run <service> <args…>    build if needed, then exec that service's binary with <args…>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/once.sh"
services=$(cd "$here/.." && pwd)
target=${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}/cargo-clients-target

build_rust() {
  (cd "$services" && CARGO_TARGET_DIR="$target" cargo build --release --locked -j 2)
}

sources=$(cd "$services" && find Cargo.toml Cargo.lock _shared/rust rust-* \( -name '*.rs' -o -name Cargo.toml -o -name Cargo.lock \) | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
build_once "$target" "$sources" build_rust

if [ "${1:-}" = run ]; then
  exec "$target/release/$2" "${@:3}"
fi
