#!/usr/bin/env bash
# Runs every test of pms. Installs what the tests need (idempotently) first.
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== toolchain =="
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

echo "== fmt =="
cargo fmt --all -- --check

echo "== clippy =="
cargo clippy --workspace --all-targets -- -D warnings

echo "== docs =="
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps -q

echo "== wasm32 build of the core (no threads, files or clocks inside the engine) =="
cargo build -q -p pms-core --target wasm32-unknown-unknown

echo "== sample company through the CLI =="
cargo run -q -p pms-cli -- check --format json > /dev/null
cargo run -q -p pms-cli -- validate examples/mimoto/records.yaml
cargo run -q -p pms-cli -- test examples/custom-rule/tests.yaml --rules examples/custom-rule/call-recordings.pms

echo "== tests =="
# pms-py is a cdylib for Python: it is built by maturin and tested with pytest below.
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --exclude pms-py --no-fail-fast
  cargo test --workspace --exclude pms-py --doc -q
else
  cargo test --workspace --exclude pms-py
fi

echo "== python: build the wheel from source, type-check, pytest =="
VENV="$(scripts/python-env.sh)"
"$VENV/bin/mypy" --strict crates/pms-py/tests/typecheck_usage.py
"$VENV/bin/python" -m pytest -q crates/pms-py/tests

echo "== ledgers: workbooks (openpyxl) and Shift_JIS CSVs (cp932 codec) read as the YAML; malformed ones give located errors =="
cargo build -q -p pms-cli
"$VENV/bin/python" -m pytest -q tests/ledgers

echo "== WebAssembly: web, bundler and nodejs packages; TypeScript; Node and browser tests =="
scripts/build-wasm.sh
web/tests/node_modules/.bin/tsc --strict --noEmit --target esnext --lib esnext,dom --module nodenext --moduleResolution nodenext web/tests/typecheck.ts
node --test web/tests/

echo "== hostile corpus: every case in its own process, within its time and memory budget, on the CLI, Python and Node =="
PMS_PYTHON="$VENV/bin/python" "$VENV/bin/python" scripts/hostile.py

echo "== fuzzing: each cargo-fuzz target for a few seconds (scripts/fuzz.sh installs nightly and cargo-fuzz when missing) =="
scripts/fuzz.sh "${PMS_FUZZ_SECONDS:-5}"

echo "== benchmarks: pms (native, Python, WebAssembly), Rego (regorus) and SQL (DuckDB) must find the same gaps (small scale) =="
"$VENV/bin/python" benches/compare.py S
