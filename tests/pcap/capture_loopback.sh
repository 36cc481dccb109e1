#!/usr/bin/env bash
# Records fixtures/pcap/loopback-nginx.pcap: real traffic between a Python client and Debian's
# nginx on the loopback interface, captured with tcpdump. Needs root (tcpdump) and nginx.
# One keep-alive connection carries pipelined requests (GET, HEAD, a conditional GET answered
# 304, a gzip'd GET answered chunked); a second connection sends one request per write.
#   sudo bash tests/pcap/capture_loopback.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
port=${PORT:-18080}
work=$(mktemp -d)
trap 'kill $(cat "$work/nginx.pid" 2>/dev/null) 2>/dev/null || true; kill "${tcpdump_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/www" "$work/logs"
chmod 755 "$work" "$work/www"
python3 -c "import sys; sys.stdout.write('<html><body>' + 'resplint loopback fixture. ' * 200 + '</body></html>\n')" > "$work/www/index.html"
printf 'small\n' > "$work/www/small.txt"
touch -d '2024-01-02 03:04:05 UTC' "$work/www/index.html" "$work/www/small.txt"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  types { text/html html; text/plain txt; }
  gzip on; gzip_min_length 1; gzip_types text/plain;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  server {
    listen 127.0.0.1:$port;
    root $work/www;
    server_tokens off;
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work"
tcpdump -i lo -U -s 0 -w "$work/out.pcap" "tcp port $port" 2>/dev/null &
tcpdump_pid=$!
sleep 1
PORT=$port python3 - <<'EOF'
import os, socket, time
port = int(os.environ["PORT"])
def req(method, path, extra=""):
    return ("%s %s HTTP/1.1\r\nHost: localhost\r\n%s\r\n" % (method, path, extra)).encode()
def drain(s, quiet=0.5):
    s.settimeout(quiet)
    try:
        while s.recv(65536):
            pass
    except socket.timeout:
        pass
# 1: pipelined, in one write
s = socket.create_connection(("127.0.0.1", port))
s.sendall(req("GET", "/small.txt") + req("HEAD", "/index.html") +
          req("GET", "/index.html", "If-Modified-Since: Tue, 02 Jan 2024 03:04:05 GMT\r\n") +
          req("GET", "/index.html", "Accept-Encoding: gzip\r\n") +
          req("GET", "/missing", "Connection: close\r\n"))
drain(s)
s.close()
# 2: one request at a time on a keep-alive connection
s = socket.create_connection(("127.0.0.1", port))
for r in (req("GET", "/index.html"), req("HEAD", "/small.txt"),
          req("GET", "/small.txt", "Accept-Encoding: gzip\r\n")):
    s.sendall(r)
    drain(s, 0.3)
s.close()
time.sleep(0.5)
EOF
sleep 1
kill "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
cp "$work/out.pcap" "$src/fixtures/pcap/loopback-nginx.pcap"
echo "wrote fixtures/pcap/loopback-nginx.pcap"
