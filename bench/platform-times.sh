#!/usr/bin/env bash
# Times the README's two commands, as docs/benchmarks.md reports them.
#
#   bench/platform-times.sh warm    this checkout and the Maven repository as they are
#   bench/platform-times.sh cold    a fresh clone with an empty Maven repository (downloads all)
#
# "run" is measured from the command to the moment every service is ready (the platform writes
# <data-dir>/ready), then the platform is stopped with SIGTERM, as Ctrl-C would.
# Uses the fixed local ports: stop any running platform first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-warm}
WORK=$(mktemp -d /tmp/salons-bench.XXXXXX)
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

time_run() { # checkout data-dir tag label
  local dir=$1 data=$2 tag=$3 label=$4 start pid
  start=$(now)
  (cd "$dir" && exec ./salons run --data-dir "$data" >"$WORK/run-$tag.log" 2>&1) &
  pid=$!
  until [ -f "$data/ready" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then cat "$WORK/run-$tag.log"; exit 1; fi
    sleep 0.2
  done
  printf 'run   %-34s %6s s\n' "$label" "$(since "$start")"
  kill -TERM "$pid"; wait "$pid" || true
  rm -f "$data/ready"
}

time_test() { # checkout tag label
  local dir=$1 tag=$2 label=$3 start
  start=$(now)
  (cd "$dir" && ./salons test >"$WORK/test-$tag.log" 2>&1) || { tail -50 "$WORK/test-$tag.log"; exit 1; }
  printf 'test  %-34s %6s s  (%s)\n' "$label" "$(since "$start")" \
    "$(grep -E '^\[INFO\] Tests run:' "$WORK/test-$tag.log" | grep -v ' in ' \
       | awk -F'[:,]' '{n+=$2} END {print n " tests"}')"
}

echo "# $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(java -version 2>&1 | head -1)"
case "$MODE" in
  warm)
    time_run "$ROOT" "$WORK/data" warm-first "warm, first start"
    time_run "$ROOT" "$WORK/data" warm-restart "warm, restart on its data"
    time_test "$ROOT" warm "warm"
    ;;
  cold)
    export MAVEN_USER_HOME="$WORK/m2"
    export MAVEN_OPTS="-Dmaven.repo.local=$WORK/m2/repository"
    git clone -q "$ROOT" "$WORK/clone-run"
    time_run "$WORK/clone-run" "$WORK/data-cold" cold "cold (fresh clone, empty ~/.m2)"
    rm -rf "$WORK/m2"
    git clone -q "$ROOT" "$WORK/clone-test"
    time_test "$WORK/clone-test" cold "cold (fresh clone, empty ~/.m2)"
    ;;
  *) echo "usage: $0 warm|cold" >&2; exit 2 ;;
esac
echo "logs: $WORK"
