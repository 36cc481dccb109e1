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
printf 'HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nx' >in/new.http
run() { timeout 30 "$bin" --no-config "$@" >out 2>err; echo $?; }

# baseline: accept today's findings, then fail only on new ones
say "findings before the baseline" "$(run in)" 1
say "--write-baseline (writing a baseline succeeds)" "$(run --write-baseline base.txt in)" 0
say "baseline lines" "$(grep -vc '^#' base.txt)" 1
grep -q ' RL2001 in/old.http$' base.txt || { echo "FAIL: baseline line lacks rule and path"; cat base.txt; fail=1; }
say "--baseline hides accepted findings" "$(run --baseline base.txt in)" 0
grep -q '^0 findings' out || { echo "FAIL: accepted finding still reported"; cat out; fail=1; }
printf 'HTTP/1.1 308 Permanent Redirect\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n' >>in/new.http
say "--baseline reports a new finding" "$(run --baseline base.txt in)" 1
grep -q 'in/new.http:6:2: error RL2001' out || { echo "FAIL: new finding missing"; cat out; fail=1; }
say "the same new finding in sarif" "$(run --baseline base.txt --format sarif in; jq '.runs[0].results | length' out)" "1
1"
printf 'not a fingerprint\n' >bad.txt
say "a bad baseline is a usage error" "$(run --baseline bad.txt in)" 2
grep -q 'bad.txt:1:' err || { echo "FAIL: bad baseline error lacks file:line"; cat err; fail=1; }
say "a missing baseline" "$(run --baseline none.txt in)" 2
# issue 21: a baseline cut short loaded silently as a shorter one; the end line says it is whole
tail -1 base.txt | grep -q '^# end: 1 finding$' || { echo "FAIL: no end line"; tail -2 base.txt; fail=1; }
head -n -1 base.txt >cut.txt
say "a baseline without its end line" "$(run --baseline cut.txt in)" 2
grep -q "cut.txt: no end line" err || { echo "FAIL: cut baseline message"; cat err; fail=1; }
sed 's/^# end: 1 finding/# end: 2 findings/' base.txt >miscount.txt
say "an end line that miscounts" "$(run --baseline miscount.txt in)" 2
# --report X X and --write-baseline X X would overwrite the input before reading it
cp in/old.http same.http
say "--report onto an input" "$(run --report json:same.http same.http)" 2
grep -q "same.http is an input and the output of --report: refusing to overwrite it" err ||
    { echo "FAIL: --report X X message"; cat err; fail=1; }
say "--write-baseline onto an input" "$(run --write-baseline same.http same.http)" 2
cmp -s same.http in/old.http || { echo "FAIL: the input was overwritten"; fail=1; }
# the same for a file found by walking a folder (also through a symbolic link), for every
# output kind; a report from an earlier run lying in the folder is not an input
mkdir -p walked/sub
cp in/old.http walked/sub/in.http
ln -s walked/sub walk-link
for out in json:walked/sub/in.http sarif:walked/sub/in.http; do
    say "--report $out onto a file in a folder" "$(run --report "$out" walked)" 2
    grep -q "^resplint: walked/sub/in.http is an input and the output of --report: refusing" err ||
        { echo "FAIL: --report into a folder message"; cat err; fail=1; }
done
say "--write-baseline onto a file in a folder" "$(run --write-baseline walked/sub/in.http walked)" 2
grep -q "walked/sub/in.http is an input and the output of --write-baseline" err ||
    { echo "FAIL: --write-baseline into a folder message"; cat err; fail=1; }
say "--report onto a file reached by a link" "$(run --report json:walked/sub/in.http walk-link)" 2
say "nothing written on refusal" "$(run --format json --report sarif:walked/sub/in.http walked; cat out)" "2"
cmp -s walked/sub/in.http in/old.http || { echo "FAIL: a walked input was overwritten"; fail=1; }
say "a report written into the folder it checks" "$(run --report json:walked/report.json walked)" 1
say "an earlier report in the folder is no input" "$(run --report json:walked/report.json walked)" 1
rm -rf walked walk-link
# a full disk: the cause is named, and an existing report or baseline is left whole
say "a report to /dev/full" "$(run --report json:/dev/full in)" 2
grep -q "/dev/full: write error: No space left on device" err || { echo "FAIL: /dev/full cause"; cat err; fail=1; }
printf 'previous report\n' >prev.sarif
cp base.txt prev-base.txt
for i in $(seq 400); do cp in/old.http "in/copy$i.http"; done
rc=$( (ulimit -f 8; trap '' XFSZ; timeout 30 "$bin" --no-config --report sarif:prev.sarif --write-baseline prev-base.txt in 2>&1 >/dev/null | cat >err2; echo "${PIPESTATUS[0]}") )
rm -f in/copy*.http
say "a report that does not fit" "$rc" 2
grep -q "prev.sarif: write error: File too large (the file was not changed)" err2 || { echo "FAIL: EFBIG cause"; cat err2; fail=1; }
grep -q "prev-base.txt: write error: File too large" err2 || { echo "FAIL: EFBIG baseline cause"; cat err2; fail=1; }
say "the old report is left whole" "$(cat prev.sarif)" "previous report"
cmp -s base.txt prev-base.txt || { echo "FAIL: the old baseline was changed"; fail=1; }
say "no temporary file left" "$(ls -A | grep -c resplint-)" 0
# JUnit to a pipe and --jobs keep records in a temporary file in $TMPDIR (tmpfile(3) ignored
# it); when that file cannot be written, the message names it, not standard output
mkdir spool
python3 -c 'import sys; sys.stdout.buffer.write(b"HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n" * 30000)' >many.http
rc=$( (ulimit -f 16; trap '' XFSZ; TMPDIR=$PWD/spool timeout 60 "$bin" --no-config --format junit many.http 2>err3 | cat >/dev/null; echo "${PIPESTATUS[0]}") )
say "JUnit on a pipe, temporary file full" "$rc" 2
grep -q "the junit report on standard output is incomplete: the temporary file in $PWD/spool holding the JUnit testcases of many.http could not be written: File too large" err3 ||
    { echo "FAIL: JUnit spool cause"; cat err3; fail=1; }
