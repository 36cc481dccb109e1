#!/usr/bin/env python3
"""Checks fixtures/recordings/: for every recording, each fault of fault_server.py that the
recorder kept is reported on its entry, the faults the recorder cannot keep are not, and nothing
else is reported; every response is checked; every output format locates findings by entry.
Then: a folder with nothing checkable exits 2 and says why; --verbose names the skipped files.
Usage: check_fixtures.py RESPLINT SOURCE_DIR [RECORDINGS_DIR]
With RECORDINGS_DIR (a live recording, tests/recordings/live_roundtrip.sh), only the recordings
there are checked."""
import json
import os
import subprocess
import sys
import tempfile

resplint, src = sys.argv[1], sys.argv[2]
live = len(sys.argv) > 3
fx = sys.argv[3] if live else os.path.join(src, "fixtures", "recordings")
here = os.path.dirname(os.path.abspath(__file__))
paths = open(os.path.join(here, "paths.txt")).read().split()

# The fault each path of fault_server.py sends (None: a clean response).
FAULTS = {"/ok": None, "/moved": "RL2001", "/empty": "RL2011", "/method": "RL2022",
          "/private": "RL2020", "/etag": "RL4010", "/reason": "RL1008", "/twice": "RL4007",
          "/cookie": None, "/binary": None}
rules = subprocess.run([resplint, "--list-rules"], capture_output=True, text=True).stdout
for line in rules.splitlines():  # a SameSite rule, once the catalogue has one
    if "samesite" in line.lower() and line.split()[0].startswith("RL"):
        FAULTS["/cookie"] = line.split()[0]

# What each recorder cannot keep (docs/recordings.md), by fixture name prefix.
LOST = {
    "nock13": {"RL1008"},                      # no reason phrase
    "nock14": {"RL1008", "RL4007"},            # no reason phrase; repeats joined into one value
    "wiremock": {"RL1008", "RL2011"},          # no reason phrase; Content-Length dropped
    "polly": {"RL1008", "RL4007"},             # statusText made up; Node dropped the repeat
}
KIND = {"vcrpy": "vcr", "ruby_vcr": "vcr", "go_vcr": "vcr", "betamax": "betamax",
        "nock13": "nock", "nock14": "nock", "newman": "newman", "postman": "postman",
        "mitmproxy": "mitmproxy", "wiremock": "wiremock", "polly": "har"}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def run(args):
    return subprocess.run([resplint, "--no-config"] + args, capture_output=True, text=True)


def lost_for(name):
    for prefix, lost in LOST.items():
        if name.startswith(prefix):
            return lost
    return set()


def segment(url):
    return "/" + url.rstrip("/").rsplit("/", 1)[-1]


recordings = []
for root, dirs, files in os.walk(fx):
    dirs[:] = [d for d in dirs if d != "__files"]
    for f in sorted(files):
        recordings.append(os.path.join(root, f))

for path in recordings:
    rel = os.path.relpath(path, fx)
    name = rel.replace(os.sep, "_")
    p = run(["--format", "jsonl", "--fail-on", "never", path])
    if p.returncode != 0:
        fail(f"{rel}: exit {p.returncode}: {p.stderr.strip()}")
        continue
    lines = [json.loads(l) for l in p.stdout.splitlines()]
    findings = [l for l in lines if l["type"] == "finding"]
    summary = [l for l in lines if l["type"] == "summary"][0]
    if rel.startswith("wiremock" + os.sep):  # one mapping per file
        urls = [json.load(open(path))["request"]["url"]]
    else:
        urls = paths
    want = set()
    for u in urls:
        rule = FAULTS[segment(u)]
        if rule and rule not in lost_for(name):
            want.add((segment(u), rule))
    got = set()
    for f in findings:
        if "entry" not in f or "pointer" not in f or "url" not in f:
            fail(f"{rel}: a finding without entry, pointer or URL: {f}")
            continue
        if f["response"] != f["entry"]:
            fail(f"{rel}: response {f['response']} is not the entry index {f['entry']}")
        kind = next(k for prefix, k in KIND.items() if name.startswith(prefix))
        if f["kind"] != kind:
            fail(f"{rel}: kind {f['kind']}, want {kind}")
        got.add((segment(f["url"]), f["rule"]))
    for miss in sorted(want - got):
        fail(f"{rel}: {miss[1]} on {miss[0]} was recorded but not reported")
    for extra in sorted(got - want):
        fail(f"{rel}: {extra[1]} on {extra[0]} was reported but the recorder did not keep it "
             f"(or the server never sent it)")
    if summary["responses"] != len(urls):
        fail(f"{rel}: {summary['responses']} responses checked, {len(urls)} recorded")
    if not failures:
        print(f"ok   {rel}: {len(want)} faults reported, {summary['responses']} responses")

