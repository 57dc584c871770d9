#!/usr/bin/env bash
# What syncing the newsroom's commits costs: the same site, the same
# release binary, measured in one run twice — once as before (every SQLite
# commit `synchronous=NORMAL`: MANSET_SQLITE_SYNCHRONOUS=normal) and once as
# shipped (newsroom commits FULL: synced before the answer; readers'
# comments still NORMAL). Prints the comment-post rate (wrk, each comment
# unique) and the median newsroom save and publish times of each, and the
# ratios.
#
#   bash benches/durability.sh            # about 2 minutes after the build
#   DURATION=20s CONC=32 bash benches/durability.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-10s}"
CONC="${CONC:-32}"
THREADS="${THREADS:-2}"
PORT="${MANSET_PORT:-18092}"
WORK="$(mktemp -d /tmp/manset-durability.XXXXXX)"

# shellcheck source=lib.sh
source "$ROOT/benches/lib.sh"
need wrk wrk

cleanup() {
  [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$ROOT"
build_release
bench_site "$WORK/data" 500
echo "bench password 2026" | "$BIN" --data "$WORK/data" user add --email bench@example.com --name Bench \
  --role editor --password-stdin > /dev/null

# run SYNCHRONOUS: one server in that mode; sets RESULT to
# "comments/s p50 p99 save_ms publish_ms".
run() {
  MANSET_SQLITE_SYNCHRONOUS=$1 MANSET_LOG=error "$BIN" --data "$WORK/data" serve --listen "127.0.0.1:$PORT" \
    --page-cache-mb 0 > /dev/null &
  PID=$!
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
  local origin="http://127.0.0.1:$PORT" article
  article="$origin$(curl -sf "$origin/" | grep -o -m1 'href="/haber/[^"]*"' | sed -n '1{s/href="//; s/"$//; p}')"
  comments_lua "$WORK/post.lua" "$origin" "$(comment_token "$article")"
  local rps p50 p99 errors
  read -r rps p50 p99 errors < <(WARMUP=2s wrk_run "$article/yorum" "$WORK/post.lua")
  [ "$errors" = 0 ] || { echo "$1: $errors comment posts failed" >&2; exit 1; }
  local times
  times=$(newsroom_times "$origin" "$1" 30)
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  RESULT="$rps $p50 $p99 $times"
}

run normal
read -r B_RPS B_P50 B_P99 B_SAVE B_PUB <<< "$RESULT"
run full
read -r A_RPS A_P50 A_P99 A_SAVE A_PUB <<< "$RESULT"
echo
echo "SQLite commits, one run, same binary and site; comments: wrk -c$CONC for $DURATION, each unique"
printf '%-44s %12s %9s %9s %10s %12s\n' mode "comments/s" p50 p99 "save ms" "publish ms"
printf '%-44s %12s %9s %9s %10s %12s\n' "before: every commit NORMAL (no sync)" "$B_RPS" "$B_P50" "$B_P99" "$B_SAVE" "$B_PUB"
printf '%-44s %12s %9s %9s %10s %12s\n' "after: newsroom FULL, readers' comments NORMAL" "$A_RPS" "$A_P50" "$A_P99" "$A_SAVE" "$A_PUB"
awk -v a="$A_RPS" -v b="$B_RPS" -v as="$A_SAVE" -v bs="$B_SAVE" -v ap="$A_PUB" -v bp="$B_PUB" \
  'BEGIN{printf "ratio after/before: comments/s %.3f, save time %.2f, publish time %.2f\n", a/b, as/bs, ap/bp}'
