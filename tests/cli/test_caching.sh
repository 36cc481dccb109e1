#!/usr/bin/env bash
# The caching family from the command line: --list-rules --profile caching lists every RL5xxx
# rule, --explain prints their pages, the default set reports a conflict and only it, advice
# rules stay off until --profile caching, and a structured (HAR) input gets the same findings.
set -u
bin=$1 src=$2
. "$src/tests/cli/family.sh"

# every RL5xxx rule of rules.def, and only caching-tagged rules, under --profile caching
family_listed RL5 caching
others=$(timeout 10 "$bin" --list-rules --profile caching | grep -v caching | head -3)
expect "--list-rules --profile caching lists nothing untagged" "$others" ""

# the issue's two responses: a conflict, and what is not one (RFC 9111 §4.2.1)
printf 'HTTP/1.1 200 OK\r\nCache-Control: no-store, max-age=3600\r\nContent-Length: 0\r\n\r\n' >"$tmp/a.http"
printf 'HTTP/1.1 200 OK\r\nCache-Control: no-cache, max-age=3600\r\nContent-Length: 0\r\n\r\n' >"$tmp/b.http"
expect "no-store, max-age=3600: RL5006 only" "$(timeout 10 "$bin" - <"$tmp/a.http" | rules_of)" "RL5006 "
expect "no-cache, max-age=3600: nothing" "$(timeout 10 "$bin" - <"$tmp/b.http" | rules_of)" ""
expect "no-cache, max-age=3600 under --profile caching: nothing" \
    "$(timeout 10 "$bin" --profile caching - <"$tmp/b.http" | rules_of)" ""
grep -q 'max-age=3600 has no effect' <(timeout 10 "$bin" - <"$tmp/a.http") ||
    { echo "FAIL: RL5006's message does not say what caches do"; fail=1; }

# advice (RL5009, RL5020) only with --profile caching; repeated max-age names both values
printf 'HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nPragma: no-cache\r\nContent-Length: 0\r\n\r\n' >"$tmp/c.http"
expect "advice off by default" "$(timeout 10 "$bin" "$tmp/c.http" | rules_of)" ""
expect "advice under --profile caching" "$(timeout 10 "$bin" --profile caching "$tmp/c.http" | rules_of)" "RL5009 RL5020 "
printf 'HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nCache-Control: max-age=60\r\nCache-Control: max-age=3600\r\nContent-Length: 0\r\n\r\n' >"$tmp/d.http"
grep -q 'caches use the first max-age (60) and ignore 3600' <(timeout 10 "$bin" "$tmp/d.http") ||
    { echo "FAIL: RL5004's message"; fail=1; }

# a HAR entry (structured input) gets the caching rules too
cat >"$tmp/e.har" <<'HAR'
{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [
 {"startedDateTime": "2026-01-01T00:00:00Z", "time": 1,
  "request": {"method": "GET", "url": "http://a.test/", "httpVersion": "HTTP/1.1", "headers": [],
              "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
  "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
               "headers": [{"name": "Date", "value": "Sun, 06 Nov 1994 08:49:37 GMT"},
                           {"name": "Cache-Control", "value": "max-age=600"},
                           {"name": "Content-Type", "value": "text/html"},
                           {"name": "Content-Encoding", "value": "gzip"}],
               "cookies": [], "content": {"size": 20, "mimeType": "text/html"},
               "redirectURL": "", "headersSize": -1, "bodySize": 20},
  "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}]}}
HAR
expect "HAR: gzip without Vary (RL5018)" "$(timeout 10 "$bin" "$tmp/e.har" | rules_of)" "RL5018 "

# identity is no compression: no Vary needed (not a fixture: Content-Encoding: identity is
# RL7004's finding, so it cannot be a good fixture with every rule on)
printf 'HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nCache-Control: max-age=60\r\nContent-Type: text/plain\r\nContent-Encoding: identity\r\nContent-Length: 2\r\n\r\nhi' >"$tmp/f.http"
expect "identity needs no Vary (no RL5018; RL7004 for identity itself)" "$(timeout 10 "$bin" "$tmp/f.http" | rules_of)" "RL7004 "
exit $fail
