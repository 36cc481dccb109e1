#!/usr/bin/env bash
# The crafted captures (tests/pcap/make_pcaps.py) give exactly the responses and findings
# recorded in fixtures/pcap/expected.tsv: "response FILE tcp.stream frame status" and
# "finding FILE rule frame tcp.stream". The RL9002/RL9003 rule fixtures are pcaps too: bad*
# raise their rule, good* raise nothing with every rule on. --host on a capture.
# usage: test_pcap_fixtures.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR   (UPDATE=1 rewrites)
set -euo pipefail
bin=$1 src=$2
. "$src/tests/cli/skip.sh"
command -v jq >/dev/null || skip "jq missing"
expected="$src/fixtures/pcap/expected.tsv"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# every rule but RL5009 heuristic-freshness (advice every 200 without a lifetime deserves)
all_rules=$("$bin" --list-rules | awk '{print $1}' | grep '^RL' | grep -v '^RL5009$' | sed 's/^/--enable /' | tr '\n' ' ')
for f in "$src"/fixtures/pcap/*.pcap*; do
  name=$(basename "$f")
  timeout 20 "$bin" --list-responses "$f" | sed "s/^/response\t$name\t/"
  timeout 20 "$bin" --fail-on never --format json "$f" | jq -r --arg n "$name" \
    '.files[].findings[] | ["finding", $n, .rule, (.frame // 0 | tostring), (.tcp_stream // -1 | tostring)] | @tsv'
done > "$out/actual.tsv"
if [ "${UPDATE:-0}" = 1 ]; then
  { grep '^#' "$expected" 2>/dev/null || true; cat "$out/actual.tsv"; } > "$out/new" && mv "$out/new" "$expected"
  echo "updated $expected"; exit 0
fi
fail=0
if ! diff <(grep -v '^#' "$expected") "$out/actual.tsv"; then
  echo "FAIL: fixtures/pcap results changed ('<' expected, '>' now)"; fail=1
fi
for f in "$src"/fixtures/rules/RL900[23]/*.pcap "$src"/fixtures/rules/RL9010/*.pcap; do
  rule=$(basename "$(dirname "$f")")
  # shellcheck disable=SC2086
  got=$(timeout 20 "$bin" --fail-on never $all_rules --format json "$f" | jq -r '.files[].findings[].rule' | sort | uniq | tr '\n' ' ')
  case "$(basename "$f")" in
    bad*) [[ " $got" == *" $rule "* ]] || { echo "FAIL: $f does not raise $rule (got: $got)"; fail=1; } ;;
    good*) [ -z "$got" ] || { echo "FAIL: $f raises $got"; fail=1; } ;;
  esac
done
# --host: the host the first request captured on a connection names (hosts.pcap: 201 answers
# a.example.test, 202 b.example.test:8080, 203 an absolute-form request for c.example.test sent
# to proxy.test, 226 a connection whose capture begins inside a request).
host_case() {
  local want=$1 got
  shift
  got=$(timeout 20 "$bin" --list-responses "$@" "$src/fixtures/pcap/hosts.pcap" | awk '{print $3}' | tr '\n' ' ')
  [ "$got" = "$want" ] || { echo "FAIL: $* on hosts.pcap gives '$got', not '$want'"; fail=1; }
}
host_case "201 202 203 226 "
host_case "201 " --host a.example.test
host_case "202 " --host b.example.test
host_case "202 " --host 'B.EXAMPLE.TEST:80*'
host_case "203 " --host c.example.test
host_case "" --host proxy.test
host_case "201 202 203 " --host '*.example.test'
[ $fail = 0 ] && echo "OK"
exit $fail
