#!/usr/bin/env bash
# How much memory a small association's Matrix server takes: a real Synapse of the local runtime,
# rendered by the platform, idle and while two members chat. Figures in
# services/provisioning/target/bench-density.txt.
#   bench/density.sh                          (idle 60 s, then 300 messages)
#   bench/density.sh -Dbench.messages=1000 -Dbench.idle=120
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/service-benchmark.sh provisioning services/provisioning/target/bench-density.txt \
  -Dtest=SynapseDensityBenchmark "$@"
