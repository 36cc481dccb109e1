# The html report in Debian's Chromium (headless, driven by playwright-core installed into
# the build tree; tests/browser/). For a pcap, a HAR and a folder of raw files from the
# corpus, and the whole corpus: no console error, one data-rule row per finding of the JSON
# report written by the same run, at least two SVG charts, nothing loaded from outside the
# file (no http(s):// or // in src/href, no request off file://), the filter works, no
# sideways scrolling at 1400 and at 380 pixels, and without scripts every row is shown; a
# response with markup and quotes in its header values renders them as text (injection). A
# screenshot of the first screen of the whole corpus's report is kept in the build tree
# (test-artifacts/html-report.png; docs/html-report.png is a copy of it). Exit 77 (skipped)
# when Chromium or node is missing.
set -u
bin=$1 src=$2 corpus=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
command -v jq >/dev/null || { echo "FAIL: jq not found"; exit 1; }
. "$src/tests/browser/chromium.sh"
browser_setup "$bin" "$src" "$tmp"
rc=$?
[ "$rc" -eq 0 ] || exit "$rc"
art=$(cd "$(dirname "$bin")" && pwd)/test-artifacts
mkdir -p "$art"

pcap=$corpus/pcap/ndpi__1kxun.pcap
har=$corpus/har/haralyzer__data__cnn-chrome.har
for f in "$pcap" "$har" "$corpus/raw"; do
    [ -e "$f" ] || { echo "FAIL: corpus input $f missing"; exit 1; }
done

n=0
pages=()
for input in "$corpus" "$pcap" "$har" "$corpus/raw"; do
    n=$((n + 1))
    timeout 120 "$bin" --no-config --format html --report "json:$tmp/$n.json" "$input" \
        >"$tmp/$n.html" 2>/dev/null
    rc=$?
    [ "$rc" -le 1 ] || { echo "FAIL $input: exit $rc"; fail=1; continue; }
    want=$(jq '[.files[].findings | length] | add // 0' "$tmp/$n.json")
    echo "$want" >"$tmp/$n.want"
    basename "$input" >"$tmp/$n.name"
    pages+=("$tmp/$n.html")
done

check() { # label jq-expression file
    if jq -e "$2" "$3" >/dev/null; then echo "ok   $1"; else echo "FAIL $1:"; cat "$3"; fail=1; fi
}

browser_render "$tmp" "${pages[@]}" --screenshot first-screen.png --filter-rule RL4009 >"$tmp/facts" ||
    { echo "FAIL: chromium/playwright did not render the pages"; exit 1; }
cp "$tmp/first-screen.png" "$art/html-report.png" && echo "ok   screenshot: $art/html-report.png"
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s\n' "$line" >"$tmp/f$i"
    want=$(cat "$tmp/$i.want")
    name=$(cat "$tmp/$i.name")
    check "$name: no console error, no request off file://" \
        '(.console_errors | length == 0) and (.requests_off_file | length == 0)' "$tmp/f$i"
    check "$name: $want data-rule rows, as many as the JSON report's findings" ".rows == $want" "$tmp/f$i"
    check "$name: at least two SVG charts" '.svg_charts >= 2' "$tmp/f$i"
    check "$name: no http(s):// or // in src/href, no script file" \
        '(.external_refs | length == 0) and .scripts == 0' "$tmp/f$i"
    check "$name: a rule page per rule that fired, the controls shown" \
        '.rows == 0 or (.rule_pages > 0 and .controls)' "$tmp/f$i"
    check "$name: no sideways scrolling, no cell past the edge at 1400 px" \
        '(.overflow_x | not) and .cells_past_edge == 0' "$tmp/f$i"
done <"$tmp/facts"
[ "$i" -eq "${#pages[@]}" ] || { echo "FAIL: $i pages rendered of ${#pages[@]}"; fail=1; }
# the corpus holds RL4009 findings: the rule filter shows those and no other
check "whole corpus: the rule filter shows RL4009 rows only" \
    '.filtered_rows.visible > 0 and .filtered_rows.other_rules_visible == 0' "$tmp/f1"
check "whole corpus: one page of rows at first (pagination)" \
    '.visible_rows == ([.rows, 200] | min)' "$tmp/f1"

# a narrow window (a phone) and no scripts
browser_render "$tmp" "${pages[0]}" --width 380 --height 800 --screenshot narrow.png >"$tmp/narrow" ||
    { echo "FAIL: narrow render"; exit 1; }
cp "$tmp/narrow.png" "$art/html-report-narrow.png"
check "380 px wide: no sideways scrolling, no cell past the edge, no console error" \
    '(.overflow_x | not) and .cells_past_edge == 0 and (.console_errors | length == 0)' "$tmp/narrow"
# injection: markup and quotes in header values come back as text, in the message and in the
# evidence; the page keeps its own two scripts and nothing runs
printf 'HTTP/1.1 200 OK\r\nETag: <script>alert("etag")</script>\r\nExpires: "><img src=x onerror=alert(1)>\r\nContent-Length: 0\r\n\r\n' \
    >"$tmp/evil.http"
"$bin" --no-config --format html "$tmp/evil.http" >"$tmp/evil.html" 2>/dev/null
browser_render "$tmp" "$tmp/evil.html" >"$tmp/evil" || { echo "FAIL: injection render"; exit 1; }
check "injection: the page's two scripts only, no dialog, no request, the markup shown as text" \
    '.script_elements == 2 and (.dialogs | length == 0) and (.requests_off_file | length == 0) and
     (.console_errors | length == 0) and .rows >= 2 and
     (.body_text | contains("<script>alert(\"etag\")</script>")) and
     (.body_text | contains("\"><img src=x onerror=alert(1)>"))' "$tmp/evil"

browser_render "$tmp" "${pages[0]}" --no-js >"$tmp/nojs" || { echo "FAIL: no-script render"; exit 1; }
check "without scripts every row is shown and the controls stay hidden" \
    '.visible_rows == .rows and .rows > 0 and (.controls | not)' "$tmp/nojs"
exit $fail
