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

# Many findings, several in one 64 KiB read, and a response longer than the reader's window
# (its head's lines are looked up after its bytes were released): each at its own line.
age='HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nAge: -1\r\nContent-Length: 12\r\n\r\nline1\nline2\n'
big=600000 # a body of 300,000 lines
{
    line=1
    for i in $(seq 1 400); do
        if [ $((i % 7)) = 0 ]; then
            printf "$age"
            echo "line=$((line + 2)),col=1,title=RL5010" >>"$tmp/want"
            line=$((line + 7))
        else
            printf "$ok"
            line=$((line + 6))
        fi
        if [ "$i" = 200 ]; then
            printf 'HTTP/1.1 200 OK\r\nAge: -1\r\nContent-Length: %d\r\n\r\n' "$big"
            echo "line=$((line + 1)),col=1,title=RL5010" >>"$tmp/want"
            head -c "$big" /dev/zero | tr '\0' '\n'
            line=$((line + 4 + big))
        fi
    done
} >"$tmp/many.http"
timeout 60 "$bin" --no-config --format github "$tmp/many.http" >"$tmp/out" 2>&1
grep -o 'line=[0-9]*,col=[0-9]*,title=RL5010' "$tmp/out" >"$tmp/got"
if cmp -s "$tmp/want" "$tmp/got"; then
    echo "ok   $(wc -l <"$tmp/want") findings at their lines in $(stat -c %s "$tmp/many.http") bytes"
else
    echo "FAIL: lines of RL5010:"; diff "$tmp/want" "$tmp/got" | head -20; exit 1
fi