if live:
    if not recordings:
        fail(f"{fx}: no recording")
    sys.exit(1 if failures else 0)

# Every output format over the whole folder locates a finding by entry (and pointer).
where = {
    "text": "vcrpy.yaml:44:5: entry 1 (/interactions/1/response): error RL2001",
    "json": '"pointer":"/interactions/1/response"',
    "jsonl": '"pointer":"/http_interactions/2/response/headers/Content-Length/0"',
    "sarif": '"fullyQualifiedName":"/run/executions/3/response"',
    "junit": "(entry 1)",
    "github": "file=" + os.path.join(fx, "go_vcr.yaml") + ",line=30",
    "gitlab": "entry 1 (/1)",
    "html": "entry 1 (/interactions/1/response)",
}
for fmt, needle in where.items():
    p = run(["--format", fmt, fx])
    if p.returncode != 1:
        fail(f"--format {fmt}: exit {p.returncode}, want 1: {p.stderr.strip()}")
    elif needle not in p.stdout:
        fail(f"--format {fmt}: '{needle}' not in the report")
    else:
        print(f"ok   --format {fmt}: findings located by entry")

# --jobs 2 reports the same, in the same order.
one = run(["--format", "jsonl", fx]).stdout
two = run(["--format", "jsonl", "--jobs", "2", fx]).stdout
if one != two or '"rule"' not in one:
    fail("--jobs 2: the report differs from one job's")
else:
    print("ok   --jobs 2 reports the recordings as one job does")

# --url and --host filter recordings by their request URLs.
p = run(["--format", "jsonl", "--url", "*/moved", os.path.join(fx, "ruby_vcr.yml")])
rules_seen = [json.loads(l).get("rule") for l in p.stdout.splitlines()]
if p.returncode != 1 or [r for r in rules_seen if r] != ["RL2001"] or '"responses":1' not in p.stdout:
    fail(f"--url '*/moved': exit {p.returncode}: {p.stdout[-300:]}")
else:
    print("ok   --url keeps only the matching interactions")
p = run(["--format", "jsonl", "--host", "example.org", os.path.join(fx, "newman.json")])
if p.returncode != 0 or '"responses":0' not in p.stdout:
    fail(f"--host example.org: exit {p.returncode}: {p.stdout[-300:]}")
else:
    print("ok   --host filters the interactions of other hosts")

