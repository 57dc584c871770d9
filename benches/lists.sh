#!/usr/bin/env bash
# The newsroom's lists at archive scale (release build, SQLite): the desk
# (first and deep pages, filters, the three orders, full-text search through
# the index) and the tags screen (first and deep pages, search) with 100,000
# articles (a tenth of them drafts) and 20,000 tags. Each page is asked by one
# editor at a time (wrk, one connection), as a newsroom uses it; the target
# is p99 under 50 ms. The baseline, measured in the same run the same way,
# is the rendered article page (page cache off): each list's time is printed
# as a multiple of it.
#
#   bash benches/lists.sh
#   SCALE=10000 TAGS=2000 DURATION=3s bash benches/lists.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCALE="${SCALE:-100000}"
TAGS="${TAGS:-20000}"
DURATION="${DURATION:-5s}"
THREADS=1
CONC=1
PORT="${PORT:-18090}"
WORK="$(mktemp -d /tmp/manset-lists.XXXXXX)"

# shellcheck source=lib.sh
source "$ROOT/benches/lib.sh"
need wrk wrk

cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

build_release
echo "generating $SCALE articles over $TAGS tags and importing them…"
"$WXR" gen "$SCALE" "$TAGS" > "$WORK/archive.xml"
"$BIN" --data "$WORK/data" import wordpress "$WORK/archive.xml" > /dev/null
rm -f "$WORK/archive.xml"
"$BIN" --data "$WORK/data" reindex > /dev/null
echo "bench password 2026" \
  | "$BIN" --data "$WORK/data" user add --email bench@example.com --name Bench --role editor --password-stdin > /dev/null

"$BIN" --data "$WORK/data" serve --listen "127.0.0.1:$PORT" --page-cache-mb 0 > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER_PID=$!
ORIGIN="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do curl -sf -o /dev/null "$ORIGIN/" && break; sleep 0.1; done
curl -s -o /dev/null -c "$WORK/jar" -X POST "$ORIGIN/yonetim/giris" -H "Origin: $ORIGIN" \
  --data-urlencode "email=bench@example.com" --data-urlencode "password=bench password 2026"
COOKIE="manset_session=$(awk '$6=="manset_session"{print $7}' "$WORK/jar")"
[ "$COOKIE" != "manset_session=" ] || { echo "login failed" >&2; exit 1; }

# p50 and p99 in ms of one page, asked again and again by one connection.
page() {
  local path=$1 status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$ORIGIN$path")
  [ "$status" = 200 ] || { echo "$path answered $status" >&2; exit 1; }
  wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: $COOKIE" "$ORIGIN$path" > "$WORK/wrk.txt"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1=="50%"{p50=ms($2)} $1=="99%"{p99=ms($2)} /^Requests\/sec/{rps=$2}
    /Non-2xx/{bad+=$NF}
    END{printf "%.2f %.2f %.0f %d\n", p50, p99, rps, bad+0}' "$WORK/wrk.txt"
}

read -r BASE_P50 BASE_P99 BASE_RPS _ < <(page "/haber/haber-$((SCALE / 2 + 1))")
# shellcheck disable=SC2207
CATEGORY=$(curl -s -H "Cookie: $COOKIE" "$ORIGIN/yonetim" | grep -o '<option value="[0-9]*">Bölüm 7<' | grep -o '[0-9]*' | head -1)
AUTHOR=$(curl -s -H "Cookie: $COOKIE" "$ORIGIN/yonetim" | grep -o '<option value="[0-9]*">Ayşe Yılmaz<' | grep -o '[0-9]*' | head -1)
DEEP=$((SCALE / 50 - 1))
TAG_DEEP=$((TAGS / 100))
echo
echo "$SCALE articles, $TAGS tags; one connection, $DURATION per page, release build, SQLite"
printf '%-48s %9s %9s %8s %12s\n' page "p50 ms" "p99 ms" "req/s" "p50 x article"
printf '%-48s %9.2f %9.2f %8s %12s\n' "article page (baseline)" "$BASE_P50" "$BASE_P99" "$BASE_RPS" 1.00
WORST=0
for path in \
  "/yonetim" \
  "/yonetim?sayfa=2" \
  "/yonetim?sayfa=$DEEP" \
  "/yonetim?durum=draft" \
  "/yonetim?durum=published&sayfa=500" \
  "/yonetim?sirala=degisiklik" \
  "/yonetim?sirala=eski&sayfa=100" \
  "/yonetim?kategori=$CATEGORY" \
  "/yonetim?yazar=$AUTHOR&durum=draft" \
  "/yonetim?ara=enerji" \
  "/yonetim?ara=demiryolu+hatt%C4%B1&sirala=yayin" \
  "/yonetim?ara=Bak%C3%BC&durum=draft&sayfa=3" \
  "/yonetim/etiketler" \
  "/yonetim/etiketler?sayfa=$TAG_DEEP" \
  "/yonetim/etiketler?ara=etiket+1999" \
  "/yonetim/kategoriler"; do
  read -r P50 P99 RPS BAD < <(page "$path")
  [ "$BAD" = 0 ] || { echo "$path: $BAD failed answers" >&2; exit 1; }
  printf '%-48s %9.2f %9.2f %8s %12.2f\n' "$path" "$P50" "$P99" "$RPS" "$(echo "$P50 / $BASE_P50" | bc -l)"
  WORST=$(echo "if ($P99 > $WORST) $P99 else $WORST" | bc -l)
done
printf 'slowest list page p99: %.2f ms (target: under 50 ms)\n' "$WORST"
