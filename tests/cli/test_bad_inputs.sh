# Bad inputs: each case runs the CLI over a hostile or broken input followed by a good one, and
# checks the exit status (README: 0 clean, 1 findings at or above --fail-on, 2 unreadable or
# missing inputs), a message naming the file and the place, that the good input after it was
# still checked, and that the SARIF and JUnit reports written at the same time stay valid
# (SARIF with ajv and the official schema, tests/schema/sarif-tools.sh; JUnit with xmllint and
# tests/schema/junit.xsd). Big inputs are generated here, under the build tree, never committed.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$(cd "$2" && pwd)
work=$(dirname "$bin")/bad-inputs
rm -rf "$work"
mkdir -p "$work"
tmp=$work/tmp
mkdir -p "$tmp"
fail=0
command -v python3 >/dev/null || { echo "FAIL: python3 not found"; exit 1; }
command -v xmllint >/dev/null || { echo "FAIL: xmllint not found (Debian libxml2-utils)"; exit 1; }
. "$src/tests/schema/sarif-tools.sh"
sarif_tools_setup "$bin" "$src" "$tmp" || exit 1

cd "$work" || exit 1
# the good input checked after each bad one: one warning, RL2002
printf 'HTTP/1.1 302 Found\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n' >companion.http
companion='companion.http:1:1: warning RL2002'

sarifs=()
# case NAME WANT-EXIT WANT-TEXT WHERE [INPUT...] (the companion is added last; stdin is kept)
# WHERE: out (the text report) or err (stderr); WANT-TEXT is a fixed string.
case_() {
    local name=$1 want=$2 text=$3 where=$4
    shift 4
    local rc
    timeout 60 "$bin" --no-config --report "sarif:$name.sarif" --report "junit:$name.xml" \
        --report "text:$name.out" "$@" companion.http 2>"$name.err"
    rc=$?
    local ok=1
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; ok=0
    fi
    if ! grep -qF -- "$text" "$name.$where"; then
        echo "FAIL $name: the $where output lacks '$text':"; head -c 1500 "$name.$where"; ok=0
    fi
    if ! grep -qF -- "$companion" "$name.out"; then
        echo "FAIL $name: the input after it was not checked"; ok=0
    fi
    if ! xmllint --noout --schema "$src/tests/schema/junit.xsd" "$name.xml" 2>"$name.xmlerr"; then
        echo "FAIL $name: JUnit report invalid:"; head -5 "$name.xmlerr"; ok=0
    fi
    if [ "$(stat -c %s "$name.err")" -gt 100000 ] || [ "$(stat -c %s "$name.out")" -gt 1000000 ]; then
        echo "FAIL $name: unbounded output"; ok=0
    fi
    sarifs+=("$name.sarif")
    [ $ok = 1 ] && echo "ok   $name (exit $rc)" || fail=1
}

# ---- byte-level garbage ----
: >empty.http
case_ empty 0 "empty.http: empty input, nothing to check" err empty.http
printf 'H' >one-byte.http
case_ one-byte 1 "one-byte.http:1:1: error RL9001" out one-byte.http
python3 -c 'import random,sys; random.seed(8); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(65536)))' >random.bin
case_ random 2 "random.bin: not a capture: it holds binary data and does not start like an HTTP response" err random.bin
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >image.png
case_ png 2 "image.png: not a capture: it holds binary data" err image.png
# bytes that start like HTTP stay a response, whatever follows
python3 -c 'import random,sys; random.seed(9); sys.stdout.buffer.write(b"HTTP/1.1 200 OK\r\n" + bytes(random.randrange(256) for _ in range(4096)))' >http-then-random.bin
case_ http-then-random 1 "http-then-random.bin" out http-then-random.bin

# ---- pcap ----
printf '\xd4\xc3\xb2\xa1\x02\x00' >cut-header.pcap
case_ pcap-cut-global-header 2 "cut-header.pcap: not a capture libpcap reads: truncated dump file" err cut-header.pcap
pcap=$src/fixtures/pcap/loopback-nginx.pcap
head -c $(($(stat -c %s "$pcap") - 10)) "$pcap" >cut-record.pcap
case_ pcap-cut-record 0 "cut-record.pcap:frame 34: info RL9003 capture-truncated: the capture file ends in the middle of frame 34" out cut-record.pcap
# every frame cut to 64 bytes, as tcpdump -s 64 writes it: inside the TCP options here
python3 - "$pcap" snap64.pcap <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
out = bytearray(d[:24])
out[16:20] = struct.pack("<I", 64)
i = 24
while i + 16 <= len(d):
    ts, tu, incl, orig = struct.unpack("<IIII", d[i:i + 16])
    keep = min(incl, 64)
    out += struct.pack("<IIII", ts, tu, keep, orig) + d[i + 16:i + 16 + keep]
    i += 16 + incl
