# Line and column of findings in raw text files (what text, github and SARIF show) stay right
# across the reader's 64 KiB chunks and after earlier responses' lines are released.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok='HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 12\r\n\r\nline1\nline2\n'
bad='HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab'
{
    for i in $(seq 1 3000); do printf "$ok"; done   # 6 lines each: 18000 lines, ~270 KB
    printf "$bad"
} >"$tmp/big.http"
timeout 30 "$bin" --no-config --format github "$tmp/big.http" >"$tmp/out" 2>&1
want="line=18004,col=1,title=RL3002"
if grep -q "$want" "$tmp/out"; then
    echo "ok   $want after $(stat -c %s "$tmp/big.http") bytes"
else
    echo "FAIL: want $want:"; head -c 2000 "$tmp/out"; exit 1
fi
