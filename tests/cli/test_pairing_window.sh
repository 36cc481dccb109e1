#!/usr/bin/env bash
# Issue 21: pairing past the pending-request window. A pcap client that runs further ahead of its
# server than the window, and --request with more requests than it holds, must read the
# responses to the requests that did not fit without context, say so in ONE RL9004 per connection
# or input, and pair every other response with its own request: no wrong pairing, no false
# RL3010. The captures come from tests/pcap/make_pipeline_window.py.
# Usage: test_pairing_window.sh RESPLINT_BINARY SOURCE_DIR
set -u
bin=$1 src=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/cli/skip.sh"
command -v python3 >/dev/null || skip "python3 is needed to write the captures"
command -v jq >/dev/null || skip "jq is needed to read the reports"
python3 "$src/tests/pcap/make_pipeline_window.py" "$tmp" || { echo "FAIL: make_pipeline_window.py"; exit 1; }

ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; sed 's/^/    /' "$tmp/out" | cut -c1-300 | head -20; fail=1; }
rules() { jq -r -s --arg r "$1" '[.[] | select(.rule == $r)] | length' "$tmp/out"; }

# window.pcap with a window of 4: the two HEADs past it are dropped, then the window refills
printf '[limits]\npending-requests = 4\n' >"$tmp/four.ini"
timeout 30 "$bin" --config "$tmp/four.ini" --format jsonl "$tmp/window.pcap" >"$tmp/out" 2>&1
[ "$(rules RL9004)" = 1 ] && ok "window: one RL9004" || bad "window: $(rules RL9004) RL9004, want 1"
jq -e -s 'any(.[]; .rule == "RL9004" and (.message | contains("more than 4 requests")))' "$tmp/out" >/dev/null &&
    ok "window: the RL9004 names the limit" || bad "window: RL9004 message"
# the HEAD answer after the window refilled is paired with its HEAD: its body is the server's
# fault (RL2015 head-response-has-body, the one true error); before, pairing stopped for good and
# the fault went unseen
jq -e -s '[.[] | select(.rule == "RL2015")] | length == 1 and .[0].response == 7' "$tmp/out" >/dev/null &&
    ok "window: one RL2015, at the 8th response (its own HEAD)" || bad "window: RL2015 not exactly at response 7"
[ "$(jq -s '[.[] | select(.severity == "error" and .rule != "RL2015")] | length' "$tmp/out")" = 0 ] &&
    ok "window: no other error" || bad "window: other errors"
n=$(timeout 30 "$bin" --config "$tmp/four.ini" "$tmp/window.pcap" 2>&1 | sed -n 's/.* in \([0-9]*\) responses .*/\1/p')
[ "$n" = 8 ] && ok "window: 8 responses" || bad "window: $n responses, want 8"

# far-ahead.pcap with the default window (65,536): 70,000 requests ahead, alternating HEAD/GET
timeout 120 "$bin" --no-config --format jsonl "$tmp/far-ahead.pcap" >"$tmp/out" 2>&1
[ "$(rules RL3010)" = 0 ] && ok "far ahead: no RL3010" || bad "far ahead: $(rules RL3010) RL3010"
[ "$(rules RL9004)" = 1 ] && ok "far ahead: one RL9004" || bad "far ahead: $(rules RL9004) RL9004, want 1"
n=$(timeout 120 "$bin" --no-config "$tmp/far-ahead.pcap" 2>&1 | sed -n 's/.* in \([0-9]*\) responses .*/\1/p')
[ "$n" = 70000 ] && ok "far ahead: 70000 responses" || bad "far ahead: $n responses, want 70000"

# the same window in bytes: 2 KiB hold a handful of requests
printf '[limits]\npending-request-bytes = 2048\n' >"$tmp/bytes.ini"
timeout 30 "$bin" --config "$tmp/bytes.ini" --format jsonl "$tmp/far-ahead.pcap" >"$tmp/out" 2>&1
[ "$(rules RL3010)" = 0 ] && [ "$(rules RL9004)" = 1 ] &&
    ok "far ahead, pending-request-bytes = 2048: one RL9004, no RL3010" ||
    bad "far ahead, pending-request-bytes = 2048: $(rules RL9004) RL9004, $(rules RL3010) RL3010"

# --request: the responses of a raw stream to 6 requests, 4 of them kept
for m in GET GET GET GET HEAD HEAD; do printf '%s / HTTP/1.1\r\nHost: x\r\n\r\n' $m; done >"$tmp/req.bin"
{
    for i in 1 2 3 4; do printf 'HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello'; done
    for i in 1 2; do printf 'HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n'; done
} >"$tmp/resp.http"
timeout 30 "$bin" --config "$tmp/four.ini" --format jsonl --request "$tmp/req.bin" "$tmp/resp.http" >"$tmp/out" 2>&1
[ "$(rules RL9004)" = 1 ] && [ "$(rules RL3010)" = 0 ] && [ "$(jq -s '[.[] | select(.severity == "error")] | length' "$tmp/out")" = 0 ] &&
    jq -e -s 'any(.[]; .rule == "RL9004" and (.message | contains("holds 6 requests")) and (.message | contains("the 2 requests past the first 4")))' "$tmp/out" >/dev/null &&
    ok "--request past the window: one RL9004, no error" || bad "--request past the window"

exit $fail
