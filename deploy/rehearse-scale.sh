#!/usr/bin/env bash
# `make rehearse-scale`: Cyberdiplo scaled out on one machine, on loopback only.
#
# Starts throwaway instances of Debian's PostgreSQL and Redis (data under a temp
# folder), two gunicorn app servers in production mode sharing them, and nginx in
# front with deploy/nginx/cyberdiplo.conf (TLS with a throwaway certificate);
# migrates, collects static files and loads data/; checks the site through the
# proxy; then loads it with wrk while one app server is stopped halfway, and
# fails on any failed request. Everything it started is stopped on exit.
#
# Knobs: LOAD_SECONDS (20), LOAD_CONNECTIONS (16), STOP_ONE (1: stop an app
# server halfway), WORKERS_PER_SERVER (2).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
LOAD_SECONDS=${LOAD_SECONDS:-20}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-16}
STOP_ONE=${STOP_ONE:-1}
WORKERS_PER_SERVER=${WORKERS_PER_SERVER:-2}

say() { printf '==> %s\n' "$*"; }
fail() {
  printf 'rehearse-scale: FAILED: %s\n' "$*" >&2
  exit 1
}
is_root() { [ "$(id -u)" = 0 ]; }

[ -x "$BIN/gunicorn" ] || fail "no gunicorn in .venv: run make install"

