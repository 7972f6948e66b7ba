#!/usr/bin/env bash
# Runs one service's benchmark (its `*Benchmark` test, kept out of the suite by the `bench` profile)
# against the test servers, then prints its figures. The service scripts call it:
#   bench/service-benchmark.sh <service> <figures file, from the repository> [Maven arguments]
# It first builds and installs what the benchmark needs (the libraries, and the packaged identity,
# billing and provisioning that the test servers start), so that it works on a fresh clone as on a
# used one.
set -euo pipefail
cd "$(dirname "$0")/.."
service=$1 figures=$2
shift 2
echo "[bench] building the services ..."
./mvnw -B -q install -DskipTests -Dspotless.check.skip=true \
  -pl services/identity,services/billing,services/provisioning,"services/$service" -am
./salons test -pl "services/$service" -Pbench -Dtest='*Benchmark' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false "$@"
cat "$figures"
