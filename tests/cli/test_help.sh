# --help and the man page come from cli/options.def: every option the program accepts is in
# both, --help fits 79 columns, and the man page renders without groff warnings.
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
timeout 10 "$bin" --help >"$tmp/help" || { echo "FAIL: --help exit"; fail=1; }
timeout 10 "$bin" --man >"$tmp/man" || { echo "FAIL: --man exit"; fail=1; }
if awk 'length > 79 { bad = 1 } END { exit !bad }' "$tmp/help"; then
    echo "FAIL: --help has lines over 79 columns"; fail=1
fi
# every long option of cli/main.c, except --man (how the man page itself is made) and
# --list-responses (a hidden test aid: one line per response for the tshark comparison)
opts=$(sed -n '/long_options\[\] = {/,/{NULL, 0, NULL, 0}/p' "$src/cli/main.c" |
    grep -o '{"[a-z-]*"' | tr -d '{"' | grep -vx -e man -e list-responses)
[ -n "$opts" ] || { echo "FAIL: no options found in cli/main.c"; exit 1; }
for o in $opts; do
    grep -q -- "--$o\b" "$tmp/help" || { echo "FAIL: --$o missing from --help (add it to cli/options.def)"; fail=1; }
    grep -qF -- "\\-\\-$(printf '%s' "$o" | sed 's/-/\\-/g')" "$tmp/man" || { echo "FAIL: --$o missing from the man page"; fail=1; }
done
echo "checked $(echo "$opts" | wc -w) options"
if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z "$tmp/man" 2>"$tmp/warn"
    if [ -s "$tmp/warn" ]; then echo "FAIL: groff warnings:"; head "$tmp/warn"; fail=1; else echo "ok   man page renders"; fi
fi
exit $fail
