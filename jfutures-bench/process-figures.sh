#!/usr/bin/env bash
# Issue 3's ProcessPool figures, jfutures and Python's ProcessPoolExecutor side by side in one run.
# Usage: jfutures-bench/process-figures.sh   (from the repository root)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./jfutures build -q >/dev/null
echo "== jfutures ProcessPool ($(./jfutures java -version 2>&1 | head -n 1))"
./jfutures java -cp jfutures-bench/target/benchmarks.jar io.jfutures.bench.ProcessPoolFigures
echo "== Python ProcessPoolExecutor ($(python3 --version))"
python3 jfutures-bench/python/process_figures.py
