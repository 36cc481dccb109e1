#!/usr/bin/env bash
# TLS in captures, with real peers on 127.0.0.1: Debian's nginx over TLS, curl with
# SSLKEYLOGFILE for TLS 1.3 (each of its cipher suites) and TLS 1.2 (AES-GCM, ChaCha20-Poly1305,
# AES-CBC with SHA-1, SHA-256 and SHA-384 MACs), tcpdump on lo. For the capture, the
# (tcp.stream, frame, status) of every response resplint decrypts must be those tshark finds
# with the same key log; a key log missing one session gives RL9009 for that connection only;
# the secrets embedded in a pcapng (editcap --inject-secrets) decrypt it too; no key is printed.
# Needs root (tcpdump). Usage: test_pcap_tls.sh RESPLINT_BINARY SOURCE_DIR [CORPUS_DIR]
set -u
bin=$1 src=$2
for tool in nginx tcpdump curl tshark editcap openssl; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (scripts/bootstrap installs it)"; exit 1; }
done
. "$src/tests/pcap/tls_server.sh"
work=$(mktemp -d)
trap 'tls_stop; rm -rf "$work"' EXIT
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); echo "ok   $*"; }
port=$((20000 + $$ % 20000))
tls_start "$work" "$port" || { echo "FAIL: nginx did not start"; exit 1; }
keys=$work/keys.log
tls_capture_start "$work/all.pcap" || exit 1
# one connection per scenario; each asks for a page, a 301 without Location and a 405
scen=(
    "--tlsv1.3 --tls13-ciphers TLS_AES_128_GCM_SHA256"
    "--tlsv1.3 --tls13-ciphers TLS_AES_256_GCM_SHA384"
    "--tlsv1.3 --tls13-ciphers TLS_CHACHA20_POLY1305_SHA256"
    "--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES128-GCM-SHA256"
    "--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES256-GCM-SHA384"
    "--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-CHACHA20-POLY1305"
    "--tlsv1.2 --tls-max 1.2 --ciphers AES128-SHA"
    "--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES256-SHA384"
    "--tlsv1.2 --tls-max 1.2 --ciphers AES256-SHA256"
)
for s in "${scen[@]}"; do
    # shellcheck disable=SC2086
    tls_curl "$keys" $s /index.html /moved /denied || fail "curl $s"
