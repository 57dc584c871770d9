#!/usr/bin/env bash
# Load benchmark of the article page: Manşet (release build, SQLite, no page
# cache: --page-cache-mb 0; benches/http/run.sh measures both) against nginx
# serving a saved copy of the very same page as a file,
# both on loopback, measured in the same run with the same wrk settings.
#
#   bash benches/load.sh              # 10 s per target
#   DURATION=20s CONC=32 bash benches/load.sh
#
# Content: the seed article (from ../shared, or MANSET_TESTDATA) plus 20
# filler articles in its category, as the peers in ../shared/peers are seeded.
# Prints req/s, p50, p99 and peak RSS per target and Manşet's ratio to nginx;
# the same for the site feed /rss;
# then the sustained rate of accepted comments (wrk posting unique comments
# as the page's script does), the article page with 200 approved comments,
# and the newsroom's login, save and publish request times.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-10s}"
CONC="${CONC:-32}"
THREADS="${THREADS:-2}"
MANSET_PORT="${MANSET_PORT:-18080}"
NGINX_PORT="${NGINX_PORT:-18081}"
WORK="$(mktemp -d /tmp/manset-bench.XXXXXX)"

# shellcheck source=lib.sh
source "$ROOT/benches/lib.sh"
need wrk wrk
need nginx nginx-light

