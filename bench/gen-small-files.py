#!/usr/bin/env python3
"""Writes a folder of many small raw captures (fixed seed): each file holds 1-3 responses of the
benchmark mix (bench/mix.py) without its 64 KiB bodies, as a test suite keeps one recorded
response per file. The --jobs benchmark on many small inputs. Usage: gen-small-files.py DIR [COUNT]
"""
import os
import random
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mix  # noqa: E402


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rnd = random.Random(20261207)
    os.makedirs(out, exist_ok=True)
    total = 0
    n = 0
    for i in range(count):
        msgs = []
        for _ in range(rnd.randint(1, 3)):
            msg = mix.response(rnd, b"", n)
            while b"octet-stream" in msg:  # the 64 KiB bodies: not small files
                msg = mix.response(rnd, b"", n)
            msgs.append(msg)
            n += 1
        data = b"".join(msgs)
        # 100 files per folder, as recordings are kept
        sub = os.path.join(out, "d%03d" % (i // 100))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "r%05d.http" % i), "wb") as f:
            f.write(data)
        total += len(data)
    print(f"{out}: {count} files, {total} bytes, {n} responses", file=sys.stderr)


if __name__ == "__main__":
    main()