done
tls_capture_stop
n_conn=${#scen[@]}

# every response, as resplint and tshark see them
"$bin" --no-config --keylog "$keys" --list-responses "$work/all.pcap" | sort >"$work/r.tsv"
tshark -n -r "$work/all.pcap" -o "tls.keylog_file:$keys" -Y http.response -T fields \
    -e tcp.stream -e frame.number -e http.response.code 2>/dev/null | sort >"$work/t.tsv"
if [ "$(wc -l <"$work/r.tsv")" -eq $((3 * n_conn)) ] && cmp -s "$work/r.tsv" "$work/t.tsv"; then
    ok "$((3 * n_conn)) responses in $n_conn TLS connections, as tshark decrypts them"
else
    fail "responses differ from tshark's:"; diff "$work/r.tsv" "$work/t.tsv" | head -20
fi
# the faults inside are found: a 301 without Location and a 405 without Allow per connection
"$bin" --no-config --keylog "$keys" --format json "$work/all.pcap" >"$work/f.json"
# shared out over two jobs (one capture: its connections over two threads), the same report
"$bin" --no-config --keylog "$keys" --jobs 2 --format json "$work/all.pcap" >"$work/f2.json"
cmp -s "$work/f.json" "$work/f2.json" && ok "--jobs 2: the report of one job" ||
    fail "--jobs 2 differs from one job: $(diff "$work/f.json" "$work/f2.json" | head -c 600)"
for rule in RL2001 RL2022; do
    n=$(jq --arg r $rule '[.files[0].findings[] | select(.rule == $r)] | length' "$work/f.json")
    [ "$n" = "$n_conn" ] && ok "$rule found in each connection" || fail "$rule: $n findings, want $n_conn"
done
n=$(jq '[.files[0].findings[] | select(.rule != "RL2001" and .rule != "RL2022")] | length' "$work/f.json")
[ "$n" = 0 ] && ok "nothing else reported" || fail "other findings: $(jq -c '[.files[0].findings[] | [.rule,.message]]' "$work/f.json" | head -c 600)"

# no key is printed, in any format
secret=$(awk 'NF == 3 {print $3; exit}' "$keys")
for fmt in text json sarif junit html; do
    if "$bin" --no-config --keylog "$keys" --format $fmt "$work/all.pcap" 2>&1 | grep -qi "$secret"; then
        fail "a secret of the key log is in the $fmt report"
    fi
done
ok "no secret in any report"

# a key log without the third connection's session: RL9009 there only, the rest still checked
random=$(tshark -n -r "$work/all.pcap" -Y "tcp.stream == 2 && tls.handshake.type == 1" -T fields \
    -e tls.handshake.random 2>/dev/null | head -1 | tr -d ':')
grep -vi "$random" "$keys" >"$work/partial.log"
"$bin" --no-config --keylog "$work/partial.log" --format json "$work/all.pcap" >"$work/p.json"
streams=$(jq -c '[.files[0].findings[] | select(.rule == "RL9009") | .tcp_stream] | unique' "$work/p.json")
others=$(jq '[.files[0].findings[] | select(.rule == "RL2001")] | length' "$work/p.json")
if [ -n "$random" ] && [ "$streams" = "[2]" ] && [ "$others" = $((n_conn - 1)) ]; then
    ok "a session missing from the key log: RL9009 on its connection only"
else
    fail "partial key log: RL9009 on $streams, RL2001 $others times"
fi
# without any key log: each connection says so, and nothing is blamed on the server
"$bin" --no-config --format json "$work/all.pcap" >"$work/n.json"
n=$(jq '[.files[0].findings[] | select(.rule == "RL9009")] | length' "$work/n.json")
m=$(jq '[.files[0].findings[] | select(.rule != "RL9009")] | length' "$work/n.json")
[ "$n" = $((2 * n_conn)) ] && [ "$m" = 0 ] && ok "no key log: RL9009 per connection and direction" ||
    fail "no key log: $n RL9009, $m other findings"

# the secrets embedded in a pcapng (Decryption Secrets Block)
editcap --inject-secrets "tls,$keys" "$work/all.pcap" "$work/dsb.pcapng" 2>/dev/null
"$bin" --no-config --list-responses "$work/dsb.pcapng" | sort >"$work/d.tsv"
cmp -s "$work/d.tsv" "$work/r.tsv" && ok "secrets embedded in the pcapng decrypt it" ||
    fail "pcapng with a DSB: $(wc -l <"$work/d.tsv") responses"
# --jobs: the shared reading hands the DSB's key log to every shard where libpcap met it
"$bin" --no-config --format jsonl --fail-on never "$work/dsb.pcapng" >"$work/d1.jsonl"
"$bin" --no-config --format jsonl --fail-on never --jobs 2 "$work/dsb.pcapng" >"$work/d2.jsonl"
cmp -s "$work/d1.jsonl" "$work/d2.jsonl" && ok "pcapng with a DSB, --jobs 2: the report of one job" ||
    fail "pcapng with a DSB, --jobs 2 differs: $(diff "$work/d1.jsonl" "$work/d2.jsonl" | head -c 600)"

# past 16 MiB of embedded secrets a block that does not fit is not used, and that is said: two
# Decryption Secrets Blocks of 8.5 MiB of key log lines for sessions not in the capture (libpcap
# takes no block over 16 MiB) right after the section header, then editcap's block with the
# capture's own secrets: the second is left out (one RL9004), the third still fits and decrypts
editcap --inject-secrets "tls,$keys" "$work/all.pcap" "$work/one.pcapng" 2>/dev/null
python3 - "$work/one.pcapng" "$work/big.pcapng" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:4] == b"\x0a\x0d\x0d\x0a" and data[8:12] == b"\x4d\x3c\x2b\x1a"  # little-endian
shb = struct.unpack_from("<I", data, 4)[0]
def dsb(first):
    line = "CLIENT_RANDOM %064x %096x\n"
    secrets = "".join(line % (i, i) for i in range(first, first + 17 * 1024 * 1024 // 2 // 176 + 1))
    body = secrets.encode() + b"\0" * (-len(secrets) % 4)
    total = 12 + 8 + len(body)
    return struct.pack("<IIII", 0x0A, total, 0x544C534B, len(secrets)) + body + struct.pack("<I", total)
open(sys.argv[2], "wb").write(data[:shb] + dsb(1) + dsb(10 ** 6) + data[shb:])
PY
"$bin" --no-config --format jsonl --fail-on never "$work/big.pcapng" >"$work/big.jsonl"
cap=$(grep -c '"rule":"RL9004".*Decryption Secrets Blocks hold more than 16 MiB' "$work/big.jsonl")
n9=$(grep -c '"rule":"RL9009"' "$work/big.jsonl")
"$bin" --no-config --list-responses "$work/big.pcapng" | sort >"$work/b.tsv"
[ "$cap" = 1 ] && [ "$n9" = 0 ] && cmp -s "$work/b.tsv" "$work/r.tsv" &&
    ok "DSBs past 16 MiB: the block that does not fit is one RL9004; a later one that fits decrypts" ||
    fail "DSBs over the cap: $cap RL9004, $n9 RL9009, $(wc -l <"$work/b.tsv") responses (want 1, 0, $(wc -l <"$work/r.tsv"))"
"$bin" --no-config --format jsonl --fail-on never --jobs 3 "$work/big.pcapng" >"$work/big3.jsonl"
cmp -s "$work/big.jsonl" "$work/big3.jsonl" && ok "DSBs past 16 MiB, --jobs 3: the report of one job" ||
    fail "DSBs past 16 MiB, --jobs 3 differs: $(diff "$work/big.jsonl" "$work/big3.jsonl" | head -c 600)"

# a key log that does not exist is a usage error naming it
"$bin" --no-config --keylog "$work/none.log" "$work/all.pcap" >/dev/null 2>"$work/err"
[ $? = 2 ] && grep -q "none.log" "$work/err" && ok "a missing key log: exit 2" || fail "missing key log: $(cat "$work/err")"

echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ]
