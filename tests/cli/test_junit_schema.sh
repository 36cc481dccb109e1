# JUnit reports validate with xmllint against tests/schema/junit.xsd: the golden reports, and
# reports over the third-party corpus (raw, HAR, pcap, WARC: whatever this build reads; inputs
# it cannot read must still give a valid report). A broken document must fail (the check
# itself is checked).
set -u
bin=$1 src=$2 corpus=$3
xsd=$src/tests/schema/junit.xsd
command -v xmllint >/dev/null || { echo "FAIL: xmllint not found (Debian libxml2-utils)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() {
    if xmllint --noout --schema "$xsd" "$1" 2>"$tmp/err"; then
        echo "ok   $2"
    else
        echo "FAIL $2:"; head -20 "$tmp/err"; fail=1
    fi
}

check "$src/tests/golden/report.junit" "golden report.junit"
check "$src/tests/golden/cli/site.junit" "golden cli/site.junit"

for kind in raw har pcap warc; do
    [ -d "$corpus/$kind" ] || { echo "FAIL: corpus $corpus/$kind missing"; fail=1; continue; }
    timeout 120 "$bin" --no-config --format junit --fail-on warning "$corpus/$kind" >"$tmp/$kind.xml" 2>/dev/null
    if [ "$(stat -c %s "$tmp/$kind.xml")" -gt 200000000 ]; then
        echo "FAIL $kind: report too large"; fail=1; continue
    fi
    check "$tmp/$kind.xml" "corpus/$kind ($(grep -c '<testcase ' "$tmp/$kind.xml") testcases)"
done

printf '<?xml version="1.0"?>\n<testsuites><testsuite name="x"><testcase/></testsuite></testsuites>\n' >"$tmp/bad.xml"
if xmllint --noout --schema "$xsd" "$tmp/bad.xml" 2>/dev/null; then
    echo "FAIL: a broken JUnit document validated: the schema checks nothing"; fail=1
else
    echo "ok   a broken document is rejected"
fi
exit $fail
