#!/usr/bin/env python3
"""Compares what resplint says about the HAR that Chromium recorded with what Chromium did.

Cookies: a response is flagged "ignored" when resplint reports a finding whose message starts
with "browsers ignore this cookie"; it must be flagged exactly when Chromium stored no cookie.
A cookie flagged RL6003 (Expires ignored, no Max-Age) must be a session cookie; one flagged
RL6011 must expire within 400 days. CORS: a fetch without credentials must fail exactly when
RL6020 or RL6021 is reported; a fetch with credentials of a case that sends
Access-Control-Allow-Credentials must fail exactly when RL6020, RL6021, RL6022 or RL6024 is.
Usage: compare.py CASES OBSERVED_JSON FINDINGS_JSONL [REQUIRE_SCHEME]"""
import json
import sys

cases = json.load(open(sys.argv[1]))
seen = json.load(open(sys.argv[2]))
by_url = {}
for line in open(sys.argv[3]):
    f = json.loads(line)
    if f.get('type') == 'finding' and 'url' in f:
        by_url.setdefault(f['url'], []).append(f)

failures = []
counts = {'stored': 0, 'ignored': 0, 'cors_ok': 0, 'cors_failed': 0}
for c in seen['cookies']:
    findings = by_url.get(c['url'], [])
    flagged = [f['rule'] for f in findings if f['message'].startswith('browsers ignore this cookie')]
    stored = len(c['stored']) > 0
    counts['stored' if stored else 'ignored'] += 1
    if bool(flagged) == stored:
        failures.append('%s: Chromium %s the cookie, resplint %s' % (
            c['url'], 'stored' if stored else 'did not store',
            'says browsers ignore it (%s)' % ', '.join(flagged) if flagged
            else 'reports no "browsers ignore this cookie"'))
    rules = {f['rule'] for f in findings}
    for s in c['stored']:
        sent = cases['cookies'].get(c['name']) or cases['loopback_cookies'].get(c['name'], [])
        if 'RL6003' in rules and 'Max-Age' not in ''.join(sent) \
                and not s['session']:
            failures.append('%s: RL6003 says Expires is ignored, but Chromium kept an expiry' % c['url'])
        if 'RL6011' in rules and s['expires'] - seen['now'] > 400 * 86400 + 300:
            failures.append('%s: RL6011 says the lifetime is capped at 400 days, Chromium kept %.0f s'
                            % (c['url'], s['expires'] - seen['now']))
for c in seen['cors']:
    rules = {f['rule'] for f in by_url.get(c['url'], [])}
    counts['cors_ok' if c['omit'] else 'cors_failed'] += 1
    broken = bool(rules & {'RL6020', 'RL6021'})
    if c['omit'] == broken:
        failures.append('%s: the fetch without credentials %s, resplint reports %s' % (
            c['url'], 'succeeded' if c['omit'] else 'failed', sorted(rules) or 'nothing'))
    if any('Credentials' in l for l in cases['cors'][c['name']]):
        broken = bool(rules & {'RL6020', 'RL6021', 'RL6022', 'RL6024'})
        if c['include'] == broken:
            failures.append('%s: the fetch with credentials %s, resplint reports %s' % (
                c['url'], 'succeeded' if c['include'] else 'failed', sorted(rules) or 'nothing'))

print('cookies stored %(stored)d, ignored %(ignored)d; CORS fetches ok %(cors_ok)d, failed %(cors_failed)d' % counts)
if counts['ignored'] < 5 or counts['stored'] < 5 or counts['cors_ok'] < 3 or counts['cors_failed'] < 3:
    failures.append('too few cases on one side: the comparison would prove little')
for f in failures:
    print('FAIL:', f)
sys.exit(1 if failures else 0)
