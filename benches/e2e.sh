#!/usr/bin/env bash
# End to end at scale L (issue 14): `pms check L --format json -o report.json`, whole 2023 pack,
# from process start to the last byte of the report, for the single file and the records
# directory (one file per entity). Prints one table row per run: wall, user CPU, peak RSS.
# Load alone is `pms validate` of the same input; evaluate + write is the difference.
#
#   benches/e2e.sh            # 3 runs each, best wall kept
#   RUNS=5 benches/e2e.sh
#   PACK=all benches/e2e.sh   # the whole pack: R-CTR-01/02/04/05/06/07 are quadratic at L
#                             # (minutes; docs/benchmarks.md), so by default they are left out
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
DATA="$TARGET/bench-data"
RUNS="${RUNS:-3}"
AS_OF=2026-03-31
cargo build -q --release -p pms-cli --bin pms -p pms-bench --bin pms-generate
PMS="$TARGET/release/pms"
mkdir -p "$DATA"
[ -f "$DATA/gen-L.json" ] || "$TARGET/release/pms-generate" L 1 "$DATA/gen-L.json" >/dev/null
[ -d "$DATA/gen-L-split" ] || "$TARGET/release/pms-generate" --split L 1 "$DATA/gen-L-split" >/dev/null
ONLY=()
if [ "${PACK:-}" != all ]; then
  ONLY=(--only "$("$PMS" rules list | grep -oE 'R-[A-Z]+-[0-9]+' | sort -u | grep -vE 'R-CTR-0[124567]' | paste -sd,)")
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

measure() { # label, command...
  local label="$1" best="" line
  shift
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time" "$@" >/dev/null 2>&1 || true
    line="$(tail -1 "$OUT/time")"
    if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'; then
      best="$line"
    fi
  done
  read -r wall user sys rss <<<"$best"
  printf '| %s | %s | %s | %s | %d MiB |\n' "$label" "$wall" "$user" "$sys" "$((rss / 1024))"
}

echo "| run | wall s | user s | sys s | peak RSS |"
echo "|---|---|---|---|---|"
for input in "$DATA/gen-L.json" "$DATA/gen-L-split"; do
  name="$(basename "$input")"
  measure "load ($name: pms validate)" "$PMS" validate -q "$input"
  measure "check, JSON report ($name)" "$PMS" check -q "$input" --as-of "$AS_OF" --format json -o "$OUT/report.json" "${ONLY[@]}"
  measure "check, JSON report, 1 thread ($name)" "$PMS" check -q "$input" --as-of "$AS_OF" --threads 1 --format json -o "$OUT/report.json" "${ONLY[@]}"
done
ls -l "$OUT/report.json" | awk '{printf "report: %.0f MB\n", $5 / 1e6}'
