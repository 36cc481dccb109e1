#!/usr/bin/env bash
# The browser as oracle: Debian's Chromium (headless, driven by playwright-core from npm, installed
# into the build tree) loads the Set-Cookie and CORS cases of tests/browser/cases.json from a
# local server on 127.0.0.1 and records a HAR; resplint lints that HAR, and
# tests/browser/compare.py requires that the responses resplint flags "browsers ignore this
# cookie" are exactly those whose cookie Chromium did not store, and that the CORS findings
# match the fetches that failed. Reports SKIP (77) without Chromium or node, fails without npm.
set -u
bin=$1 src=$2
command -v python3 >/dev/null || { echo "FAIL: python3 not found"; exit 1; }
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
# playwright-core into the build tree; 77 (skip) without chromium or node, 1 without npm
. "$src/tests/browser/chromium.sh"
browser_setup "$bin" "$src" "$tmp"
rc=$?
[ "$rc" -eq 0 ] || exit "$rc"
tools=$browser_tools

cases=$src/tests/browser/cases.json
python3 "$src/tests/browser/server.py" "$cases" >"$tmp/port" &
server=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(head -1 "$tmp/port")
[ -n "$port" ] || { echo "FAIL: the local server did not start"; exit 1; }

hosts=${RESPLINT_ORACLE_HOSTS:-127.0.0.1,cookie.test}
if ! NODE_PATH=$tools/node_modules timeout 240 node "$src/tests/browser/oracle.js" "$cases" "$port" \
    "$hosts" "$tmp/oracle.har" "$tmp/observed.json" >"$tmp/node.log" 2>&1; then
    echo "FAIL: driving Chromium failed:"; tail -30 "$tmp/node.log"; exit 1
fi
"$bin" --no-config --format jsonl "$tmp/oracle.har" >"$tmp/findings.jsonl" 2>"$tmp/resplint.err"
rc=$?
if [ "$rc" -gt 1 ]; then echo "FAIL: resplint exited $rc:"; cat "$tmp/resplint.err"; exit 1; fi
python3 "$src/tests/browser/compare.py" "$cases" "$tmp/observed.json" "$tmp/findings.jsonl" || {
    echo "(HAR and findings in $tmp, kept)"; trap - EXIT; kill "$server"; exit 1; }