open(sys.argv[2], "wb").write(out)
PY
case_ pcap-snaplen-64 0 "snap64.pcap:frame 1: info RL9003 capture-truncated: frame 1 is cut by the snapshot length (64 of 74 bytes)" out snap64.pcap

# ---- HAR and JSON ----
printf '{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"http://x/"},"response":{"status":200,"statusText":"O' >cut-string.har
case_ har-cut-in-string 2 "cut-string.har:1:122: the HAR is truncated: the file ends inside the JSON text, inside /log/entries/0" err cut-string.har
printf '{"log":{"version":"1.2","entries":[{"request":{"method":7,"url":[]},"response":{"status":"200","statusText":5,"headers":{"a":1},"content":[]}}]}}' >types.har
case_ har-wrong-types 1 "types.har:1:57: entry 0 (/log/entries/0/request/method): error RL9005 har-entry-invalid: /log/entries/0/request/method is a number, not a string" out types.har
# nesting deeper than 1,024 and a number of a million digits in members the reader ignores:
# the entries around them are still checked (both rejected the whole file before)
python3 - <<'PY'
import json
def entry(extra=""):
    e = json.dumps({"request": {"method": "GET", "url": "http://x/", "httpVersion": "HTTP/1.1", "headers": []},
                    "response": {"status": 301, "statusText": "Moved", "httpVersion": "HTTP/1.1", "headers": [],
                                 "content": {"size": 0}, "bodySize": 0}})
    return e[:-1] + extra + "}"
deep = entry(',"_x":' + "[" * 5000 + "]" * 5000)
num = entry(',"_n":' + "1" * 1000000 + ".5e10")
for name, mid in (("deep.har", deep), ("bignum.har", num)):
    open(name, "w").write('{"log":{"version":"1.2","entries":[%s,%s,%s]}}' % (entry(), mid, entry()))
PY
case_ har-deep-ignored 1 "deep.har:1:" out deep.har
[ "$(grep -c 'RL2001' har-deep-ignored.out)" = 3 ] || { echo "FAIL har-deep-ignored: not every entry checked"; fail=1; }
case_ har-bignum-ignored 1 "bignum.har:1:" out bignum.har
[ "$(grep -c 'RL2001' har-bignum-ignored.out)" = 3 ] || { echo "FAIL har-bignum-ignored: not every entry checked"; fail=1; }
python3 -c 'import sys; sys.stdout.buffer.write(b"\xff\xfe" + open("types.har").read().encode("utf-16-le"))' >utf16.har
case_ har-utf16 2 "utf16.har: not a capture: it is UTF-16 text (a byte order mark)" err utf16.har
python3 -c 'import sys; sys.stdout.buffer.write(b"\x00\x00\xfe\xff" + open("types.har").read().encode("utf-32-be"))' >utf32.har
case_ har-utf32 2 "utf32.har: not a capture: it is UTF-32 text" err utf32.har
printf '{"name":"x","version":"1.0.0","dependencies":{}}\n' >package.json
case_ json-not-har 2 "package.json: not a HAR" err package.json

# ---- sizes: bounded memory, RL9004 ----
python3 -c 'import sys; sys.stdout.buffer.write(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (10 << 20) + b"\r\nContent-Length: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")' >long-line.http
case_ header-line-10MB 0 "long-line.http:1:1: warning RL9004 limit-exceeded: the response head is longer than the limit of 1048576 bytes" out long-line.http
python3 -c 'import sys; sys.stdout.buffer.write(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-F%d: v\r\n" % i for i in range(100000)) + b"Content-Length: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")' >many-fields.http
case_ fields-100000 0 "many-fields.http:1:1: warning RL9004 limit-exceeded: more than 1000 field lines" out many-fields.http
# peak memory above that of a tiny input (the sanitizer builds start big): the head is cut at
# its limit, the big line is never held whole
peak_kib() {
    /usr/bin/time -f '%M' -o "$tmp/rss" timeout 60 "$bin" --no-config "$1" >/dev/null 2>&1
    tail -1 "$tmp/rss"
}
[ -x /usr/bin/time ] || { echo "FAIL: /usr/bin/time not found (Debian time)"; exit 1; }
base=$(peak_kib companion.http)
for f in long-line.http many-fields.http; do
    kib=$(peak_kib "$f")
    if [ -n "$kib" ] && [ $((kib - base)) -lt 16384 ]; then
        echo "ok   $f: peak RSS $kib KiB ($base KiB for a tiny input)"
    else
        echo "FAIL $f: peak RSS '$kib' KiB ($base KiB for a tiny input)"; fail=1
    fi
