#!/usr/bin/env python3
"""Compares the HTTP responses resplint finds in captures with those tshark finds.

For every capture given, prints one line per difference:
    FILE <TAB> only-resplint|only-tshark <TAB> tcp.stream <TAB> frame <TAB> status
where frame is the frame of the response's first byte. tshark reports the frame in which the
reassembled response completes (frame.number); the first byte is the first entry of
tcp.segment when the response spans several frames, so that is what is compared.

usage: compare_tshark.py RESPLINT_BINARY CAPTURE...
"""
import os
import subprocess
import sys


def tshark_responses(path):
    out = subprocess.run(
        ["tshark", "-n", "-r", path, "-Y", "http.response", "-T", "fields",
         "-e", "tcp.stream", "-e", "frame.number", "-e", "http.response.code",
         "-e", "tcp.segment"],
        capture_output=True, text=True, timeout=300).stdout
    rows = []
    for line in out.splitlines():
        cols = line.split("\t")
        while len(cols) < 4:
            cols.append("")
        stream, frame, codes, segs = cols[:4]
        segs = [s for s in segs.split(",") if s]
        for i, code in enumerate(c for c in codes.split(",") if c):
            # only the first response of a frame can be one whose reassembly ends here
            first = segs[0] if (i == 0 and segs) else frame
            rows.append((int(stream), int(first), int(code)))
    return rows


def resplint_responses(binary, path):
    out = subprocess.run([binary, "--list-responses", path], capture_output=True,
                         text=True, timeout=300).stdout
    rows = []
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) == 3:
            rows.append((int(cols[0]), int(cols[1]), int(cols[2])))
    return rows


def main():
    binary = sys.argv[1]
    for path in sys.argv[2:]:
        name = os.path.basename(path)
        t = tshark_responses(path)
        r = resplint_responses(binary, path)
        rest = list(t)
        only_r = []
        for x in r:
            if x in rest:
                rest.remove(x)
            else:
                only_r.append(x)
        for x in sorted(only_r):
            print("%s\tonly-resplint\t%d\t%d\t%d" % ((name,) + x))
        for x in sorted(rest):
            print("%s\tonly-tshark\t%d\t%d\t%d" % ((name,) + x))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
