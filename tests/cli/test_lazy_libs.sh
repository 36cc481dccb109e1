# Start-up (issue 22): the libraries only some inputs need are not linked into the program but
# loaded when an input needs them (lib/core/lazylib.h). The program's DT_NEEDED lacks them; a raw
# file loads none of them; each input that needs one loads it and is read as before, with one
# job and with two.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$(cd "$2" && pwd)
. "$src/tests/cli/skip.sh"
command -v readelf >/dev/null || skip "readelf (binutils) is missing"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: got '$2', want '$3'"; fail=1; fi; }
lazy='libpcap|libcrypto|libyaml|libnghttp2|libbrotli|libzstd|libinih|libdbus|libsystemd|libgcrypt|libz|libyajl'
say "no lazily loaded library among the program's DT_NEEDED" \
    "$(readelf -d "$bin" | grep NEEDED | grep -cE "\[($lazy)\.")" 0
# zlib and YAJL too (issue 22: each library mapped at start-up costs a tiny file's run ~0.05 ms):
# the program needs the C library alone (and the sanitizers' run-time in an ASan build)
say "the program's DT_NEEDED: libc (and the dynamic linker) only" \
    "$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
        grep -vE '^(libc|ld-linux[^.]*|libasan|libubsan)\.so' | tr '\n' ' ')" ""
# LD_DEBUG=files names every shared object the dynamic linker maps, at start-up and by dlopen
loaded() { # ARGS...: the lazily loaded libraries mapped while linting ARGS, sorted, one line
    LD_DEBUG=files "$bin" --no-config --fail-on never "$@" 2>&1 >/dev/null |
        sed -n 's/.*file=\([^ ]*\) \[0\];  needed by.*/\1/p; s/.*file=\([^ ]*\) \[0\];  dynamically loaded by.*/\1/p' |
        grep -oE "^($lazy)[^ ]*" | sed 's/\.so.*//' | sort -u | tr '\n' ' '
}
f=$src/fixtures
cd "$tmp" || exit 2
say "a raw file loads none" "$(loaded "$f/rules/RL2001/bad.http")" ""
say "a capture loads libpcap (and what libpcap needs)" \
    "$(loaded "$f/pcap/hosts.pcap" | grep -o 'libpcap')" libpcap
say "a YAML cassette loads libyaml" "$(loaded "$f/recordings/vcrpy.yaml")" "libyaml-0 "
say "a zstd body loads libzstd" "$(loaded "$f/rules/RL7006/bad-zstd-incomplete.http")" "libzstd "
say "a gzip body loads zlib" "$(loaded "$f/rules/RL7006/bad-crc.http")" "libz "
say "a JSON body loads YAJL" "$(loaded "$f/rules/RL7008/bad-trailing-comma.http")" "libyajl "
say "a HAR file loads YAJL" "$(loaded "$f/recordings/polly.har")" "libyajl "
say "a JSON recording loads YAJL" "$(loaded "$f/recordings/betamax.json")" "libyajl "
say "a gzip'd capture loads zlib (and libpcap)" \
    "$(loaded "$f/pcap/pipeline-head-304-chunked.pcap.gz" | grep -oE 'libz |libpcap' | tr -d ' ' | sort | tr '\n' ' ')" "libpcap libz "
say "a Content-Digest loads libcrypto" "$(loaded "$f/rules/RL7011/bad-token-value.http" |
    grep -o libcrypto)" libcrypto
# the same findings whether the libraries are loaded by one job or by two at once
inputs=("$f/pcap" "$f/recordings" "$f/rules/RL7006" "$f/rules/RL7008" "$f/rules/RL7010" "$f/rules/RL7011")
"$bin" --no-config --format jsonl "${inputs[@]}" >one.jsonl 2>one.err
r1=$?
"$bin" --no-config --format jsonl --jobs 2 "${inputs[@]}" >two.jsonl 2>two.err
r2=$?
if [ "$r1" = "$r2" ] && cmp -s one.jsonl two.jsonl && cmp -s one.err two.err; then
    say "--jobs 2 = --jobs 1 over captures, cassettes, zstd/br bodies and digests (lines)" \
        "$(wc -l <two.jsonl)" "$(wc -l <one.jsonl)"