done

# ---- files that cannot be read ----
mkdir -p dir
cp companion.http dir/a-good.http
printf 'HTTP/1.1 200 OK\r\n' >dir/b-unreadable.http
chmod 000 dir/b-unreadable.http
ln -sf does-not-exist.http dir/c-dangling.http
mkfifo dir/d-fifo
# root reads a mode-000 file; the dangling link is unreadable for everyone
case_ dir-unreadable 2 "dir/c-dangling.http: cannot open: No such file or directory" err dir
grep -qF "dir/a-good.http:1:1: warning RL2002" dir-unreadable.out || { echo "FAIL dir-unreadable: the readable file was not checked"; fail=1; }
grep -qF "skipped 1 file" dir-unreadable.err || { echo "FAIL dir-unreadable: the FIFO in the folder is not counted as skipped"; fail=1; }
if ! cat dir/b-unreadable.http >/dev/null 2>&1; then
    grep -qF "dir/b-unreadable.http: cannot open: Permission denied" dir-unreadable.err ||
        { echo "FAIL dir-unreadable: the mode-000 file is not reported"; fail=1; }
else
    echo "note: running as root, the mode-000 file is readable and is checked"
fi
chmod 600 dir/b-unreadable.http
case_ missing-path 2 "no-such-file.http: cannot open: No such file or directory" err no-such-file.http
jq -e '.runs[0].invocations[0].toolExecutionNotifications | length == 1' missing-path.sarif >/dev/null ||
    { echo "FAIL missing-path: not in the SARIF toolExecutionNotifications"; fail=1; }
mkfifo fifo
timeout 30 sh -c 'printf "HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n" >fifo' &
case_ fifo 1 "fifo:2:1: error RL2011" out fifo
wait
case_ stdin-closed 2 "-: cannot read: standard input is closed" err - <&-

# ---- issue 21: walks, pipes and devices ----
# two links to "." made the walk go round for ever (246k duplicate findings in 10 s): each
# folder is entered once and each file checked once
mkdir -p loop/sub
cp companion.http loop/a.http
ln -sf . loop/l1
ln -sf . loop/l2
ln -sf .. loop/sub/up
ln -sf ../a.http loop/sub/same-file.http
case_ symlink-loop 0 "loop/l1: a folder this run has walked already" err loop
[ "$(grep -c 'a.http:1:1: warning RL2002' symlink-loop.out)" = 1 ] ||
    { echo "FAIL symlink-loop: a.http not checked exactly once:"; grep -c RL2002 symlink-loop.out; fail=1; }
# a named pipe with no writer does not hang (10 s for a writer, then an input error); a writer
# that connects a little after resplint opened the pipe is waited for, not read as empty; a
# device is not read for ever
mkfifo lonely-fifo
case_ fifo-no-writer 2 "lonely-fifo: no writer opened the named pipe within 10 s" err lonely-fifo
mkfifo late-fifo
(sleep 2; printf 'HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n' >late-fifo) &
case_ fifo-late-writer 1 "late-fifo:2:1: error RL2011" out late-fifo
case_ dev-zero 2 "/dev/zero: not a regular file (a character device)" err /dev/zero
# a folder that cannot be read is an input error in SARIF and JUnit too (nested too deep here:
# root reads mode-000 folders)
deep=deep; for i in $(seq 66); do deep=$deep/d; done
mkdir -p "$deep"
case_ folder-error 2 "folders nested too deep, not entered" err deep
jq -e '.runs[0].invocations[0].executionSuccessful == false' folder-error.sarif >/dev/null ||
    { echo "FAIL folder-error: SARIF says the run succeeded"; fail=1; }
grep -q 'nested too deep' folder-error.xml ||
    { echo "FAIL folder-error: the JUnit report does not name it"; fail=1; }

sarif_validate "${sarifs[@]}" || fail=1
exit $fail
