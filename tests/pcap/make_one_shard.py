#!/usr/bin/env python3
"""Writes a capture whose records all come from one --jobs shard: a keep-alive connection
(tcp.stream 0) answering 40,000 pipelined requests with small responses (HSTS over http: a
finding each, so 80,000 records, more than a shard queues ahead of the merge), then 10 MB of
UDP frames that give nobody a record. The other shards have nothing to hand over while the
first one's queue is full and the shared reading (8 MiB ahead at most) waits for it: the merge
must take the first shard's records on the others' word of how far they are, not wait for a
record of theirs. Deterministic, standard library only. Usage: make_one_shard.py OUT
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcap_writer import ACK, PSH, SYN, tcp, udp, write_pcap  # noqa: E402


def main():
    cli, srv, cport = bytes([10, 0, 0, 1]), bytes([10, 1, 0, 1]), 40000
    cseq, sseq = 1000, 900000
    frames = [tcp(cli, srv, cport, 80, cseq, 0, SYN), tcp(srv, cli, 80, cport, sseq, cseq + 1, SYN | ACK)]
    cseq, sseq = cseq + 1, sseq + 1
    frames.append(tcp(cli, srv, cport, 80, cseq, sseq, ACK))
    n = 40000
    req = b"GET / HTTP/1.1\r\nHost: a.example\r\n\r\n" * n
    for o in range(0, len(req), 1400):
        frames.append(tcp(cli, srv, cport, 80, cseq, sseq, PSH | ACK, req[o:o + 1400]))
        cseq += len(req[o:o + 1400])
    data = b"HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=1\r\nContent-Length: 0\r\n\r\n" * n
    for o in range(0, len(data), 1400):
        frames.append(tcp(srv, cli, 80, cport, sseq, cseq, PSH | ACK, data[o:o + 1400]))
        sseq += len(data[o:o + 1400])
    filler = udp(bytes([10, 2, 0, 1]), bytes([10, 2, 0, 2]), 5000, 5001, b"x" * 1400)
    frames += [filler] * (10 * 1024 * 1024 // len(filler))
    write_pcap(sys.argv[1], frames)


if __name__ == "__main__":
    main()
