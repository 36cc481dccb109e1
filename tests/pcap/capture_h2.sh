#!/usr/bin/env bash
# Records the HTTP/2 fixtures of RL8001-RL8009 from real traffic: curl (--http2-prior-knowledge)
# against tests/pcap/h2_faulty_server.py (Debian's python3-h2) on the loopback interface,
# captured with tcpdump (needs root). One connection per fixture.
#   sudo bash tests/pcap/capture_h2.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
port=${PORT:-18492}
work=$(mktemp -d)
trap 'kill "${srv:-}" "${td:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
/usr/bin/python3 "$src/tests/pcap/h2_faulty_server.py" "$port" >"$work/srv.out" 2>&1 &
srv=$!
for _ in $(seq 50); do grep -q ready "$work/srv.out" && break; sleep 0.1; done
capture() { # OUT PATH...
    local out=$1
    shift
    tcpdump -i lo -U -s 0 -w "$work/c.pcap" "tcp port $port" 2>"$work/td.err" &
    td=$!
    for _ in $(seq 100); do grep -q "listening on" "$work/td.err" && break; sleep 0.1; done
    for p in "$@"; do
        timeout 10 curl -s --http2-prior-knowledge "http://127.0.0.1:$port$p" -o /dev/null || true
    done
    sleep 1
    kill -INT "$td"
    wait "$td" 2>/dev/null || true
    mkdir -p "$(dirname "$src/$out")"
    cp "$work/c.pcap" "$src/$out"
    echo "wrote $out"
}
capture fixtures/rules/RL8001/bad-content-type.pcap /upper
capture fixtures/rules/RL8001/good-lowercase.pcap /ok
capture fixtures/rules/RL8002/bad-trailing-blank.pcap /blank
capture fixtures/rules/RL8002/good-padded-data.pcap /padded
capture fixtures/rules/RL8003/bad-no-status.pcap /nostatus
capture fixtures/rules/RL8003/good-status.pcap /ok
capture fixtures/rules/RL8004/bad-status-after-field.pcap /after
capture fixtures/rules/RL8004/good-status-first.pcap /ok
capture fixtures/rules/RL8005/bad-path-in-response.pcap /pseudo
capture fixtures/rules/RL8005/good-no-request-pseudo.pcap /ok
capture fixtures/rules/RL8006/bad-length-10-data-5.pcap /length
capture fixtures/rules/RL8006/good-padded-length.pcap /padded
capture fixtures/rules/RL8007/bad-te-gzip.pcap /te
capture fixtures/rules/RL8007/good-no-te.pcap /ok
capture fixtures/rules/RL8008/bad-103-end-stream.pcap /interim
capture fixtures/rules/RL8008/good-200.pcap /ok
capture fixtures/rules/RL8009/bad-101.pcap /switch
capture fixtures/rules/RL8009/good-200.pcap /ok
