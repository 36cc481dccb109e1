#!/usr/bin/env bash
# CPU per request of Debian's nginx proxying on loopback, without the resplint module and
# with it (resplint on), measured on the proxy process only (/proc/PID/schedstat), with wrk
# as the client and a second nginx (no module) as the upstream. Bounded in time:
# ROUNDS x 2 runs of DURATION seconds each.
# CPU time on a shared machine is noisy, so the proxy's instructions per request are also
# counted under callgrind (deterministic; startup excluded), unless INSTRUCTIONS=0.
# Usage: bench/nginx-bench.sh [BUILD_DIR]   env: DURATION (s, default 5), ROUNDS (default 3),
#        CONNECTIONS (default 16), INSTRUCTIONS (1/0, default 1)
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(readlink -f "${1:-$src/build}")
duration=${DURATION:-5}
rounds=${ROUNDS:-3}
conns=${CONNECTIONS:-16}
instructions=${INSTRUCTIONS:-1}
nginx=${RESPLINT_NGINX:-/usr/sbin/nginx}

command -v wrk >/dev/null || { echo "nginx-bench: wrk not found (apt-get install wrk; scripts/bootstrap)" >&2; exit 2; }
[ -f "$build/lib/libresplint.a" ] || { echo "nginx-bench: build first (cmake --build $build)" >&2; exit 2; }
module=$(timeout 300 bash "$src/integrations/nginx/build.sh" "$build/nginx-module" \
  "$src/lib/include" "$build/lib/libresplint.a" | tail -n 1)

work=$build/bench-nginx
rm -rf "$work"
mkdir -p "$work/tmp"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
common() {
  cat <<CONF
daemon off;
master_process off;
error_log $work/$1-error.log warn;
pid $work/$1.pid;
events { worker_connections 1024; }
CONF
}
temps() {
  for t in client_body proxy fastcgi uwsgi scgi; do echo "    ${t}_temp_path $work/tmp/$1-$t;"; done
}

uport=$(freeport)
{
  common upstream
  echo "http {"
  temps upstream
  cat <<CONF
    access_log off;
    server {
        listen 127.0.0.1:$uport;
        keepalive_requests 1000000;
        location / {
            add_header Cache-Control "max-age=60";
            add_header ETag '"abc123"';
            add_header Vary Accept-Encoding;
            add_header X-Request-Id 5f1b2c3d;
            add_header Last-Modified "Tue, 24 Nov 2026 10:00:00 GMT";
            return 200 "hello, world\n";
        }
    }
}
CONF
} >"$work/upstream.conf"

