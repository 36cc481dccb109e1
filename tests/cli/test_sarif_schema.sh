# SARIF reports validate against the official SARIF 2.1.0 JSON schema with ajv, offline once
# installed: ajv, ajv-formats and @microsoft/sarif-multitool (which ships the schema) are
# installed from the npm registry into a cache beside the binary in the build tree, never into
# the repository (tests/schema/sarif-tools.sh, shared with the bad-input test). Checked:
# reports over the corpus (raw, HAR, pcap, WARC; inputs this build
# cannot read go to toolExecutionNotifications and must leave the log valid), the golden
# reports with the catalogue filled back in, and a broken log that must fail. When npm cannot
# install the tools this test fails, saying so: it never passes without validating.
set -u
bin=$1 src=$2 corpus=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

command -v jq >/dev/null || { echo "FAIL: jq not found"; exit 1; }
. "$src/tests/schema/sarif-tools.sh"
sarif_tools_setup "$bin" "$src" "$tmp" || exit 1
validate() { sarif_validate "$@"; }

files=()
for kind in raw har pcap warc; do
    [ -d "$corpus/$kind" ] || { echo "FAIL: corpus $corpus/$kind missing"; fail=1; continue; }
    timeout 120 "$bin" --no-config --format sarif "$corpus/$kind" >"$tmp/$kind.sarif" 2>/dev/null
    if [ "$(stat -c %s "$tmp/$kind.sarif")" -gt 200000000 ]; then
        echo "FAIL $kind: report too large"; fail=1; continue
    fi
    files+=("$tmp/$kind.sarif")
done
# single inputs, one of which cannot be opened
timeout 20 "$bin" --no-config --format sarif "$src/tests/golden/input/site.http" "$tmp/no-such-file" \
    >"$tmp/site.sarif" 2>/dev/null
jq -e '.runs[0].invocations[0].toolExecutionNotifications | length == 1' "$tmp/site.sarif" >/dev/null ||
    { echo "FAIL: the unreadable input is not in toolExecutionNotifications"; fail=1; }
jq -e '[.runs[0].tool.driver.rules[] | select(.help.text and .defaultConfiguration.level)] | length > 0' \
    "$tmp/site.sarif" >/dev/null || { echo "FAIL: rules lack help or default level"; fail=1; }
files+=("$tmp/site.sarif")

# The golden logs, with the rule catalogue and rule indexes put back.
for g in "$src/tests/golden/report.sarif" "$src/tests/golden/cli/site.sarif"; do
    out=$tmp/golden-$(basename "$(dirname "$g")")-$(basename "$g")
    jq --slurpfile cli "$tmp/site.sarif" '
        ($cli[0].runs[0].tool.driver.rules) as $rules | ([$rules[].id]) as $ids
        | .runs[0].tool.driver.rules = $rules
        | .runs[0].results |= map(. as $r | .ruleIndex = ($ids | index($r.ruleId)))' "$g" >"$out" ||
        { echo "FAIL: $g is not JSON"; fail=1; continue; }
    files+=("$out")
done

validate "${files[@]}" || fail=1

# The SARIF Multitool of the same package (a native program) applies the SARIF spec's own
# rules beyond the schema: no error may come out (warnings are printed for people).
multitool=$(dirname "$schema")/Sarif.Multitool
if [ -x "$multitool" ] && timeout 60 "$multitool" --version >/dev/null 2>&1; then
    if timeout 300 "$multitool" validate --rule-kind Sarif -o "$tmp/mt.sarif" "${files[@]}" \
        >"$tmp/mt.log" 2>&1 && [ -s "$tmp/mt.sarif" ]; then
        errors=$(jq '[.runs[].results[]? | select(.level == "error")] | length' "$tmp/mt.sarif")
        warnings=$(jq '[.runs[].results[]? | select(.level == "warning")] | length' "$tmp/mt.sarif")
        # SARIF2017: a result without a region (GitHub cannot place the alert): pcap and WARC
        # results carry byte regions of the file
        noregion=$(jq '[.runs[].results[]? | select(.ruleId == "SARIF2017")] | length' "$tmp/mt.sarif")
        if [ "$noregion" != 0 ]; then
            echo "FAIL SARIF Multitool: $noregion results without a region (SARIF2017)"; fail=1
        fi
        if [ "$errors" = 0 ]; then
            echo "ok   SARIF Multitool: 0 errors, $warnings warnings"
        else
            echo "FAIL SARIF Multitool: $errors errors:"; grep ': error ' "$tmp/mt.log" | head -10; fail=1
        fi
    else
        echo "FAIL SARIF Multitool did not run:"; tail -5 "$tmp/mt.log"; fail=1
    fi
else
    echo "note: the SARIF Multitool does not run on this machine; schema validation only"
fi

# A log missing "version" and with a result without a message must be rejected.
jq 'del(.version) | .runs[0].results = [{"ruleId":"RL2001"}]' "$tmp/site.sarif" >"$tmp/bad.sarif"
if validate "$tmp/bad.sarif" >/dev/null 2>&1; then
    echo "FAIL: a broken SARIF log validated: the check checks nothing"; fail=1
else
    echo "ok   a broken log is rejected"
fi
exit $fail
