#!/usr/bin/env bash
# Backup and restore of an instance with 100,000 messages and 1 GiB of media, beside plain
# pg_dump/pg_restore and tar of the same data in the same run. Figures land in
# services/provisioning/target/bench-backup.txt.
#   bench/backup.sh
#   bench/backup.sh -Dbench.messages=20000 -Dbench.media-mib=256 -Dbench.rounds=1
# Round 1 is the JVM's first backup (cold JIT); later rounds are how a running service does it.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/service-benchmark.sh provisioning services/provisioning/target/bench-backup.txt -Dtest=BackupBenchmark "$@"
