#!/usr/bin/env bash
# Real servers on 127.0.0.1, real caching fields: Debian's nginx (gzip on, expires, its default
# gzip_vary off) and Debian's Apache (mod_deflate, mod_expires), curl as the client, tcpdump on
# lo. The capture is linted with the caching profile and its RL5xxx findings are compared with
# tests/corpus/expected-servers.tsv (one line per connection: server, request, findings), each
# reviewed against RFC 9111 / RFC 9110 §12.5.5. Needs root for tcpdump (else SKIP, exit 77).
# RESPLINT_UPDATE_EXPECTED=1 rewrites the table (keeping its comment lines) after a review.
set -u
bin=$(readlink -f "$1")
src=$(readlink -f "$2")
expected="$src/tests/corpus/expected-servers.tsv"
[ "$(id -u)" = 0 ] || { echo "test_caching_servers: SKIP: tcpdump on lo needs root"; exit 77; }
for tool in nginx apache2 tcpdump curl jq; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "test_caching_servers: FAIL: $tool not found (scripts/bootstrap installs it)" >&2; exit 1; }
done
work=$(mktemp -d)
chmod 755 "$work"
nginx_pid= apache_pid= tcpdump_pid=
cleanup() {
  [ -n "$tcpdump_pid" ] && kill "$tcpdump_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  [ -n "$apache_pid" ] && kill "$apache_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "test_caching_servers: FAIL: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

mkdir -p "$work/www" "$work/logs" "$work/tmp"
chmod 755 "$work/www"
python3 -c "import sys; sys.stdout.write('<html><body>' + 'resplint caching fixture. ' * 200 + '</body></html>\n')" >"$work/www/page.html"
python3 -c "import sys; sys.stdout.write('body { color: black; }\n' * 100)" >"$work/www/style.css"
touch -d '2024-01-02 03:04:05 UTC' "$work/www/page.html" "$work/www/style.css"
chmod 644 "$work/www/"*

nport=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
master_process off;
pid $work/nginx.pid;
error_log $work/logs/nginx-error.log;
events { worker_connections 64; }
http {
  access_log off;
  types { text/html html; text/css css; }
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  gzip on;
  gzip_types text/css;
  server {
    listen 127.0.0.1:$nport;
    root $work/www;
    server_tokens off;
    location /page.html { expires 1h; }
    location /style.css { expires max; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!

aport=$(free_port)
mods=/usr/lib/apache2/modules
cat >"$work/apache2.conf" <<CONF
ServerRoot $work
ServerName localhost
Listen 127.0.0.1:$aport
PidFile $work/apache2.pid
ErrorLog $work/logs/apache-error.log
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule mime_module $mods/mod_mime.so
LoadModule filter_module $mods/mod_filter.so
LoadModule deflate_module $mods/mod_deflate.so
LoadModule expires_module $mods/mod_expires.so
User www-data
Group www-data
TypesConfig /etc/mime.types
DocumentRoot $work/www
<Directory $work/www>
  Require all granted
</Directory>
AddOutputFilterByType DEFLATE text/html text/css
ExpiresActive On
ExpiresByType text/html "access plus 1 hour"
ExpiresByType text/css "access plus 1 year"
CONF
apache2 -f "$work/apache2.conf" -DFOREGROUND &
apache_pid=$!

for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$nport/page.html" && curl -s -o /dev/null "http://127.0.0.1:$aport/page.html" && break
  sleep 0.1
done
curl -s -o /dev/null "http://127.0.0.1:$aport/page.html" || fail "apache2 did not start: $(tail -3 "$work/logs/apache-error.log")"
curl -s -o /dev/null "http://127.0.0.1:$nport/page.html" || fail "nginx did not start: $(tail -3 "$work/logs/nginx-error.log")"

tcpdump -i lo -U -s 0 -w "$work/servers.pcap" "tcp port $nport or tcp port $aport" 2>/dev/null &
tcpdump_pid=$!
sleep 1
# One curl per line: each is one connection (one tcp.stream, numbered in this order).
requests=(
  "GET /page.html gzip"
  "GET /page.html"
  "GET /style.css gzip"
  "HEAD /page.html gzip"
  "GET /page.html if-modified-since"
)
for server in nginx apache; do
  port=$nport
  [ "$server" = apache ] && port=$aport
  for r in "${requests[@]}"; do
    set -- $r
    args=(-s -o /dev/null)
    [ "$1" = HEAD ] && args+=(-I)
    [ "${3:-}" = gzip ] && args+=(-H "Accept-Encoding: gzip")
    [ "${3:-}" = if-modified-since ] && args+=(-H "If-Modified-Since: Tue, 02 Jan 2024 03:04:05 GMT")
    curl "${args[@]}" "http://127.0.0.1:$port$2" || fail "curl $server $r"
    echo "$server	$r" >>"$work/labels"
  done
done
sleep 1
kill "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null
tcpdump_pid=

json=$(timeout 60 "$bin" --no-config --profile caching --fail-on never --format json "$work/servers.pcap") ||
  fail "resplint failed on the capture"
[ "$(jq -r '.files[0].responses' <<<"$json")" = "${#requests[@]}0" ] 2>/dev/null ||
  [ "$(jq -r '.files[0].responses' <<<"$json")" = $((2 * ${#requests[@]})) ] ||
  fail "expected $((2 * ${#requests[@]})) responses, got $(jq -r '.files[0].responses' <<<"$json")"
got="$work/got.tsv"
n=0
while IFS= read -r label; do
  rules=$(jq -r --argjson s "$n" '[.files[0].findings[] | select(.tcp_stream == $s) | .rule | select(startswith("RL5"))] | sort | join(" ") | if . == "" then "-" else . end' <<<"$json")
  printf '%s\t%s\n' "$label" "$rules" >>"$got"
  n=$((n + 1))
done <"$work/labels"

if [ "${RESPLINT_UPDATE_EXPECTED:-}" = 1 ]; then
  { grep '^#' "$expected" 2>/dev/null; cat "$got"; } >"$expected.new" && mv "$expected.new" "$expected"
  echo "test_caching_servers: rewrote $expected"
  exit 0
fi
if ! diff -u <(grep -v '^#' "$expected") "$got"; then
  jq -r '.files[0].findings[] | select(.rule | startswith("RL5")) | "\(.tcp_stream) \(.rule) \(.message)"' <<<"$json" >&2
  fail "caching findings on nginx and Apache differ from tests/corpus/expected-servers.tsv"
fi
echo "test_caching_servers: $(wc -l <"$got") connections as reviewed"
