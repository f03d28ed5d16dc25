#!/usr/bin/env bash
# Issue 5's ClusterPool figures beside ThreadPool and ProcessPool, in one run: per-task cost embedded
# and as a client of two member JVMs, and a CPU-bound map on one member against three.
# Usage: jfutures-bench/cluster-figures.sh   (from the repository root)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./jfutures build -q -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dcyclonedx.skip=true >/dev/null
# What Hazelcast asks of the JDK, from the one list in the parent pom; members inherit these.
pom_list() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml"; }
access=(--sun-misc-unsafe-memory-access=allow)
for entry in $(pom_list hazelcast.exports); do access+=(--add-exports "$entry=ALL-UNNAMED"); done
for entry in $(pom_list hazelcast.opens); do access+=(--add-opens "$entry=ALL-UNNAMED"); done
echo "== $(./jfutures java -version 2>&1 | head -n 1), $(nproc) cores"
./jfutures java "${access[@]}" -cp jfutures-bench/target/benchmarks.jar \
  io.jfutures.bench.ClusterPoolFigures
echo "== The first task on a fresh member, with the program on its --classpath and without"
./jfutures java "${access[@]}" -cp jfutures-bench/target/benchmarks.jar \
  io.jfutures.bench.MemberFirstTaskFigures jfutures-cli/target/jfutures.jar \
  jfutures-bench/target/benchmarks.jar
