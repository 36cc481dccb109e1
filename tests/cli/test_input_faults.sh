# The readers' one error policy (docs/library.md, "Faults in inputs"), reader by reader, with the
# same kinds of faults and the same expectations for each:
#   stop  the container's syntax breaks after its entries: exit 2, the message names the file and
#         the place, every entry before it was checked (the same findings as the whole file);
#   step  a fault the reader can read past: a finding naming its place, the entries after it
#         still checked, no input error;
#   cut   the file ends early: a finding for captures written while recording (raw, WARC, pcap),
#         an input error naming the place for files written whole (HAR, JSON recordings,
#         mitmproxy flows); block YAML, which has no closing mark, shows the cut entry (RL9011);
# and in every case the input after it on the command line is still checked.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$(cd "$2" && pwd)
work=$(dirname "$bin")/input-faults
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
fail=0
command -v python3 >/dev/null || { echo "FAIL: python3 not found"; exit 1; }

printf 'HTTP/1.1 302 Found\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n' >companion.http
companion='companion.http:1:1: warning RL2002'

# The rule ids of FILE's findings in the text report OUT, sorted.
rules_in() { grep -F -- "$2:" "$1" | grep -o ' RL[0-9]\{4\} ' | tr -d ' ' | sort | tr '\n' ' '; }

# fault NAME KIND FILE WANT-EXIT TEXT [WHOLE]: runs FILE then the companion. TEXT is a fixed string
# looked for in stderr (exit 2) or in the report. For stop, WHOLE is the undamaged file whose
# findings must all be there.
fault() {
    local name=$1 kind=$2 file=$3 want=$4 text=$5 whole=${6:-}
    local rc ok=1
    timeout 60 "$bin" --no-config --fail-on never "$file" companion.http >"$name.out" 2>"$name.err"
    rc=$?
    [ "$rc" = "$want" ] || { echo "FAIL $name ($kind): exit $rc, want $want"; ok=0; }
    if [ "$want" = 2 ]; then
        grep -qF -- "resplint: $text" "$name.err" ||
            { echo "FAIL $name ($kind): stderr lacks 'resplint: $text':"; head -c 600 "$name.err"; ok=0; }
    else
        grep -qF -- "$text" "$name.out" ||
            { echo "FAIL $name ($kind): the report lacks '$text':"; head -c 600 "$name.out"; ok=0; }
        [ -s "$name.err" ] && grep -q "$file" "$name.err" &&
            { echo "FAIL $name ($kind): an input error for a fault it reads past:"; head -3 "$name.err"; ok=0; }
    fi
    grep -qF -- "$companion" "$name.out" || { echo "FAIL $name ($kind): the input after it was not checked"; ok=0; }
    if [ -n "$whole" ]; then
        timeout 60 "$bin" --no-config --fail-on never "$whole" >"$name.whole" 2>/dev/null
        local a b
        a=$(rules_in "$name.whole" "$whole")
        b=$(rules_in "$name.out" "$file")
        [ -n "$a" ] || { echo "FAIL $name: the whole file has no finding to compare"; ok=0; }
        [ "$a" = "$b" ] || { echo "FAIL $name ($kind): findings before the fault '$b', the whole file's '$a'"; ok=0; }
    fi
    [ $ok = 1 ] && echo "ok   $name ($kind, exit $rc)" || fail=1
}

# copy SRC DST: the file under another name (the place in messages is the name given)
copy() { cp "$1" "$2"; }
# cut SRC DST PERCENT: the first PERCENT % of the bytes
cut_at() { head -c $(($(stat -c %s "$1") * $3 / 100)) "$1" >"$2"; }

fx=$src/fixtures

