#!/bin/sh
# Regenerates fixtures/recordings/ with the real recorders, each recording the paths of
# paths.txt from fault_server.py on 127.0.0.1. Needs (Debian) python3-vcr python3-betamax
# python3-requests ruby-vcr ruby-webmock golang-go golang-github-dnaeon-go-vcr-dev mitmproxy
# default-jre-headless curl nodejs npm; npm packages (nock 13 and 14, newman, wiremock, Polly.JS) are
# installed into a scratch folder, never into the repository.
# Usage: tests/recordings/regenerate.sh [OUTDIR]   (default: fixtures/recordings)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/fixtures/recordings}
scratch=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { /usr/bin/python3 -c 'import socket,sys,time
for _ in range(150):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close(); sys.exit(0)
    except OSError: time.sleep(0.2)
sys.exit("port never opened")' "$1"; }

for m in 13 14; do
    mkdir -p "$scratch/nock$m"
    (cd "$scratch/nock$m" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "nock@$m" >/dev/null)
done
mkdir -p "$scratch/npm"
(cd "$scratch/npm" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent newman wiremock \
    @pollyjs/core @pollyjs/adapter-node-http @pollyjs/persister-fs >/dev/null)

/usr/bin/python3 "$here/fault_server.py" "$scratch/port" &
server=$!
for _ in $(seq 50); do [ -s "$scratch/port" ] && break; sleep 0.1; done
port=$(cat "$scratch/port")
base="http://127.0.0.1:$port"
rm -rf "$out"
mkdir -p "$out"

/usr/bin/python3 "$here/record_vcrpy.py" "$port" "$out"
/usr/bin/python3 "$here/record_betamax.py" "$port" "$out"
ruby "$here/record_ruby_vcr.rb" "$port" "$out"
(cd "$here" && GO111MODULE=off GOPATH="$scratch/go:/usr/share/gocode" GOCACHE="$scratch/gocache" \
    go run record_govcr.go "$port" "$out" "$here/paths.txt")
node "$here/record_nock.js" "$scratch/nock13/node_modules" "$port" "$out" nock13
node "$here/record_nock.js" "$scratch/nock14/node_modules" "$port" "$out" nock14
# Polly.JS writes HAR (read by the HAR reader); its folder name holds a hash: keep the file only
node "$here/record_polly.js" "$scratch/npm/node_modules" "$port" "$scratch"
mv "$scratch"/polly/*/recording.har "$out/polly.har"

# newman's JSON report, then the collection with the responses saved as examples
/usr/bin/python3 "$here/make_collection.py" "$scratch/collection.json"
"$scratch/npm/node_modules/.bin/newman" run "$scratch/collection.json" --env-var "base=$base" \
    --reporters json --reporter-json-export "$out/newman.json" >/dev/null
/usr/bin/python3 "$here/make_collection.py" "$out/postman_collection.json" "$out/newman.json"

# mitmproxy as a reverse proxy in front of the server, curl as the client
mport=$(free_port)
mitmdump -q --mode "reverse:$base" --listen-host 127.0.0.1 -p "$mport" -w "$out/mitmproxy.flows" &
mitm=$!
wait_port "$mport"
for p in $(cat "$here/paths.txt"); do curl -s -o /dev/null "http://127.0.0.1:$mport$p"; done
kill -INT "$mitm"; wait "$mitm" || true

# WireMock recording through its admin API: mappings/ and __files/, and the snapshot
wport=$(free_port)
java -jar "$scratch"/npm/node_modules/wiremock/build/wiremock-standalone-*.jar --port "$wport" \
    --bind-address 127.0.0.1 --root-dir "$out/wiremock" --disable-banner >/dev/null 2>&1 &
wm=$!
wait_port "$wport"
curl -s -X POST -d "{\"targetBaseUrl\":\"$base\",\"extractBodyCriteria\":{\"textSizeThreshold\":\"1 mb\",\"binarySizeThreshold\":\"0\"}}" "http://127.0.0.1:$wport/__admin/recordings/start" >/dev/null
for p in $(cat "$here/paths.txt"); do curl -s -o /dev/null "http://127.0.0.1:$wport$p"; done
curl -s -X POST "http://127.0.0.1:$wport/__admin/recordings/stop" >"$out/wiremock_snapshot.json"
kill "$wm"; wait "$wm" 2>/dev/null || true
rm -f "$scratch/collection.json"
echo "regenerate: recordings written to $out" >&2
