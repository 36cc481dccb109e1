#!/usr/bin/env python3
"""Captures where the flows limit (flows = 2) is met at the first segment of a new connection
whose record in the shared reading crosses a batch of it (made visible at once): the shard of
that connection must give up before it takes the segment, or it reports at the step the merge
may take before it learns that the shard gave up there (a review found the eviction's RL9004
lost and the new connection's RL7001 twice in about one run in six). The batch boundary
depends on the sizes of the records before: the captures sweep the size of the first
connection's response so that one of them puts the segment's record across it.

Usage: make_flows_limit_race.py OUTDIR  (writes OUTDIR/race-P.pcap for each body size P)"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_pcaps as mp  # noqa: E402


def capture(path, p):
    cap = mp.Capture()
    a = mp.Conn(cap, ("192.0.2.10", 40000), ("198.51.100.1", 80))
    a.handshake()
    a.client(mp.req())
    data = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % p + b"a" * p
    for i in range(0, len(data), 60000):
        a.server(data[i:i + 60000])
    cap.add("192.0.2.11", "198.51.100.1", 40001, 80, 1000, 0, mp.SYN)  # the second connection
    resp = (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\n")
    # the third: joined inside, its first segment the server's
    cap.add("198.51.100.2", "192.0.2.12", 80, 40002, 5000, 1000, mp.PSH | mp.ACK, resp)
    with open(path, "wb") as f:
        f.write(cap.pcap())


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    # the shared reading's batches are 512 KiB of records: the first connection's records
    # come to about P + 1 KiB, the third's segment to about 300 bytes
    for p in range(519000, 524288, 48):
        capture(os.path.join(out, "race-%d.pcap" % p), p)
