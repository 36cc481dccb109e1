#!/usr/bin/env bash
# What CI systems read, on captures and archives: JUnit (a testcase per response, pcap responses
# told apart by tcp.stream, streamed with flat memory), SARIF (byte regions of pcap frames and of
# WARC blocks in the file itself, no helpUri unless configured), GitLab Code Quality (no two
# issues with one fingerprint). Usage: test_ci_reports.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR
set -u
bin=$1 src=$2 corpus=${3:-}
fails=0 checks=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); echo "ok   $*"; }
[ -d "$corpus/pcap" ] || { echo "FAIL: corpus $corpus/pcap missing"; exit 1; }
command -v jq >/dev/null || { echo "FAIL: jq not found"; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 not found"; exit 1; }

# ---- JUnit: one testcase per response, keyed by connection in a pcap ----
pcap=$corpus/pcap/ndpi__quickplay.pcap
"$bin" --no-config --format junit --fail-on info "$pcap" >"$tmp/q.xml" 2>/dev/null
python3 - "$tmp/q.xml" <<'EOF' && ok "junit: every failure sits in the testcase of its own tcp.stream" || fail "junit: failures filed under another connection's testcase"
import re, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find('testsuite')
cases = suite.findall('testcase')
streams = set()
bad = 0
for c in cases:
    m = re.search(r'tcp\.stream (\d+)', c.get('name'))
    if m:
        streams.add(m.group(1))
    for f in c.findall('failure'):
        fm = re.search(r'tcp\.stream (\d+)', f.text or '')
        if fm and (not m or fm.group(1) != m.group(1)):
            bad += 1
# the capture has findings on many connections: a testcase for each, not one for all
if bad or len(streams) < 10 or int(suite.get('tests')) != len(cases):
    print("bad=%d streams=%d tests=%s cases=%d" % (bad, len(streams), suite.get('tests'), len(cases)))
    sys.exit(1)
EOF

# the same report through a pipe (kept in a temporary file) and into a file (streamed): the same
# bytes
"$bin" --no-config --format junit --fail-on info "$pcap" 2>/dev/null | cat >"$tmp/q-pipe.xml"
cmp -s "$tmp/q.xml" "$tmp/q-pipe.xml" && ok "junit: the same bytes through a pipe and into a file" ||
    fail "junit: a pipe and a file give different reports"
# >> appends at the end whatever the position: the report must not be rewritten in place there
echo "<!-- earlier -->" >"$tmp/q-append.xml"
"$bin" --no-config --format junit --fail-on info "$pcap" >>"$tmp/q-append.xml" 2>/dev/null
tail -c +18 "$tmp/q-append.xml" | cmp -s - "$tmp/q.xml" && ok "junit: appending to a file (>>)" ||
    fail "junit: the report appended with >> differs"

# memory stays flat with the number of findings: 100,000 failing responses
python3 -c '
import sys
sys.stdout.buffer.write(b"HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n" * 100000)' >"$tmp/many.http"
/usr/bin/time -f %M -o "$tmp/rss" "$bin" --no-config --format junit "$tmp/many.http" >"$tmp/many.xml" 2>/dev/null
rss=$(tail -1 "$tmp/rss")
n=$(grep -c '<failure ' "$tmp/many.xml")
if [ "$n" -eq 100000 ] && [ "$rss" -lt 40000 ]; then
    ok "junit: 100,000 failures written with a peak RSS of ${rss} KB"
else
    fail "junit: $n failures, peak RSS ${rss} KB (want 100000 and under 40 MB: the report streams)"
fi
grep -q 'tests="100000" failures="100000"' "$tmp/many.xml" && ok "junit: counts written back into the suite's tag" ||
    fail "junit: the streamed suite's counts are wrong: $(grep -o '<testsuite [^>]*' "$tmp/many.xml" | head -c 300)"
xmllint --noout --schema "$src/tests/schema/junit.xsd" "$tmp/many.xml" 2>/dev/null &&
    ok "junit: the streamed report validates" || fail "junit: the streamed report does not validate"
# issue 21: through a pipe an input's testcases were held in memory (~1 KB a finding); they go
# to a temporary file until the input ends, and the bytes are those of the file report
/usr/bin/time -f %M -o "$tmp/rss" sh -c '"$1" --no-config --format junit "$2" 2>/dev/null | cat >"$3"' \
    sh "$bin" "$tmp/many.http" "$tmp/many-pipe.xml"
rss=$(tail -1 "$tmp/rss")
if cmp -s "$tmp/many.xml" "$tmp/many-pipe.xml" && [ "$rss" -lt 40000 ]; then
    ok "junit through a pipe: 100,000 failures with a peak RSS of ${rss} KB, the file's bytes"
else
    fail "junit through a pipe: peak RSS ${rss} KB (want under 40 MB), same bytes: $(cmp -s "$tmp/many.xml" "$tmp/many-pipe.xml" && echo yes || echo no)"
fi

# ---- SARIF: byte regions in the file ----
"$bin" --no-config --format sarif "$corpus/pcap" "$src/fixtures/pcap" >"$tmp/p.sarif" 2>/dev/null
n=$(jq '[.runs[0].results[] | select(.locations[0].physicalLocation.region == null)] | length' "$tmp/p.sarif")
[ "$n" = 0 ] && ok "sarif: every pcap result has a region" || fail "sarif: $n pcap results without a region"
jq -e '.runs[0].results | (map(select(.message.text | test("frame [0-9]+"))) | length) == length' \
    "$tmp/p.sarif" >/dev/null && ok "sarif: pcap messages name the frame" || fail "sarif: a pcap message does not name its frame"

# each region of a classic pcap is the record of the frame its message names; of a pcapng, the
# bytes read for it end with that frame's packet block
python3 - "$tmp/p.sarif" "$src" <<'EOF' && ok "sarif: pcap regions are the named frames' records" || fail "sarif: a pcap region is not its frame's record"
import json, os, re, struct, sys
log = json.load(open(sys.argv[1]))
src = sys.argv[2]
def records(path):
    data = open(path, 'rb').read()
    magic = data[:4]
    out = {}
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '<' if magic[0] in (0xd4, 0x4d) else '>'
        off, n = 24, 0
        while off + 16 <= len(data):
            incl = struct.unpack(e + 'I', data[off + 8:off + 12])[0]
            n += 1
            out[n] = (off, 16 + incl)
            off += 16 + incl
        return 'pcap', out
    if magic == b'\x0a\x0d\x0d\x0a':
        e = '<' if data[8:12] == b'\x4d\x3c\x2b\x1a' else '>'
        off, n = 0, 0
        while off + 12 <= len(data):
            btype, blen = struct.unpack(e + 'II', data[off:off + 8])
            if btype in (6, 3, 2):
                n += 1
                out[n] = (off, blen)
            off += blen
        return 'pcapng', out
    return None, out
cache, checked, bad = {}, 0, 0
for r in log['runs'][0]['results']:
    loc = r['locations'][0]['physicalLocation']
    uri = loc['artifactLocation']['uri']
    path = uri[len('file://'):] if uri.startswith('file://') else os.path.join(os.getcwd(), uri)
    if path.endswith('.gz'):
        continue
    if path not in cache:
        cache[path] = records(path)
    kind, recs = cache[path]
    m = re.search(r'\(frame (\d+)', r['message']['text'])
    reg = loc['region']
    frame = int(m.group(1))
    want = recs.get(frame)
    if kind == 'pcap':
        ok = want == (reg['byteOffset'], reg.get('byteLength'))
    else:
        ok = want and reg['byteOffset'] <= want[0] and reg['byteOffset'] + reg.get('byteLength', 0) == want[0] + want[1]
    checked += 1
    if not ok:
        bad += 1
        print("frame %d of %s: region %s, record %s" % (frame, path, reg, want))
print("%d regions checked" % checked)
sys.exit(1 if bad or checked < 50 else 0)
EOF

# a plain WARC: the region is the evidence's bytes in the file (block offset + the block's place)
{
    body=$'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab'
    printf 'WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n'
    printf 'WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:2>\r\nWARC-Target-URI: http://example.test/\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n' "${#body}" "$body"
} >"$tmp/a.warc"
"$bin" --no-config --format sarif "$tmp/a.warc" >"$tmp/w.sarif" 2>/dev/null
off=$(jq '.runs[0].results[] | select(.ruleId == "RL3002") | .locations[0].physicalLocation.region.byteOffset' "$tmp/w.sarif")
if [ -n "$off" ] && [ "$(tail -c +$((off + 1)) "$tmp/a.warc" | head -c 17)" = "Content-Length: 3" ]; then
    ok "sarif: a WARC finding's region is the file offset of its evidence"
else
    fail "sarif: WARC region $off does not point at 'Content-Length: 3' in the file"
fi
jq -e '.runs[0].results[] | select(.ruleId == "RL3002") | .message.text | test("record at [0-9]+")' "$tmp/w.sarif" >/dev/null &&
    ok "sarif: WARC messages name the record" || fail "sarif: the WARC message does not name the record"

# no helpUri (nor informationUri) unless a base is configured
jq -e '[.runs[0].tool.driver.rules[] | select(.helpUri)] | length == 0' "$tmp/w.sarif" >/dev/null &&
    ! jq -e '.runs[0].tool.driver.informationUri' "$tmp/w.sarif" >/dev/null &&
    ok "sarif: no helpUri by default" || fail "sarif: a helpUri is made up"

# ---- GitLab Code Quality: every issue its own fingerprint ----
"$bin" --no-config --format gitlab "$corpus" >"$tmp/gl.json" 2>/dev/null
total=$(jq length "$tmp/gl.json")
distinct=$(jq '[.[].fingerprint] | unique | length' "$tmp/gl.json")
if [ "$total" -gt 100 ] && [ "$total" = "$distinct" ]; then
    ok "gitlab: $total issues over the corpus, $distinct fingerprints"
else
    fail "gitlab: $total issues but $distinct distinct fingerprints"
fi

# ---- a pipelined answer to HEAD linted without context: RL3010 says what to do ----
printf 'HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n' >"$tmp/head.http"
out=$("$bin" --no-config "$tmp/head.http" 2>&1)
case "$out" in *RL3010*"pass --method HEAD"*) ok "RL3010 hints at --method HEAD" ;; *) fail "RL3010 without the HEAD hint: $out" ;; esac
out=$("$bin" --no-config --method HEAD "$tmp/head.http" 2>&1)
case "$out" in *"0 findings"*) ok "with --method HEAD the stream is clean" ;; *) fail "--method HEAD: $out" ;; esac
printf 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokGARBAGE\r\n' >"$tmp/stray.http"
out=$("$bin" --no-config "$tmp/stray.http" 2>&1)
case "$out" in *RL3010*"--method HEAD"*) fail "RL3010 hints at HEAD for a body that is no status line" ;; *RL3010*) ok "no HEAD hint for other stray bytes" ;; *) fail "stray bytes not reported: $out" ;; esac

