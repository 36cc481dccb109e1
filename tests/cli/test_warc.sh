#!/usr/bin/env bash
# WARC input through the CLI: exit codes, findings located by record offset and target URI, a
# gzip'd file that is not a WARC, and the Hadoop/Spark mapper script over the corpus.
# Usage: test_warc.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR
set -u
bin=$1 src=$2 corpus=$3/warc
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }

. "$src/tests/cli/skip.sh"
need_corpus "$corpus"

timeout 20 "$bin" "$corpus/warcio__example.warc.gz" >"$tmp/ex.txt" 2>&1
check "example.warc.gz: exit 0 (no errors)" '[ $? -eq 0 ]'
check "example.warc.gz: 2 responses" 'grep -q "in 2 responses from 1 input" "$tmp/ex.txt"'

timeout 20 "$bin" "$corpus/warcio__example-trunc.warc" >"$tmp/trunc.txt" 2>&1
check "trunc: exit 1 (an error finding)" '[ $? -eq 1 ]'
check "trunc: located by record offset, block offset and URI" \
  'grep -q "warcio__example-trunc.warc:record at 1197, block offset 973 (http://example.com/): error RL9007 warc-record-invalid" "$tmp/trunc.txt"'

timeout 20 "$bin" --format json "$corpus/pywb__dupes.warc.gz" >"$tmp/dupes.json" 2>&1
check "dupes: json exit 0" '[ $? -eq 0 ]'
check "dupes: record_offset, url and record_id in json" \
  'grep -q "\"url\":\"http://www.iana.org/\",\"record_offset\":2678,\"record_id\":\"<urn:uuid:a5d5169c-e095-419d-beeb-4d857712b5a2>\"" "$tmp/dupes.json"'

printf 'not a warc at all\n' | gzip -c >"$tmp/notwarc.gz"
timeout 20 "$bin" "$tmp/notwarc.gz" >"$tmp/nw.txt" 2>&1
check "gzip that is not a WARC: exit 2" '[ $? -eq 2 ]'
check "gzip that is not a WARC: clear message" 'grep -q "gzip-compressed, but not a WARC file" "$tmp/nw.txt"'

timeout 20 "$bin" "$corpus" >"$tmp/all.txt" 2>&1
check "the whole corpus folder: exit 1" '[ $? -eq 1 ]'
check "the whole corpus folder: 24 responses from 9 inputs" 'grep -q "in 24 responses from 9 inputs" "$tmp/all.txt"'

# The mapper of docs/warc.md, with cat standing in for "hadoop fs -cat".
(cd "$tmp" && ls "$corpus"/* | FETCH=cat RESPLINT="$bin" \
  timeout 60 sh "$src/scripts/warc-mapper.sh" >"$tmp/map.out" 2>"$tmp/map.err")
check "mapper: exit 0" '[ $? -eq 0 ]'
check "mapper: 9 WARCs counted" '[ "$(grep -c "reporter:counter:resplint,warcs,1" "$tmp/map.err")" -eq 9 ]'
check "mapper: findings name the WARC file" 'grep -q "warcio__example-trunc.warc" "$tmp/map.out"'
check "mapper: one JSON object per line" 'jq -e . "$tmp/map.out" >/dev/null && [ "$(jq -s length "$tmp/map.out")" -eq "$(wc -l <"$tmp/map.out")" ]'

exit $fail
