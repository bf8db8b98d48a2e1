# Sourced by the build scripts. build_once <dir> <hash> <command…>: unless <dir>/.build-stamp
# holds <hash>, runs <command…> (which builds <dir>) under an flock on <dir>.lock, so services
# started together build once, then writes the stamp. A finished build costs one comparison.
build_once() {
  local dir=$1 want=$2
  shift 2
  [ "$(cat "$dir/.build-stamp" 2>/dev/null)" = "$want" ] && return 0
  mkdir -p "$(dirname "$dir")"
  (
    flock -w 900 9 || { echo "build: timed out waiting for $dir.lock" >&2; exit 1; }
    [ "$(cat "$dir/.build-stamp" 2>/dev/null)" = "$want" ] && exit 0
    echo "build: $dir" >&2
    "$@" >&2
    echo "$want" > "$dir/.build-stamp"
  ) 9>"$dir.lock"
}
