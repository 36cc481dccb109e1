# Limits: each [limits] key of .resplint, set low, makes an input that passes it raise RL9004
# limit-exceeded (a warning: the exit status stays 0) with a message naming the limit, and the
# default leaves the same input alone. Bounded memory for big inputs is checked by
# test_bad_inputs.sh.
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
fx=$src/fixtures

# limit NAME KEY=VALUE WANT-MESSAGE INPUT... (extra options may precede the inputs)
limit() {
    local name=$1 setting=$2 want=$3
    shift 3
    printf '[limits]\n%s\n' "$setting" >"$tmp/limits.ini"
    timeout 30 "$bin" --config "$tmp/limits.ini" --fail-on error "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    local rl9004
    rl9004=$(grep -F 'RL9004' "$tmp/out" | head -1)
    if [ "$rc" != 0 ] && ! grep -q ' error RL' "$tmp/out"; then
        echo "FAIL $name: exit $rc"; head -5 "$tmp/err"; fail=1
    elif [ -z "$rl9004" ]; then
        echo "FAIL $name: no RL9004 with $setting:"; head -5 "$tmp/out" "$tmp/err"; fail=1
    elif ! grep -F 'RL9004' "$tmp/out" | grep -qF -- "$want"; then
        echo "FAIL $name: RL9004 without '$want': $rl9004"; fail=1
    else
        echo "ok   $name"
    fi
    timeout 30 "$bin" --no-config "$@" >"$tmp/out" 2>&1
    if grep -q 'RL9004' "$tmp/out"; then
        echo "FAIL $name: RL9004 with the default limits too:"; grep RL9004 "$tmp/out" | head -3; fail=1
    fi
}

ok_response='HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 2\r\n\r\nok'
printf "$ok_response" >"$tmp/one.http"
for i in 1 2 3 4; do printf "$ok_response"; done >"$tmp/four.http"
printf 'HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nX-A: 1\r\nX-B: 2\r\nX-C: 3\r\nContent-Length: 2\r\n\r\nok' >"$tmp/fields.http"
# three findings in one response: RL2011, RL2010 and RL1008
printf 'HTTP/1.1 204 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 2\r\n\r\nok' >"$tmp/findings.http"
for i in 1 2 3 4; do printf 'GET /%s HTTP/1.1\r\nHost: x\r\n\r\n' "$i"; done >"$tmp/requests.bin"
# three lines with a bare CR: three syntax faults
printf 'HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nX-A: 1\r2\r\nX-B: 1\r2\r\nX-C: 1\r2\r\nContent-Length: 2\r\n\r\nok' >"$tmp/faults.http"

limit head-bytes "head-bytes = 40" "longer than the limit of 40 bytes" "$tmp/one.http"
limit fields "fields = 2" "more than 2 field lines" "$tmp/fields.http"
limit responses "responses = 2" "responses" "$tmp/four.http"
limit findings "findings = 1" "" "$tmp/findings.http"
limit pending-requests "pending-requests = 2" "holds 4 requests, more than the 2" --request "$tmp/requests.bin" "$tmp/four.http"
limit pending-requests-pcap "pending-requests = 1" "more than 1 requests (or 8388608 bytes of them) waiting for their responses on this connection" "$fx/pcap/pipeline-head-304-chunked.pcap"
limit pending-request-bytes "pending-request-bytes = 100" "the responses to the 3 requests past the first 1" --request "$tmp/requests.bin" "$tmp/four.http"
limit flows "flows = 1" "more than 1 connections at once" "$fx/pcap/loopback-nginx.pcap"
limit flow-buffer "flow-buffer = 1" "more than 1 out-of-order bytes" "$fx/pcap/ooo-overlap-wrap.pcap"
limit har-entry "har-entry = 40" "limit of 40 bytes kept per entry" "$fx/rules/RL9005/good.har"
limit syntax-faults "syntax-faults = 2" "more than 2 syntax faults" "$tmp/faults.http"
limit warc-record "warc-record = 100" "passes the limit of 100 bytes per record" "$fx/rules/RL9008/good.warc"

# issue 21: a SYN flood past the flows limit gave one RL9004 per connection closed (1.9 M
# findings from 2 M frames): connections without data are counted in one summary
python3 - "$src" "$tmp/flood.pcap" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1] + "/tests/pcap")
from make_pcaps import SYN, Capture, Conn, req, resp
cap = Capture()
c = Conn(cap)
c.handshake()
c.client(req())
c.server(resp())
for i in range(3000):
    cap.add("10.0.%d.%d" % (i >> 8, i & 255), "198.51.100.1", 1024 + i, 80, i * 7919, 0, SYN)