# ---- raw: no container; bytes that are not HTTP are a finding (RL3010 here), a cut response the rules' ----
copy "$fx/rules/RL2001/bad-301.http" raw.http
{ cat raw.http; printf 'garbage that is not a status line\r\n\r\n'; cat raw.http; } >raw-step.http
fault raw-step step raw-step.http 0 "raw-step.http:5:1: error RL3010"
grep -qF 'raw-step.http:7:1: error RL2001' raw-step.out || { echo "FAIL raw-step: the response after the bytes was not checked"; fail=1; }
printf 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part' >raw-cut.http
fault raw-cut cut raw-cut.http 0 "raw-cut.http:"

# ---- HAR ----
copy "$fx/recordings/polly.har" ok.har
{ cat ok.har; printf '\n}garbage'; } >stop.har
fault har-stop stop stop.har 2 "stop.har:" ok.har
grep -qE 'stop\.har:[0-9]+:[0-9]+: ' har-stop.err || { echo "FAIL har-stop: no line and column"; fail=1; }
python3 - <<'PY'
import json
def entry(method, status):
    return {"request": {"method": method, "url": "http://x/", "httpVersion": "HTTP/1.1", "headers": []},
            "response": {"status": status, "statusText": "Moved", "httpVersion": "HTTP/1.1", "headers": [],
                         "content": {"size": 0}, "bodySize": 0}}
doc = {"log": {"version": "1.2", "entries": [entry(7, 301), entry("GET", 301)]}}
open("step.har", "w").write(json.dumps(doc))
PY
fault har-step step step.har 0 "step.har:1:" 
grep -q 'RL9005' har-step.out && [ "$(grep -c 'RL2001' har-step.out)" = 2 ] ||
    { echo "FAIL har-step: RL9005 and both entries' RL2001 expected"; fail=1; }
cut_at ok.har cut.har 60
fault har-cut cut cut.har 2 "cut.har:"
grep -qF 'entries checked before it' har-cut.err || { echo "FAIL har-cut: does not say what was checked"; fail=1; }

# ---- WARC: plain and gzip, built here from three responses (301 without Location: RL2001) ----
python3 - <<'PY'
import gzip
resp = b"HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n"
def record(i, block, length=None):
    head = ("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%d>\r\n"
            "WARC-Target-URI: http://x/%d\r\nContent-Type: application/http; msgtype=response\r\n"
            "Content-Length: %d\r\n\r\n" % (i, i, len(block) if length is None else length)).encode()
    return head + block + b"\r\n\r\n"
recs = [record(i, resp) for i in range(3)]
open("ok.warc", "wb").write(b"".join(recs))
members = [gzip.compress(r) for r in recs]
open("ok.warc.gz", "wb").write(b"".join(members))
bad = bytearray(members[1])
for i in range(12, len(bad) - 8):
    bad[i] ^= 0x5A
open("stop.warc.gz", "wb").write(members[0] + bytes(bad) + members[2])
open("stop-whole.warc.gz", "wb").write(members[0])
open("step.warc", "wb").write(record(0, resp, len(resp) + 7) + recs[1] + recs[2])
whole = b"".join(recs)
open("cut.warc", "wb").write(whole[: len(whole) - 40])
PY
fault warc-gz-stop stop stop.warc.gz 2 "stop.warc.gz: gzip data that cannot be read in the member at file offset" stop-whole.warc.gz
fault warc-step step step.warc 0 "RL9007"
[ "$(grep -c 'RL2001' warc-step.out)" -ge 2 ] || { echo "FAIL warc-step: the records after the bad one were not checked"; fail=1; }
fault warc-cut cut cut.warc 0 "RL9007"
grep -qF 'the file ends after' warc-cut.out || { echo "FAIL warc-cut: does not say the file ends"; fail=1; }
cut_at ok.warc.gz cut.warc.gz 80
fault warc-gz-cut cut cut.warc.gz 0 "RL9007"

# ---- pcap: a record header libpcap rejects, frames cut by the snapshot length, a cut file ----
pcap=$fx/pcap/loopback-nginx.pcap
python3 - "$pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
frames, i = [], 24
while i + 16 <= len(d):
    incl = struct.unpack("<I", d[i + 8:i + 12])[0]
    frames.append(d[i:i + 16 + incl])
    i += 16 + incl