else
    echo "FAIL: --jobs 2 differs from --jobs 1 (exits $r1 $r2)"; diff one.jsonl two.jsonl | head -5; fail=1
fi
grep -q '"RL7006"' one.jsonl || { echo "FAIL: no RL7006 (the zstd body was not decoded)"; fail=1; }
grep -q '"RL7008"' one.jsonl || { echo "FAIL: no RL7008 (the JSON body was not checked)"; fail=1; }

# A library that cannot be loaded is named, never taken for something else (nghttp2's failure was
# reported as "out of memory"): in a mount namespace of its own (root), nghttp2's file is covered
# by /dev/null; the HTTP/2 capture is then an input error naming the library, exit 2.
ng=$(ldconfig -p | sed -n 's/^[[:space:]]*libnghttp2\.so\.[0-9]* .*=> //p' | head -n 1)
if [ "$(id -u)" = 0 ] && [ -n "$ng" ] && unshare -m true 2>/dev/null; then
    out=$(unshare -m sh -c 'mount --bind /dev/null "$(readlink -f "$1")" && shift &&
        "$@"' _ "$ng" "$bin" --no-config --format jsonl "$f/rules/RL8001/bad-content-type.pcap" \
        "$f/rules/RL2001/bad-301.http" 2>&1)
    rc=$?
    say "missing nghttp2: exit 2" "$rc" 2
    say "missing nghttp2: the input error names HTTP/2 and nghttp2" \
        "$(grep -c '"type":"input_error".*HTTP/2 in frame [0-9]*, which resplint reads with nghttp2: .*libnghttp2' <<<"$out")" 1
    say "missing nghttp2: not called out of memory" "$(grep -ci 'out of memory' <<<"$out")" 0
    say "missing nghttp2: the other input is still checked" \
        "$(grep -c '"rule":"RL2001"' <<<"$out")" 1
else
    echo "SKIP missing nghttp2: needs root, ldconfig's libnghttp2 and unshare -m"
fi

# zlib and YAJL (loaded once per process, lib/core/lazylib.h) the same way: what needs the
# library is an input error naming it (exit 2), never a body left unchecked without a word; the
# inputs that do not need it are checked as before.
# without LIB INPUTS...: resplint run on INPUTS with ldconfig's LIB covered by /dev/null
without() {
    local so
    so=$(ldconfig -p | sed -n "s/^[[:space:]]*$1\.so\.[0-9]* .*=> //p" | head -n 1)
    shift
    unshare -m sh -c 'mount --bind /dev/null "$(readlink -f "$1")" && shift && "$@"' _ "$so" \
        "$bin" --no-config --format jsonl "$@" 2>&1
}
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null &&
    ldconfig -p | grep -q 'libz\.so\.' && ldconfig -p | grep -q 'libyajl\.so\.' &&
    ldconfig -p | grep -q 'libbrotlidec\.so\.' && ldconfig -p | grep -q 'libzstd\.so\.'; then
    python3 - "$f/rules/RL9007/good.warc" warc.gz <<'PY' || { echo "FAIL: writing warc.gz"; fail=1; }
import gzip, sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(gzip.compress(data))
PY
    ierr() { # OUTPUT PATTERN: input errors of OUTPUT matching PATTERN
        grep '"type":"input_error"' <<<"$1" | grep -c "$2"
    }
    out=$(without libz "$f/rules/RL7006/bad-crc.http" "$f/rules/RL2001/bad-301.http")
    rc=$?
    say "missing zlib, a gzip body: exit 2" "$rc" 2
    say "missing zlib, a gzip body: the input error names the body and zlib" \
        "$(ierr "$out" 'bad-crc.http: offset [0-9]*: a gzip body, which resplint reads with zlib: libz\.so\.[0-9]* could not be loaded')" 1
    say "missing zlib, a gzip body: no finding of the body's file" "$(grep -c '"rule":"RL7006"' <<<"$out")" 0
    say "missing zlib: a raw file without a coded body is checked" "$(grep -c '"rule":"RL2001"' <<<"$out")" 1
    out=$(without libz warc.gz "$f/pcap/pipeline-head-304-chunked.pcap.gz")
    rc=$?
    say "missing zlib, .warc.gz and .pcap.gz: exit 2" "$rc" 2
    say "missing zlib, .warc.gz and .pcap.gz: two input errors naming zlib" \
        "$(ierr "$out" 'gz: a gzip-compressed input, which resplint reads with zlib: libz\.so')" 2
    out=$(without libyajl "$f/recordings/polly.har" "$f/recordings/betamax.json" \
        "$f/rules/RL7008/bad-trailing-comma.http" "$f/rules/RL2001/bad-301.http")
    rc=$?
    say "missing YAJL: exit 2" "$rc" 2
    say "missing YAJL: the HAR file's input error names YAJL" \
        "$(ierr "$out" 'polly.har: a HAR file, which resplint reads with YAJL: libyajl\.so\.[0-9]* could not be loaded')" 1
    say "missing YAJL: the JSON recording's input error names YAJL" \
        "$(ierr "$out" 'betamax.json: a JSON recording, which resplint reads with YAJL: libyajl')" 1
    say "missing YAJL: the JSON body's input error names YAJL" \
        "$(ierr "$out" 'bad-trailing-comma.http: offset [0-9]*: a JSON body, which resplint reads with YAJL: libyajl')" 1
    say "missing YAJL: a raw file without a JSON body is checked" "$(grep -c '"rule":"RL2001"' <<<"$out")" 1
    # brotli and zstd bodies the same way (they were left unchecked without a word before)
    out=$(without libbrotlidec "$f/rules/RL7006/bad-gzip-as-br.http" "$f/rules/RL2001/bad-301.http")
    rc=$?
    say "missing brotli: a brotli body is an input error naming libbrotli (exit 2)" \
        "$rc $(ierr "$out" 'bad-gzip-as-br.http: offset [0-9]*: a brotli body, which resplint reads with libbrotli: libbrotlidec\.so')" "2 1"
    out=$(without libzstd "$f/rules/RL7006/bad-zstd-incomplete.http" "$f/rules/RL2001/bad-301.http")
    rc=$?
    say "missing zstd: a zstd body is an input error naming libzstd (exit 2)" \
        "$rc $(ierr "$out" 'bad-zstd-incomplete.http: offset [0-9]*: a zstd body, which resplint reads with libzstd: libzstd\.so')" "2 1"
    # a digest field's body without libcrypto (the second response of the file)
    printf 'HTTP/1.1 301 Moved Permanently\r\nLocation: /\r\nContent-Length: 0\r\n\r\n' >two.http
    cat "$f/rules/RL7010/bad.http" >>two.http
    out=$(without libcrypto two.http "$f/rules/RL2001/bad-301.http")
    rc=$?
    say "missing libcrypto: a digest is an input error naming libcrypto (exit 2)" \
        "$rc $(ierr "$out" 'two.http: offset [0-9]*: a digest field, which resplint reads with libcrypto: libcrypto\.so')" "2 1"
    say "missing zlib or YAJL: never called out of memory or an internal error" \
        "$(without libz "$f/rules/RL7006" | grep -ciE 'out of memory|internal error')" 0
else
    echo "SKIP missing zlib, YAJL, brotli and zstd: needs root, ldconfig's libraries and unshare -m"
fi
exit $fail
