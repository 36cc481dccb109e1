# Adoption features of the CLI: --write-baseline / --baseline (only new findings count),
# --stats (text table and json), --jobs N (reports byte for byte the same as one job), and
# no progress output when stderr is not a terminal.
set -u
bin=$1 src=$2 corpus=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: got '$2', want '$3'"; fail=1; fi; }
cd "$tmp" || exit 2
mkdir in
printf 'HTTP/1.1 301 Moved Permanently\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n' >in/old.http
printf 'HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 1\r\n\r\nx' >in/new.http
run() { timeout 30 "$bin" --no-config "$@" >out 2>err; echo $?; }

# baseline: accept today's findings, then fail only on new ones
say "findings before the baseline" "$(run in)" 1
say "--write-baseline" "$(run --write-baseline base.txt in)" 1
say "baseline lines" "$(grep -vc '^#' base.txt)" 1
grep -q ' RL2001 in/old.http$' base.txt || { echo "FAIL: baseline line lacks rule and path"; cat base.txt; fail=1; }
say "--baseline hides accepted findings" "$(run --baseline base.txt in)" 0
grep -q '^0 findings' out || { echo "FAIL: accepted finding still reported"; cat out; fail=1; }
printf 'HTTP/1.1 308 Permanent Redirect\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n' >>in/new.http
say "--baseline reports a new finding" "$(run --baseline base.txt in)" 1
grep -q 'in/new.http:5:2: error RL2001' out || { echo "FAIL: new finding missing"; cat out; fail=1; }
say "the same new finding in sarif" "$(run --baseline base.txt --format sarif in; jq '.runs[0].results | length' out)" "1
1"
printf 'not a fingerprint\n' >bad.txt
say "a bad baseline is a usage error" "$(run --baseline bad.txt in)" 2
grep -q 'bad.txt:1:' err || { echo "FAIL: bad baseline error lacks file:line"; cat err; fail=1; }
say "a missing baseline" "$(run --baseline none.txt in)" 2

# stats
run --stats in >/dev/null
grep -q '^Responses per status code:' out && grep -qE '^  301 +1  Moved Permanently' out &&
    grep -qE '^  RL2001 +2  redirect-missing-location' out ||
    { echo "FAIL: --stats text table"; cat out; fail=1; }
run --stats --format json in >/dev/null
say "--stats json" "$(jq -c '.stats' out)" '{"status":{"200":1,"301":1,"308":1},"rules":{"RL2001":2}}'
run --stats --format jsonl in >/dev/null
say "--stats jsonl" "$(tail -1 out | jq -c '.stats.status')" '{"200":1,"301":1,"308":1}'

# --jobs: the same bytes as one job, for every format, over the corpus
for fmt in text json jsonl sarif junit github gitlab; do
    timeout 120 "$bin" --no-config --stats --format "$fmt" "$corpus" "$src/tests/golden/input" \
        "$tmp/missing.http" >one.$fmt 2>one.err
    r1=$?
    timeout 120 "$bin" --no-config --stats --jobs 4 --format "$fmt" "$corpus" \
        "$src/tests/golden/input" "$tmp/missing.http" >four.$fmt 2>four.err
    r4=$?
    if [ "$r1" = "$r4" ] && cmp -s one.$fmt four.$fmt && cmp -s one.err four.err; then
        echo "ok   --jobs 4 = --jobs 1 ($fmt, $(wc -c <one.$fmt) bytes, exit $r1)"
    else
        echo "FAIL --jobs 4 differs from one job ($fmt; exits $r1 $r4)"; diff one.$fmt four.$fmt | head -5
        diff one.err four.err | head -5; fail=1
    fi
done
say "--jobs 0 is a usage error" "$(run --jobs 0 in)" 2
say "--jobs x is a usage error" "$(run --jobs x in)" 2

# progress never goes to a stderr that is not a terminal
run --jobs 2 "$corpus" >/dev/null
if grep -q $'\r' err; then echo "FAIL: progress written to a non-terminal stderr"; fail=1; else echo "ok   no progress on a pipe"; fi
exit $fail