open(sys.argv[2], "wb").write(cap.pcap())
PY
printf '[limits]\nflows = 100\n' >"$tmp/flows.ini"
timeout 30 "$bin" --config "$tmp/flows.ini" --fail-on never "$tmp/flood.pcap" >"$tmp/out" 2>&1
n=$(grep -c RL9004 "$tmp/out")
if [ "$n" -le 9 ] && grep -q "2900 more connections were closed by resplint at the limit of 100" "$tmp/out"; then
    echo "ok   syn-flood: $n RL9004 findings"
else
    echo "FAIL syn-flood: $n RL9004 findings:"; grep RL9004 "$tmp/out" | head -3; fail=1
fi

# issue 21: each connection could hold an unfinished head of up to head-bytes (1,024 such
# connections: 930 MB). All connections together hold at most 64 x max(flow-buffer,
# head-bytes): here 64 x 128 KiB = 8 MiB, with 200 connections each in the middle of a 70 KB
# head; the oldest are closed, and peak memory stays far below what the heads would take.
python3 - "$src" "$tmp/heads.pcap" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1] + "/tests/pcap")
from make_pcaps import Capture, Conn, req
cap = Capture()
conns = []
for i in range(200):
    c = Conn(cap, client=("10.1.%d.%d" % (i >> 8, i & 255), 40000 + i))
    c.handshake()
    c.client(req())
    c.server(b"HTTP/1.1 200 OK\r\n")
    conns.append(c)
line = b"X-Filler: " + b"a" * 1400 + b"\r\n"
for k in range(50):
    for c in conns:
        c.server(line)
open(sys.argv[2], "wb").write(cap.pcap())
PY
printf '[limits]\nhead-bytes = 131072\nflow-buffer = 65536\n' >"$tmp/heads.ini"
/usr/bin/time -f '%M' -o "$tmp/rss" timeout 60 "$bin" --config "$tmp/heads.ini" --fail-on never "$tmp/heads.pcap" >"$tmp/out" 2>&1
/usr/bin/time -f '%M' -o "$tmp/rss0" timeout 60 "$bin" --no-config "$tmp/one.http" >/dev/null 2>&1
grow=$(( $(tail -1 "$tmp/rss") - $(tail -1 "$tmp/rss0") ))
# ASan's allocator keeps what is freed in its caches: peak RSS says nothing there
if grep -q __asan_init "$bin"; then
    echo "note: sanitizer build: peak RSS ($grow KiB above a tiny input) not compared"
    grow=0
fi
if grep -q "the connections hold more than 8388608 bytes together" "$tmp/out" &&
    grep -q "more connections were closed by resplint because the connections held more than 8388608" "$tmp/out" &&
    [ "$grow" -lt 12000 ]; then
    echo "ok   global memory cap: peak RSS $grow KiB above a tiny input"
else
    echo "FAIL global memory cap: peak RSS $grow KiB above a tiny input:"; grep RL9004 "$tmp/out" | head -3; fail=1
fi

# every key is accepted; a bad value is an error naming the line
for key in head-bytes field-section fields responses findings pending-requests flows flow-buffer \
    flow-idle har-entry warc-record syntax-faults exchange-urls decoded-body pending-request-bytes; do
    printf '[limits]\n%s = 12345\n' "$key" >"$tmp/k.ini"
    timeout 20 "$bin" --config "$tmp/k.ini" "$tmp/one.http" >/dev/null 2>"$tmp/err" ||
        { echo "FAIL [limits] $key not accepted:"; cat "$tmp/err"; fail=1; }
done
printf '[limits]\nhar-entry = 0\n' >"$tmp/k.ini"
timeout 20 "$bin" --config "$tmp/k.ini" "$tmp/one.http" >/dev/null 2>"$tmp/err"
grep -qF "k.ini:2: limit har-entry: '0' is not a positive number" "$tmp/err" ||
    { echo "FAIL: a zero limit is not an error:"; cat "$tmp/err"; fail=1; }
printf '[limits]\nfields = 40000\n' >"$tmp/k.ini"
timeout 20 "$bin" --config "$tmp/k.ini" "$tmp/one.http" >/dev/null 2>"$tmp/err"
grep -qF "k.ini:2: limit fields: '40000' is too large" "$tmp/err" ||
    { echo "FAIL: fields past 32767 is not an error:"; cat "$tmp/err"; fail=1; }
exit $fail
