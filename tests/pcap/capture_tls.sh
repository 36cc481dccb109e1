#!/usr/bin/env bash
# Records the TLS fixtures of RL9009 from real traffic: curl to Debian's nginx over TLS 1.3 on
# the loopback interface, captured with tcpdump (needs root). The capture without its key log
# is bad-no-keylog.pcap; the same with the secrets embedded (editcap --inject-secrets) is
# good-secrets-embedded.pcapng.   sudo bash tests/pcap/capture_tls.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tests/pcap/tls_server.sh"
work=$(mktemp -d)
trap 'tls_stop; rm -rf "$work"' EXIT
tls_start "$work" "${PORT:-18443}"
tls_capture_start "$work/out.pcap"
tls_curl "$work/keys.log" --tlsv1.3 /index.html
tls_capture_stop
out=$src/fixtures/rules/RL9009
cp "$work/out.pcap" "$out/bad-no-keylog.pcap"
editcap --inject-secrets "tls,$work/keys.log" "$work/out.pcap" "$out/good-secrets-embedded.pcapng"
echo "wrote $out/bad-no-keylog.pcap and good-secrets-embedded.pcapng"