cleanup() {
  [ -n "${MANSET_PID:-}" ] && kill "$MANSET_PID" 2>/dev/null || true
  stop_nginx
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$ROOT"
cargo build --release -q -p manset
BIN="$ROOT/target/release/manset"

# Content: the seed and 20 fillers in its category.
seed_content "$WORK/content"
for i in $(seq -w 1 20); do
  cat > "$WORK/content/filler-$i.md" <<MD
+++
title = "Bakü’de bölgesel işbirliği toplantısı $i"
standfirst = "Toplantıda enerji, ulaşım ve ticaret konuları ele alındı."
category = "Azerbaycan"
tags = ["Bakü", "Diplomasi"]
published = 2024-06-$(printf '%02d' $(( (10#$i % 27) + 1 )))T09:00:00+03:00
+++

Bakü’de düzenlenen toplantıda bölge ülkelerinin temsilcileri bir araya geldi.

Görüşmelerde Orta Koridor, enerji güvenliği ve ticaret yolları gündemdeydi.
MD
done
"$BIN" --data "$WORK/data" import markdown "$WORK/content" > /dev/null
# The load generator posts at once and from one address: no timing check, no rate limit.
"$BIN" --data "$WORK/data" settings set comments.min_seconds 0 > /dev/null
"$BIN" --data "$WORK/data" settings set comments.rate_per_minute 0 > /dev/null
echo "bench password 2026" | "$BIN" --data "$WORK/data" user add --email bench@example.com --name Bench --role editor --password-stdin > /dev/null

"$BIN" --data "$WORK/data" serve --listen "127.0.0.1:$MANSET_PORT" --page-cache-mb 0 > "$WORK/manset.out" 2> "$WORK/manset.err" &
MANSET_PID=$!
SLUG=aliyev-obrien-ile-gorustu-barisin-gorusuldugu-bildirildi
URL_MANSET="http://127.0.0.1:$MANSET_PORT/haber/$SLUG"
for _ in $(seq 1 50); do curl -sf -o /dev/null "$URL_MANSET" && break; sleep 0.1; done

# The baseline: the same bytes, served by nginx from a file.
mkdir -p "$WORK/www"
curl -sf "$URL_MANSET" > "$WORK/www/article.html"
nginx_files "$WORK/www" "$NGINX_PORT"
URL_NGINX="http://127.0.0.1:$NGINX_PORT/article.html"
for _ in $(seq 1 50); do curl -sf -o /dev/null "$URL_NGINX" && break; sleep 0.1; done

no_errors() { [ "$2" = 0 ] || { echo "$1: $2 error answers" >&2; exit 1; }; }   # label, errors

BYTES=$(wc -c < "$WORK/www/article.html")
read -r N_RPS N_P50 N_P99 N_ERR < <(wrk_run "$URL_NGINX")
no_errors nginx "$N_ERR"
read -r M_RPS M_P50 M_P99 M_ERR < <(wrk_run "$URL_MANSET")
no_errors manset "$M_ERR"
M_RSS=$(rss_mb "$MANSET_PID")

echo
echo "Article page, ${BYTES} bytes, wrk -t$THREADS -c$CONC -d$DURATION, keep-alive, loopback"
printf '%-28s %12s %10s %10s %10s\n' target "req/s" p50 p99 "peak RSS"
printf '%-28s %12s %10s %10s %10s\n' "nginx, same page as a file" "$N_RPS" "$N_P50" "$N_P99" "-"
printf '%-28s %12s %10s %10s %9s\n' "manset (uncached render)" "$M_RPS" "$M_P50" "$M_P99" "${M_RSS}M"
awk -v m="$M_RPS" -v n="$N_RPS" 'BEGIN{printf "ratio manset / nginx-static: %.3f  (target >= 0.5 with a page cache)\n", m/n}'
awk -v m="$M_RPS" 'BEGIN{printf "ratio manset / WordPress (84 req/s, ../shared/PRODUCT.md, not this run): %.0fx  (target >= 100x)\n", m/84}'

# The site feed: /rss against nginx serving the same bytes as a file.
curl -sf "http://127.0.0.1:$MANSET_PORT/rss" > "$WORK/www/rss.xml"
RSS_BYTES=$(wc -c < "$WORK/www/rss.xml")
read -r NR_RPS NR_P50 NR_P99 NR_ERR < <(wrk_run "http://127.0.0.1:$NGINX_PORT/rss.xml")
no_errors nginx-rss "$NR_ERR"
read -r MR_RPS MR_P50 MR_P99 MR_ERR < <(wrk_run "http://127.0.0.1:$MANSET_PORT/rss")
no_errors manset-rss "$MR_ERR"
echo
echo "Site feed /rss (RSS 2.0, $(grep -c '<item>' "$WORK/www/rss.xml") items, full text), ${RSS_BYTES} bytes, same wrk settings"
printf '%-28s %12s %10s %10s\n' target "req/s" p50 p99
printf '%-28s %12s %10s %10s\n' "nginx, same feed as a file" "$NR_RPS" "$NR_P50" "$NR_P99"
printf '%-28s %12s %10s %10s\n' "manset /rss" "$MR_RPS" "$MR_P50" "$MR_P99"
awk -v m="$MR_RPS" -v n="$NR_RPS" 'BEGIN{printf "ratio manset-rss / nginx-static: %.3f\n", m/n}'

# Comments: unique comments posted as the page's script posts them (JSON answer, 201).
comments_lua "$WORK/post.lua" "http://127.0.0.1:$MANSET_PORT" "$(comment_token "$URL_MANSET")"
BEFORE=$("$BIN" --data "$WORK/data" comments list --limit 100000000 | wc -l)
# No warm-up: every comment stored is one of the measured posts.
read -r C_RPS C_P50 C_P99 C_ERR < <(WARMUP=0 wrk_run "$URL_MANSET/yorum" "$WORK/post.lua")
no_errors comments "$C_ERR"
AFTER=$("$BIN" --data "$WORK/data" comments list --limit 100000000 | wc -l)
SECONDS_RUN=$(echo "$DURATION" | tr -dc '0-9')
echo
echo "Comments posted for $DURATION with wrk -c$CONC (each unique, stored before the answer)"
printf 'accepted: %s req/s (p50 %s, p99 %s); stored: %s comments = %s per second\n' "$C_RPS" "$C_P50" "$C_P99" \
  "$((AFTER - BEFORE))" "$(( (AFTER - BEFORE) / SECONDS_RUN ))"

# The article page with 200 approved comments.
FILLER_URL="http://127.0.0.1:$MANSET_PORT/haber/$(curl -sf "http://127.0.0.1:$MANSET_PORT/kategori/azerbaycan" | grep -o 'href="/haber/baku[^"]*"' | head -1 | sed 's|href="/haber/||; s/"$//')"
TOKEN=$(comment_token "$FILLER_URL")
for i in $(seq 1 200); do
  curl -sf -o /dev/null -X POST "$FILLER_URL/yorum" -H "Origin: http://127.0.0.1:$MANSET_PORT" \
    --data-urlencode "comment=Okur yorumu $i: bölgesel iş birliği üzerine kısa bir görüş." \
    --data-urlencode "author=Okur $i" --data-urlencode "email=okur$i@example.com" --data-urlencode "token=$TOKEN"
done
IDS=$("$BIN" --data "$WORK/data" comments list --status pending --limit 100000 | cut -f1 | tr '\n' ' ')
# shellcheck disable=SC2086
"$BIN" --data "$WORK/data" comments approve $IDS > /dev/null
SHOWN=$(curl -sf "$FILLER_URL" | grep -c 'class="comment"' || true)
read -r P_RPS P_P50 P_P99 P_ERR < <(wrk_run "$FILLER_URL")
no_errors page200 "$P_ERR"
echo
printf 'article page with %s approved comments (%s bytes): %s req/s, p50 %s, p99 %s\n' "$SHOWN" \
  "$(curl -sf "$FILLER_URL" | wc -c)" "$P_RPS" "$P_P50" "$P_P99"

# The newsroom: login (one argon2id check), then 20 saves and 20 publishes.
ORIGIN="http://127.0.0.1:$MANSET_PORT"
LOGIN_T=$(curl -s -o /dev/null -w '%{time_total}' -X POST "$ORIGIN/yonetim/giris" -H "Origin: $ORIGIN" \
  --data-urlencode "email=bench@example.com" --data-urlencode "password=bench password 2026")
read -r SAVE_MS PUBLISH_MS < <(newsroom_times "$ORIGIN" load 20)
echo
echo "newsroom: login $(awk -v t="$LOGIN_T" 'BEGIN{printf "%.1f ms", t*1000}'), save (new draft) median $SAVE_MS ms, publish median $PUBLISH_MS ms over 20 each"
