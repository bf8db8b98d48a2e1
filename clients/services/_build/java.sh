#!/usr/bin/env bash
# Builds the Java test services (Maven reactor ../pom.xml) into runnable jars in the cache, once
# per change of their sources (every pom.xml, .java and resource file; see once.sh):
# ${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}/java-clients/<service>.jar.
#   java.sh                          build (or check) every Java service
#   java.sh run <service> <args…>    build if needed, then exec that service's jar with <args…>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/once.sh"
services=$(cd "$here/.." && pwd)
out=${SSE_CONFORMANCE_CACHE:-$HOME/.cache/sse-conformance}/java-clients

build_java() {
  mkdir -p "$out"
  # Maven's own target/ folders stay in the cache too, so the source tree is left clean.
  local work="$out/.work"
  rm -rf "$work" && mkdir -p "$work"
  mkdir -p "$work/_shared"
  (cd "$services" && cp -r pom.xml java-* "$work/" && cp -r _shared/java "$work/_shared/")
  (cd "$work" && mvn -B -q -T 2 -Dmaven.test.skip=true package)
  local dir
  for dir in "$work"/java-*/; do
    # A new file replaces the old one (a running jar is not written over).
    cp "$dir/target/$(basename "$dir").jar" "$out/.new.jar"
    mv -f "$out/.new.jar" "$out/$(basename "$dir").jar"
  done
}

sources=$(cd "$services" && find pom.xml _shared/java java-* -type f \( -name '*.java' -o -name pom.xml -o -name '*.properties' \) | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
build_once "$out" "$sources" build_java

if [ "${1:-}" = run ]; then
  exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -jar "$out/$2.jar" "${@:3}"
fi
