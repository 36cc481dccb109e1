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
lazy='libpcap|libcrypto|libyaml|libnghttp2|libbrotli|libzstd|libinih|libdbus|libsystemd|libgcrypt'
say "no lazily loaded library among the program's DT_NEEDED" \
    "$(readelf -d "$bin" | grep NEEDED | grep -cE "$lazy")" 0
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
say "a Content-Digest loads libcrypto" "$(loaded "$f/rules/RL7011/bad-token-value.http" |
    grep -o libcrypto)" libcrypto
# the same findings whether the libraries are loaded by one job or by two at once
inputs=("$f/pcap" "$f/recordings" "$f/rules/RL7006" "$f/rules/RL7010" "$f/rules/RL7011")
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
exit $fail
