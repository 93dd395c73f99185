#!/usr/bin/env bash
# Installs what the WebAssembly build and the browser tests need, when missing (idempotent):
# the wasm32 target, wasm-bindgen-cli at exactly the version of the wasm-bindgen crate,
# Debian's chromium and a CJK font, poppler-utils (pdftotext, pdfinfo: the HTML report's PDF
# test), and the npm packages of web/tests.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

want=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' crates/pms-wasm/Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "installing wasm-bindgen-cli $want (have: ${have:-none})" >&2
  cargo install -q wasm-bindgen-cli --version "$want" --force >&2
fi

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  echo "installing chromium, a CJK font and poppler-utils" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium fonts-ipafont-gothic poppler-utils >&2
fi

if [ ! -d web/tests/node_modules/playwright-core ] || [ ! -d web/tests/node_modules/typescript ] || [ ! -d web/tests/node_modules/binaryen ] || [ ! -d web/tests/node_modules/yaml ]; then
  (cd web/tests && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
