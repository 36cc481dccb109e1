#!/usr/bin/env bash
# Issue 21: WARC records whose Content-Length is wrong, crafted by tests/warc/make_faults.py. In a
# .warc.gz a record declaring more than its gzip member holds swallowed the records after it (read
# as its block, or lost with a length past the end); it must end with its member (RL9007 at its
# member's offset) and the records after it be linted as usual. In a plain file the same holds
# when a whole record starts inside the declared block and no CRLF CRLF follows that length; a
# block that merely holds WARC-like bytes is left alone.
# Usage: test_warc_faults.sh RESPLINT_BINARY SOURCE_DIR
set -u
bin=$1 src=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/cli/skip.sh"
command -v python3 >/dev/null || skip "python3 is needed to write the crafted files"
python3 "$src/tests/warc/make_faults.py" "$tmp/w" || { echo "FAIL: make_faults.py"; exit 1; }

# offset FILE N: the file offset of record N (0-based), from offsets.tsv
offset() { awk -v f="$1" -v n="$2" -F'\t' '$1 == f { split($2, o, " "); print o[n + 1] }' "$tmp/w/offsets.tsv"; }

# run FILE: lints it (every rule on, as in the fixture tests), output in $tmp/out
run() {
    timeout 30 "$bin" --no-config --format jsonl "${@:2}" "$tmp/w/$1" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
# has NAME JQ-FILTER: some finding satisfies the filter
has() {
    if ! jq -e -s "any(.[]; $2)" "$tmp/out" >/dev/null; then
        echo "FAIL $1: no finding with $2"; sed 's/^/    /' "$tmp/out" | cut -c1-300; fail=1
    fi
}
# count NAME RULE WANT
count() {
    local got
    got=$(jq -s --arg r "$2" '[.[] | select(.rule == $r)] | length' "$tmp/out")
    if [ "$got" != "$3" ]; then
        echo "FAIL $1: $got $2, want $3"; sed 's/^/    /' "$tmp/out" | cut -c1-300; fail=1
    fi
}
# responses NAME WANT: the summary's response count (text format)
responses() {
    local got
    got=$(timeout 30 "$bin" --no-config "$tmp/w/$2" 2>&1 | sed -n 's/.* in \([0-9]*\) responses\{0,1\} from .*/\1/p')
    if [ "$got" != "$3" ]; then echo "FAIL $1: $got responses, want $3"; fail=1; fi
}
# linted NAME FILE RECORD...: each record got its RL2001 at its own offset (not inside another)
linted() {
    local name=$1 file=$2
    shift 2
    for n in "$@"; do
        has "$name (record $n linted)" ".rule == \"RL2001\" and .record_offset == $(offset "$file" "$n") and .offset == 0"
    done
}
# short NAME FILE RECORD WHY: the one RL9007 says the record was cut where it really ends
short() {
    has "$1 (RL9007 at record $3)" ".rule == \"RL9007\" and .record_offset == $(offset "$2" "$3") and (.message | contains(\"$4\"))"
}

for f in gz-long-record.warc.gz gz-length-past-end.warc.gz; do
    run $f
    short "$f" $f 1 "its gzip member holds 106 (the next member starts a record there)"
    count "$f" RL9007 1
    linted "$f" $f 2 3
    count "$f" RL3010 0
    count "$f" RL9004 0 # 5 GB declared, over the warc-record limit: the member says otherwise
    responses "$f" $f 3
    [ $rc = 1 ] || { echo "FAIL $f: exit $rc"; fail=1; }
done

f=gz-last-record-long.warc.gz
run $f
short $f $f 2 "the file's last member ends there"
count $f RL9007 1
count $f RL3010 0
linted $f $f 1
responses $f $f 2

f=gz-request-long.warc.gz
run $f
short $f $f 1 "its gzip member holds 37"
count $f RL9007 1
linted $f $f 2 3

f=gz-warcinfo-long.warc.gz
run $f
short $f $f 0 "its gzip member holds 76"
count $f RL9007 1
linted $f $f 1 2

# a 3 MiB response (streamed, not held) declaring 4 KiB more than its member
f=gz-large-record-long.warc.gz
run $f
short $f $f 1 "its gzip member holds 3145835"
count $f RL9007 1
count $f RL3010 0
linted $f $f 2
responses $f $f 2

# one record over two members: the second does not start a record, so it continues the block
f=gz-record-over-two-members.warc.gz
run $f
count $f RL9007 0
linted $f $f 2
responses $f $f 2

# a right length without its trailer, the block ending in CRLF CRLF, the next record right
# after: the trailer's RL9007 only, no cut
for f in gz-request-no-trailer.warc.gz plain-request-no-trailer.warc; do
    run $f
    count $f RL9007 1
    has "$f (trailer)" '.rule == "RL9007" and (.message | contains("not followed by CRLF CRLF"))'
    linted $f $f 2 3
done

# the same from a pipe: the members are there too
cat "$tmp/w/gz-long-record.warc.gz" | timeout 30 "$bin" --no-config --format jsonl - >"$tmp/out" 2>&1
count "gz from a pipe" RL9007 1
count "gz from a pipe" RL2001 2
count "gz from a pipe" RL3010 0

f=plain-long-record.warc
run $f
short $f $f 1 "a whole record starts 110 bytes into the block"
count $f RL9007 1
count $f RL3010 0
linted $f $f 2 3 4 5 6 7 8 9 10
responses $f $f 10

# "\r\n\r\nWARC/1.1" inside the body starts no whole record: the block ends at the real next
# record (153 = the block's 149 bytes and its CRLF CRLF), not at the fake one
f=plain-long-record-no-resync.warc
run $f
short $f $f 1 "a whole record starts 153 bytes into the block"
count $f RL9007 1
linted $f $f 2 3

# correct lengths, a body holding a whole WARC record: no resynchronisation, no RL9007
f=plain-embedded-record.warc
run $f
count $f RL9007 0
linted $f $f 2
responses $f $f 2

# from a pipe a plain file cannot be read ahead: the RL9007 says what that costs
cat "$tmp/w/plain-long-record.warc" | timeout 30 "$bin" --no-config --format jsonl - >"$tmp/out" 2>&1
has "plain from a pipe" '.rule == "RL9007" and (.message | contains("read from a pipe, records that start inside the declared block are read as part of it"))'

exit $fail
