#!/usr/bin/env bash
# Reproduces every figure of docs/benchmarks.md: criterion benches, the cross-engine comparison
# at S, M and L (pms native, Python, WebAssembly in Node, regorus, DuckDB), Python against
# native, and WebAssembly (Node, Chromium) against native. Installs what it needs (idempotent).
# The L scale writes 383 MB of JSON under target/bench-data and needs about 3 GB of memory;
# `scripts/bench.sh S M` runs the comparison at the named scales only.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALES=("$@")
[ ${#SCALES[@]} -eq 0 ] && SCALES=(S M L)
VENV="$(scripts/python-env.sh)"
scripts/build-wasm.sh >&2
echo "== criterion =="
cargo bench -p pms-bench --bench engine -- --warm-up-time 1 --measurement-time 3
for s in "${SCALES[@]}"; do
  echo "== generated company $s: pms native, Python, WebAssembly, regorus, DuckDB =="
  "$VENV/bin/python" benches/compare.py "$s"
done
echo "== Python against native =="
"$VENV/bin/python" benches/python_vs_native.py
echo "== WebAssembly against native =="
node web/tests/bench.mjs