head = d[:24]
bad = bytearray(frames[10])
bad[8:12] = struct.pack("<I", 0x7FFFFFF0)  # a captured length no frame has
open("stop.pcap", "wb").write(head + b"".join(frames[:10]) + bytes(bad) + b"".join(frames[11:]))
open("stop-whole.pcap", "wb").write(head + b"".join(frames[:10]))
snap = bytearray(head)
snap[16:20] = struct.pack("<I", 64)
for f in frames:
    ts, tu, incl, orig = struct.unpack("<IIII", f[:16])
    keep = min(incl, 64)
    snap += struct.pack("<IIII", ts, tu, keep, orig) + f[16:16 + keep]
open("step.pcap", "wb").write(bytes(snap))
PY
fault pcap-stop stop stop.pcap 2 "stop.pcap: after frame 10:"
rules_a=$(rules_in pcap-stop.out stop.pcap)
"$bin" --no-config --fail-on never stop-whole.pcap >pcap-stop.whole 2>&1
[ "$rules_a" = "$(rules_in pcap-stop.whole stop-whole.pcap)" ] ||
    { echo "FAIL pcap-stop: findings before the bad record differ from the frames before it alone"; fail=1; }
fault pcap-step step step.pcap 0 "step.pcap:frame 1: info RL9003"
head -c $(($(stat -c %s "$pcap") - 10)) "$pcap" >cut.pcap
fault pcap-cut cut cut.pcap 0 "cut.pcap:frame 34: info RL9003"
python3 -c 'import gzip,sys; d=bytearray(gzip.compress(open(sys.argv[1],"rb").read())); [d.__setitem__(i, d[i]^0x5A) for i in range(len(d)//2, len(d)//2+40)]; open("stop.pcap.gz","wb").write(d)' "$pcap"
fault pcap-gz-stop stop stop.pcap.gz 2 "stop.pcap.gz: gzip data that cannot be read after frame"

