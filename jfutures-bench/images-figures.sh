#!/usr/bin/env bash
# Issue 4's figure: images per second of `jfutures images` against the article's own Python program
# (Pillow with ProcessPoolExecutor), on the same photographs and the same workers, side by side in
# one run. Whole processes are timed, start-up included; rounds alternate between the contenders.
#
# Usage: jfutures-bench/images-figures.sh [COPIES] [ROUNDS] [WORKERS] [baseline|mixed]
#   (from the repository root)
#   COPIES  copies of each 2560x1600 sample photograph (5 of them): default 8, so 40 images
#   mixed   every other copy re-saved as a progressive JPEG by Pillow (default: baseline only)
# Contenders: Python; jfutures with libturbojpeg; with libjpeg.so.62, which is what a fresh machine
# without libturbojpeg0 runs (--codec libjpeg); with the JDK's ImageIO; on the thread pool.
# Needs Debian's python3-pil for the Python side; libturbojpeg0 for jfutures' fast path.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=whole-runs.sh
. jfutures-bench/whole-runs.sh
copies=${1:-8}
rounds=${2:-3}
workers=${3:-2}
kind=${4:-baseline}
./jfutures build -q >/dev/null 2>&1

echo "== One 2560x1600 photograph, warmed up: where the time goes (median of rounds)"
./jfutures java --enable-native-access=ALL-UNNAMED -cp jfutures-bench/target/benchmarks.jar \
  io.jfutures.bench.ImagePipelineFigures samples/photos/LadyBird.jpg
/usr/bin/python3 jfutures-bench/python/pillow_pipeline.py samples/photos/LadyBird.jpg
echo
echo "== Whole runs"

work=$(mktemp -d "${TMPDIR:-/tmp}/jfutures-images.XXXXXX")
trap 'rm -rf "$work"' EXIT
copy_photos "$work/input_images" "$copies" "$kind"

echo "$count photographs (2560x1600 JPEG, $kind), CONTOUR, $workers workers, $rounds rounds; $(nproc) CPUs"
echo "jfutures: $(./jfutures java -version 2>&1 | head -n 1); Python: $(/usr/bin/python3 --version), Pillow $(/usr/bin/python3 -c 'import PIL; print(PIL.__version__)')"
declare -A times
contenders=(python jfutures jfutures-libjpeg jfutures-imageio jfutures-threads)
for r in $(seq 1 "$rounds"); do
  for c in "${contenders[@]}"; do
    case $c in
      python) t=$(seconds /usr/bin/python3 jfutures-bench/python/images_article.py "$work/input_images" "$work/out" "$workers") ;;
      jfutures) t=$(seconds ./jfutures images "$work/input_images" --out "$work/out" --workers "$workers" --quiet) ;;
      jfutures-libjpeg) t=$(seconds ./jfutures images "$work/input_images" --out "$work/out" --workers "$workers" --quiet --codec libjpeg) ;;
      jfutures-imageio) t=$(seconds ./jfutures images "$work/input_images" --out "$work/out" --workers "$workers" --quiet --codec imageio) ;;
      jfutures-threads) t=$(seconds ./jfutures images "$work/input_images" --out "$work/out" --workers "$workers" --quiet --pool thread) ;;
    esac
    times[$c]="${times[$c]:-} $t"
  done
done
python_median=$(echo "${times[python]}" | median)
printf '%-18s %10s %12s %9s   %s\n' contender "median s" "images/s" "vs Python" "all rounds (s)"
for c in "${contenders[@]}"; do
  m=$(echo "${times[$c]}" | median)
  printf '%-18s %10.2f %12.1f %8.2fx   %s\n' "$c" "$m" "$(awk -v n="$count" -v m="$m" 'BEGIN { print n / m }')" \
    "$(awk -v p="$python_median" -v m="$m" 'BEGIN { print p / m }')" "$(echo "${times[$c]}" | xargs printf '%.2f ')"
done
