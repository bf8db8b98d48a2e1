#!/usr/bin/env bash
# Builds the venv of the Python test services from ../python-requirements.txt, once per change of
# that file (see once.sh): ${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}/python-clients-venv.
#   python.sh                  build (or check) the venv
#   python.sh run <args…>      build if needed, then exec the venv's python with <args…>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/once.sh"
requirements=$here/../python-requirements.txt
venv=${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}/python-clients-venv

build_venv() {
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$requirements"
}

build_once "$venv" "$(sha256sum "$requirements" | cut -d' ' -f1)" build_venv

if [ "${1:-}" = run ]; then
  exec "$venv/bin/python" "${@:2}"
fi
