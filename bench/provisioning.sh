#!/usr/bin/env bash
# The provisioning benchmark, on the Kubernetes stand-in (fabric8's CRUD mock server) with the real
# PostgreSQL, identity and Keycloak of the test servers: 1,000 instances asked for 50 at a time,
# then a resync of 10,000 instances. Figures land in services/provisioning/target/bench-provisioning.txt.
#   bench/provisioning.sh
#   bench/provisioning.sh -Dbench.instances=200 -Dbench.resync=2000
#   bench/provisioning.sh -Dbench.instances=50 -Dbench.resync=10000 -DargLine=-Xmx1g   (the 10k resync)
#   bench/provisioning.sh -Dbench.supervisor=false                                      (accept alone)
set -euo pipefail
cd "$(dirname "$0")/.."
./salons test -pl services/provisioning -Pbench -Dtest='*Benchmark' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false "$@"
cat services/provisioning/target/bench-provisioning.txt
