#!/usr/bin/env bash
# Issue 5's ClusterPool figures beside ThreadPool and ProcessPool, in one run: per-task cost embedded
# and as a client of two member JVMs, and a CPU-bound map on one member against three.
# Usage: jfutures-bench/cluster-figures.sh   (from the repository root)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./jfutures build -q -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dcyclonedx.skip=true >/dev/null
source "$root/jfutures-bench/hazelcast-access.sh"
echo "== $(./jfutures java -version 2>&1 | head -n 1), $(nproc) cores"
./jfutures java "${access[@]}" -cp jfutures-bench/target/benchmarks.jar \
  io.jfutures.bench.ClusterPoolFigures
echo "== The first task on a fresh member, with the program on its --classpath and without"
./jfutures java "${access[@]}" -cp jfutures-bench/target/benchmarks.jar \
  io.jfutures.bench.MemberFirstTaskFigures jfutures-cli/target/jfutures.jar \
  jfutures-bench/target/benchmarks.jar
