#!/usr/bin/env bash
# One and two app servers on PostgreSQL, against one server on SQLite (the
# baseline), measured in the same run through the same nginx in front, as
# docs/deploy.md deploys them: the article page (rendered on every request,
# and from the page cache), the home page rendered, and comment posts (each
# unique, stored before the answer).
#
#   bash benches/http/postgres.sh          # about 6 minutes
#   DURATION=20s CONC=32 FILLERS=2000 bash benches/http/postgres.sh
#
# Everything runs on this machine: wrk, nginx, the app servers and
# PostgreSQL share its cores, so a second app server adds no cores here; what
# it shows is what the shared database and the cross-server invalidation
# cost. PostgreSQL runs with its default synchronous_commit=on, as
# docs/deploy.md asks: the newsroom's commits are synced before their answer,
# readers' comments turn it off for their own transaction (SQLite's NORMAL).
# At the end, the newsroom's save and publish times under both server
# settings, on and off.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DURATION="${DURATION:-10s}"
CONC="${CONC:-32}"
THREADS="${THREADS:-2}"
FILLERS="${FILLERS:-2000}"
PG_PORT="${PG_PORT:-18190}"
A_PORT=18191 B_PORT=18192 NGINX_PORT=18193
export MANSET_TESTDATA="${MANSET_TESTDATA:-$(cd "$ROOT/.." && pwd)/shared}"
WORK="$(mktemp -d /tmp/manset-pg.XXXXXX)"
chmod a+rx "$WORK"

# shellcheck source=../lib.sh
source "$ROOT/benches/lib.sh"
need wrk wrk
need nginx nginx-light
need curl curl
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PG_BIN" ]; then
  apt-get install -y -q --no-install-recommends postgresql >/dev/null
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
AS_PG=()
[ "$(id -u)" = 0 ] && AS_PG=(runuser -u postgres --)

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_nginx
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$ROOT"
build_release

# --- The site: on SQLite, then moved into PostgreSQL --------------------------------
bench_site "$WORK/sqlite" "$FILLERS"

mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > /dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/log" -w start \
  -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c max_connections=200" > /dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE manset" > /dev/null
URL="postgres://postgres@127.0.0.1:$PG_PORT/manset"
"$BIN" migrate --from "sqlite:$WORK/sqlite" --to "$URL" --media "$WORK/media" | tail -1

start() { # port, data, serve flags…: one app server (on $DATABASE if set), waits for its first answer
  local port=$1 data=$2; shift 2
  local global=()
  [ -n "${DATABASE:-}" ] && global=(--database "$DATABASE" --media "$WORK/media")
  "$BIN" --data "$data" "${global[@]}" serve --listen "127.0.0.1:$port" --trusted-proxy 127.0.0.1 "$@" \
    > /dev/null 2> "$WORK/server-$port.err" &
  PIDS+=($!)
  for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.05; done
  echo "manset did not start:" >&2; cat "$WORK/server-$port.err" >&2; exit 1
}
stop_servers() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; PIDS=(); }
front() { # ports…: nginx in front of these app servers
  stop_nginx
  local servers=""
  for port in "$@"; do servers="$servers server 127.0.0.1:$port;"; done
  cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream manset { $servers keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://manset;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
CONF
  nginx -c "$WORK/nginx.conf"
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && return 0; sleep 0.1; done
}

ORIGIN="http://127.0.0.1:$NGINX_PORT"
ARTICLE="/haber/aliyev-obrien-ile-gorustu-barisin-gorusuldugu-bildirildi"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"
post_comments() { # the article's form token (signed with the site's secret: any server takes it)
  comments_lua "$WORK/post.lua" "$ORIGIN" "$(comment_token "$ORIGIN$ARTICLE")"
}
run_set() { # label: the figures through nginx for the servers running now
  measure "$1: article page (rendered)" "$ORIGIN$ARTICLE"
  measure "$1: home page (rendered)" "$ORIGIN/"
  post_comments
  measure "$1: comment posts" "$ORIGIN$ARTICLE/yorum" "$WORK/post.lua"
}

# SQLite, one server: the baseline.
DATABASE="" start $A_PORT "$WORK/sqlite" --page-cache-mb 0
front $A_PORT
run_set "SQLite, 1 server"
stop_servers
DATABASE="" start $A_PORT "$WORK/sqlite"
measure "SQLite, 1 server: article page (cached)" "$ORIGIN$ARTICLE"
stop_servers

# PostgreSQL: one server, then two behind the same nginx.
DATABASE="$URL"
start $A_PORT "$WORK/a" --page-cache-mb 0
front $A_PORT
run_set "PostgreSQL, 1 server"
stop_servers
start $A_PORT "$WORK/a" --page-cache-mb 0
start $B_PORT "$WORK/b" --page-cache-mb 0
front $A_PORT $B_PORT
run_set "PostgreSQL, 2 servers"
stop_servers
# With their page caches: every comment accepted above was held for
# moderation, so the pages stay cached; this is the reading site's usual state.
start $A_PORT "$WORK/a"
start $B_PORT "$WORK/b"
front $A_PORT $B_PORT
measure "PostgreSQL, 2 servers: article page (cached)" "$ORIGIN$ARTICLE"
stop_servers

STORED=$("$BIN" --database "$URL" comments list --limit 100000000 | wc -l)
BASE=$(sed -n 1p "$RESULTS" | cut -f2)
BASE_HOME=$(sed -n 2p "$RESULTS" | cut -f2)
BASE_C=$(sed -n 3p "$RESULTS" | cut -f2)
BASE_CACHED=$(sed -n 4p "$RESULTS" | cut -f2)
echo
echo "seed article + $FILLERS articles; wrk -t$THREADS -c$CONC -d$DURATION through nginx (keep-alive to the servers); same run"
printf '%-48s %11s %9s %9s %7s %9s\n' target "req/s" p50 p99 errors "x SQLite"
while IFS=$'\t' read -r label rps p50 p99 errors; do
  case "$label" in *comment*) base=$BASE_C ;; *cached*) base=$BASE_CACHED ;; *home*) base=$BASE_HOME ;; *) base=$BASE ;; esac
  printf '%-48s %11s %9s %9s %7s %9.3f\n' "$label" "$rps" "$p50" "$p99" "$errors" "$(echo "$rps / $base" | bc -l)"
done < "$RESULTS"
echo "comments stored on PostgreSQL: $STORED (every accepted post, stored before its answer)"

# The newsroom's writes under both server settings of synchronous_commit.
echo "bench password 2026" | "$BIN" --database "$URL" --data "$WORK/a" user add --email bench@example.com \
  --name Bench --role editor --password-stdin > /dev/null
start $A_PORT "$WORK/a" --page-cache-mb 0
read -r ON_SAVE ON_PUB < <(newsroom_times "http://127.0.0.1:$A_PORT" on)
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "ALTER SYSTEM SET synchronous_commit = off" -c "SELECT pg_reload_conf()" > /dev/null
read -r OFF_SAVE OFF_PUB < <(newsroom_times "http://127.0.0.1:$A_PORT" off)
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "ALTER SYSTEM RESET synchronous_commit" -c "SELECT pg_reload_conf()" > /dev/null
stop_servers
echo "newsroom on PostgreSQL, 1 server, median of 20: synchronous_commit=on save $ON_SAVE ms, publish $ON_PUB ms;" \
  "off save $OFF_SAVE ms, publish $OFF_PUB ms (readers' comments run with off either way)"
