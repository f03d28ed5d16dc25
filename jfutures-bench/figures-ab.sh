#!/usr/bin/env bash
# Before and after for the pools' own figures: ProcessPoolFigures and ClusterPoolFigures as built at
# REV (in a temporary worktree) against this checkout, alternating, ROUNDS times each, in one run.
# Every line a figure program prints is prefixed with its side.
#
# Usage: jfutures-bench/figures-ab.sh REV [ROUNDS]   (from the repository root)
#   REV     the commit to compare with, e.g. 059afc2
#   ROUNDS  rounds of each program on each side, default 2
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rev=${1:?usage: jfutures-bench/figures-ab.sh REV [ROUNDS]}
rounds=${2:-2}
# shellcheck source=whole-runs.sh
. jfutures-bench/whole-runs.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/jfutures-figures-ab.XXXXXX")
trap remove_before EXIT
build_before "$rev"

source "$root/jfutures-bench/hazelcast-access.sh"

figures() { # side program
  local jar
  if [ "$1" = before ]; then jar="$work/before/jfutures-bench/target/benchmarks.jar"; else
    jar=jfutures-bench/target/benchmarks.jar; fi
  ./jfutures java "${access[@]}" -cp "$jar" "io.jfutures.bench.$2" 2>&1 | sed "s/^/$1  /"
}

echo "== $(./jfutures java -version 2>&1 | head -n 1), $(nproc) cores; before = $rev"
for program in ProcessPoolFigures ClusterPoolFigures; do
  for round in $(seq 1 "$rounds"); do
    echo "== $program, round $round"
    figures before "$program"
    figures after "$program"
  done
done
