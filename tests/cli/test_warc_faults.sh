#!/usr/bin/env bash
# Issue 21: WARC records whose Content-Length is wrong, crafted by tests/warc/make_faults.py. In a
# .warc.gz a record declaring more than its gzip member holds swallowed the records after it (read
# as its block, or lost with a length past the end); it must end with its member (RL9007 at its
# member's offset) and the records after it be linted as usual. In a plain file the same holds
# when a whole record starts inside the declared block and no CRLF CRLF follows that length; a
# block that merely holds WARC-like bytes is left alone. The plain scenarios run from a file and
# from a pipe (look-ahead in the reader's window only): the same records linted, no false RL3010.
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

# run FILE: lints it (every rule on, as in the fixture tests), output in $tmp/out; with
# via=pipe, from standard input (no look-ahead in the file: the reader's window only)
via=file
run() {
    if [ $via = pipe ]; then
        cat "$tmp/w/$1" | timeout 30 "$bin" --no-config --format jsonl "${@:2}" - >"$tmp/out" 2>"$tmp/err"
        rc=${PIPESTATUS[1]}
    else
        timeout 30 "$bin" --no-config --format jsonl "${@:2}" "$tmp/w/$1" >"$tmp/out" 2>"$tmp/err"
        rc=$?
    fi
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
    got=$(cat "$tmp/w/$2" | timeout 30 "$bin" --no-config $([ $via = pipe ] && echo - || echo "$tmp/w/$2") 2>&1 |
        sed -n 's/.* in \([0-9]*\) responses\{0,1\} from .*/\1/p')
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

# A plain file, given as a file (the reader looks ahead in it) and from a pipe (it looks ahead
# only in its 256 KiB window): the same records linted, the same RL9007, no RL3010 blamed on a
# server for bytes of records the block swallowed.
for via in file pipe; do
    f=plain-long-record.warc
    run $f
    short "$f $via" $f 1 "a whole record starts 110 bytes into the block"
    count "$f $via" RL9007 1
    count "$f $via" RL3010 0
    linted "$f $via" $f 2 3 4 5 6 7 8 9 10
    responses "$f $via" $f 10

    # "\r\n\r\nWARC/1.1" inside the body starts no whole record: the block ends at the real
    # next record (153 = the block's 149 bytes and its CRLF CRLF), not at the fake one
    f=plain-long-record-no-resync.warc
    run $f
    short "$f $via" $f 1 "a whole record starts 153 bytes into the block"
    count "$f $via" RL9007 1
    linted "$f $via" $f 2 3

    # correct lengths, a body holding a whole WARC record: no resynchronisation, no RL9007
    f=plain-embedded-record.warc
    run $f
    count "$f $via" RL9007 0
    linted "$f $via" $f 2
    responses "$f $via" $f 2

    # 3.5 GB and 4.5 GB (past the warc-record limit) declared in a short file: the block ends
    # where the next record starts; nothing skipped, no RL9004
    for f in plain-length-past-end.warc plain-length-past-end-4g.warc; do
        run $f
        short "$f $via" $f 1 "the file ends 778 bytes after its header and the record ends after 106"
        count "$f $via" RL9007 1
        count "$f $via" RL3010 0
        count "$f $via" RL9004 0
        linted "$f $via" $f 2 3
        responses "$f $via" $f 3
        [ $rc = 1 ] || { echo "FAIL $f $via: exit $rc"; fail=1; }
    done

    # the last record declares 3.5 GB; the file ends with its CRLF CRLF: the block ends before it
    f=plain-last-record-long.warc
    run $f
    short "$f $via" $f 2 "the file ends 110 bytes after its header and the record ends after 106"
    count "$f $via" RL9007 1
    count "$f $via" RL3010 0
    linted "$f $via" $f 1
done

# a whole-file gzip stream has no gzip member per record to end a block: its window decides, as
# a pipe's does (the records' offsets are those in the decompressed stream, the plain file's)
gzip -c "$tmp/w/plain-length-past-end.warc" >"$tmp/w/whole-stream.warc.gz"
for via in file pipe; do
    run whole-stream.warc.gz
    short "whole-stream gzip $via" plain-length-past-end.warc 1 "the record ends after 106"
    count "whole-stream gzip $via" RL3010 0
    linted "whole-stream gzip $via" plain-length-past-end.warc 2 3
done

# a wrong length whose declared end lies 400 KB on, past a pipe's window, the file going on: from
# a file the declared end shows the length wrong; from a pipe the whole record starting inside
# the block ends it, and the RL9007 says why
f=plain-long-record-far.warc
for via in file pipe; do
    run $f
    count "$f $via" RL9007 1
    count "$f $via" RL3010 0
    linted "$f $via" $f 2 3
    responses "$f $via" $f 4
done
via=file; run $f
short $f $f 1 "but no CRLF CRLF follows that length, and a whole record starts 110 bytes into the block"
via=pipe; run $f
short "$f pipe" $f 1 "read from a pipe, the declared end lies past the 256 KiB the reader can look ahead"

# a length past the end, the next record larger than a pipe's window: a file ends the block at
# it; a pipe cannot check it, ends the block at the record after it, and the RL9007 says that
# records inside the block may have been read as part of it; no RL3010 either way
f=plain-length-past-end-large-next.warc
via=file; run $f
short $f $f 1 "the record ends after 106"
linted $f $f 3
responses $f $f 3
via=pipe; run $f
short "$f pipe" $f 1 "read from a pipe, the records that may start inside the block lie too far from its declared end to be checked"
count "$f pipe" RL3010 0
linted "$f pipe" $f 3

exit $fail
