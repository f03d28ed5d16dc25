#!/usr/bin/env bash
# Before and after for a JMH benchmark: the benchmarks jar as built at REV (in a temporary worktree)
# against this checkout's, alternating, ROUNDS times each, in one run. Each round prints JMH's result
# table, prefixed with its side; a benchmark with a peer parameter (jfutures, jdk) measures its peer
# in the same JVM, so each round also gives a same-run ratio.
#
# Usage: jfutures-bench/jmh-ab.sh REV ROUNDS BENCHMARK [JMH OPTIONS...]   (from the repository root)
#   e.g.  jfutures-bench/jmh-ab.sh 3b7248d 4 SubmitCollectBenchmark -f 1
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rev=${1:?usage: jfutures-bench/jmh-ab.sh REV ROUNDS BENCHMARK [JMH OPTIONS...]}
rounds=${2:?rounds}
shift 2
# shellcheck source=whole-runs.sh
. jfutures-bench/whole-runs.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/jfutures-jmh-ab.XXXXXX")
trap remove_before EXIT
build_before "$rev"

jmh() { # side, then JMH arguments
  local jar
  if [ "$1" = before ]; then jar="$work/before/jfutures-bench/target/benchmarks.jar"; else
    jar=jfutures-bench/target/benchmarks.jar; fi
  shift
  ./jfutures java -jar "$jar" "$@" 2>&1 | sed -n '/^Benchmark/,$p'
}

echo "== $(./jfutures java -version 2>&1 | head -n 1), $(nproc) cores; before = $rev"
for round in $(seq 1 "$rounds"); do
  echo "== round $round"
  jmh before "$@" | sed "s/^/before  /"
  jmh after "$@" | sed "s/^/after   /"
done
