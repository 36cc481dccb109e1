#!/usr/bin/env python3
"""Writes a capture whose records all come from one --jobs shard: a keep-alive connection
(tcp.stream 0) answering 40,000 pipelined requests with small responses (HSTS over http: a
finding each, so 80,000 records, more than a shard queues ahead of the merge), then 10 MB of
UDP frames that give nobody a record. The other shards have nothing to hand over while the
first one's queue is full and the shared reading (8 MiB ahead at most) waits for it: the merge
must take the first shard's records on the others' word of how far they are, not wait for a
record of theirs. Deterministic, standard library only. Usage: make_one_shard.py OUT
"""
import struct
import sys

SYN, PSH, ACK = 0x02, 0x08, 0x10


def ip_frame(src, dst, proto, l4, payload):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4) + len(payload), 0, 0x4000, 64, proto,
                     0, src, dst)
    s = sum(struct.unpack("!10H", ip))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xFFFF) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\0" + ip + l4 + payload


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    l4 = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags,
                     65535, 0, 0)
    return ip_frame(src, dst, 6, l4, payload)


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
    udp = struct.pack("!HHHH", 5000, 5001, 8 + 1400, 0)
    filler = ip_frame(bytes([10, 2, 0, 1]), bytes([10, 2, 0, 2]), 17, udp, b"x" * 1400)
    frames += [filler] * (10 * 1024 * 1024 // len(filler))
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        t = 1764058351 * 1000000
        for fr in frames:
            t += 7
            f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(fr), len(fr)) + fr)


if __name__ == "__main__":
    main()
