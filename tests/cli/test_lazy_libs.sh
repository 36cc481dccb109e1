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
exit $fail
