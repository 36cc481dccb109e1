#!/usr/bin/env bash
# The findings resplint reports on every capture of the corpus are exactly those reviewed by hand
# in tests/corpus/expected-pcap.tsv (file, rule, frame, tcp.stream).
# usage: test_pcap_corpus.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR
# With UPDATE=1 the expected file is rewritten (review the diff before committing it).
set -euo pipefail
bin=$1 src=$2 corpus=$3
. "$src/tests/cli/skip.sh"
need_corpus "$corpus/pcap"
command -v jq >/dev/null || skip "jq missing"
expected="$src/tests/corpus/expected-pcap.tsv"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in "$corpus"/pcap/*; do
  timeout 60 "$bin" --fail-on never --format json "$f" > "$out/one.json" 2>/dev/null || true
  jq -r '.files[] | .path as $p | .findings[] |
    [($p | split("/") | last), .rule, (.frame // 0 | tostring), (.tcp_stream // -1 | tostring)] | @tsv' \
    "$out/one.json"
done | LC_ALL=C sort > "$out/actual.tsv"
if [ "${UPDATE:-0}" = 1 ]; then
  { grep '^#' "$expected" 2>/dev/null || true; cat "$out/actual.tsv"; } > "$out/new" && mv "$out/new" "$expected"
  echo "updated $expected"; exit 0
fi
grep -v '^#' "$expected" | LC_ALL=C sort > "$out/expected.tsv"
if ! diff "$out/expected.tsv" "$out/actual.tsv" > "$out/diff"; then
  echo "FAIL: findings on the corpus changed ('<' expected, '>' now):"
  head -c 20000 "$out/diff"
  exit 1
fi
echo "OK: $(wc -l < "$out/actual.tsv") findings as reviewed"
