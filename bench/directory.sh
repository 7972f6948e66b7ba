#!/usr/bin/env bash
# The directory benchmark: relevance of the search on a generated directory of 5,000 rooms (the
# generator's seed printed; -Dbench.seed=... replays it), search latency with 100,000 rooms and 50
# concurrent clients, and a refresh of 1,000 stand-in homeservers of 20 rooms each. Figures land in
# services/commons/target/bench-directory.txt.
#   bench/directory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/service-benchmark.sh commons services/commons/target/bench-directory.txt -Dtest=DirectoryBenchmark "$@"
