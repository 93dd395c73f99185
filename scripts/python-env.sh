#!/usr/bin/env bash
# Creates (once) the virtualenv the Python tests use and installs the tools into it, then
# builds the pms wheel from source and installs it. Idempotent. Prints the venv's path.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${PMS_VENV:-target/py-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" >&2
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  "maturin>=1.9,<2" pytest mypy pyyaml nbclient nbformat ipykernel pandas matplotlib jsonschema polars duckdb "dask[dataframe]" distributed pyarrow junitparser icalendar \
  regex "compliance-trestle>=3.12,<4" openpyxl duckdb-cli >&2
rm -rf target/wheels
"$VENV/bin/maturin" build --release -q -m crates/pms-py/Cargo.toml -o target/wheels >&2
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps target/wheels/pms-*.whl >&2
echo "$VENV"