# ---- the command line a newcomer meets ----
site=$src/tests/golden/input/site.http
"$bin" --no-config --format sarif --report gitlab:- "$site" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q "two reports on standard output" "$tmp/err" && ok "two reports on stdout: usage error" ||
    fail "two reports on stdout: exit $rc, $(cat "$tmp/err")"
"$bin" --no-config --format sarif --report "gitlab:$tmp/gl2.json" "$site" >/dev/null 2>&1
[ $? = 1 ] && [ -s "$tmp/gl2.json" ] && ok "one report on stdout and one in a file" || fail "stdout plus a file report"
# --report without --format: stdout stays quiet (the reports are in their files), as --help and
# the README say; --format text adds the findings on stdout
"$bin" --no-config --report "json:$tmp/quiet.json" "$site" >"$tmp/quiet.out" 2>/dev/null
[ $? = 1 ] && [ ! -s "$tmp/quiet.out" ] && [ -s "$tmp/quiet.json" ] && ok "--report alone: nothing on stdout" ||
    fail "--report alone wrote on stdout: $(head -c 200 "$tmp/quiet.out")"
"$bin" --no-config --format text --report "json:$tmp/quiet.json" "$site" >"$tmp/quiet.out" 2>/dev/null
grep -q 'error RL' "$tmp/quiet.out" && ok "--format text with --report: findings on stdout" ||
    fail "--format text --report: $(head -c 200 "$tmp/quiet.out")"
