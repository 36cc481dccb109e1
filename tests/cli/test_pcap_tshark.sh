#!/usr/bin/env bash
# The responses resplint finds in every capture of the corpus match tshark's, except the
# differences explained in tests/corpus/tshark-differences.tsv; so do our crafted captures.
# usage: test_pcap_tshark.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR
set -euo pipefail
bin=$1 src=$2 corpus=$3
. "$src/tests/cli/skip.sh"
command -v tshark >/dev/null && command -v python3 >/dev/null || skip "tshark or python3 missing"
need_corpus "$corpus/pcap"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
timeout 900 python3 "$src/tests/corpus/compare_tshark.py" "$bin" "$corpus"/pcap/* \
  "$src"/fixtures/pcap/*.pcap* "$src"/fixtures/rules/RL900[23]/*.pcap > "$out/actual.tsv"
grep -v '^#' "$src/tests/corpus/tshark-differences.tsv" | cut -f1-5 | sort > "$out/expected.tsv"
sort "$out/actual.tsv" > "$out/actual.sorted"
if ! diff "$out/expected.tsv" "$out/actual.sorted" > "$out/diff"; then
  echo "FAIL: differences with tshark changed ('<' listed but gone, '>' new and unexplained):"
  head -c 20000 "$out/diff"
  exit 1
fi
n=$(wc -l < "$out/actual.sorted")
echo "OK: $(ls "$corpus"/pcap | wc -l) captures, $n explained differences with tshark"
