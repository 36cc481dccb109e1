#!/usr/bin/env bash
# Builds the nginx module against Debian's nginx-dev, starts Debian's nginx on 127.0.0.1 with
# it, proxying to a local upstream that sends faulty and good responses, and checks the error
# log lines, the $resplint_findings variable in the access log and the X-Resplint header.
# Usage: test_nginx.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR   (env RESPLINT_NGINX: another nginx binary
# or a wrapper, e.g. one running nginx under valgrind)
set -euo pipefail

bin=$(readlink -f "$1")
src=$(readlink -f "$2")
build=$(dirname "$bin")

. "$src/tests/cli/skip.sh"

nginx=${RESPLINT_NGINX:-/usr/sbin/nginx}
if grep -qx 'RESPLINT_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  skip "test_nginx: sanitizer build (Debian's nginx cannot load an ASan-instrumented module)"
fi
if [ ! -x /usr/share/nginx/src/configure ]; then
  skip "test_nginx: nginx-dev is not installed (scripts/bootstrap installs it)"
fi
[ -x "$nginx" ] || { echo "test_nginx: FAIL: $nginx not found (package nginx)" >&2; exit 1; }
command -v curl >/dev/null || { echo "test_nginx: FAIL: curl not found" >&2; exit 1; }
if grep -qx 'RESPLINT_INSTALL:BOOL=OFF' "$build/CMakeCache.txt" 2>/dev/null; then
  skip "test_nginx: RESPLINT_INSTALL=OFF (the module links build/lib/libresplint.a)"
fi
[ -f "$build/lib/libresplint.a" ] || { echo "test_nginx: FAIL: $build/lib/libresplint.a not built" >&2; exit 1; }

fail() { echo "test_nginx: FAIL: $*" >&2; exit 1; }

module=$(timeout 300 bash "$src/integrations/nginx/build.sh" "$build/nginx-module" \
  "$src/lib/include" "$build/lib/libresplint.a" | tail -n 1)
[ -f "$module" ] || fail "module not built"

work=$build/test-nginx
rm -rf "$work"
mkdir -p "$work/tmp" "$work/logs"

upstream_pid=
nginx_pid=
cleanup() {
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; fi
  if [ -n "$upstream_pid" ]; then kill "$upstream_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
}
trap cleanup EXIT

timeout 120 python3 "$src/tests/cli/nginx_upstream.py" "$work/upstream.port" &
upstream_pid=$!
for _ in $(seq 50); do [ -f "$work/upstream.port" ] && break; sleep 0.1; done
[ -f "$work/upstream.port" ] || fail "upstream did not start"
uport=$(cat "$work/upstream.port")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

has_rule() { grep -q "^[A-Z_]*RULE($1," "$src/rules/rules.def"; }

cat >"$work/nginx.conf" <<CONF
load_module $module;
daemon off;
master_process off;
pid $work/nginx.pid;
error_log $work/logs/error.log info;
events { worker_connections 64; }
http {
    access_log off;
    log_format lint '\$request_uri \$status [\$resplint_findings]';
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;

    proxy_cache_path $work/tmp/cache keys_zone=lint:1m;

    resplint on;
    resplint_header on;
    resplint_log_level warn;
    resplint_rule RL2012 warning;

    server {
        listen 127.0.0.1:$port;
        access_log $work/logs/access.log lint;
        location / {
            proxy_pass http://127.0.0.1:$uport;
        }
        location /quiet/ {
            resplint_rule RL2001 off;
            proxy_pass http://127.0.0.1:$uport;
        }
        location /cached/ {
            proxy_cache lint;
            proxy_cache_valid 200 301 10m;
            add_header X-Cache \$upstream_cache_status;
            proxy_pass http://127.0.0.1:$uport;
        }
        location /off/ {
            resplint off;
            proxy_pass http://127.0.0.1:$uport;
        }
        location /noheader/ {
            resplint_header off;
            proxy_pass http://127.0.0.1:$uport;
        }
        location = /local-return {
            return 301;
        }
    }
}
CONF

start_nginx() { # CONF
  timeout 120 "$nginx" -p "$work" -c "$1" -e "$work/logs/error.log" &
  nginx_pid=$!
  local up=
  for _ in $(seq 100); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/good"; then up=1; break; fi
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$up" ] || { tail -c 3000 "$work/logs/error.log" >&2; fail "nginx did not start"; }
}
stop_nginx() { # so that every log line is written
  kill "$nginx_pid"
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=
}

# Configuration errors are caught by nginx -t.
for bad in "resplint_rule RL9999 off;" "resplint_rule RL2001 loud;" "resplint maybe;"; do
  sed "s/^    resplint on;/    $bad/" "$work/nginx.conf" >"$work/bad.conf"
  if timeout 20 "$nginx" -t -p "$work" -c "$work/bad.conf" -e "$work/logs/bad.log" >"$work/bad.txt" 2>&1; then
    fail "nginx -t accepted '$bad'"
  fi
done
timeout 20 "$nginx" -t -p "$work" -c "$work/nginx.conf" -e "$work/logs/t.log" >"$work/t.txt" 2>&1 ||
  { cat "$work/t.txt" >&2; fail "nginx -t rejected the test configuration"; }

start_nginx "$work/nginx.conf"

# fetch PATH [METHOD]: the response head into $work/h-NAME.txt
fetch() {
  local path=$1 method=${2:-GET} name
  name=$(echo "$method$path" | tr '/' '_')
  local opt=(-X "$method")
  [ "$method" = HEAD ] && opt=(-I)
  curl -sS "${opt[@]}" -D "$work/h-$name.txt" -o /dev/null --max-time 5 \
    "http://127.0.0.1:$port$path" || fail "request $method $path failed"
  echo "$work/h-$name.txt"
}
header_of() { tr -d '\r' <"$1" | sed -n 's/^X-Resplint: //Ip'; }

