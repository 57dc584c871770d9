#!/usr/bin/env bash
# The reading site under load, against nginx serving the same page as a
# file, measured in the same run with the same settings (release build,
# wrk on loopback, keep-alive).
#
#   bash benches/http/run.sh            # Manşet and nginx (about 8 minutes)
#   bash benches/http/run.sh --peers    # also WordPress and Ghost from ../shared/peers (root; first setup ~5 min)
#   bash benches/http/run.sh --quick    # without the 100,000-article memory and start-up part
#   DURATION=20s CONC=32 FILLERS=10000 SCALE=100000 bash benches/http/run.sh
#
# 1. A site with the seed article (../shared, or MANSET_TESTDATA), FILLERS
#    generated articles (a WordPress export through `manset import wordpress`)
#    and 20 approved comments on the seed article.
# 2. nginx serves a saved copy of our article page; then `manset serve` with
#    its page cache, then with `--page-cache-mb 0` (every request rendered):
#    the article page, the home page, a category page, a search, /rss.
#    Requests/s, p50, p99, errors, the server's peak resident memory, and
#    each figure's ratio to nginx.
# 3. With --peers, WordPress and Ghost serving the same article, same wrk.
# 4. A site of SCALE articles: start-up to the first answered request, and
#    peak resident memory under a mixed load of random articles, lists and
#    searches.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DURATION="${DURATION:-10s}"
CONC="${CONC:-32}"
THREADS="${THREADS:-2}"
FILLERS="${FILLERS:-10000}"
SCALE="${SCALE:-100000}"
PORT="${PORT:-18180}"
NGINX_PORT="${NGINX_PORT:-18181}"
PEERS=0 QUICK=0
for arg in "$@"; do
  case "$arg" in
    --peers) PEERS=1 ;;
    --quick) QUICK=1 ;;
    *) echo "usage: $0 [--peers] [--quick]" >&2; exit 2 ;;
  esac
done
export MANSET_TESTDATA="${MANSET_TESTDATA:-$(cd "$ROOT/.." && pwd)/shared}"
PEERS_DIR="$MANSET_TESTDATA/peers"
WORK="$(mktemp -d /tmp/manset-http.XXXXXX)"

