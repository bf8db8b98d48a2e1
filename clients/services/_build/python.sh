#!/usr/bin/env bash
# Builds the venv of the Python test services from ../python-requirements.txt, once per change of
# that file (a stamp holds its hash), serialised by flock so services started together build it
# once. Idempotent: a built venv costs one hash.
#   python.sh                  build (or check) the venv
#   python.sh run <args…>      build if needed, then exec the venv's python with <args…>
set -euo pipefail
services=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}
venv=$cache/python-clients-venv
requirements=$services/python-requirements.txt
want=$(sha256sum "$requirements" | cut -d' ' -f1)
stamp=$venv/.requirements.sha256

built() { [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; }

if ! built; then
  mkdir -p "$cache"
  exec 9>"$cache/python-clients-venv.lock"
  flock -w 900 9 || { echo "python.sh: timed out waiting for $cache/python-clients-venv.lock" >&2; exit 1; }
  if ! built; then
    echo "python.sh: building $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$requirements" >&2
    echo "$want" > "$stamp"
  fi
  exec 9>&-
fi

if [ "${1:-}" = run ]; then
  shift
  exec "$venv/bin/python" "$@"
fi
