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
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SECONDS_PROFILED:-5}
event=${EVENT:-itimer}
[ "$event" = wall ] && event="wall,threads"
version=4.1
./mvnw -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:$version \
  -DoutputDirectory=target/async-profiler -Dmdep.overWriteIfNewer=true
lib=target/async-profiler/linux-x64/libasyncProfiler.so
[ -f "$lib" ] || (cd target/async-profiler && jar xf async-profiler-$version.jar linux-x64/libasyncProfiler.so)
lib=$(realpath "$lib")
out=services/provisioning/target
rm -f "$out/bench-phase" "$out"/profile-*.txt
bench/provisioning.sh -Dbench.supervisor="${SUPERVISOR:-false}" "$@" > "$out/profile-bench.log" 2>&1 &
bench=$!
until [ -f "$out/bench-phase" ]; do
  kill -0 $bench 2>/dev/null || { tail -20 "$out/profile-bench.log"; exit 1; }
  sleep 0.5
done
sleep "${DELAY:-0}"
declare -A pids=(
  [provisioning]=$(jcmd -l | awk '/surefirebooter/ {print $1; exit}')
  [billing]=$(pgrep -f 'services/billing/target/quarkus-app' | head -1)
)
for name in "${!pids[@]}"; do
  jcmd "${pids[$name]}" JVMTI.agent_load "$lib" "\"start,event=$event,interval=2ms\"" > /dev/null
done
sleep "$seconds"
for name in "${!pids[@]}"; do
  jcmd "${pids[$name]}" JVMTI.agent_load "$lib" \
    "\"stop,collapsed,file=$(realpath "$out")/profile-$name.txt\"" > /dev/null
done
wait $bench
cat "$out/bench-provisioning.txt"
ls -l "$out"/profile-*.txt
