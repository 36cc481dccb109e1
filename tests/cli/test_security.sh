#!/usr/bin/env bash
# The cookie, CORS and security-field family (RL6xxx) from the command line: --list-rules
# --profile security lists every RL6xxx rule and --explain prints their pages; the issue's
# SameSite=None response reports RL6007 and, with Secure, nothing; advice (RL6004, RL6023,
# RL6050) stays off until --profile security; the scheme rules speak only with --scheme http.
set -u
bin=$1 src=$2
. "$src/tests/cli/family.sh"

family_listed RL6 security
[ "$(echo "$family" | wc -w)" -eq 22 ] || { echo "FAIL: rules.def has $(echo "$family" | wc -w) RL6xxx rules, RULES.md 22"; fail=1; }

printf 'HTTP/1.1 200 OK\r\nSet-Cookie: sid=1; SameSite=None\r\nContent-Length: 0\r\n\r\n' >"$tmp/a.http"
printf 'HTTP/1.1 200 OK\r\nSet-Cookie: sid=1; SameSite=None; Secure\r\nContent-Length: 0\r\n\r\n' >"$tmp/b.http"
expect "SameSite=None: RL6007" "$(timeout 10 "$bin" - <"$tmp/a.http" | rules_of)" "RL6007 "
expect "SameSite=None; Secure: nothing" "$(timeout 10 "$bin" - <"$tmp/b.http" | rules_of)" ""
expect "SameSite=None; Secure under --profile security: nothing" \
    "$(timeout 10 "$bin" --profile security - <"$tmp/b.http" | rules_of)" ""
grep -q 'browsers ignore this cookie' <(timeout 10 "$bin" - <"$tmp/a.http") ||
    { echo "FAIL: RL6007's message does not say what the browser does"; fail=1; }

# advice: off by default, on with --profile security
printf 'HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Expires=Wed, 06-Jan-2027 10:00:00 GMT\r\nAccess-Control-Allow-Origin: https://app.example\r\nP3P: CP="NOI"\r\nContent-Length: 0\r\n\r\n' >"$tmp/c.http"
expect "advice off by default" "$(timeout 10 "$bin" - <"$tmp/c.http" | rules_of)" ""
expect "advice under --profile security" \
    "$(timeout 10 "$bin" --profile security - <"$tmp/c.http" | rules_of)" "RL6004 RL6023 RL6050 "

# the scheme rules: silent on a raw stream (T25, T32), speaking with --scheme http
printf 'HTTP/1.1 200 OK\r\nSet-Cookie: sid=1; Secure\r\nStrict-Transport-Security: max-age=31536000\r\nContent-Length: 0\r\n\r\n' >"$tmp/d.http"
expect "Secure and HSTS, scheme unknown: nothing" "$(timeout 10 "$bin" - <"$tmp/d.http" | rules_of)" ""
expect "--scheme https: nothing" "$(timeout 10 "$bin" --scheme https - <"$tmp/d.http" | rules_of)" ""
expect "--scheme http: RL6012 RL6031" \
    "$(timeout 10 "$bin" --scheme http - <"$tmp/d.http" | rules_of)" "RL6012 RL6031 "
exit $fail