# Nothing checkable: exit 2, and say why; --verbose lists each file.
with tempfile.TemporaryDirectory() as tmp:
    open(os.path.join(tmp, "package.json"), "w").write('{"name": "x", "version": "1.0.0"}\n')
    open(os.path.join(tmp, "README.md"), "w").write("# fixtures\n")
    p = run([tmp])
    if p.returncode != 2 or "nothing to check" not in p.stderr or "skipped 2 files" not in p.stderr:
        fail(f"nothing checkable: exit {p.returncode}, stderr {p.stderr.strip()}")
    else:
        print("ok   a folder with nothing checkable exits 2 and says why")
    p = run(["--verbose", "--format", "sarif", tmp])
    if p.returncode != 2 or "skipped " + os.path.join(tmp, "package.json") + ": JSON" not in p.stderr:
        fail(f"--verbose: exit {p.returncode}, stderr {p.stderr.strip()}")
    else:
        print("ok   --verbose names each skipped file and its reason")
    p = run([os.path.join(tmp, "package.json")])
    if p.returncode != 2 or "resplint reads" not in p.stderr:
        fail(f"a JSON file of no known shape: exit {p.returncode}, stderr {p.stderr.strip()}")
    # a mixed folder: the recording is checked, the rest counted
    with open(os.path.join(fx, "nock13.json")) as f:
        open(os.path.join(tmp, "nock.json"), "w").write(f.read())
    p = run([tmp])
    if p.returncode != 1 or "skipped 2 files" not in p.stderr:
        fail(f"mixed folder: exit {p.returncode}, stderr {p.stderr.strip()}")
    else:
        print("ok   a mixed folder checks the recording and counts the rest")
    # mitmproxy flows from a pipe, each flow read whole: the same findings as from the file
    with open(os.path.join(fx, "mitmproxy.flows"), "rb") as f:
        flows = f.read()
    p = subprocess.run([resplint, "--no-config", "--format", "jsonl", "-"], input=flows,
                       capture_output=True)
    q = run(["--format", "jsonl", os.path.join(fx, "mitmproxy.flows")])
    rules_of = lambda out: [json.loads(l).get("rule") for l in out.splitlines()]
    if p.returncode != 1 or rules_of(p.stdout.decode()) != rules_of(q.stdout):
        fail(f"mitmproxy flows from a pipe: exit {p.returncode}: {p.stderr[-300:]}")
    else:
        print("ok   mitmproxy flows from a pipe give the findings of the file")
    # mitmproxy flows from a pipe: a flow larger than the entry limit (2 MiB) is spooled to a
    # temporary file and read by offset; its 3 MiB body is never held
    body = b"x" * (3 << 20)
    def tn(v):
        if isinstance(v, int):
            return b"%d:%d#" % (len(str(v)), v)
        if isinstance(v, bytes):
            return b"%d:%s," % (len(v), v)
        if isinstance(v, list):
            p = b"".join(tn(e) for e in v)
            return b"%d:%s]" % (len(p), p)
        p = b"".join(tn(k.encode()) + tn(e) for k, e in v.items())
        return b"%d:%s}" % (len(p), p)
    flow = tn({"type": b"http", "request": {"method": b"GET", "scheme": b"http", "host": b"a",
                                            "port": 80, "path": b"/"},
               "response": {"http_version": b"HTTP/1.1", "status_code": 405, "reason": b"x",
                            "headers": [[b"Content-Length", b"%d" % len(body)]],
                            "content": body}})
    p = subprocess.run([resplint, "--no-config", "--format", "jsonl", "-"], input=flow * 2,
                       capture_output=True)
    out = p.stdout.decode()
    if p.returncode != 1 or out.count('"rule":"RL2022"') != 2 or '"responses":2' not in out:
        fail(f"large flows from a pipe: exit {p.returncode}, {out[-300:]} {p.stderr[-300:]}")
    else:
        print("ok   large mitmproxy flows from a pipe are spooled and checked")
    # a damaged recording is told apart from a foreign file
    data = open(os.path.join(fx, "vcrpy.yaml")).read()
    open(os.path.join(tmp, "cut.yaml"), "w").write(data[: len(data) // 2] + "\n  - [\n")
    p = run([os.path.join(tmp, "cut.yaml")])
    if p.returncode != 2 or "damaged VCR cassette" not in p.stderr:
        fail(f"damaged cassette: exit {p.returncode}, stderr {p.stderr.strip()}")
    else:
        print("ok   a damaged cassette is an input error naming the place")

sys.exit(1 if failures else 0)
