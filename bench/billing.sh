#!/usr/bin/env bash
# The billing benchmark, on the real PostgreSQL of the test servers: 10,000 organisations x 720
# hourly samples (7.2 M) sent through the API in batches, then every statement of the month.
# Figures land in services/billing/target/bench-billing.txt.
#   bench/billing.sh
#   bench/billing.sh -Dbench.organizations=1000 -Dbench.batch=2000 -Dbench.clients=2
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/service-benchmark.sh billing services/billing/target/bench-billing.txt "$@"
