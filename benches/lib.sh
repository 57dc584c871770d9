# What the load scripts share (benches/load.sh, benches/http/run.sh,
# benches/http/postgres.sh): sourced by them, not run. The caller sets WORK
# (its temporary folder), THREADS, CONC and DURATION, and ROOT (the
# repository).

# need COMMAND PACKAGE: installs the Debian package when the command is missing.
need() { command -v "$1" >/dev/null 2>&1 || { echo "installing $2"; apt-get install -y -q "$2" >/dev/null; }; }

# nginx_files ROOT PORT: nginx serving the files in ROOT on 127.0.0.1:PORT,
# the baseline every page is compared with; its pid in $WORK/nginx.pid.
nginx_files() {
  local root=$1 port=$2
  chmod a+rx "$WORK" "$root"   # nginx workers run as another user
  cat > "$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$port;
    root $root;
    default_type text/html;
  }
}
CONF
  nginx -c "$WORK/nginx.conf"
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.1; done
  echo "nginx did not start:" >&2; cat "$WORK/nginx-error.log" >&2; exit 1
}

# stop_nginx: stops the nginx this script started, if any.
stop_nginx() {
  if [ -f "$WORK/nginx.pid" ]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; rm -f "$WORK/nginx.pid"; sleep 0.3; fi
}

# wrk_run URL [LUA]: a warm-up of WARMUP (3s; 0 for none), then DURATION
# measured; prints "req/s p50 p99 errors" (errors: non-2xx/3xx answers and
# socket errors).
wrk_run() {
  local url=$1 script=()
  [ -n "${2:-}" ] && script=(-s "$2")
  case "${WARMUP:-3s}" in
    0|0s) ;;
    *) wrk -t"$THREADS" -c"$CONC" -d"${WARMUP:-3s}" "${script[@]}" "$url" > /dev/null ;;
  esac
  wrk -t"$THREADS" -c"$CONC" -d"$DURATION" --timeout 10s --latency "${script[@]}" "$url" > "$WORK/wrk.txt"
  awk '/^Requests\/sec/{rps=$2} $1=="50%"{p50=$2} $1=="99%"{p99=$2}
       /Non-2xx/{n+=$NF} /Socket errors/{gsub(",",""); n+=$4+$6+$8+$10}
       END{print rps, p50, p99, n+0}' "$WORK/wrk.txt"
}

# measure LABEL URL [LUA]: wrk_run, its figures appended to $RESULTS as
# "label<TAB>req/s<TAB>p50<TAB>p99<TAB>errors".
measure() {
  local label=$1 rps p50 p99 errors
  shift
  read -r rps p50 p99 errors < <(wrk_run "$@")
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$rps" "$p50" "$p99" "$errors" >> "$RESULTS"
}

# comment_token URL: the signed token of the comment form on the page at URL.
comment_token() { curl -sf "$1" | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//; s/"$//'; }

# comments_lua FILE ORIGIN TOKEN: a wrk script posting comments as the
# page's script does (JSON answer), each unique across threads and runs.
comments_lua() {
  cat > "$1" <<LUA
local counter = 0
local threads = {}
function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
function init(args) prefix = "t" .. id .. "-" .. os.time() .. "-" end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "$2"
request = function()
  counter = counter + 1
  local body = "comment=Y%C3%BCk+alt%C4%B1nda+yorum+" .. prefix .. counter ..
    "&author=Okur&email=okur%40example.com&token=$3"
  return wrk.format(nil, nil, nil, body)
end
LUA
}

# build_release: the release binary and the export generator, as BIN and WXR.
build_release() {
  (cd "$ROOT" && cargo build --release -q -p manset && cargo build --release -q -p manset-import --example wxr)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/manset"
  WXR="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/wxr"
}

# bench_site DATA FILLERS: a SQLite site in DATA with the seed article and
# FILLERS generated articles (a WordPress export through the importer),
# taking comments as fast as a load generator posts them (no timing check,
# no rate limit).
bench_site() {
  seed_content "$WORK/content"
  "$WXR" gen "$2" > "$WORK/fillers.xml"
  "$BIN" --data "$1" import wordpress "$WORK/fillers.xml" > /dev/null
  "$BIN" --data "$1" import markdown "$WORK/content" > /dev/null
  "$BIN" --data "$1" settings set comments.min_seconds 0 > /dev/null
  "$BIN" --data "$1" settings set comments.rate_per_minute 0 > /dev/null
}

# seed_content DIR: the seed article as a content file in DIR (from
# MANSET_TESTDATA), or a clear stop.
seed_content() {
  mkdir -p "$1"
  cargo run -q --release -p manset-testkit --example seed_file > "$1/seed.md" \
    || { echo "the seed article is missing: set MANSET_TESTDATA to the folder with seed/" >&2; exit 1; }
}

# rss_mb PID: the process's peak resident memory in MB.
rss_mb() { awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$1/status"; }

# newsroom_times ORIGIN LABEL [N]: logs in as bench@example.com ("bench
# password 2026"), then N (20) new drafts saved and each published through
# the newsroom's form; prints "save_ms publish_ms", the medians.
newsroom_times() {
  local origin=$1 label=$2 n=${3:-20} jar saves=() publishes=() out path
  jar="$(mktemp)"
  curl -s -o /dev/null -c "$jar" -X POST "$origin/yonetim/giris" -H "Origin: $origin" \
    --data-urlencode "email=bench@example.com" --data-urlencode "password=bench password 2026"
  local form="standfirst=Spot&category=G%C3%BCndem&tags=Bak%C3%BC&author=Bench&body=Birinci+paragraf.%0A%0A%C4%B0kinci+paragraf."
  for i in $(seq 1 "$n"); do
    out=$(curl -s -o /dev/null -b "$jar" -w '%{time_total} %{redirect_url}' -X POST "$origin/yonetim/haber/yeni" \
      -H "Origin: $origin" --data "headline=Haber+$label+$i&$form&action=save")
    saves+=("${out%% *}")
    path=$(echo "${out#* }" | sed 's|^http://[^/]*||; s|?.*||')
    publishes+=("$(curl -s -o /dev/null -b "$jar" -w '%{time_total}' -X POST "$origin$path" \
      -H "Origin: $origin" --data "headline=Haber+$label+$i&$form&action=publish")")
  done
  rm -f "$jar"
  local med='{a[NR]=$1} END{printf "%.2f", a[int((NR+1)/2)]*1000}'
  echo "$(printf '%s\n' "${saves[@]}" | sort -n | awk "$med") $(printf '%s\n' "${publishes[@]}" | sort -n | awk "$med")"
}
