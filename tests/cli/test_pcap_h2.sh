#!/usr/bin/env bash
# HTTP/2 in captures, with real peers on 127.0.0.1 (tcpdump on lo, needs root):
# 1. Debian's nginx over TLS with ALPN h2 (curl --http2, SSLKEYLOGFILE) and h2c by prior
#    knowledge: every response resplint reads, (tcp.stream, frame, status), equals tshark's
#    HEADERS frames with a :status, and the faults nginx sends (301 without Location, 405
#    without Allow) are found, with their h2 stream ids.
# 2. tests/pcap/h2_faulty_server.py (python3-h2, its own validation off): each fault path gives
#    exactly its rule, and the clean paths nothing; a 2 GiB SETTINGS_HEADER_TABLE_SIZE hits the
#    cap (RL9004) instead of growing memory (the CONTINUATION flood: tests/unit/test_pcap.c).
# Usage: test_pcap_h2.sh RESPLINT_BINARY SOURCE_DIR [CORPUS_DIR]
set -u
bin=$1 src=$2
for tool in nginx tcpdump curl tshark jq; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (scripts/bootstrap installs it)"; exit 1; }
done
/usr/bin/python3 -c 'import h2' 2>/dev/null || { echo "FAIL: Debian's python3-h2 is not installed"; exit 1; }
. "$src/tests/pcap/tls_server.sh"
work=$(mktemp -d)
trap 'tls_stop; kill "${srv:-}" 2>/dev/null; rm -rf "$work"' EXIT
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); echo "ok   $*"; }
# wait_port PORT: until 127.0.0.1:PORT accepts a connection (30 s at most: a loaded machine
# starts servers slowly, and a connection refused would shift every stream number after it)
wait_port() {
    for _ in $(seq 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
port=$((21000 + $$ % 20000))
h2c=$((port + 1))
tls_start "$work" "$port" || { echo "FAIL: nginx did not start"; exit 1; }
# the same server, with HTTP/2 on its TLS port and h2c on a second one
sed -i "s|listen 127.0.0.1:$port ssl;|listen 127.0.0.1:$port ssl http2; listen 127.0.0.1:$h2c http2;|" "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" -s reload
wait_port "$h2c" || { echo "FAIL: nginx did not start listening on $h2c after the reload"; exit 1; }
keys=$work/keys.log
tcpdump -i lo -U -s 0 -w "$work/h2.pcap" "tcp port $port or tcp port $h2c" 2>"$work/tcpdump.err" &
tls_tcpdump=$!
for _ in $(seq 300); do grep -q "listening on" "$work/tcpdump.err" && break; sleep 0.1; done
for v in 1.2 1.3; do
    SSLKEYLOGFILE=$keys timeout 20 curl -sk --http2 --tlsv$v --tls-max $v \
        "https://127.0.0.1:$port/index.html" "https://127.0.0.1:$port/moved" \
        "https://127.0.0.1:$port/denied" -o /dev/null -o /dev/null -o /dev/null || fail "curl --http2 TLS $v"
done
timeout 20 curl -s --http2-prior-knowledge "http://127.0.0.1:$h2c/index.html" -o /dev/null || fail "curl h2c"
tls_capture_stop
"$bin" --no-config --keylog "$keys" --list-responses "$work/h2.pcap" | sort >"$work/r.tsv"
tshark -n -r "$work/h2.pcap" -o "tls.keylog_file:$keys" -d "tcp.port==$h2c,http2" \
    -Y 'http2.type == 1 && http2.headers.status' -T fields -e tcp.stream -e frame.number \
    -e http2.headers.status 2>/dev/null | sort >"$work/t.tsv"
if [ "$(wc -l <"$work/r.tsv")" -eq 7 ] && cmp -s "$work/r.tsv" "$work/t.tsv"; then
    ok "7 HTTP/2 responses (TLS 1.2, TLS 1.3, h2c), as tshark reads them"
else
    fail "responses differ from tshark's:"; diff "$work/r.tsv" "$work/t.tsv" | head; cat "$work/r.tsv"
fi
"$bin" --no-config --keylog "$keys" --format json "$work/h2.pcap" >"$work/f.json"
# shared out over two jobs (one capture: its connections over two threads), the same report
"$bin" --no-config --keylog "$keys" --jobs 2 --format json "$work/h2.pcap" >"$work/f2.json"
cmp -s "$work/f.json" "$work/f2.json" && ok "--jobs 2: the report of one job" ||
    fail "--jobs 2 differs from one job: $(diff "$work/f.json" "$work/f2.json" | head -c 600)"
got=$(jq -c '[.files[0].findings[] | [.rule, .h2_stream]] | sort' "$work/f.json")
want='[["RL2001",3],["RL2001",3],["RL2022",5],["RL2022",5]]'
[ "$got" = "$want" ] && ok "nginx's 301 and 405 found on their h2 streams" || fail "nginx findings: $got, want $want"

# the faulty server: each path, its rule and nothing else
fport=$((port + 2))
/usr/bin/python3 "$src/tests/pcap/h2_faulty_server.py" "$fport" >"$work/srv.out" 2>&1 &
srv=$!
wait_port "$fport" || { echo "FAIL: h2_faulty_server.py did not start: $(cat "$work/srv.out")"; exit 1; }
cases="ok: upper:RL8001 blank:RL8002 nostatus:RL8003 after:RL8004 pseudo:RL8005 length:RL8006
te:RL8007 interim:RL8008 switch:RL8009 connection:RL4014 moved:RL2001 padded:
bigtable:RL9004"
tcpdump -i lo -U -s 0 -w "$work/f.pcap" "tcp port $fport" 2>"$work/tcpdump.err" &
tls_tcpdump=$!
for _ in $(seq 300); do grep -q "listening on" "$work/tcpdump.err" && break; sleep 0.1; done
for c in $cases; do
    timeout 10 curl -s --http2-prior-knowledge "http://127.0.0.1:$fport/${c%%:*}" -o /dev/null
done
tls_capture_stop
"$bin" --no-config --format json "$work/f.pcap" >"$work/faults.json"
i=0
for c in $cases; do
    want=${c#*:}
    got=$(jq -r --argjson s $i '[.files[0].findings[] | select(.tcp_stream == $s) | .rule] | unique | join(",")' "$work/faults.json")
    [ "$got" = "$want" ] && ok "/${c%%:*}: ${want:-no finding}" || fail "/${c%%:*}: got '$got', want '$want'"
    i=$((i + 1))
done
echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ]
