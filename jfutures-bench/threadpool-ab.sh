#!/usr/bin/env bash
# Before and after for a ThreadPool's cost per trivial task under load (ThreadPoolTaskCost): the
# program runs on jfutures as built at REV (its core jar first on the class path) and as built
# here, alternating, PAIRS times, in one run.
#
# Usage: jfutures-bench/threadpool-ab.sh REV [PAIRS]   (from the repository root)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rev=${1:?usage: jfutures-bench/threadpool-ab.sh REV [PAIRS]}
pairs=${2:-6}
# shellcheck source=whole-runs.sh
. jfutures-bench/whole-runs.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/jfutures-threadpool-ab.XXXXXX")
trap remove_before EXIT
build_before "$rev"
before=$(ls "$work"/before/jfutures-core/target/jfutures-core-*.jar | grep -v -e sources -e javadoc -e tests)

echo "== $(./jfutures java -version 2>&1 | head -n 1), $(nproc) cores; before = $rev"
for pair in $(seq 1 "$pairs"); do
  ./jfutures java -cp "$before:jfutures-bench/target/benchmarks.jar" \
    io.jfutures.bench.ThreadPoolTaskCost | sed "s/^/before  /"
  ./jfutures java -cp jfutures-bench/target/benchmarks.jar \
    io.jfutures.bench.ThreadPoolTaskCost | sed "s/^/after   /"
done