proxy_conf() { # NAME WITH_MODULE
  local port=$3
  {
    [ "$2" = 1 ] && echo "load_module $module;"
    common "$1"
    echo "http {"
    temps "$1"
    [ "$2" = 1 ] && echo "    resplint on;"
    cat <<CONF
    access_log off;
    upstream u { server 127.0.0.1:$uport; keepalive 32; }
    server {
        listen 127.0.0.1:$port;
        keepalive_requests 1000000;
        location / {
            proxy_pass http://u;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
CONF
  } >"$work/$1.conf"
}

timeout $((rounds * 2 * (duration + 10) + 4 * duration + 180)) "$nginx" -p "$work" -c "$work/upstream.conf" -e "$work/upstream-error.log" &
pids+=($!)

cpu_ns() { awk '{print $1}' "/proc/$1/schedstat"; }

# run NAME WITH_MODULE -> prints "requests cpu_ns"
run() {
  local name=$1 with=$2 port pid
  port=$(freeport)
  proxy_conf "$name" "$with" "$port"
  timeout $((duration + 30)) "$nginx" -p "$work" -c "$work/$name.conf" -e "$work/$name-error.log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && break; sleep 0.05; done
  # the nginx process itself (timeout's child)
  local npid
  npid=$(cat "$work/$name.pid")
  local c0 c1 reqs
  c0=$(cpu_ns "$npid")
  timeout $((duration + 10)) wrk -t1 -c"$conns" -d"${duration}s" "http://127.0.0.1:$port/" >"$work/$name-wrk.txt" 2>&1
  c1=$(cpu_ns "$npid")
  reqs=$(awk '/requests in/ {print $1}' "$work/$name-wrk.txt")
  grep -q 'Non-2xx' "$work/$name-wrk.txt" && { echo "nginx-bench: errors in $name run" >&2; cat "$work/$name-wrk.txt" >&2; exit 1; }
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$reqs $((c1 - c0))"
}

# instr NAME WITH_MODULE -> prints "requests instructions", counted from the first request on
instr() {
  local name=$1 with=$2 port pid
  port=$(freeport)
  proxy_conf "$name" "$with" "$port"
  timeout $((2 * duration + 120)) valgrind -q --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$work/$name.callgrind" "$nginx" -p "$work" -c "$work/$name.conf" \
    -e "$work/$name-error.log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && break; sleep 0.1; done
  local npid reqs
  npid=$(cat "$work/$name.pid")
  timeout 30 callgrind_control -i on "$npid" >/dev/null 2>&1
  timeout $((2 * duration + 10)) wrk -t1 -c4 -d"$((2 * duration))s" "http://127.0.0.1:$port/" >"$work/$name-wrk.txt" 2>&1
  timeout 30 callgrind_control -i off "$npid" >/dev/null 2>&1
  timeout 30 callgrind_control -d "$npid" >/dev/null 2>&1
  reqs=$(awk '/requests in/ {print $1}' "$work/$name-wrk.txt")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # the dump taken on request; the file written at exit holds nothing (instrumentation off)
  local ir
  ir=$(cat "$work/$name.callgrind"* | awk '/^(summary|totals):/ {s += $2} END {print s + 0}')
  echo "$reqs $ir"
}

echo "nginx-bench: $(nginx -v 2>&1 | sed 's/.*version: //'), wrk -t1 -c$conns -d${duration}s, $rounds rounds, module $module"
results=$work/results.txt
: >"$results"
for r in $(seq "$rounds"); do
  for variant in without with; do
    with=0
    [ "$variant" = with ] && with=1
    read -r reqs ns < <(run "proxy-$variant" "$with")
    awk -v v="$variant" -v r="$r" -v q="$reqs" -v n="$ns" \
      'BEGIN { printf "round %d %-7s %8d requests  %7.0f req/s  %6.2f us CPU/request\n", r, v, q, q / '"$duration"', n / q / 1000 }'
    echo "$variant $reqs $ns" >>"$results"
  done
done
# Pooled over all rounds, and the median of the rounds' paired differences (each round runs
# both variants back to back, so a busy moment of the machine weighs on both).
awk '{ q[$1] += $2; n[$1] += $3; per[$1, ++k[$1]] = $3 / $2 }
     END { a = n["without"] / q["without"]; b = n["with"] / q["with"];
           printf "CPU per request: without %.3f us, with %.3f us, difference %+.3f us %+.2f%% (target < 2%%)\n",
                  a / 1000, b / 1000, (b - a) / 1000, (b - a) / a * 100;
           m = k["with"]; for (i = 1; i <= m; i++) d[i] = (per["with", i] - per["without", i]) / per["without", i] * 100;
           for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (d[j] < d[i]) { t = d[i]; d[i] = d[j]; d[j] = t }
           med = (m % 2) ? d[(m + 1) / 2] : (d[m / 2] + d[m / 2 + 1]) / 2;
           printf "median of the %d rounds paired differences: %+.2f%%\n", m, med }' "$results"

if [ "$instructions" = 1 ] && command -v callgrind_control >/dev/null; then
  read -r q0 i0 < <(instr instr-without 0)
  read -r q1 i1 < <(instr instr-with 1)
  awk -v q0="$q0" -v i0="$i0" -v q1="$q1" -v i1="$i1" 'BEGIN {
    a = i0 / q0; b = i1 / q1;
    printf "instructions per request (callgrind, %d and %d requests): without %.0f, with %.0f, difference %+.0f (%+.2f%%)\n",
           q0, q1, a, b, b - a, (b - a) / a * 100 }'
fi