paths=(/good /cookies /redirect /moved /empty-location /nocontent /resetcontent /notmodified /weird
  /unauthorized /broken /quiet/moved /off/moved /noheader/moved /local-return)
declare -A head
for p in "${paths[@]}"; do head[$p]=$(header_of "$(fetch "$p")"); done
head[HEAD/good]=$(header_of "$(fetch /good HEAD)")
# The same 301 from the upstream, then from the cache: linted both times.
h1=$(fetch /cached/moved)
cp "$h1" "$work/h-cached-1.txt"
h2=$(fetch /cached/moved)
grep -qi '^X-Cache: MISS' "$work/h-cached-1.txt" || fail "/cached/moved: first fetch not a cache miss"
grep -qi '^X-Cache: HIT' "$h2" || fail "/cached/moved: second fetch not a cache hit"
[ "$(header_of "$work/h-cached-1.txt")" = RL2001 ] || fail "/cached/moved (miss): no X-Resplint: RL2001"
[ "$(header_of "$h2")" = RL2001 ] || fail "/cached/moved (hit): no X-Resplint: RL2001"

stop_nginx
errlog=$work/logs/error.log
acclog=$work/logs/access.log

# access: PATH -> the variable's value
access() { awk -v p="$1" '$1 == p { v = $3 } END { print v }' "$acclog"; }
expect() { # PATH RULE: in the variable, the header (unless off) and the error log
  local p=$1 rule=$2
  [[ $(access "$p") == *"$rule"* ]] || fail "$p: \$resplint_findings is '$(access "$p")', expected $rule"
  [[ ${head[$p]} == *"$rule"* ]] || fail "$p: X-Resplint is '${head[$p]}', expected $rule"
  grep -q "resplint: $rule .*request: \"GET $p " "$errlog" || fail "$p: no $rule line in the error log"
}
clean() { # PATH: no finding anywhere
  local p=$1
  [ "$(access "$p")" = "[-]" ] || fail "$p: \$resplint_findings is $(access "$p"), expected none"
  [ -z "${head[$p]}" ] || fail "$p: X-Resplint '${head[$p]}' on a good response"
  ! grep -q "resplint: .*request: \"[A-Z]* $p " "$errlog" || fail "$p: error log line for a good response"
}

expect /moved RL2001
expect /empty-location RL2001
expect /nocontent RL2011
expect /weird RL1004
# A body finding is known at the end of the response only: in the variable and the log, not
# in the header (sent before the body).
[[ $(access /resetcontent) == "[RL2010]" ]] || fail "/resetcontent: \$resplint_findings is '$(access /resetcontent)', expected RL2010"
[ -z "${head[/resetcontent]}" ] || fail "/resetcontent: X-Resplint '${head[/resetcontent]}' before the body"
grep -q 'resplint: RL2010 error no-content-has-body: upstream status 205: 205 Reset Content followed by 5 body bytes.*request: "GET /resetcontent ' "$errlog" ||
  fail "/resetcontent: no RL2010 line in the error log"
if has_rule RL2020; then expect /unauthorized RL2020; else echo "test_nginx: note: RL2020 not in the catalogue yet, 401 check skipped"; fi
clean /good
clean /cookies
clean /redirect
clean /notmodified
clean /local-return
clean /broken
grep -q '^/broken 502 ' "$acclog" || fail "/broken: nginx did not answer 502 (the test upstream changed?)"
clean /off/moved
[ -z "${head[HEAD/good]}" ] || fail "HEAD /good: X-Resplint '${head[HEAD/good]}'"
# resplint_rule RL2001 off in /quiet/: nothing for the 301
[[ $(access /quiet/moved) != *RL2001* ]] || fail "/quiet/moved: RL2001 reported though off"
# resplint_header off: the variable and the log still work
[ -z "${head[/noheader/moved]}" ] || fail "/noheader/moved: X-Resplint sent though off"
[[ $(access /noheader/moved) == *RL2001* ]] || fail "/noheader/moved: variable lost"
# The upstream's raw status line reaches the log line.
grep -q 'resplint: RL2001 error redirect-missing-location: upstream status 301: 301 Moved Permanently without a Location' "$errlog" ||
  fail "error log line format"
grep -q 'load_module\|emerg\|alert\|crit' "$errlog" && { grep 'emerg\|alert\|crit' "$errlog" | head -5 >&2; fail "nginx logged alerts"; }

# Rate limit: at most resplint_log_rate lines a second, then one line saying how many were not.
lines=$(grep -c 'resplint: RL' "$errlog")
sed 's/^    resplint on;/    resplint on;\n    resplint_log_rate 2;/' "$work/nginx.conf" >"$work/rate.conf"
start_nginx "$work/rate.conf"
for _ in $(seq 10); do fetch /moved >/dev/null; done
sleep 1.2
fetch /moved >/dev/null
stop_nginx
rate_lines=$(( $(grep -c 'resplint: RL' "$errlog") - lines ))
[ "$rate_lines" -le 5 ] || fail "rate limit: $rate_lines lines logged for 11 findings at 2 a second"
grep -q 'finding(s) not logged (resplint_log_rate 2)' "$errlog" || fail "rate limit: no summary line"

echo "test_nginx: ok ($(grep -c 'resplint: RL' "$errlog") finding lines; module $module)"
