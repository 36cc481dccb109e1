#!/usr/bin/env python3
"""Complexity check: runs resplint on hostile inputs of size n and 2n and prints how the run
time grows (about 2 for linear work, about 4 for quadratic). The inputs are the attacks of
issue 21, built here deterministically (standard library only, under a temporary folder):

  ooo-1byte      one connection: a hole of one byte, then n in-order 1-byte segments after it
                 (each was a walk of the whole held list), then the byte that fills the hole
  ooo-reverse    n 1-byte segments in descending order after a hole (the worst case of a list
                 searched from its head, and of a sorted array)
  syn-flood      n SYNs of distinct connections (a flow table with a weak hash or no bound)
  syn-collide    n SYNs of distinct connections that all share one bucket of the unkeyed FNV-1a
                 flow hash resplint used before 150f80d (120 s for 100,000 then; with the keyed
                 SipHash of each run they spread like any other flows)
  pipelined      one connection whose client sends n requests before the server answers
  bare-cr        a raw head with n bare CRs on n lines (syntax faults; one RL9004 past the cap)
  slide-1byte    a capture joined inside a response body sent as n 1-byte segments (the probe
                 slides on through it, looking for the next status line, which ends it), while
                 the client sent 5,000 bytes that are not HTTP (its probe is not read again
                 for every server segment)
  cookie-attrs   one Set-Cookie line of n distinct attributes and a repeat of the first (every
                 attribute is read; RL6009 sorts them rather than compare pairs)

Usage: bench/complexity.py [--limits FILE] RESPLINT [N] [CASE...]   (N default 40000; run by
scripts/bench never: this is a check to run by hand and in review, not a timed test)
The pcap cases lift the flows and flow-buffer limits through a config file so that the
structures really grow to n entries; --limits FILE replaces that file (an older resplint that
does not know every limit named in it refuses it: give it the ones it knows).
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


# The flow hash before 150f80d: FNV-1a of (port, address bytes) per endpoint, the two endpoints
# added, times 2654435761, the low bits of a table of 2^20 buckets (at the lifted flows limit).
# Multiplication by an odd number is a bijection modulo 2^20, so equal sums modulo 2^20 share a
# bucket; each FNV step is inverted to find, for a client address, the port that lands there.
FNV_OFFSET, FNV_PRIME, LOW = 2166136261, 16777619, (1 << 20) - 1
FNV_INVERSE = pow(FNV_PRIME, -1, 1 << 20)


def fnv_port_for(addr, target):
    """The client port whose old endpoint hash is TARGET modulo 2^20, or None (above 65535)."""
    x = target
    for byte in reversed(addr):
        x = ((x * FNV_INVERSE) & LOW) ^ byte
    port = (x ^ FNV_OFFSET) & LOW
    return port if 1024 <= port <= 65535 else None


def syn_collide(n):
    cap = Capture()
    target, made, i = 0x5A5A5, 0, 0
    while made < n:
        i += 1
        addr = (10, (i >> 16) & 255, (i >> 8) & 255, i & 255)
        port = fnv_port_for(addr, target)
        if port is None:
            continue
        cap.add("%d.%d.%d.%d" % addr, "198.51.100.1", port, 80, made * 7919, 0, SYN)
        made += 1
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


def slide_1byte(n):
    cap = Capture()
    c = Conn(cap, cisn=3000, sisn=800000)
    c.client(b"\x01not http " * 500)
    for _ in range(n):
        c.server(b"x")
    c.server(b"\r\nHTTP/1.1 204 No Content\r\n\r\n")
    return cap.pcap()


def cookie_attrs(n):
    attrs = "".join("; a%d=%d" % (k, k) for k in range(n)) + "; a0=again"
    return b"HTTP/1.1 204 No Content\r\nSet-Cookie: id=1" + attrs.encode() + b"\r\n\r\n"


def bare_cr(n):
    return b"HTTP/1.1 200 OK\r\n" + b"X-A: a\rb\r\n" * n + b"Content-Length: 0\r\n\r\n"


CASES = {
    "ooo-1byte": (lambda n: ooo(n, False), ".pcap"),
    "ooo-reverse": (lambda n: ooo(n, True), ".pcap"),
    "syn-flood": (syn_flood, ".pcap"),
    "syn-collide": (syn_collide, ".pcap"),
    "pipelined": (pipelined, ".pcap"),
    "bare-cr": (bare_cr, ".http"),
    "slide-1byte": (slide_1byte, ".pcap"),
    "cookie-attrs": (cookie_attrs, ".http"),
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
    args = sys.argv[1:]
    limits = CONFIG
    if args[:1] == ["--limits"] and len(args) > 1:
        with open(args[1]) as f:
            limits = f.read()
        args = args[2:]
    if not args:
        sys.exit(__doc__)
    binary = os.path.abspath(args[0])
    n = int(args[1]) if len(args) > 1 else 40000
    names = args[2:] or list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "limits.ini")
        with open(cfg, "w") as f:
            f.write(limits)
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
