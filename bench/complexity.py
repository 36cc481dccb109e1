#!/usr/bin/env python3
"""Complexity check: runs resplint on hostile inputs of size n and 2n and prints how the run
time grows (about 2 for linear work, about 4 for quadratic). The inputs are the attacks of
issue 21, built here deterministically (standard library only, under a temporary folder):

  ooo-1byte      one connection: a hole of one byte, then n in-order 1-byte segments after it
                 (each was a walk of the whole held list), then the byte that fills the hole
  ooo-reverse    n 1-byte segments in descending order after a hole (the worst case of a list
                 searched from its head, and of a sorted array)
  syn-flood      n SYNs of distinct connections (a flow table with a weak hash or no bound)
  pipelined      one connection whose client sends n requests before the server answers
  bare-cr        a raw head with n bare CRs on n lines (syntax faults; one RL9004 past the cap)

Usage: bench/complexity.py RESPLINT [N] [CASE...]   (N default 40000; run by scripts/bench
never: this is a check to run by hand and in review, not a timed test)
The pcap cases lift the flows and flow-buffer limits through a config file so that the
structures really grow to n entries.
"""
import os
import resource
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "pcap"))
from make_pcaps import ACK, PSH, SYN, Capture, Conn, req  # noqa: E402

HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n"


def ooo(n, reverse):
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client(req())
    base = c.sseq
    head = HEAD % (n + 1)
    c.server(head)
    start = base + len(head)
    order = range(n, 0, -1) if reverse else range(1, n + 1)
    for i in order:  # byte 0 of the body is the hole
        cap.add(c.s[0], c.c[0], c.s[1], c.c[1], start + i, c.cseq, PSH | ACK, b"x")
    cap.add(c.s[0], c.c[0], c.s[1], c.c[1], start, c.cseq, PSH | ACK, b"y")
    return cap.pcap()


def syn_flood(n):
    cap = Capture()
    for i in range(n):
        src = "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)
        cap.add(src, "198.51.100.1", 1024 + i % 60000, 80, i * 7919, 0, SYN)
    return cap.pcap()


def pipelined(n):
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    batch = req(b"GET", b"/x") * 50
    for _ in range(n // 50):
        c.client(batch)
    c.server(b"HTTP/1.1 204 No Content\r\n\r\n" * 50)
    return cap.pcap()


def bare_cr(n):
    return b"HTTP/1.1 200 OK\r\n" + b"X-A: a\rb\r\n" * n + b"Content-Length: 0\r\n\r\n"


CASES = {
    "ooo-1byte": (lambda n: ooo(n, False), ".pcap"),
    "ooo-reverse": (lambda n: ooo(n, True), ".pcap"),
    "syn-flood": (syn_flood, ".pcap"),
    "pipelined": (pipelined, ".pcap"),
    "bare-cr": (bare_cr, ".http"),
}

CONFIG = "[limits]\nflows = 10000000\nflow-buffer = 4000000000\nfields = 32767\n" \
         "syntax-faults = 1000000\npending-requests = 10000000\nhead-bytes = 100000000\n" \
         "pending-request-bytes = 100000000000\n"


def run(binary, cfg, path):
    """The least CPU time (user + system) of three runs: wall time on a shared machine says
    more about the neighbours than about resplint."""
    best = None
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([binary, "--config", cfg, "--fail-on", "never", "--format", "jsonl", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        dt = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = dt if best is None else min(best, dt)
    return best


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 40000
    names = sys.argv[3:] or list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "limits.ini")
        with open(cfg, "w") as f:
            f.write(CONFIG)
        print("| case | n | CPU time(n) | CPU time(2n) | growth (2: linear, 4: quadratic) |")
        print("|---|---|---|---|---|")
        for name in names:
            make, ext = CASES[name]
            times = []
            for k in (n, 2 * n):
                path = os.path.join(tmp, name + str(k) + ext)
                with open(path, "wb") as f:
                    f.write(make(k))
                times.append(run(binary, cfg, path))
            print("| %s | %d | %.3f s | %.3f s | %.2f |" % (name, n, times[0], times[1],
                                                           times[1] / max(times[0], 1e-6)))


if __name__ == "__main__":
    main()
