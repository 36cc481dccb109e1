#!/bin/sh
# One live round trip, where it is cheap and reliable: vcrpy (Debian python3-vcr with
# python3-requests) records every path of the fault server now, and the fresh cassette must hold
# exactly the faults the committed fixtures hold. Exits 77 (ctest: skipped) when vcrpy is not
# installed. Usage: live_roundtrip.sh RESPLINT SOURCE_DIR
set -eu
resplint=$1
src=$2
here=$src/tests/recordings
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if ! "$py" -c 'import vcr, requests' 2>/dev/null; then
    echo "SKIP: vcrpy and requests are not installed for $py (Debian python3-vcr python3-requests)"
    exit 77
fi
tmp=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
"$py" "$here/fault_server.py" "$tmp/port" &
server=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
mkdir "$tmp/live"
"$py" "$here/record_vcrpy.py" "$(cat "$tmp/port")" "$tmp/live"
"$py" "$here/check_fixtures.py" "$resplint" "$src" "$tmp/live"
