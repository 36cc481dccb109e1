#!/usr/bin/env bash
# The resplint program: exit codes, text and json output, rule selection, --list-rules,
# --explain, stdin, folders, the issue's done-when cases, and the raw corpus without a crash.
# Usage: test_cli.sh RESPLINT_BINARY SOURCE_DIR [CORPUS_DIR]
set -u
bin=$1 src=$2 corpus=${3:-}
fx=$src/fixtures/rules
fails=0 checks=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# run [ARGS...]: runs the binary (bounded time and output), sets $rc, $out, $err
run() {
  timeout 20 "$bin" "$@" > "$tmp/out" 2> "$tmp/err" < "${STDIN:-/dev/null}"
  rc=$?
  out=$(head -c 200000 "$tmp/out")
  err=$(head -c 20000 "$tmp/err")
}

# expect_rc WANT DESCRIPTION
expect_rc() {
  checks=$((checks + 1))
  if [ "$rc" -ne "$1" ]; then
    fail "$2: exit $rc, expected $1"
    printf '  stdout: %s\n  stderr: %s\n' "$(printf '%s' "$out" | head -c 600)" "$(printf '%s' "$err" | head -c 600)" >&2
  fi
}

has() { # has STRING DESCRIPTION: stdout contains STRING
  checks=$((checks + 1))
  case "$out" in *"$1"*) ;; *) fail "$2: output lacks '$1'"; printf '  stdout: %s\n' "$(printf '%s' "$out" | head -c 600)" >&2 ;; esac
}

lacks() {
  checks=$((checks + 1))
  case "$out" in *"$1"*) fail "$2: output has '$1'" ;; esac
}

# rules JSON: the sorted rule ids of all findings in $out, one line
json_rules() { printf '%s' "$out" | jq -r '[.files[].findings[].rule] | sort | join(" ")'; }

good=$fx/RL2001/good-301.http
bad=$fx/RL2001/bad-301.http
warn_only=$fx/RL2002/bad-302.http
info_only=$fx/RL3009/bad.http

# ---- exit codes ----
run "$good"; expect_rc 0 "clean file"
has "0 findings" "clean file summary"
run "$bad"; expect_rc 1 "error finding"
if ! printf '%s\n' "$out" | grep -Eq '^[^ ]+:[0-9]+: error RL2001 redirect-missing-location: '; then
  fail "text line is not 'path:offset: severity RLnnnn name: message'"; printf '%s\n' "$out" | head -3 >&2
fi
has "1 finding" "summary line"
run "$fx/RL9001/bad-garbage.http"; expect_rc 1 "unparseable response"
has "RL9001" "unparseable response named"
run "$warn_only"; expect_rc 0 "warning below the default --fail-on error"
has "RL2002" "warning still reported"
run --fail-on warning "$warn_only"; expect_rc 1 "--fail-on warning"
run --fail-on warning "$info_only"; expect_rc 0 "info below --fail-on warning"
run --fail-on info "$info_only"; expect_rc 1 "--fail-on info"
run --fail-on never "$bad"; expect_rc 0 "--fail-on never"
has "RL2001" "--fail-on never still reports"

# usage errors
run; expect_rc 2 "no input"
run --no-such-option "$good"; expect_rc 2 "unknown option"
run --fail-on sometimes "$good"; expect_rc 2 "bad --fail-on"
run --format yaml "$good"; expect_rc 2 "unknown format"
run --enable no-such-rule "$good"; expect_rc 2 "--enable unknown rule"
run --disable RL0000 "$good"; expect_rc 2 "--disable unknown rule"
run --rule RL2001 "$good"; expect_rc 2 "--rule without ="
run --rule RL2001=loud "$good"; expect_rc 2 "--rule bad severity"
run --rule nope=off "$good"; expect_rc 2 "--rule unknown rule"
run --explain no-such-rule; expect_rc 2 "--explain unknown rule"

# a missing file is exit 2, and the other files are still checked
run "$tmp/missing.http" "$bad" "$good"; expect_rc 2 "missing file among others"
has "RL2001" "the file after a missing one is still linted"
case "$err" in *missing.http*) ;; *) fail "stderr does not name the missing file: $err" ;; esac
run --format json "$tmp/missing.http" "$bad"; expect_rc 2 "missing file, json"
printf '%s' "$out" | jq -e . > /dev/null 2>&1 || fail "json with a missing file is not valid JSON"

