#!/usr/bin/env bash
# An authenticated read of an instance's status under load from a second process (this benchmark's
# JVM) against the packaged provisioning service, beside the same server's trivial endpoint
# (/q/health/live) measured in the same run. Figures land in
# services/provisioning/target/bench-status-read.txt. The services run compiled as in production.
#   bench/status-read.sh                                  (4 client threads, 20 s warm-up, 30 s)
#   bench/status-read.sh -Dbench.clients=8 -Dbench.seconds=60
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/service-benchmark.sh provisioning services/provisioning/target/bench-status-read.txt "-Dsalons.service-jvm-options=-XX:MaxRAMPercentage=8" -Dtest=StatusReadBenchmark "$@"
