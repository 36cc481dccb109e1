#!/usr/bin/env python3
"""Writes a deterministic keep-alive stream of mixed HTTP/1.1 responses (fixed seed).

Mostly clean 200s with 8-12 fields and small bodies, chunked bodies, 304s, 301s, 404s and a few
64 KiB bodies (bench/mix.py): the raw-path benchmark corpus. With FAULTY_PERCENT, that share of
the responses (chosen by a second generator) carries one fault
each (mix.FAULTS): the reporting path's benchmark.
Usage: gen-stream.py OUT [MEGABYTES [FAULTY_PERCENT]]
"""
import os
import random
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mix  # noqa: E402


def main():
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    faulty = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    rnd = random.Random(20261125)
    pick = random.Random(20261207)
    big = bytes(rnd.getrandbits(8) for _ in range(65536))
    written = 0
    n = 0
    with open(out, "wb") as f:
        while written < target * 1024 * 1024:
            msg = mix.response(rnd, big, n, faulty > 0 and pick.random() * 100 < faulty)
            f.write(msg)
            written += len(msg)
            n += 1
    print(f"{out}: {written} bytes, {n} responses", file=sys.stderr)


if __name__ == "__main__":
    main()
