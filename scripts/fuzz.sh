#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS each (default 60), seeded from tests/,
# rules/, examples/ and web/. Installs the nightly toolchain and cargo-fuzz when they are missing.
# A crash stops with the input saved under fuzz/artifacts/<target>/ and exit code 1; turn it
# into a regression case (tests/hostile/ or a unit test). See docs/reliability.md.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Environment: PMS_FUZZ_TARGET_DIR (build directory, default fuzz/target: nightly and sanitizer
# flags would rebuild the workspace's target directory); PMS_FUZZ_TIMEOUT (seconds one input may
# take, default 10: libFuzzer counts wall time, so a campaign run at `nice 19` on a busy
# machine needs more, or a starved process is reported as a timeout).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(rules_parse rules_compile rules_check records_json records_yaml ledgers)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal >&2
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked >&2
export CARGO_TARGET_DIR="${PMS_FUZZ_TARGET_DIR:-$PWD/fuzz/target}"

# Seeds: the repository's own inputs for each target (copied, so the corpus can grow apart).
seed() {
  local dir=fuzz/seeds/$1
  shift
  rm -rf "$dir" && mkdir -p "$dir"
  local f i=0
  while IFS= read -r -d '' f; do
    i=$((i + 1))
    cp "$f" "$dir/$i-$(basename "$f")"
  done < <(find "$@" -type f -print0 2>/dev/null | sort -z)
}
seed rules rules examples tests/diagnostics -name '*.pms'
seed json tests/diagnostics tests/hostile/files -name '*.json'
seed yaml examples tests/conformance tests/diagnostics tests/parts tests/undetermined tests/hostile/files -name '*.yaml'
seed ledgers tests/ledgers examples web \( -name '*.xlsx' -o -name '*.csv' -o -name '*.tsv' -o -name '*.ods' \)

start=$(date +%s)
cargo +nightly fuzz build -O >&2
echo "fuzz: built in $(( $(date +%s) - start )) s" >&2

status=0
for t in "${TARGETS[@]}"; do
  maxlen=65536
  case "$t" in
    # LeakSanitizer is on for every target: the structs a rule file's `extend` declarations
    # register live for the whole process by design, but stay reachable (docs/reliability.md).
    rules_*) seeds=fuzz/seeds/rules ;;
    records_json) seeds=fuzz/seeds/json ;;
    records_yaml) seeds=fuzz/seeds/yaml ;;
    # The workbooks pms writes are about 250 KiB: a shorter cut would only be a broken zip.
    ledgers) seeds=fuzz/seeds/ledgers maxlen=$((512 * 1024)) ;;
    *) echo "fuzz: unknown target $t" >&2; exit 2 ;;
  esac
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  echo "== fuzz $t (${SECS} s)" >&2
  if ! cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" "$seeds" -- \
      -max_total_time="$SECS" -max_len="$maxlen" -timeout="${PMS_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
      -print_final_stats=1 \
      -artifact_prefix="fuzz/artifacts/$t/" 2> "fuzz/artifacts/$t.log"; then
    status=1
    echo "fuzz: $t FAILED; the input is in fuzz/artifacts/$t/, the log in fuzz/artifacts/$t.log" >&2
    grep -E "ERROR|panicked|SUMMARY" "fuzz/artifacts/$t.log" | head -5 >&2 || true
  else
    grep -E "stat::number_of_executed_units|cov: " "fuzz/artifacts/$t.log" | tail -2 >&2 || true
  fi
done
exit $status
