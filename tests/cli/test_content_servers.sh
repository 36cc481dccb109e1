#!/usr/bin/env bash
# Real compressed responses: nginx (gzip on) and Apache (mod_deflate, mod_brotli) serve HTML,
# JSON and text on 127.0.0.1, curl asks for gzip and br, tcpdump captures the loopback; resplint
# must find no RL7xxx in those streams. Then two faulty servers (python3): a gzip body cut in the
# middle with a complete Content-Length, and a gzip body labelled br: exactly one RL7006 each,
# and no other content rule.
# usage: test_content_servers.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR
set -u
bin=$1
for tool in nginx apache2 tcpdump tshark curl python3 jq; do
  command -v "$tool" >/dev/null || { echo "test_content_servers: $tool missing (scripts/bootstrap)" >&2; exit 1; }
done
[ -f /usr/lib/apache2/modules/mod_brotli.so ] || { echo "test_content_servers: mod_brotli missing" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/apache.pid" ] && kill "$(cat "$work/apache.pid")" 2>/dev/null
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work" # KEEP=1 keeps the capture and the logs
}
trap cleanup EXIT
fail=0
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

mkdir -p "$work/www" "$work/tmp" "$work/logs"
chmod 755 "$work" "$work/www"
python3 - "$work/www" <<'PY'
import json, sys
d = sys.argv[1]
open(d + "/index.html", "w").write("<!doctype html><title>t</title>\n" +
                                   "<p>caf\u00e9 \u20ac content and body truth</p>\n" * 400)