# ---- json ----
run --format json "$bad" "$good" "$fx/RL2010/bad-204.http"; expect_rc 1 "json run"
if printf '%s' "$out" | jq -e . > /dev/null 2>&1; then
  [ "$(printf '%s' "$out" | jq '.files | length')" = 3 ] || fail "json: 3 files expected"
  [ "$(printf '%s' "$out" | jq -r '.files[0].findings[0].rule')" = RL2001 ] || fail "json: rule id"
  [ "$(printf '%s' "$out" | jq -r '.files[0].findings[0].name')" = redirect-missing-location ] || fail "json: rule name"
  [ "$(printf '%s' "$out" | jq -r '.files[0].findings[0].severity')" = error ] || fail "json: severity"
  [ "$(printf '%s' "$out" | jq -r '.files[0].findings[0] | (.message|type) + (.response|type) + (.offset|type) + (.length|type)')" = stringnumbernumbernumber ] || fail "json: finding members"
  [ "$(printf '%s' "$out" | jq -r '.files[0].responses')" = 1 ] || fail "json: responses"
  [ "$(printf '%s' "$out" | jq -r '.files[1].findings | length')" = 0 ] || fail "json: clean file has findings"
  [ "$(printf '%s' "$out" | jq -r '.files[0].path')" = "$bad" ] || fail "json: path"
else
  fail "--format json is not valid JSON"; printf '%s\n' "$out" | head -c 600 >&2
fi
checks=$((checks + 1))

# ---- rule selection ----
run --disable RL2001 "$bad"; expect_rc 0 "--disable by id"
lacks "RL2001" "--disable by id"
run --disable redirect-missing-location "$bad"; expect_rc 0 "--disable by name"
run --rule RL2001=off "$bad"; expect_rc 0 "--rule X=off"
lacks "RL2001" "--rule X=off"
run --format json --rule RL2001=warning "$bad"; expect_rc 0 "--rule X=warning under --fail-on error"
[ "$(printf '%s' "$out" | jq -r '.files[0].findings[0].severity')" = warning ] || fail "--rule X=warning: effective severity"
run --rule temporary-redirect-missing-location=error "$warn_only"; expect_rc 1 "--rule name=error"
run --disable RL2001 --enable RL2001 "$bad"; expect_rc 1 "--enable after --disable turns the rule back on"
has "RL2001" "--enable after --disable"
# a rule that is off by default (profile ADVICE in rules.def) appears only with --enable
advice_ids=$(grep -E '^ *[A-Z_]*RULE\(' "$src/rules/rules.def" | grep -E ', ([A-Z]+ \| )*ADVICE[ ,|]' | grep -o '^ *[A-Z_]*RULE( *RL[0-9]\{4\}' | grep -o 'RL[0-9]\{4\}')
[ -n "$advice_ids" ] || fail "no ADVICE rule found in rules.def (the loop below would test nothing)"
for id in $advice_ids; do
  f=$(ls "$fx/$id"/bad* 2>/dev/null | grep -v '\.request$' | head -1)
  [ -n "$f" ] || continue
  run --format json "$f"
  printf '%s' "$out" | jq -e --arg id "$id" '[.files[].findings[].rule] | index($id) == null' > /dev/null || fail "$id is off by default but reported"
  run --format json --enable "$id" "$f"
  printf '%s' "$out" | jq -e --arg id "$id" '[.files[].findings[].rule] | index($id) != null' > /dev/null || fail "--enable $id does not report it"
  checks=$((checks + 2))
done

# ---- --list-rules, --explain ----
run --list-rules; expect_rc 0 "--list-rules"
for id in $(grep -o '^ *[A-Z_]*RULE( *RL[0-9]\{4\}' "$src/rules/rules.def" | grep -o 'RL[0-9]\{4\}'); do
  name=$(grep -E "^ *[A-Z_]*RULE\( *$id," "$src/rules/rules.def" | sed -E 's/^[^"]*"([^"]*)".*/\1/')
  checks=$((checks + 1))
  printf '%s\n' "$out" | grep -Eq "^$id +$name " || fail "--list-rules lacks '$id $name'"
done
# --list-rules --profile advice: exactly the ADVICE rules of rules.def
run --list-rules --profile advice; expect_rc 0 "--list-rules --profile advice"
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | awk '{print $1}' | tr '\n' ' ')" = "$(printf '%s\n' $advice_ids | tr '\n' ' ')" ] || fail "--list-rules --profile advice: $(printf '%s' "$out" | awk '{print $1}' | tr '\n' ' ') is not the ADVICE rules $advice_ids"
run --list-rules --profile recommended; expect_rc 0 "--list-rules --profile recommended"
for id in $advice_ids; do
  printf '%s\n' "$out" | grep -q "^$id " && fail "--list-rules --profile recommended lists the advice rule $id"
