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
# every option of cli/options.def (the getopt table of cli/main.c is generated from it; HIDDEN
# lines, the build and test aids --man and --list-responses, are left out of the help): in
# --help, in the man page, and accepted by the program
opts=$(sed -n 's/^OPT([A-Z_]*, "\([a-z-]*\)".*/\1/p' "$src/cli/options.def")
[ -n "$opts" ] || { echo "FAIL: no options found in cli/options.def"; exit 1; }
for o in $opts; do
    grep -q -- "--$o\b" "$tmp/help" || { echo "FAIL: --$o missing from --help"; fail=1; }
    grep -qF -- "\\-\\-$(printf '%s' "$o" | sed 's/-/\\-/g')" "$tmp/man" || { echo "FAIL: --$o missing from the man page"; fail=1; }
    arg=$(grep -o "^OPT([A-Z_]*, \"$o\", ARG" "$src/cli/options.def" >/dev/null && echo x)
    timeout 10 "$bin" --no-config "--$o" ${arg:+x} </dev/null >/dev/null 2>"$tmp/err"
    if grep -q "unknown or incomplete option" "$tmp/err"; then echo "FAIL: --$o is not accepted"; fail=1; fi
done
echo "checked $(echo "$opts" | wc -w) options"
if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z "$tmp/man" 2>"$tmp/warn"
    if [ -s "$tmp/warn" ]; then echo "FAIL: groff warnings:"; head "$tmp/warn"; fail=1; else echo "ok   man page renders"; fi
fi
exit $fail
