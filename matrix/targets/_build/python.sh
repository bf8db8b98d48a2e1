#!/usr/bin/env bash
# Builds the one virtual environment every python-* target runs in, at <cache>/python-venv, from
# matrix/targets/python-requirements.txt. Idempotent: a stamp (hash of the requirements and the
# interpreter's version) makes a second call a no-op. Concurrent calls are serialised by flock on
# <cache>/python-venv.lock, so targets built side by side share one venv.
#
# Usage: python.sh <cache-dir>     (the interpreter: $SSE_CONFORMANCE_PYTHON, default python3)
set -euo pipefail

cache="${1:?usage: python.sh <cache-dir>}"
requirements="$(cd "$(dirname "$0")/.." && pwd)/python-requirements.txt"
python="${SSE_CONFORMANCE_PYTHON:-python3}"
venv="$cache/python-venv"

command -v "$python" >/dev/null || { echo "python.sh: no $python on PATH (apt-get install python3 python3-venv)" >&2; exit 1; }
mkdir -p "$cache"
exec 9>"$cache/python-venv.lock"
flock -w 1200 9 || { echo "python.sh: $cache/python-venv.lock still held after 20 min" >&2; exit 1; }

stamp="$( { "$python" --version 2>&1; cat "$requirements"; } | sha256sum | cut -d' ' -f1)"
if [ -f "$venv/.stamp" ] && [ "$(cat "$venv/.stamp")" = "$stamp" ] && [ -x "$venv/bin/python" ]; then
  echo "python.sh: $venv is current"
  exit 0
fi

# A failed build leaves no stamp, so the next call starts again from nothing.
rm -rf "$venv"
"$python" -m venv "$venv" || { echo "python.sh: $python -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
"$venv/bin/python" -m pip install --no-input --disable-pip-version-check --quiet --timeout 60 --retries 3 -r "$requirements"
echo "$stamp" > "$venv/.stamp"
echo "python.sh: built $venv ($("$venv/bin/python" --version))"
