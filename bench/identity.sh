#!/usr/bin/env bash
# The identity benchmark: 1,000 organisations with 5 members each, through the API, against the
# real Keycloak of the test servers. Figures land in services/identity/target/bench/identity.txt.
#   bench/identity.sh                 # 1,000 organisations
#   bench/identity.sh -Dbench.organisations=100
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/service-benchmark.sh identity services/identity/target/bench/identity.txt "$@"