"$bin" --help | grep -q "stdout stays quiet unless --format" && ok "--help says when stdout is quiet" ||
    fail "--help does not say that --report alone leaves stdout quiet"
"$bin" --no-config --formt json "$site" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q "did you mean --format?" "$tmp/err" && ok "did you mean --format" || fail "--formt: $(cat "$tmp/err")"
"$bin" --no-config --explain redirect >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q "redirect-missing-location (RL2001)" "$tmp/err" && ok "--explain redirect names the redirect rules" ||
    fail "--explain redirect: $(cat "$tmp/err")"
"$bin" --no-config --disable no-contnet-framing "$site" >/dev/null 2>"$tmp/err"
grep -q "did you mean no-content-framing (RL2011)" "$tmp/err" && ok "did you mean a rule name" || fail "a mistyped rule: $(cat "$tmp/err")"
"$bin" --no-config --format json --xyzzy "$site" >/dev/null 2>"$tmp/err"
! grep -q "did you mean" "$tmp/err" && ok "no suggestion for a word near nothing" || fail "a far-fetched suggestion: $(cat "$tmp/err")"

# writing a baseline succeeds (set -e scripts go on); the baseline matches however the path is written
(cd "$src" && "$bin" --no-config --write-baseline "$tmp/base.txt" tests/golden/input/site.http >/dev/null 2>&1); rc=$?
[ "$rc" = 0 ] && [ -s "$tmp/base.txt" ] && ok "--write-baseline exits 0" || fail "--write-baseline: exit $rc"
(cd "$src" && "$bin" --no-config --baseline "$tmp/base.txt" ./tests/golden/input/site.http >/dev/null 2>&1); rc=$?
[ "$rc" = 0 ] && ok "the baseline matches ./path" || fail "the baseline written for path does not match ./path (exit $rc)"
(cd "$src/tests" && "$bin" --no-config --baseline "$tmp/base.txt" ../tests/golden/input/../input/site.http >/dev/null 2>&1); rc=$?
[ "$rc" = 1 ] && ok "a different relative path is a different input" || fail "../tests/golden/... matched the baseline (exit $rc)"

# helpUri only with a base, from the option or the configuration
"$bin" --no-config --format sarif --rule-help-uri https://docs.example.test/rules/ "$site" >"$tmp/h.sarif" 2>/dev/null
[ "$(jq -r '.runs[0].tool.driver.rules[] | select(.id == "RL2001") | .helpUri' "$tmp/h.sarif")" = "https://docs.example.test/rules/RL2001.md" ] &&
    ok "--rule-help-uri" || fail "--rule-help-uri not used"
printf '[output]\nrule-help-uri = https://wiki.example.test/\n' >"$tmp/conf"
"$bin" --config "$tmp/conf" --format sarif "$site" >"$tmp/h.sarif" 2>/dev/null
[ "$(jq -r '.runs[0].tool.driver.rules[] | select(.id == "RL2001") | .helpUri' "$tmp/h.sarif")" = "https://wiki.example.test/RL2001.md" ] &&
    ok "[output] rule-help-uri" || fail "the configuration's rule-help-uri not used"

echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ]
