#!/usr/bin/env bash
# How well one client keeps a cluster's workers busy (issue 18): one member JVM claiming W workers,
# tasks that sleep, the client's CPU per dispatch.
# Usage: jfutures-bench/cluster-scaling.sh [W MS N ROUNDS]...   (from the repository root)
#   default: 200 workers x 10 ms tasks x 40,000, and 400 x 10 ms x 80,000
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./jfutures build -q -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dcyclonedx.skip=true >/dev/null
source "$root/jfutures-bench/hazelcast-access.sh"
[ $# -gt 0 ] || set -- 200 10 40000 3 400 10 80000 3
while [ $# -ge 4 ]; do
  ./jfutures java "${access[@]}" -cp jfutures-bench/target/benchmarks.jar \
    io.jfutures.bench.ClusterScaling "$1" "$2" "$3" "$4"
  shift 4
done
