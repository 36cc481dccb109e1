#!/usr/bin/env python3
"""Writes a capture whose one step gives tens of thousands of records: a keep-alive connection
whose server sends about 1 MB of small pipelined responses (each with a finding: HSTS over
http) in segments of 60,000 bytes, the first one last. The reader holds the others out of
order (up to the flow buffer, 1 MiB) and releases them all when the first arrives: some 26,000
responses and 26,000 findings of one frame, more than a --jobs shard queues ahead of the merge.
A second connection, another shard's, follows. Deterministic, standard library only.
Usage: make_held_burst.py OUT
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcap_writer import ACK, PSH, SYN, tcp, write_pcap  # noqa: E402


def conversation(n, nresp):
    cli, srv, cport = bytes([10, 0, 0, n + 1]), bytes([10, 1, 0, 1]), 40000 + n
    cseq, sseq = 1000, 900000
    out = [tcp(cli, srv, cport, 80, cseq, 0, SYN, b""),
           tcp(srv, cli, 80, cport, sseq, cseq + 1, SYN | ACK, b"")]
    cseq, sseq = cseq + 1, sseq + 1
    out.append(tcp(cli, srv, cport, 80, cseq, sseq, ACK, b""))
    req = b"GET /%d HTTP/1.1\r\nHost: a.example\r\n\r\n" % n
    out.append(tcp(cli, srv, cport, 80, cseq, sseq, PSH | ACK, req))
    cseq += len(req)
    data = b"HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=1\r\nContent-Length: 0\r\n\r\n" * nresp
    segs = [data[o:o + 60000] for o in range(0, len(data), 60000)]
    sent = [tcp(srv, cli, 80, cport, sseq + k * 60000, cseq, ACK, s) for k, s in enumerate(segs)]
    return out + sent[1:] + sent[:1]


def main():
    write_pcap(sys.argv[1], conversation(0, 13000) + conversation(1, 10))


if __name__ == "__main__":
    main()
