#!/usr/bin/env bash
# Issue 4's before and after: `jfutures images` as built at REV (in a temporary worktree) against
# this checkout, beside the article's Python program, alternating, whole processes timed, start-up
# included. One warm-up round (it trains each side's caches) is not counted.
#
# Usage: jfutures-bench/images-ab.sh REV [ROUNDS] [COPIES]   (from the repository root)
#   REV     the commit to compare with, e.g. d12f27d
#   ROUNDS  counted rounds, default 5; COPIES of each of five sample photographs, default 8 (40)
# Needs Debian's python3-pil for the Python side; libturbojpeg0 for jfutures' fast path.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=whole-runs.sh
. jfutures-bench/whole-runs.sh
rev=${1:?usage: jfutures-bench/images-ab.sh REV [ROUNDS] [COPIES]}
rounds=${2:-5}
copies=${3:-8}

work=$(mktemp -d "${TMPDIR:-/tmp}/jfutures-ab.XXXXXX")
trap remove_before EXIT
build_before "$rev"

copy_photos "$work/in" "$copies"

run() { # contender: prints seconds
  local images=("$work/in" --out "$work/out" --workers 2 --quiet)
  case $1 in
    python) seconds /usr/bin/python3 jfutures-bench/python/images_article.py "$work/in" "$work/out" 2 ;;
    before) seconds "$work/before/jfutures" images "${images[@]}" ;;
    after) seconds ./jfutures images "${images[@]}" ;;
    before-threads) seconds "$work/before/jfutures" images "${images[@]}" --pool thread ;;
    after-threads) seconds ./jfutures images "${images[@]}" --pool thread ;;
  esac
}

contenders=(python before after before-threads after-threads)
declare -A times
echo "$count photographs, CONTOUR, 2 workers, $rounds rounds after a warm-up; before = $rev; $(nproc) CPUs"
for r in $(seq 0 "$rounds"); do
  for c in "${contenders[@]}"; do
    t=$(run "$c")
    [ "$r" -gt 0 ] && times[$c]="${times[$c]:-} $t"
  done
done
python_median=$(echo "${times[python]}" | median)
printf '%-16s %10s %9s   %s\n' contender "median s" "vs Python" "all rounds (s)"
for c in "${contenders[@]}"; do
  m=$(echo "${times[$c]}" | median)
  printf '%-16s %10.2f %8.2fx   %s\n' "$c" "$m" "$(awk -v p="$python_median" -v m="$m" 'BEGIN { print p / m }')" \
    "$(echo "${times[$c]}" | xargs printf '%.2f ')"
done
