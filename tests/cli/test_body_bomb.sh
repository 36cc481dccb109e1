#!/usr/bin/env bash
# A decompression bomb: one response whose gzip body decodes to 10 GiB of zeros (about 10 MB on
# the wire), generated as it is piped into resplint and never stored. The body pipeline must stop
# decoding at the decoded-body limit (128 MiB by default) and say so with RL9004, in bounded
# memory and time; RL7006 must not fire (the bytes are a valid gzip member). Then the same with a
# limit of 1 MiB from the configuration file.
# usage: test_body_bomb.sh RESPLINT_BINARY SOURCE_DIR CORPUS_DIR
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
command -v python3 >/dev/null || { echo "test_body_bomb: python3 missing" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "test_body_bomb: /usr/bin/time missing (Debian package time)" >&2; exit 1; }

cat >"$tmp/bomb.py" <<'PY'
import sys, zlib
GIB = 1 << 30
total = 10 * GIB
chunk = 1 << 20
zeros = bytes(chunk)
# One raw deflate block sequence for 1 MiB of zeros, ended by a full flush so that it does not
# depend on what came before: repeated, it is a valid deflate stream of any multiple of 1 MiB.
c = zlib.compressobj(9, zlib.DEFLATED, -15)
block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
last = c.flush(zlib.Z_FINISH)
count = total // chunk
crc = 0
for _ in range(count):
    crc = zlib.crc32(zeros, crc)
header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
trailer = crc.to_bytes(4, "little") + (total & 0xffffffff).to_bytes(4, "little")
length = len(header) + count * len(block) + len(last) + len(trailer)
out = sys.stdout.buffer
out.write(b"HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\n"
          b"Content-Type: text/plain; charset=utf-8\r\nContent-Encoding: gzip\r\n"
          b"Vary: Accept-Encoding\r\nContent-Length: %d\r\n\r\n" % length)
out.write(header)
for _ in range(count):
    out.write(block)
out.write(last + trailer)
PY

# AddressSanitizer's shadow memory and quarantine add some MiB whatever the program does: the
# 16 MiB bound is for a normal build; a sanitized one gets 64 MiB (still far below a decoded body)
rss_limit=16384
if nm "$bin" 2>/dev/null | grep -q '__asan_init'; then rss_limit=65536; fi

run() { # name config-or-empty want-limit-text
    local name=$1 cfg=$2 want=$3 opts=(--no-config)
    [ -n "$cfg" ] && opts=(--config "$cfg")
    python3 "$tmp/bomb.py" | /usr/bin/time -v -o "$tmp/time" timeout 300 "$bin" "${opts[@]}" - \
        >"$tmp/out" 2>"$tmp/err"
    local rss secs
    rss=$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$tmp/time")
    secs=$(sed -n 's/^\tElapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time")
    if ! grep -q 'RL9004 limit-exceeded: the decoded body passed the limit of '"$want" "$tmp/out"; then
        echo "FAIL $name: no RL9004 for the decoded-body limit"; head -5 "$tmp/out" "$tmp/err"; fail=1
    elif grep -q 'RL7006' "$tmp/out"; then
        echo "FAIL $name: a valid gzip member reported as RL7006"; fail=1
    elif ! grep -q '^1 finding' "$tmp/out"; then
        echo "FAIL $name: more than the limit reported"; cat "$tmp/out"; fail=1
    elif [ -z "$rss" ] || [ "$rss" -gt "$rss_limit" ]; then
        echo "FAIL $name: peak RSS ${rss:-?} KiB (limit $rss_limit KiB)"; fail=1
    else
        echo "ok   $name: RL9004 at $want, peak RSS $rss KiB, $secs"
    fi
}

run "10 GiB gzip bomb, default limit" "" "134217728 bytes"
printf '[limits]\ndecoded-body = 1048576\n' >"$tmp/small.ini"
run "10 GiB gzip bomb, decoded-body = 1 MiB" "$tmp/small.ini" "1048576 bytes"
exit $fail
