#!/usr/bin/env bash
# The browser as oracle: Debian's Chromium (headless, driven by playwright-core from npm, installed
# into the build tree) loads the Set-Cookie and CORS cases of tests/browser/cases.json from a
# local server on 127.0.0.1 and records a HAR; resplint lints that HAR, and
# tests/browser/compare.py requires that the responses resplint flags "browsers ignore this
# cookie" are exactly those whose cookie Chromium did not store, and that the CORS findings
# match the fetches that failed. Fails (never passes) when Chromium, node or npm is missing.
set -u
bin=$1 src=$2
chromium=/usr/bin/chromium
[ -x "$chromium" ] || { echo "FAIL: $chromium not found (scripts/bootstrap installs chromium)"; exit 1; }
command -v node >/dev/null || { echo "FAIL: node not found (Debian nodejs)"; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 not found"; exit 1; }

tools=$(cd "$(dirname "$bin")" && pwd)/npm-browser
mkdir -p "$tools"
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
(
    flock 9
    if [ ! -f "$tools/node_modules/playwright-core/package.json" ]; then
        command -v npm >/dev/null || { echo "FAIL: npm not found (Debian npm)"; exit 1; }
        echo "installing playwright-core into $tools"
        if ! timeout 300 npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
            playwright-core@1.65 >"$tmp/npm.log" 2>&1; then
            echo "FAIL: npm install playwright-core failed (is the npm registry reachable?):"
            tail -20 "$tmp/npm.log"
            exit 1
        fi
    fi
) 9>"$tools/.install.lock" || exit 1

cases=$src/tests/browser/cases.json
python3 "$src/tests/browser/server.py" "$cases" >"$tmp/port" &
server=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(head -1 "$tmp/port")
[ -n "$port" ] || { echo "FAIL: the local server did not start"; exit 1; }

hosts=${RESPLINT_ORACLE_HOSTS:-127.0.0.1}
if ! NODE_PATH=$tools/node_modules timeout 240 node "$src/tests/browser/oracle.js" "$cases" "$port" \
    "$hosts" "$tmp/oracle.har" "$tmp/observed.json" >"$tmp/node.log" 2>&1; then
    echo "FAIL: driving Chromium failed:"; tail -30 "$tmp/node.log"; exit 1
fi
"$bin" --no-config --format jsonl "$tmp/oracle.har" >"$tmp/findings.jsonl" 2>"$tmp/resplint.err"
rc=$?
if [ "$rc" -gt 1 ]; then echo "FAIL: resplint exited $rc:"; cat "$tmp/resplint.err"; exit 1; fi
python3 "$src/tests/browser/compare.py" "$cases" "$tmp/observed.json" "$tmp/findings.jsonl" || {
    echo "(HAR and findings in $tmp, kept)"; trap - EXIT; kill "$server"; exit 1; }
