#!/usr/bin/env bash
# WordPress import (release build): the theme unit test export, and a
# generated export of N posts (default 100,000; two comments each), with
# wall time and peak memory, against reading the same file alone through
# the streaming WXR reader (the baseline, measured in the same run).
#
#   bash benches/wordpress.sh [N]
#
# The theme unit test comes from ../shared (or MANSET_TESTDATA); it is
# skipped when absent.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
export MANSET_TESTDATA="${MANSET_TESTDATA:-$(cd .. && pwd)/shared}"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
cargo build -q --release -p manset
cargo build -q --release -p manset-import --example wxr
BIN=target/release/manset
WXR=target/release/examples/wxr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, command...: prints seconds and peak RSS (MB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  read -r secs kb < "$work/time"
  printf '%-44s %7.2f s  peak %6.1f MB\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)"
  echo "$secs"  > "$work/last"
}

theme="$MANSET_TESTDATA/testdata/wordpress/theme-unit-test-data.xml"
if [ -f "$theme" ]; then
  measure "theme unit test: import" "$BIN" --data "$work/theme" import wordpress "$theme"
  measure "theme unit test: import again (no change)" "$BIN" --data "$work/theme" import wordpress "$theme"
fi

"$WXR" gen "$N" > "$work/big.xml"
size=$(du -m "$work/big.xml" | cut -f1)
echo "generated export: $N posts, $((2 * N)) comments, $size MB"
measure "baseline: read the export (streaming reader)" "$WXR" parse "$work/big.xml"
base=$(cat "$work/last")
measure "import $N posts" "$BIN" --data "$work/big" import wordpress "$work/big.xml"
full=$(cat "$work/last")
measure "import again (no change)" "$BIN" --data "$work/big" import wordpress "$work/big.xml"
again=$(cat "$work/last")
grep -E "^  (post|comment|category|tag|author) " "$work/out" || true
printf 'ratio import / read: %.1f   second run / first: %.2f\n' "$(echo "$full / $base" | bc -l)" "$(echo "$again / $full" | bc -l)"
