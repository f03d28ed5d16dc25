#!/usr/bin/env bash
# Issue 5's ClusterPool figures beside ThreadPool and ProcessPool, in one run: per-task cost embedded
# and as a client of two member JVMs, and a CPU-bound map on one member against three.
# Usage: jfutures-bench/cluster-figures.sh   (from the repository root)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./jfutures build -q -Djavadoc.skip=true >/dev/null
# What Hazelcast asks of the JDK (as the jfutures launcher grants it); members inherit these.
access=(--add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
  --sun-misc-unsafe-memory-access=allow)
echo "== $(./jfutures java -version 2>&1 | head -n 1), $(nproc) cores"
./jfutures java "${access[@]}" -cp jfutures-bench/target/benchmarks.jar \
  io.jfutures.bench.ClusterPoolFigures