# --- Debian packages, installed when missing -------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
missing=()
command -v nginx >/dev/null || missing+=(nginx)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl)
[ -n "$(pg_bin)" ] || missing+=(postgresql)
if ((${#missing[@]})); then
  is_root || fail "missing packages; as root: apt-get install ${missing[*]}"
  say "Installing ${missing[*]}"
  (
    # Debian starts a package's service on install; here only our own instances run.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
      chmod +x /usr/sbin/policy-rc.d
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  )
fi
PGBIN=$(pg_bin)

# --- Cleanup: stop what we started, remove the temp folder ------------------------
WORK=$(mktemp -d /tmp/cyberdiplo-rehearse.XXXXXX)
chmod 755 "$WORK"
PIDS=()
PGDATA=
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [ "$rc" != 0 ] && [ -d "$WORK" ]; then
    for f in "$WORK"/app-*.log "$WORK"/pg/server.log "$WORK"/nginx/error.log; do
      [ -s "$f" ] && { echo "--- last lines of $f"; tail -n 20 "$f"; }
    done
  fi
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  [ -n "$PGDATA" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1
  rm -rf "$WORK"
  [ "$rc" = 0 ] && say "Stopped everything; rehearsal passed"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Five free loopback ports: PostgreSQL, Redis, two app servers, nginx (HTTP + HTTPS).
read -r PG_PORT REDIS_PORT APP_A APP_B HTTP_PORT HTTPS_PORT < <("$BIN/python" - <<'EOF'
import socket
socks = [socket.socket() for _ in range(6)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
EOF
)
secret() { openssl rand -hex 24; }

# --- PostgreSQL: a cluster of our own, a role and a database for the site ---------
say "PostgreSQL ($PGBIN) on 127.0.0.1:$PG_PORT"
mkdir -p "$WORK/pg"
is_root && chown postgres: "$WORK/pg"
PG_PASSWORD=$(secret)
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth-local=trust \
  --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
PGDATA=$WORK/pg/data
# fsync off: a throwaway cluster, and CI's disk is slow.
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/pg/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg -c fsync=off" >/dev/null
as_pg "$PGBIN/psql" -h "$WORK/pg" -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE cyberdiplo LOGIN PASSWORD '$PG_PASSWORD'" \
  -c "CREATE DATABASE cyberdiplo OWNER cyberdiplo"

# --- Redis: the shared cache --------------------------------------------------------
say "Redis on 127.0.0.1:$REDIS_PORT"
REDIS_PASSWORD=$(secret)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --requirepass "$REDIS_PASSWORD" \
  --save '' --appendonly no --dir "$WORK" --logfile "$WORK/redis.log" &
PIDS+=($!)
redis_up() {
  redis-cli -p "$REDIS_PORT" -a "$REDIS_PASSWORD" --no-auth-warning ping 2>/dev/null | grep -q PONG
}
for _ in $(seq 1 50); do
  redis_up && break
  sleep 0.2
done
redis_up || fail "Redis does not answer"

# --- The site's settings, as an operator's /etc/cyberdiplo/env would give them ------
unset CYBERDIPLO_EMBEDDED_DB DEBUG SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS SENTRY_DSN \
  SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_PRELOAD GUNICORN_BIND GUNICORN_ACCESS_LOG
export CYBERDIPLO_ENV=production
export SECRET_KEY
SECRET_KEY=$(secret)$(secret)
export ALLOWED_HOSTS=127.0.0.1,localhost
export CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$HTTPS_PORT
export DATABASE_URL=postgresql://cyberdiplo:$PG_PASSWORD@127.0.0.1:$PG_PORT/cyberdiplo
export CACHE_URL=redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/0
export BEHIND_TLS_PROXY=1
export WEB_CONCURRENCY=$WORKERS_PER_SERVER
export STATIC_ROOT=$WORK/static

say "First deploy: migrate, collectstatic, load_content, setup_roles"
"$BIN/python" manage.py migrate --noinput --verbosity 0
"$BIN/python" manage.py collectstatic --noinput --verbosity 0
"$BIN/python" manage.py load_content | sed 's/^/    /'
"$BIN/python" manage.py setup_roles --verbosity 0

say "The cache is shared: what one process stores, another reads"
token=$(secret)
"$BIN/python" manage.py shell --verbosity 0 -c \
  "from django.core.cache import cache; cache.set('rehearse-scale', '$token', 300)"
seen=$("$BIN/python" manage.py shell --verbosity 0 -c \
  "from django.core.cache import cache; print(cache.get('rehearse-scale'))")
[ "$seen" = "$token" ] || fail "a value cached by one process was not seen by another ($seen)"

# --- Two app servers ------------------------------------------------------------------
GUNICORN_ARGS=()
if [ -f deploy/gunicorn.conf.py ]; then
  GUNICORN_ARGS=(--config deploy/gunicorn.conf.py)
else
  GUNICORN_ARGS=(--workers "$WORKERS_PER_SERVER" --access-logfile -)
fi
declare -A APP_PID
start_app() {
  local port=$1
  HOST=127.0.0.1 PORT=$port "$BIN/gunicorn" "${GUNICORN_ARGS[@]}" \
    --bind "127.0.0.1:$port" cyberdiplo.wsgi:application >"$WORK/app-$port.log" 2>&1 &
  APP_PID[$port]=$!
  PIDS+=($!)
}
for port in "$APP_A" "$APP_B"; do
  say "App server on 127.0.0.1:$port (${GUNICORN_ARGS[*]})"
  start_app "$port"
done
for port in "$APP_A" "$APP_B"; do
  for _ in $(seq 1 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
    [ "$code" != 000 ] && break
    kill -0 "${APP_PID[$port]}" 2>/dev/null || fail "app server on $port exited"
    sleep 0.3
  done
  [ "$code" != 000 ] || fail "app server on $port does not answer"
done

# --- nginx with the shipped site, rendered for loopback ports -------------------------
say "nginx on 127.0.0.1:$HTTP_PORT (redirect) and 127.0.0.1:$HTTPS_PORT (TLS)"
mkdir -p "$WORK/nginx/tmp" "$WORK/tls" "$WORK/acme"
is_root && chown www-data: "$WORK/nginx/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
"$BIN/python" - "$WORK" "$ROOT" "$APP_A" "$APP_B" "$HTTP_PORT" "$HTTPS_PORT" <<'EOF'
import sys
from pathlib import Path

work, root, app_a, app_b, http_port, https_port = sys.argv[1:]
site = (Path(root) / "deploy/nginx/cyberdiplo.conf").read_text()
edits = [
    ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{app_a} ", 1),
    ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{app_b} ", 1),
    ("listen 80;", f"listen 127.0.0.1:{http_port};", 1),
    ("listen [::]:80;", "", 1),
    ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl", 1),
    ("listen [::]:443 ssl http2;", "", 1),
    ("server_name cyberdiplo.example.org;", "server_name 127.0.0.1 localhost;", 2),
    ("/etc/letsencrypt/live/cyberdiplo.example.org/fullchain.pem", f"{work}/tls/cert.pem", 1),
    ("/etc/letsencrypt/live/cyberdiplo.example.org/privkey.pem", f"{work}/tls/key.pem", 1),
    ("alias /srv/cyberdiplo/staticfiles/;", f"alias {work}/static/;", 1),
    ("root /var/www/letsencrypt;", f"root {work}/acme;", 1),
    ("https://$host$request_uri", f"https://$host:{https_port}$request_uri", 1),
]
for old, new, count in edits:
    if site.count(old) != count:
        sys.exit(f"deploy/nginx/cyberdiplo.conf: expected {count} x {old!r} to render")
    site = site.replace(old, new)
for line in site.splitlines():
    if line.strip().startswith("listen") and "127.0.0.1:" not in line:
        sys.exit(f"rendered site listens beyond loopback: {line.strip()}")
(Path(work) / "nginx/site.conf").write_text(site)
EOF
cat >"$WORK/nginx/nginx.conf" <<EOF
$(is_root && echo "user www-data;")
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    include $WORK/nginx/site.conf;
}
EOF
nginx -t -q -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
  || fail "nginx rejects the site configuration"
nginx -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
  -g 'daemon off;' &
PIDS+=($!)
BASE=https://127.0.0.1:$HTTPS_PORT
for _ in $(seq 1 50); do
  curl -s -o /dev/null --cacert "$WORK/tls/cert.pem" "$BASE/healthz" && break
  sleep 0.2
done

# --- Smoke test through the proxy -------------------------------------------------------
fetch() { # fetch PATH [curl args...]: headers to $WORK/h, body to $WORK/b, prints the status
  local path=$1
  shift
  curl -s --cacert "$WORK/tls/cert.pem" -D "$WORK/h" -o "$WORK/b" -w '%{http_code}' "$@" \
    "$BASE$path"
}
expect() { # expect PATH STATUS [curl args...]
  local path=$1 want=$2 got
  shift 2
  got=$(fetch "$path" "$@")
  [ "$got" = "$want" ] || fail "GET $path answered $got, expected $want"
  printf '    %s %s\n' "$got" "$path"
}
header() { grep -i "^$1:" "$WORK/h" | tr -d '\r' | cut -d' ' -f2-; }
body_has() { grep -q -- "$1" "$WORK/b" || fail "$2"; }

say "Smoke test through nginx"
got=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/norms/")
[ "$got" = "301 https://127.0.0.1:$HTTPS_PORT/norms/" ] || fail "plain HTTP answered $got"
printf '    %s (plain HTTP)\n' "$got"
expect / 200
header strict-transport-security | grep -q "max-age=31536000" || fail "no HSTS header"
header strict-transport-security | grep -qi "includesubdomains\|preload" \
  && fail "HSTS includeSubDomains/preload sent without being asked for"
css=$(grep -o -m 1 '/static/css/site\.[0-9a-f]\{12\}\.css' "$WORK/b" | head -n 1 || true)
[ -n "$css" ] || fail "the home page links no hashed stylesheet"
expect /agreements/budapest-convention/ 200
body_has "Budapest" "the Budapest Convention's page does not name it"
expect "/agreements/?format=csv" 200
header content-type | grep -q "text/csv" || fail "the export is not CSV"
[ "$(wc -l <"$WORK/b")" -gt 10 ] || fail "the CSV export has under 10 rows"
expect /api/v1/agreements/ 200
body_has '"results"' "the API answered no results list"
expect "$css" 200 -H "Accept-Encoding: gzip"
header cache-control | grep -q "max-age=315360000, immutable" \
  || fail "$css is served without far-future caching: $(header cache-control)"
header content-encoding | grep -q gzip || fail "$css is not served gzipped"
grep -q " /static/" "$WORK/app-$APP_A.log" "$WORK/app-$APP_B.log" \
  && fail "static files reached the app servers instead of nginx"
expect /healthz 200
expect /readyz 200

# --- Load, and one app server stopped halfway --------------------------------------------
PATHS=(/ /agreements/ /agreements/budapest-convention/ /norms/ /bodies/ /glossary/
  "/search/?q=ransomware" /api/v1/agreements/ "/agreements/?format=json")
for path in "${PATHS[@]}"; do
  [ "$(fetch "$path")" = 200 ] || fail "load path $path does not answer 200"
done
say "Load: ${LOAD_SECONDS}s, $LOAD_CONNECTIONS connections through nginx$(
  [ "$STOP_ONE" = 1 ] && echo ", app server $APP_A stopped after $((LOAD_SECONDS / 2))s")"
wrk -t2 -c"$LOAD_CONNECTIONS" -d"${LOAD_SECONDS}s" --timeout 10s --latency \
  -s deploy/rehearse-load.lua "$BASE" -- "${PATHS[@]}" >"$WORK/wrk.txt" 2>&1 &
wrk_pid=$!
PIDS+=("$wrk_pid")
if [ "$STOP_ONE" = 1 ]; then
  sleep $((LOAD_SECONDS / 2))
  stop_pid "${APP_PID[$APP_A]}"
  say "Stopped the app server on $APP_A (SIGTERM, as systemctl stop does)"
fi
wait "$wrk_pid" || fail "wrk failed: $(cat "$WORK/wrk.txt")"
sed -n '/Latency Distribution/,/^RESULT/p' "$WORK/wrk.txt" | sed 's/^/    /'
result=$(grep '^RESULT ' "$WORK/wrk.txt") || fail "wrk printed no result"
declare -A R
for pair in ${result#RESULT }; do R[${pair%%=*}]=${pair#*=}; done
printf '    %s requests in %ss: %s req/s; latency ms p50 %s, p90 %s, p99 %s, max %s\n' \
  "${R[requests]}" "${R[seconds]}" "${R[rps]}" "${R[p50]}" "${R[p90]}" "${R[p99]}" "${R[max]}"
errors=$((R[connect] + R[read] + R[write] + R[status] + R[timeout]))
[ "${R[requests]}" -gt 0 ] || fail "no request completed"
[ "$errors" = 0 ] || fail "$errors failed requests (connect ${R[connect]}, read ${R[read]}," \
  "write ${R[write]}, non-2xx/3xx ${R[status]}, timeout ${R[timeout]})"
if [ "$STOP_ONE" = 1 ]; then
  kill -0 "${APP_PID[$APP_A]}" 2>/dev/null && fail "the app server on $APP_A did not stop"
  retried=$(grep -c "upstream" "$WORK/nginx/error.log" || true)
  say "nginx met the stopped server $retried time(s) and passed each request on to the other"
fi
expect /readyz 200
say "Zero failed requests"