rc=$( (ulimit -f 64; trap '' XFSZ; TMPDIR=$PWD/spool timeout 60 "$bin" --no-config --jobs 2 --format json many.http in/old.http 2>err3 | cat >/dev/null; echo "${PIPESTATUS[0]}") )
say "--jobs, temporary file full" "$rc" 2
grep -q "many.http: the temporary file in $PWD/spool recording findings for --jobs could not be written: File too large" err3 ||
    { echo "FAIL: --jobs spool cause"; cat err3; fail=1; }
say "the temporary files are gone" "$(ls -A spool | wc -l)" 0
rm -rf spool many.http

# stats
run --stats in >/dev/null
grep -q '^Responses per status code:' out && grep -qE '^  301 +1  Moved Permanently' out &&
    grep -qE '^  RL2001 +2  redirect-missing-location' out ||
    { echo "FAIL: --stats text table"; cat out; fail=1; }
run --stats --format json in >/dev/null
say "--stats json" "$(jq -c '.stats' out)" '{"status":{"200":1,"301":1,"308":1},"rules":{"RL2001":2}}'
run --stats --format jsonl in >/dev/null
say "--stats jsonl" "$(tail -1 out | jq -c '.stats.status')" '{"200":1,"301":1,"308":1}'

# --jobs: the same bytes as one job, for every format, over the corpus (html: the evidence,
# the response heads, is copied with each finding recorded)
for fmt in text json jsonl sarif junit github gitlab html; do
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
# issue 21: --jobs kept every response and finding of an input in memory (186 MB for a 76 MB
# stream); past 4 MiB of records an input's records go to a temporary file, and the report is
# still byte for byte that of one job
python3 -c 'import sys; sys.stdout.buffer.write(b"HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n" * 80000)' >many.http
for j in 1 2; do
    /usr/bin/time -f '%M' -o "rss$j" timeout 120 "$bin" --no-config --jobs "$j" --format jsonl many.http in/old.http many.http >"jobs$j.jsonl" 2>/dev/null
done
cmp -s jobs1.jsonl jobs2.jsonl && say "--jobs 2 spilling = --jobs 1" "$(wc -l <jobs2.jsonl)" 160002 ||
    { echo "FAIL: --jobs 2 with spilled records differs from --jobs 1"; fail=1; }
# one input with --jobs 2 is checked on the main thread as one job checks it (nothing to share
# out; recording it for the replay only cost time): the same bytes, the same exit status
for one in "$src/fixtures/pcap/hosts.pcap" in/old.http; do
    timeout 60 "$bin" --no-config --stats --format json "$one" >one1.json 2>one1.err; e1=$?
    timeout 60 "$bin" --no-config --stats --format json --jobs 2 "$one" >one2.json 2>one2.err; e2=$?
    if [ "$e1" = "$e2" ] && cmp -s one1.json one2.json && cmp -s one1.err one2.err; then
        say "--jobs 2 = --jobs 1 on one input ($(basename "$one"), exit)" "$e2" "$e1"
    else
        echo "FAIL: --jobs 2 differs from --jobs 1 on $one (exits $e1 $e2)"; fail=1
    fi
done
# many small inputs are handed to the workers in batches (up to 64 at once); an input of a batch
# of k keeps 4 MiB / k of records in memory, so a few inputs of 1,500 responses spill inside a
# batch: the report is still byte for byte that of one job
mkdir small
python3 - small <<'PY'
import os, sys
d = sys.argv[1]
ok = b"HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 2\r\n\r\nok"
bad = b"HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n"
for i in range(600):
    body = (bad * 1500) if i % 97 == 5 else (bad if i % 3 == 0 else ok) * (1 + i % 4)
    with open(os.path.join(d, "f%04d.http" % i), "wb") as f:
        f.write(body)
PY
for j in 1 2 3; do
    timeout 120 "$bin" --no-config --stats --jobs "$j" --format jsonl small >"small$j.jsonl" 2>"small$j.err"
    echo $? >>"small$j.jsonl"
done
if cmp -s small1.jsonl small2.jsonl && cmp -s small1.jsonl small3.jsonl && cmp -s small1.err small2.err; then
    say "--jobs 2 and 3 = --jobs 1 on 600 small inputs (lines)" "$(wc -l <small2.jsonl)" "$(wc -l <small1.jsonl)"
else
    echo "FAIL: --jobs 2 or 3 differs from --jobs 1 on 600 small inputs"; diff small1.jsonl small2.jsonl | head -5; fail=1
fi
rss=$(tail -1 rss2)
if grep -q __asan_init "$bin"; then
    echo "note: sanitizer build: peak RSS ($rss KiB) not compared (ASan's allocator keeps what is freed)"
elif [ "$rss" -lt 60000 ]; then echo "ok   --jobs 2 peak RSS $rss KiB"; else echo "FAIL --jobs 2 peak RSS $rss KiB"; fail=1; fi

exit $fail
