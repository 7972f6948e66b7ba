#!/usr/bin/env bash
# The provisioning benchmark, on the build's real Kubernetes control plane (etcd, kube-apiserver,
# controller-manager, scheduler, KWOK's node: each its own process) with the real PostgreSQL,
# billing, identity and Keycloak of the test servers: instances asked for 50 at a time,
# then a resync. Figures land in services/provisioning/target/bench-provisioning.txt, with the CPU
# time each process used meanwhile. The services run compiled as in production (not the quick
# compiler the tests start them with), so that the figures are a warm service's.
#   bench/provisioning.sh -Dbench.supervisor=false -Dbench.instances=3000  (accept alone, after 30,000
#                                                    warm-up creations: -Dbench.warmup=N to change)
#   bench/provisioning.sh                            (1,000 instances, supervisor working: until applied)
#   bench/provisioning.sh -Dbench.rate=2 -Dbench.instances=120   (2 creations a second, steadily:
#                                                    accept -> applied when the machine keeps up)
#   bench/provisioning.sh -Dbench.instances=200 -Dbench.resync=2000
#   bench/provisioning.sh -Dbench.instances=50 -Dbench.resync=10000 -DargLine=-Xmx1g   (the 10k resync)
#   bench/profile-provisioning.sh                    (the same with async-profiler attached)
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/service-benchmark.sh provisioning services/provisioning/target/bench-provisioning.txt "-Dsalons.service-jvm-options=-XX:MaxRAMPercentage=8" -Dtest=ProvisioningBenchmark "$@"