done
run --explain RL2001; expect_rc 0 "--explain RL2001"
checks=$((checks + 1))
cmp -s "$tmp/out" "$src/rules/docs/RL2001.md" || fail "--explain RL2001 does not print rules/docs/RL2001.md"
run --explain redirect-missing-location; expect_rc 0 "--explain by name"
cmp -s "$tmp/out" "$src/rules/docs/RL2001.md" || fail "--explain by name does not print the page"
run --explain rl3001; expect_rc 0 "--explain, id in lower case"
has "# RL3001 content-length-with-transfer-encoding" "--explain rl3001"
run --version; expect_rc 0 "--version"
has "resplint " "--version"
run --help; expect_rc 0 "--help"
has "--fail-on" "--help"

# ---- stdin and folders ----
STDIN=$bad run -; expect_rc 1 "stdin"
has "RL2001" "stdin"
STDIN=$good run -; expect_rc 0 "stdin, clean"
mkdir -p "$tmp/tree/a/b"
cp "$good" "$tmp/tree/ok.http"
cp "$bad" "$tmp/tree/a/b/deep.http"
printf 'notes about these recordings\n' > "$tmp/tree/README.txt"
run --format json "$tmp/tree"; expect_rc 1 "folder, recursive"
[ "$(printf '%s' "$out" | jq -r '[.files[].path] | map(select(endswith("a/b/deep.http"))) | length')" = 1 ] || fail "folder: nested file not linted"
[ "$(printf '%s' "$out" | jq -r '.files | length')" = 2 ] || fail "folder: a non-capture file was linted"
[ "$(json_rules)" = RL2001 ] || fail "folder: findings $(json_rules)"
checks=$((checks + 3))
run --request "$fx/RL3007/good-head.request" "$fx/RL3007/good-head.http"; expect_rc 0 "--request gives HEAD context"
run --method HEAD "$fx/RL3007/good-head.http"; expect_rc 0 "--method HEAD"
run "$fx/RL3007/good-head.http"; expect_rc 1 "the same bytes without request context are truncated"
# RFC 9110 §9.1: methods are case-sensitive; "head" is another method, not HEAD
run --method head "$fx/RL3007/good-head.http"; expect_rc 1 "--method head is not HEAD"
checks=$((checks + 1))
case "$err" in *"--method head is not HEAD: methods are case-sensitive"*) ;; *) fail "--method head: no note on stderr: $err" ;; esac
run --method 'GE T' "$fx/RL3007/good-head.http"; expect_rc 2 "--method wants a token"
run --method PURGE "$fx/RL3007/good.http"; expect_rc 0 "--method PURGE (an extension method)"
checks=$((checks + 1))
[ -z "$err" ] || fail "--method PURGE: stderr: $err"

# ---- the issue's done-when cases ----
printf 'HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n' > "$tmp/301.http"
STDIN=$tmp/301.http run -; expect_rc 1 "done-when: 301 without Location on stdin"
has "RL2001" "done-when: 301 names RL2001"
printf 'HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok' > "$tmp/304.http"
run --format json "$tmp/304.http"; expect_rc 0 "done-when: 304 with Content-Length then 200"
[ "$(printf '%s' "$out" | jq -r '.files[0].responses')" = 2 ] || fail "done-when: 304+200 is not 2 responses"
[ "$(json_rules)" = "" ] || fail "done-when: 304+200 has findings: $(json_rules)"
printf 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello' > "$tmp/204.http"
run --format json "$tmp/204.http"; expect_rc 1 "done-when: 204 with a body"
[ "$(json_rules)" = "RL2010 RL2011" ] || fail "done-when: 204 with a body raised '$(json_rules)', not 'RL2010 RL2011'"
checks=$((checks + 3))

# ---- the raw corpus: no crash, exit 0 or 1 ----
if [ -n "$corpus" ] && [ -d "$corpus/raw" ]; then
  n=0
  for resp in "$corpus"/raw/*.response.bin; do
    [ -e "$resp" ] || continue
    req=${resp%.response.bin}.request.bin
    if [ -f "$req" ]; then run --format json --request "$req" "$resp"; else run --format json "$resp"; fi
    n=$((n + 1)); checks=$((checks + 1))
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
      fail "corpus $(basename "$resp"): exit $rc"; printf '  %s\n' "$(printf '%s' "$err" | head -c 400)" >&2
    elif ! printf '%s' "$out" | jq -e '.files[0].responses >= 0' > /dev/null 2>&1; then
      fail "corpus $(basename "$resp"): output is not a json report"
    fi
  done
  [ "$n" -gt 0 ] || fail "no *.response.bin in $corpus/raw"
  echo "corpus: $n raw captures linted"
elif [ "${CI:-}" = true ]; then
  fail "corpus: $corpus/raw not found (CI=true: CI always has ../shared/corpus)"
else
  echo "corpus: $corpus/raw not found, this part not run"
fi

echo "$checks checks, $fails failures"
[ "$fails" -eq 0 ]