# ---- recordings: YAML (libyaml), JSON (YAJL), tnetstring ----
rec=$fx/recordings
for f in vcrpy.yaml betamax.json nock13.json wiremock_snapshot.json postman_collection.json newman.json; do
    name=${f%%.*}
    ext=${f#*.}
    copy "$rec/$f" "ok-$name.$ext"
    if [ "$ext" = yaml ]; then
        { cat "ok-$name.$ext"; printf '\n"unclosed: [\n'; } >"stop-$name.$ext"
    else
        { cat "ok-$name.$ext"; printf '\n}garbage'; } >"stop-$name.$ext"
    fi
    fault "$name-stop" stop "stop-$name.$ext" 2 "stop-$name.$ext:" "ok-$name.$ext"
    grep -qE "stop-$name\.$ext:[0-9]+:[0-9]+: " "$name-stop.err" || { echo "FAIL $name-stop: no line and column"; fail=1; }
    cut_at "ok-$name.$ext" "cut-$name.$ext" 60
    if [ "$ext" = yaml ]; then # block YAML has no closing mark: the cut entry lacks members
        fault "$name-cut" cut "cut-$name.$ext" 0 "cut-$name.$ext:174:5: entry 6 (/interactions/6/response): error RL9011"
    else
        fault "$name-cut" cut "cut-$name.$ext" 2 "cut-$name.$ext:"
    fi
done
for f in bad-vcrpy-status.yaml bad-betamax-headers.json bad-nock-no-status.json \
         bad-wiremock-no-response.json bad-postman-code.json bad-newman-response.json bad-mitmproxy.flows; do
    copy "$fx/rules/RL9011/$f" "step-$f"
    fault "${f%%.*}-step" step "step-$f" 0 "RL9011"
done
copy "$rec/mitmproxy.flows" ok.flows
{ cat ok.flows; printf 'zz:garbage'; } >stop.flows
fault mitmproxy-stop stop stop.flows 2 "stop.flows: damaged mitmproxy flows: flow" ok.flows
grep -qF 'at offset' mitmproxy-stop.err || { echo "FAIL mitmproxy-stop: no offset"; fail=1; }
cut_at ok.flows cut.flows 60
fault mitmproxy-cut cut cut.flows 2 "cut.flows: damaged mitmproxy flows:"


# ---- recordings nested deeper than 256 levels (RT_MAX_DEPTH): the deep value is passed over,
# the entry holding it gets one RL9004, and every entry (that one included) is still checked:
# the findings are the whole file's plus the RL9004 (a 300-deep value rejected the whole file)
python3 - "$rec" <<'PY' || { echo "FAIL: writing the deep recordings"; fail=1; }
import json, re, sys
rec = sys.argv[1]
deep = "[" * 300 + "]" * 300
# nock: a 300-deep member in the second entry (the 301)
d = json.load(open(rec + "/nock13.json"))
text = json.dumps(d, indent=2)
marker = '"path": "/moved",'
assert marker in text
open("deep-nock.json", "w").write(text.replace(marker, '"x": ' + deep + ",\n    " + marker, 1))
# vcrpy: a 300-deep flow sequence in the first interaction's request
y = open(rec + "/vcrpy.yaml").read()
open("deep-vcrpy.yaml", "w").write(y.replace("    method: GET\n", "    deep: " + deep + "\n    method: GET\n", 1))
# mitmproxy: a 300-deep list in the first flow
def parse(b, i):
    c = b.index(b":", i)
    n = int(b[i:c]); data = b[c + 1:c + 1 + n]; t = b[c + 1 + n:c + 2 + n]
    end = c + 2 + n
    if t == b"}":
        out, j = [], 0
        while j < len(data):
            k, j = parse(data, j); v, j = parse(data, j); out.append((k, v))
        return ("}", out), end
    if t == b"]":
        out, j = [], 0
        while j < len(data):
            v, j = parse(data, j); out.append(v)
        return ("]", out), end
    return (t.decode(), data), end
def dump(v):
    t, x = v
    if t == "}":
        body = b"".join(dump(k) + dump(w) for k, w in x)
    elif t == "]":
        body = b"".join(dump(w) for w in x)
    else:
        body = x
    return str(len(body)).encode() + b":" + body + t.encode()
raw = open(rec + "/mitmproxy.flows", "rb").read()
flows, i = [], 0
while i < len(raw):
    v, i = parse(raw, i); flows.append(v)
nest = ("]", [])
for _ in range(299):
    nest = ("]", [nest])
flows[0][1].append((("," , b"x-deep"), nest))
open("deep.flows", "wb").write(b"".join(dump(f) for f in flows))
PY
for pair in deep-nock.json:nock13.json deep-vcrpy.yaml:vcrpy.yaml deep.flows:mitmproxy.flows; do
    deepf=${pair%%:*} okf=${pair#*:}
    copy "$rec/$okf" "whole-$okf"
    timeout 60 "$bin" --no-config --fail-on never "$deepf" >deep.out 2>deep.err
    rc=$?
    timeout 60 "$bin" --no-config --fail-on never "whole-$okf" >deep.whole 2>/dev/null
    a=$(rules_in deep.whole "whole-$okf")
    b=$(rules_in deep.out "$deepf" | sed 's/RL9004 //')
    if [ "$rc" = 0 ] && grep -q "RL9004 limit-exceeded: the entry holds values nested deeper than 256 levels" deep.out &&
        [ "$(grep -c 'nested deeper than 256' deep.out)" = 1 ] && [ -n "$a" ] && [ "$a" = "$b" ]; then
        echo "ok   $deepf: nested 300 deep, one RL9004, every entry checked"
    else
        echo "FAIL $deepf: exit $rc, findings '$b', the whole file's '$a'"; head -c 600 deep.out deep.err; fail=1
    fi
done
exit $fail