open(d + "/data.json", "w").write(json.dumps({"items": [{"id": i, "name": "caf\u00e9"} for i in range(400)]}))
open(d + "/notes.txt", "w").write("plain text line\n" * 500)
PY
chmod 644 "$work/www"/*

nport=$(free_port)
cat >"$work/nginx.conf" <<CONF
daemon off;
master_process off;
pid $work/nginx.pid;
error_log $work/logs/nginx-error.log;
events { worker_connections 64; }
http {
    access_log off;
    include /etc/nginx/mime.types;
    charset utf-8;
    charset_types text/html text/plain application/json;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    gzip on;
    gzip_types text/plain application/json;
    gzip_vary on;
    server { listen 127.0.0.1:$nport; root $work/www; }
}
CONF

aport=$(free_port)
m=/usr/lib/apache2/modules
cat >"$work/apache.conf" <<CONF
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule mime_module $m/mod_mime.so
LoadModule filter_module $m/mod_filter.so
LoadModule deflate_module $m/mod_deflate.so
LoadModule brotli_module $m/mod_brotli.so
ServerName localhost
Listen 127.0.0.1:$aport
PidFile $work/apache.pid
ErrorLog $work/logs/apache-error.log
Mutex file:$work default
DefaultRuntimeDir $work
User www-data
Group www-data
DocumentRoot $work/www
<Directory $work/www>
  Require all granted
</Directory>
TypesConfig /etc/mime.types
AddDefaultCharset utf-8
AddOutputFilterByType BROTLI_COMPRESS;DEFLATE text/html text/plain application/json
CONF

bport=$(free_port)
cat >"$work/bad.py" <<'PY'
import gzip, socket, sys, threading
body = b"<!doctype html><title>t</title>" + b"<p>cut in the middle</p>\n" * 200
member = gzip.compress(body, mtime=0)
cases = {
    b"/cut": (b"gzip", member[: len(member) // 2]),
    b"/gzip-as-br": (b"br", member),
}
def serve(conn):
    with conn:
        req = b""
        while b"\r\n\r\n" not in req:
            chunk = conn.recv(4096)
            if not chunk:
                return
            req += chunk
        path = req.split(b" ")[1]
        coding, data = cases.get(path, (b"identity", b""))
        conn.sendall(b"HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\n"
                     b"Content-Type: text/html; charset=utf-8\r\nVary: Accept-Encoding\r\n"
                     b"Content-Encoding: " + coding + b"\r\nContent-Length: " +
                     str(len(data)).encode() + b"\r\nConnection: close\r\n\r\n" + data)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY

timeout 120 nginx -p "$work" -c "$work/nginx.conf" 2>"$work/logs/nginx.out" & pids+=($!)
timeout 120 apache2 -f "$work/apache.conf" -DFOREGROUND 2>"$work/logs/apache.out" & pids+=($!)
timeout 120 python3 "$work/bad.py" "$bport" & pids+=($!)
for port in $nport $aport $bport; do
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done

timeout 60 tcpdump -i lo --immediate-mode -U -s 0 -w "$work/cap.pcap" \
  "tcp port $nport or tcp port $aport or tcp port $bport" 2>"$work/logs/tcpdump.out" & tpid=$!
pids+=($tpid)
for _ in $(seq 300); do grep -q "listening" "$work/logs/tcpdump.out" && break; sleep 0.1; done

good=0
for port in $nport $aport; do
  for path in /index.html /data.json /notes.txt; do
    for enc in gzip br "gzip, br" identity; do
      curl -s -o /dev/null -H "Accept-Encoding: $enc" "http://127.0.0.1:$port$path" && good=$((good + 1))
    done
  done
done
curl -s -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$bport/cut"
curl -s -o /dev/null -H 'Accept-Encoding: br' "http://127.0.0.1:$bport/gzip-as-br"
# let tcpdump write what the filter received: wait until the file has not grown for a second
# (two looks; one look 0.5 s apart was too short on a loaded machine)
last=-1 same=0
for _ in $(seq 120); do
  size=$(stat -c %s "$work/cap.pcap" 2>/dev/null || echo 0)
  if [ "$size" = "$last" ]; then same=$((same + 1)); else same=0; fi
  [ "$same" -ge 2 ] && break
  last=$size
  sleep 0.5
done
kill -INT $tpid 2>/dev/null
wait $tpid 2>/dev/null

"$bin" --no-config --fail-on never --format json "$work/cap.pcap" >"$work/out.json" 2>"$work/err"
responses=$(jq '.files[0].responses' "$work/out.json")
# every compressed answer really was compressed: count the codings on the wire
gz=$(tshark -r "$work/cap.pcap" -Y 'http.content_encoding == "gzip"' 2>/dev/null | wc -l)
brn=$(tshark -r "$work/cap.pcap" -Y 'http.content_encoding == "br"' 2>/dev/null | wc -l)
if [ "$responses" -lt $((good + 2)) ]; then
  echo "FAIL: $responses responses in the capture, $((good + 2)) requests made"; fail=1
fi
if [ "$gz" -lt 6 ] || [ "$brn" -lt 3 ]; then
  echo "FAIL: the servers did not compress (gzip responses $gz, br $brn)"; fail=1
fi
# nginx's and Apache's streams: no content finding at all; the faulty server's: RL7006 twice
want_bad=$(jq -r '[.files[0].findings[] | select(.rule | startswith("RL7"))] | map(.rule) | sort | join(" ")' "$work/out.json")
if [ "$want_bad" != "RL7006 RL7006" ]; then
  echo "FAIL: content findings '$want_bad', want exactly RL7006 twice (the faulty server)"
  jq -r '.files[0].findings[] | "\(.rule) frame \(.frame): \(.message[0:160])"' "$work/out.json" | grep RL7
  fail=1
fi
jq -r '.files[0].findings[] | select(.rule == "RL7006") | .message' "$work/out.json" >"$work/rl7006"
grep -q 'Content-Encoding: gzip, .*the gzip member ends before its trailer' "$work/rl7006" ||
  { echo "FAIL: the cut gzip member is not the RL7006"; cat "$work/rl7006"; fail=1; }
grep -q 'Content-Encoding: br, .*of the br data' "$work/rl7006" ||
  { echo "FAIL: gzip labelled br is not the RL7006"; cat "$work/rl7006"; fail=1; }
[ $fail = 0 ] && echo "ok   $responses responses ($gz gzip, $brn br from nginx and Apache): no content finding; the faulty server: RL7006 twice"
exit $fail
