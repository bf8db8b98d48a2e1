#!/usr/bin/env bash
# Builds every Rust target of the matrix at once: one `cargo build` of the workspace in
# matrix/targets/, into <cache>/cargo-target. Targets call it concurrently: the build is
# serialised with flock, and a second call is a no-op when nothing changed (cargo's own
# freshness check). Crates come from ~/.cargo/registry (fetched once, then offline-friendly).
#
#   bash matrix/targets/_build/rust.sh [<cache>]    (default: $SSE_CONFORMANCE_CACHE or ~/.cache/sse-conformance)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${1:-${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}}"
mkdir -p "$cache"

cargo="$(command -v cargo || true)"
[ -n "$cargo" ] || cargo="$HOME/.cargo/bin/cargo"
if [ ! -x "$cargo" ]; then
  echo "rust.sh: cargo not found (install Rust with cargo, e.g. apt-get install cargo, or rustup)" >&2
  exit 127
fi

export CARGO_TARGET_DIR="$cache/cargo-target"
exec 9>"$cache/cargo-build.lock"
flock 9
exec "$cargo" build --release --workspace --locked -j2 --manifest-path "$here/Cargo.toml"
