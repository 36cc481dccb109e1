#!/usr/bin/env bash
# Every raw stream of ../shared/corpus/raw (with its client stream as request context when
# there is one) against tests/corpus/expected-raw.tsv: responses and findings per rule, each
# reviewed by hand against the RFC. A new false positive or a lost finding fails.
# RESPLINT_UPDATE_EXPECTED=1 rewrites the table (keeping its comment lines) after a review.
set -u
bin="$1" src="$2" corpus="$3"
expected="$src/tests/corpus/expected-raw.tsv"
if [ ! -d "$corpus/raw" ]; then
  echo "test_corpus_raw: $corpus/raw not found" >&2
  exit 1
fi
got="$(mktemp)"
trap 'rm -f "$got"' EXIT
for f in "$corpus"/raw/*.response.bin; do
  name="$(basename "$f" .response.bin)"
  req=()
  [ -f "$corpus/raw/$name.request.bin" ] && req=(--request "$corpus/raw/$name.request.bin")
  out="$(timeout 60 "$bin" --no-config --format json "${req[@]}" "$f" 2>/dev/null)"
  rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "FAIL: $name: exit $rc" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\n' "$name" \
    "$(jq -r '.files[0].responses' <<<"$out")" \
    "$(jq -r '[.files[0].findings[].rule] | group_by(.) | map("\(.[0]):\(length)") | join(" ") | if . == "" then "-" else . end' <<<"$out")" >>"$got"
done
if [ "${RESPLINT_UPDATE_EXPECTED:-}" = 1 ]; then
  { grep '^#' "$expected" 2>/dev/null; cat "$got"; } >"$expected.new" && mv "$expected.new" "$expected"
  echo "test_corpus_raw: rewrote $expected"
  exit 0
fi
if ! diff -u <(grep -v '^#' "$expected") "$got"; then
  echo "FAIL: raw corpus findings differ from tests/corpus/expected-raw.tsv (review, then RESPLINT_UPDATE_EXPECTED=1)" >&2
  exit 1
fi
echo "test_corpus_raw: $(wc -l <"$got") streams as reviewed"
