#!/usr/bin/env bash
# The commons benchmark, on real servers run by the local runtime: the commons server's memory idle
# and with three servers federating, and over 50 rounds the time from joining a thematic room over
# federation to the first message seen on the other server. Figures land in
# services/commons/target/bench-commons.txt.
#   bench/commons.sh
#   bench/commons.sh -Dbench.rounds=200
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/service-benchmark.sh commons services/commons/target/bench-commons.txt -Dtest=CommonsBenchmark "$@"
