#!/usr/bin/env bash
# Builds every JVM target (java-*, kotlin-*) with ONE Maven reactor run (matrix/targets/pom.xml),
# each module into one runnable jar under <module>/target/. Idempotent and safe to call from every
# JVM target's build at once: serialised with flock on <cache>/jvm-build.lock, and a no-op when the
# stamp (a hash of the JDK, Maven, this script, every pom.xml and every source file) matches the
# last successful build and every module's jar is there.
# Usage: jvm.sh <cache dir>        (target.json: ["bash", "{dir}/../_build/jvm.sh", "{cache}"])
set -euo pipefail

targets="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${1:?usage: jvm.sh <cache dir>}"
mkdir -p "$cache"
stamp_file="$cache/jvm-build.stamp"

exec 9>"$cache/jvm-build.lock"
if ! flock -w 1800 9; then
  echo "jvm.sh: waited 30 min for $cache/jvm-build.lock" >&2
  exit 1
fi

cd "$targets"
mapfile -t modules < <(sed -n 's#^ *<module>\(.*\)</module>.*#\1#p' pom.xml)

stamp() {
  {
    java -version 2>&1
    mvn -v 2>/dev/null | head -n 1
    find pom.xml _build/jvm.sh "${modules[@]}" -type f \( -name pom.xml -o -path '*/src/*' \) -print0 |
      sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
}

built() {
  local module
  for module in "${modules[@]}"; do
    compgen -G "$module/target/*.jar" >/dev/null || return 1
  done
}

want="$(stamp)"
if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$want" ]] && built; then
  echo "jvm.sh: up to date (${#modules[@]} modules)"
  exit 0
fi

echo "jvm.sh: building ${#modules[@]} modules: ${modules[*]}"
start=$SECONDS
rm -f "$stamp_file"
# A cold build downloads ~290 MB from Maven Central: one retry (-U: look again at what failed)
# rides out a transient download error.
if ! mvn -B -q -T 2 -f "$targets/pom.xml" package -DskipTests; then
  echo "jvm.sh: the build failed; trying once more" >&2
  mvn -B -q -T 2 -U -f "$targets/pom.xml" package -DskipTests
fi
built || { echo "jvm.sh: the build ended without every module's jar" >&2; exit 1; }
echo "$want" >"$stamp_file"
echo "jvm.sh: built in $((SECONDS - start)) s"
