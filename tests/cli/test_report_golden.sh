# Golden output of the CLI in every format for tests/golden/input/site.http plus a missing file,
# run from the source tree with relative paths so the output is the same everywhere. The tool
# version and SARIF's rule catalogue (which grows with every rule) are masked; the unit test
# test_report checks the exact bytes of each format. RESPLINT_UPDATE_GOLDEN=1 rewrites.
set -u
bin=$1 src=$2
cd "$src" || exit 2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

normalise() { # format file
    sed -e 's/"name":"resplint","version":"[^"]*"/"name":"resplint","version":"X"/' "$2" >"$2.n"
    if [ "$1" = html ]; then
        # the rule pages change with every edit of rules/docs/: their text is masked
        sed -e 's/resplint [0-9][0-9.a-z+-]*/resplint X/' \
            -e '/^<div class="doc">$/,/^<\/div>$/{/^<div class="doc">$/!{/^<\/div>$/!d}}' "$2.n" >"$2" || return 1
        rm -f "$2.n"
    elif [ "$1" = sarif ]; then
        jq -c '.runs[0].tool.driver.version = "X" | .runs[0].tool.driver.semanticVersion = "X"
               | .runs[0].tool.driver.rules |= "\(length > 0) rules"
               | .runs[0].results |= map(.ruleIndex = 0)' "$2.n" >"$2" || return 1
    else
        mv "$2.n" "$2"
    fi
}

for fmt in text json jsonl sarif junit github gitlab html; do
    out=$tmp/site.$fmt
    timeout 20 "$bin" --no-config --format "$fmt" --rule RL3003=warning tests/golden/input/site.http \
        tests/golden/input/missing.http >"$out" 2>"$tmp/stderr"
    rc=$?
    if [ "$rc" -ne 2 ]; then
        echo "FAIL $fmt: exit $rc, want 2 (a missing input)"
        fail=1
    fi
    if [ "$(stat -c %s "$out")" -gt 1000000 ]; then
        echo "FAIL $fmt: output too large"; fail=1; continue
    fi
    normalise "$fmt" "$out" || { echo "FAIL $fmt: not JSON"; fail=1; continue; }
    golden=tests/golden/cli/site.$fmt
    if [ "${RESPLINT_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$out" "$golden"
        echo "rewrote $golden"
    fi
    if ! cmp -s "$out" "$golden"; then
        echo "FAIL $fmt: differs from $golden (RESPLINT_UPDATE_GOLDEN=1 rewrites it):"
        diff "$golden" "$out" | head -20
        fail=1
    else
        echo "ok   $fmt"
    fi
done

# Several at once: --report FORMAT:PATH for each format, text on stdout; every file must be
# the same as the format alone.
args=()
for fmt in json jsonl sarif junit github gitlab html; do args+=(--report "$fmt:$tmp/multi.$fmt"); done
timeout 20 "$bin" --no-config --format text "${args[@]}" --rule RL3003=warning tests/golden/input/site.http \
    tests/golden/input/missing.http >"$tmp/multi.text" 2>/dev/null
for fmt in text json jsonl sarif junit github gitlab html; do
    normalise "$fmt" "$tmp/multi.$fmt" || { echo "FAIL multi $fmt: not JSON"; fail=1; continue; }
    if cmp -s "$tmp/multi.$fmt" "tests/golden/cli/site.$fmt"; then
        echo "ok   --report $fmt:PATH among eight reports"
    else
        echo "FAIL --report $fmt:PATH differs from --format $fmt"; fail=1
    fi
done
timeout 20 "$bin" --no-config --report xml:x tests/golden/input/site.http >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" = 2 ] && grep -q "unknown format 'xml' (text, json, jsonl, sarif, junit, github, gitlab, html)" "$tmp/err"; then
    echo "ok   an unknown format is a usage error listing the formats"
else
    echo "FAIL unknown format: exit $rc"; cat "$tmp/err"; fail=1
fi

# Every JSON format parses; jsonl line by line.
for fmt in json sarif gitlab; do
    jq -e . "tests/golden/cli/site.$fmt" >/dev/null || { echo "FAIL $fmt golden is not JSON"; fail=1; }
done
while IFS= read -r line; do
    printf '%s' "$line" | jq -e . >/dev/null || { echo "FAIL jsonl line: $line"; fail=1; }
done <tests/golden/cli/site.jsonl
exit $fail
