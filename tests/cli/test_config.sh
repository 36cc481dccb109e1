# The .resplint configuration: found walking up from the working directory, --config FILE,
# --no-config, [rules], [limits], [path "GLOB"] overrides, the command line winning over the
# file, and errors with file and line (exit 2).
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
run() { timeout 20 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }
expect() { # name got want
    if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: got '$2', want '$3'"; head -5 "$tmp/out" "$tmp/err"; fail=1; fi
}
# one response with the same Content-Length twice (RL3003, a warning by default)
dup='HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx'
mkdir -p "$tmp/proj/legacy" "$tmp/proj/deep/er"
printf "$dup" >"$tmp/proj/new.http"
printf "$dup" >"$tmp/proj/legacy/old.http"
cat >"$tmp/proj/.resplint" <<'INI'
; severities for the whole project
[rules]
content-length-repeated = error

[limits]
findings = 50

[path "legacy/*"]
RL3003 = off
INI
cd "$tmp/proj" || exit 2

expect "[rules] raises RL3003 to error" "$(run new.http)" 1
grep -q 'error RL3003' "$tmp/out" || { echo "FAIL: RL3003 not reported as error"; fail=1; }
expect "[path] turns it off for legacy/" "$(run legacy/old.http)" 0
grep -q RL3003 "$tmp/out" && { echo "FAIL: RL3003 reported under legacy/"; fail=1; }
expect "the command line wins over [path]" "$(run --rule RL3003=error legacy/old.http)" 1
expect "the command line wins over [rules]" "$(run --rule RL3003=info new.http)" 0
expect "--no-config" "$(run --no-config new.http)" 0
grep -q 'warning RL3003' "$tmp/out" || { echo "FAIL: --no-config did not restore the default"; fail=1; }

cd "$tmp/proj/deep/er" || exit 2
expect "found walking up" "$(run ../../new.http)" 1

cd "$tmp" || exit 2
expect "no file above: defaults" "$(run proj/new.http)" 0
printf '[rules]\nRL3003 = error\n' >"$tmp/other.ini"
expect "--config FILE" "$(run --config "$tmp/other.ini" proj/new.http)" 1
expect "--config=FILE" "$(run --config="$tmp/other.ini" proj/new.http)" 1

bad() { # name content want-message
    printf "$2" >"$tmp/bad.ini"
    local rc; rc=$(run --config "$tmp/bad.ini" proj/new.http)
    expect "$1: exit" "$rc" 2
    grep -qF "$3" "$tmp/err" || { echo "FAIL $1: stderr lacks '$3':"; cat "$tmp/err"; fail=1; }
}
bad "unknown rule" '[rules]\nRL3003 = off\n\nRL9999 = error\n' "bad.ini:4: unknown rule 'RL9999'"
bad "bad severity" '[rules]\nRL3003 = loud\n' "bad.ini:2: RL3003: 'loud' is not a severity"
bad "unknown limit" '[limits]\nfields = 10\nspeed = 3\n' "bad.ini:3: unknown limit 'speed'"
bad "bad limit" '[limits]\nfields = -1\n' "bad.ini:2: limit fields"
bad "unknown section" '[rules]\nRL3003 = off\n[colours]\nred = 1\n' "bad.ini:4: unknown section [colours]"
bad "unknown filter" '[filters]\nport = 80\n' "bad.ini:2: unknown filter 'port'"
bad "unknown rule in [path]" '[path "x/*"]\nnope = off\n' "bad.ini:2: unknown rule 'nope'"
bad "syntax" '[rules]\nRL3003 off\n' "bad.ini:2: not a KEY = VALUE line"
expect "missing --config file" "$(run --config "$tmp/none.ini" proj/new.http)" 2

# ---- issue 21 ----
# a comment longer than inih's line buffer leaked its tail as a setting: "RL3003 = off" here
long=$(printf '%0300d' 0)
printf '[rules]\nRL3003 = error\n# %s RL3003 = off\n' "$long" >"$tmp/long.ini"
expect "a long comment stays a comment" "$(run --config "$tmp/long.ini" proj/new.http)" 1
grep -q 'error RL3003' "$tmp/out" || { echo "FAIL: the tail of a long comment was applied"; fail=1; }
bad "a long setting line" "[rules]\nRL3003 = error ; $long\n" "bad.ini:2: a line longer than"
expect "--config with --no-config" "$(run --config "$tmp/other.ini" --no-config proj/new.http)" 2
grep -qF -- "--config and --no-config cannot be used together" "$tmp/err" ||
    { echo "FAIL: --config --no-config: no message"; fail=1; }