# shellcheck source=../lib.sh
source "$ROOT/benches/lib.sh"
need wrk wrk
need nginx nginx-light
need curl curl

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
}
cleanup() {
  stop_server
  stop_nginx
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$ROOT"
build_release

# --- 1. The site --------------------------------------------------------------
bench_site "$WORK/data" "$FILLERS"
"$BIN" --data "$WORK/data" reindex > /dev/null

start_server() { # data dir, extra flags…: starts manset serve, waits for its first answer
  local data=$1; shift
  "$BIN" --data "$data" serve --listen "127.0.0.1:$PORT" "$@" > "$WORK/server.out" 2> "$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && return 0; sleep 0.05; done
  echo "manset did not start:" >&2; cat "$WORK/server.err" >&2; exit 1
}

ORIGIN="http://127.0.0.1:$PORT"
SLUG=aliyev-obrien-ile-gorustu-barisin-gorusuldugu-bildirildi
ARTICLE="/haber/$SLUG"
start_server "$WORK/data"
TOKEN=$(comment_token "$ORIGIN$ARTICLE")
for i in $(seq 1 20); do
  curl -sf -o /dev/null -X POST "$ORIGIN$ARTICLE/yorum" -H "Origin: $ORIGIN" \
    --data-urlencode "comment=Okur yorumu $i: bölgedeki gelişmeler üzerine kısa bir görüş." \
    --data-urlencode "author=Okur $i" --data-urlencode "email=yorumcu$i@example.org" --data-urlencode "token=$TOKEN"
done
IDS=$("$BIN" --data "$WORK/data" comments list --status pending --limit 1000 | cut -f1 | tr '\n' ' ')
# shellcheck disable=SC2086
[ -z "$IDS" ] || "$BIN" --data "$WORK/data" comments approve $IDS > /dev/null
sleep 1.5   # the server's change log tick: the page shows the comments
SHOWN=$(curl -sf "$ORIGIN$ARTICLE" | grep -c 'class="comment"' || true)
CATEGORY="/kategori/$(curl -sf "$ORIGIN/" | grep -o 'href="/kategori/bolum-[0-9]*"' | sed -n '1{s|href="/kategori/||; s/"$//; p}')"
SEARCH="/ara?q=enerji+koridoru"

# --- 2. nginx and Manşet --------------------------------------------------------
mkdir -p "$WORK/www"
curl -sf "$ORIGIN$ARTICLE" > "$WORK/www/article.html"
nginx_files "$WORK/www" "$NGINX_PORT"

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
measure "nginx: our article page as a file" "http://127.0.0.1:$NGINX_PORT/article.html"
measure "article page (cached)" "$ORIGIN$ARTICLE"
measure "home page (cached)" "$ORIGIN/"
measure "category page (cached)" "$ORIGIN$CATEGORY"
measure "search (cached)" "$ORIGIN$SEARCH"
measure "/rss (cached)" "$ORIGIN/rss"
CACHED_RSS=$(rss_mb "$SERVER_PID")
stop_server

start_server "$WORK/data" --page-cache-mb 0
measure "article page (rendered)" "$ORIGIN$ARTICLE"
measure "home page (rendered)" "$ORIGIN/"
measure "category page (rendered)" "$ORIGIN$CATEGORY"
measure "search (rendered)" "$ORIGIN$SEARCH"
measure "/rss (rendered)" "$ORIGIN/rss"
RENDERED_RSS=$(rss_mb "$SERVER_PID")
stop_server

# --- 3. The peers ---------------------------------------------------------------
if [ "$PEERS" = 1 ]; then
  [ -d "$PEERS_DIR" ] || { echo "no peers scripts in $PEERS_DIR" >&2; exit 1; }
  # A peer that cannot be set up is reported, not fatal: the rest was measured.
  if bash "$PEERS_DIR/setup-wordpress.sh" > "$WORK/wordpress-setup.log" 2>&1; then
    measure "WordPress (php-fpm, MariaDB)" "http://127.0.0.1:8080/aliyev-obrien-ile-gorustu/"
  else
    echo "WordPress could not be set up:" >&2; tail -5 "$WORK/wordpress-setup.log" >&2
  fi
  if bash "$PEERS_DIR/setup-ghost.sh" > "$WORK/ghost-setup.log" 2>&1; then
    measure "Ghost (node, SQLite)" "http://127.0.0.1:2368/aliyev-obrien-ile-gorustu/"
  else
    echo "Ghost could not be set up:" >&2; tail -5 "$WORK/ghost-setup.log" >&2
  fi
  bash "$PEERS_DIR/stop-all.sh" > /dev/null 2>&1 || true
fi

NGINX_RPS=$(head -1 "$RESULTS" | cut -f2)
echo
echo "Reading site: seed article + $FILLERS articles, $SHOWN approved comments on the article ($(wc -c < "$WORK/www/article.html") bytes)"
echo "wrk -t$THREADS -c$CONC -d$DURATION, keep-alive, loopback, no compression asked; same run"
printf '%-36s %11s %9s %9s %7s %9s\n' target "req/s" p50 p99 errors "x nginx"
while IFS=$'\t' read -r label rps p50 p99 errors; do
  printf '%-36s %11s %9s %9s %7s %9.3f\n' "$label" "$rps" "$p50" "$p99" "$errors" "$(echo "$rps / $NGINX_RPS" | bc -l)"
done < "$RESULTS"
echo "peak resident memory: cached server ${CACHED_RSS} MB, rendering server ${RENDERED_RSS} MB"
ART_CACHED=$(grep -P '^article page \(cached\)\t' "$RESULTS" | cut -f2)
ART_RENDERED=$(grep -P '^article page \(rendered\)\t' "$RESULTS" | cut -f2)
awk -v c="$ART_CACHED" -v r="$ART_RENDERED" -v n="$NGINX_RPS" 'BEGIN{
  printf "targets: cached article %.2f x nginx (>= 0.5); rendered article %.0f req/s = %.0f x WordPress 84 req/s (>= 100 x, 8,300)\n", c/n, r, r/84 }'

# --- 4. 100,000 articles: start-up and memory ------------------------------------
if [ "$QUICK" = 1 ]; then exit 0; fi
"$WXR" gen "$SCALE" > "$WORK/scale.xml"
"$BIN" --data "$WORK/scale" import wordpress "$WORK/scale.xml" > /dev/null
rm -f "$WORK/scale.xml"
"$BIN" --data "$WORK/scale" reindex > /dev/null
# The database and index are in the OS cache after an import, as on a running server.
BEFORE=$(date +%s%N)
start_server "$WORK/scale"
AFTER=$(date +%s%N)
STARTUP_MS=$(( (AFTER - BEFORE) / 1000000 ))
cat > "$WORK/mix.lua" <<LUA
local paths = {}
request = function()
  local r = math.random(100)
  local path
  if r <= 70 then path = "/haber/haber-" .. math.random($SCALE)
  elseif r <= 80 then path = "/"
  elseif r <= 90 then path = "/kategori/bolum-" .. math.random(0, 19) .. "?sayfa=" .. math.random(1, 50)
  elseif r <= 97 then path = "/ara?q=" .. ({"enerji", "demiryolu", "Bak%C3%BC", "yat%C4%B1r%C4%B1m", "se%C3%A7im", "do%C4%9Falgaz"})[math.random(6)]
  else path = "/rss" end
  return wrk.format("GET", path)
end
LUA
read -r MIX_RPS _ MIX_P99 MIX_ERRORS < <(WARMUP=0 DURATION=20s wrk_run "$ORIGIN" "$WORK/mix.lua")
SCALE_RSS=$(rss_mb "$SERVER_PID")
stop_server
echo
echo "$SCALE articles ($(( SCALE * 2 )) comments): start-up to the first answered request ${STARTUP_MS} ms (target < 1000)"
echo "mixed load for 20 s (70% random articles, home, category pages, searches, /rss): $MIX_RPS req/s, p99 $MIX_P99, errors $MIX_ERRORS"
echo "peak resident memory under that load: ${SCALE_RSS} MB (target < 150)"
