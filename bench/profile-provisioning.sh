#!/usr/bin/env bash
# Where the CPU goes while ProvisioningBenchmark's measured creations run: async-profiler (from
# Maven Central) is attached to the provisioning JVM (service, clients and stand-in) and to billing
# once the warm-up is over, for a few seconds, and writes collapsed stacks (one line per stack, with
# its sample count; any flame-graph tool reads them) to services/provisioning/target/profile-*.txt.
#   bench/profile-provisioning.sh                  (5 s of samples)
#   SECONDS_PROFILED=8 bench/profile-provisioning.sh -Dbench.instances=3000
#   SUPERVISOR=true EVENT=wall DELAY=6 SECONDS_PROFILED=15 bench/profile-provisioning.sh \
#     -Dbench.instances=200          (where the supervisor's threads wait, from 6 s after the
#                                     creations begin; stacks start with the thread's name)
#   EVENT=alloc INTERVAL=256k bench/profile-provisioning.sh -Dbench.instances=3000
#                                    (what the creations allocate: one sample per 256 KB)
#   STATEMENTS=true bench/profile-provisioning.sh -Dbench.instances=3000
#                                    (also PostgreSQL's statements during the measured creations,
#                                     by total time, from pg_stat_statements: profile-postgres.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SECONDS_PROFILED:-5}
event=${EVENT:-itimer}
interval=${INTERVAL:-2ms}
[ "$event" = wall ] && event="wall,threads"
version=4.1
./mvnw -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:$version \
  -DoutputDirectory=target/async-profiler -Dmdep.overWriteIfNewer=true
lib=target/async-profiler/linux-x64/libasyncProfiler.so
[ -f "$lib" ] || (cd target/async-profiler && jar xf async-profiler-$version.jar linux-x64/libasyncProfiler.so)
lib=$(realpath "$lib")
out=services/provisioning/target
rm -f "$out/bench-phase" "$out"/profile-*.txt "$out/bench-provisioning.txt"
if [ "${STATEMENTS:-false}" = true ]; then
  command -v psql > /dev/null || { echo "STATEMENTS=true needs psql (PostgreSQL's client)"; exit 1; }
  export SALONS_POSTGRES_SETTINGS=shared_preload_libraries=pg_stat_statements
fi
psql_run() {
  local port
  port=$(pgrep -a postgres | sed -n 's/.* -p \([0-9]*\).*/\1/p' | head -1)
  psql -X -q -h localhost -p "$port" -U postgres -d postgres "$@"
}
bench/provisioning.sh -Dbench.supervisor="${SUPERVISOR:-false}" "$@" > "$out/profile-bench.log" 2>&1 &
bench=$!
until [ -f "$out/bench-phase" ]; do
  kill -0 $bench 2>/dev/null || { tail -20 "$out/profile-bench.log"; exit 1; }
  sleep 0.5
done
if [ "${STATEMENTS:-false}" = true ]; then
  psql_run -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' -c 'SELECT pg_stat_statements_reset()' > /dev/null
fi
sleep "${DELAY:-0}"
declare -A pids=(
  [provisioning]=$(for p in $(pgrep -f surefirebooter); do
    [ "$(cat "/proc/$p/comm")" = java ] && echo "$p"; done | head -1)
  [billing]=$(pgrep -f 'services/billing/target/quarkus-app' | head -1)
)
for name in "${!pids[@]}"; do
  jcmd "${pids[$name]}" JVMTI.agent_load "$lib" "\"start,event=$event,interval=$interval\"" > /dev/null \
    || echo "could not attach to $name (process ${pids[$name]})"
done
sleep "$seconds"
for name in "${!pids[@]}"; do
  jcmd "${pids[$name]}" JVMTI.agent_load "$lib" \
    "\"stop,collapsed,file=$(realpath "$out")/profile-$name.txt\"" > /dev/null || true
done
if [ "${STATEMENTS:-false}" = true ]; then
  until grep -q 'create .* instances' "$out/bench-provisioning.txt" 2>/dev/null; do
    kill -0 $bench 2>/dev/null || break
    sleep 0.5
  done
  psql_run -c "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms,
      round(mean_exec_time::numeric, 3) AS mean_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS query
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25" > "$out/profile-postgres.txt"
fi
wait $bench
cat "$out/bench-provisioning.txt"
ls -l "$out"/profile-*.txt