# found walking up, a file owned by another user is ignored (git's safe.directory)
if [ "$(id -u)" = 0 ]; then
    mkdir -p "$tmp/shared/work"
    printf '[rules]\nRL3003 = error\n' >"$tmp/shared/.resplint"
    printf "$dup" >"$tmp/shared/work/x.http"
    chown 12345 "$tmp/shared/.resplint"
    (cd "$tmp/shared/work" && run x.http) >"$tmp/rc"
    expect "another user's .resplint is ignored" "$(cat "$tmp/rc")" 0
    grep -q "shared/.resplint: ignored: owned by another user (uid 12345)" "$tmp/err" ||
        { echo "FAIL: no word about the ignored file"; cat "$tmp/err"; fail=1; }
    expect "named with --config it applies" "$(cd "$tmp/shared/work" && run --config ../.resplint x.http)" 1
else
    echo "note: not root, the other-owner case needs chown (checked when run as root)"
fi
bad "unknown profile" '[rules]\nprofile = caching, speed\n' "bad.ini:2: unknown profile 'speed'"
bad "profile after a rule" '[rules]\nRL3003 = error\nprofile = caching\n' "bad.ini:3: profile must come once, before the rules"

# ---- profiles: [rules] profile = ..., --profile, and the rule settings over them ----
# a 301 without Location (RL2001, recommended) and no Date (RL4008, advice); no-cache, so that
# no caching rule has anything to say (RL5009, advice, would see heuristic freshness)
printf 'HTTP/1.1 301 Moved Permanently\r\nCache-Control: no-cache\r\nContent-Length: 0\r\n\r\n' >"$tmp/p.http"
rules_of() { grep -o ' RL[0-9]\{4\} ' "$tmp/out" | tr -d ' ' | sort -u | tr '\n' ' '; }
run --no-config "$tmp/p.http" >/dev/null
expect "default: recommended only" "$(rules_of)" "RL2001 "
run --no-config --profile advice "$tmp/p.http" >/dev/null
expect "--profile advice: only advice" "$(rules_of)" "RL4008 "
run --no-config --profile advice --profile recommended "$tmp/p.http" >/dev/null
expect "--profile repeated: the union" "$(rules_of)" "RL2001 RL4008 "
run --no-config --profile all "$tmp/p.http" >/dev/null
expect "--profile all" "$(rules_of)" "RL2001 RL4008 "
run --no-config --profile caching "$tmp/p.http" >/dev/null
expect "--profile caching: neither" "$(rules_of)" ""
run --no-config --enable RL2001 --profile caching "$tmp/p.http" >/dev/null
expect "--enable before --profile still adjusts it" "$(rules_of)" "RL2001 "
run --no-config --profile all --disable RL4008 "$tmp/p.http" >/dev/null
expect "--disable adjusts --profile all" "$(rules_of)" "RL2001 "
printf '[rules]\nprofile = advice\nRL2001 = warning\n' >"$tmp/prof.ini"
run --config "$tmp/prof.ini" "$tmp/p.http" >/dev/null
expect "[rules] profile, then a rule" "$(rules_of)" "RL2001 RL4008 "
grep -q 'warning RL2001' "$tmp/out" || { echo "FAIL: [rules] RL2001 = warning not applied over the profile"; fail=1; }
run --config "$tmp/prof.ini" --profile caching "$tmp/p.http" >/dev/null
expect "--profile replaces the file's profile, the file's rules still apply" "$(rules_of)" "RL2001 "
grep -q 'warning RL2001' "$tmp/out" || { echo "FAIL: [rules] RL2001 = warning lost under --profile"; fail=1; }
expect "--profile bogus" "$(run --no-config --profile bogus "$tmp/p.http")" 2
grep -q "unknown profile 'bogus'" "$tmp/err" || { echo "FAIL: --profile bogus: no message"; fail=1; }
exit $fail
