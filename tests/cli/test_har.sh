#!/usr/bin/env bash
# The resplint program on HAR input: detection by content, JSON findings with entry and pointer,
# --host/--url filters, JSON that is not a HAR and truncated HARs (exit 2 with line and column).
# Usage: test_har.sh RESPLINT SOURCE_DIR CORPUS_DIR
set -u
bin=$1 src=$2 corpus=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { timeout 20 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; head -c 200000 "$tmp/out" >"$tmp/o"; }

chrome=$corpus/har/mitmproxy__har_files__chrome.har
if [ -f "$chrome" ]; then
  # a name without .har: detection is by content
  cp "$chrome" "$tmp/recording"
  run --format json "$tmp/recording"
  [ "$(cat "$tmp/rc")" = 0 ] || fail "chrome.har: exit $(cat "$tmp/rc")"
  jq -e '.files[0].findings[] | select(.rule == "RL9006" and .entry == 1 and
         .pointer == "/log/entries/1/response/status" and .line == 268 and .column == 21 and
         .url == "https://www.google.com/")' "$tmp/o" >/dev/null || fail "chrome.har: RL9006 with entry/pointer/line/column"
  [ "$(jq '.files[0].responses' "$tmp/o")" = 2 ] || fail "chrome.har: 2 responses"
fi

fx=$src/fixtures/rules/RL4014/bad-h2-connection.har
run --format json "$fx"
[ "$(cat "$tmp/rc")" = 1 ] || fail "RL4014 fixture: exit $(cat "$tmp/rc"), want 1"
jq -e '.files[0].findings[0] | select(.rule == "RL4014" and .pointer == "/log/entries/0/response/headers/3" and .field == 3)' \
  "$tmp/o" >/dev/null || fail "RL4014 fixture: pointer"
run --format json --host 'other.example' "$fx"
[ "$(cat "$tmp/rc")" = 0 ] || fail "--host filtering everything out: exit $(cat "$tmp/rc")"
[ "$(jq '.files[0].findings | length' "$tmp/o")" = 0 ] || fail "--host: findings left"
run --format json --host '*.COM' "$fx"
[ "$(cat "$tmp/rc")" = 1 ] || fail "--host matching: exit $(cat "$tmp/rc")"
run --format json --url 'https://example.com/*' "$fx"
[ "$(cat "$tmp/rc")" = 1 ] || fail "--url matching: exit $(cat "$tmp/rc")"
run --format json --url 'http://*' "$fx"
[ "$(cat "$tmp/rc")" = 0 ] || fail "--url not matching: exit $(cat "$tmp/rc")"

printf '{"name": "package", "version": "1.0.0"}\n' >"$tmp/package.json"
run "$tmp/package.json"
[ "$(cat "$tmp/rc")" = 2 ] || fail "not a HAR: exit $(cat "$tmp/rc"), want 2"
grep -q 'not a HAR' "$tmp/err" || fail "not a HAR: message: $(cat "$tmp/err")"

# in a folder, JSON that is not a HAR is skipped like any other file that is not a capture
mkdir "$tmp/dir" && cp "$tmp/package.json" "$fx" "$tmp/dir/"
run --format json "$tmp/dir"
[ "$(cat "$tmp/rc")" = 1 ] || fail "folder: exit $(cat "$tmp/rc"), want 1 (RL4014, package.json skipped)"

head -c 700 "$fx" >"$tmp/cut.har"
run "$tmp/cut.har"
[ "$(cat "$tmp/rc")" = 2 ] || fail "truncated: exit $(cat "$tmp/rc"), want 2"
grep -Eq 'cut.har:[0-9]+:[0-9]+: the HAR is truncated' "$tmp/err" || fail "truncated: message: $(cat "$tmp/err")"
exit 0
