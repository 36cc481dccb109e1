#!/usr/bin/env python3
"""Writes a capture whose one step gives tens of thousands of records: a keep-alive connection
whose server sends about 1 MB of small pipelined responses (each with a finding: HSTS over
http) in segments of 60,000 bytes, the first one last. The reader holds the others out of
order (up to the flow buffer, 1 MiB) and releases them all when the first arrives: some 26,000
responses and 26,000 findings of one frame, more than a --jobs shard queues ahead of the merge.
A second connection, another shard's, follows. Deterministic, standard library only.
Usage: make_held_burst.py OUT
"""
import struct
import sys

SYN, PSH, ACK = 0x02, 0x08, 0x10


def frame(src, dst, sport, dport, seq, ack, flags, payload):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                      flags, 65535, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 0, 0x4000, 64, 6, 0, src, dst)
    s = sum(struct.unpack("!10H", ip))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xFFFF) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\0" + ip + tcp + payload


def conversation(n, nresp):
    cli, srv, cport = bytes([10, 0, 0, n + 1]), bytes([10, 1, 0, 1]), 40000 + n
    cseq, sseq = 1000, 900000
    out = [frame(cli, srv, cport, 80, cseq, 0, SYN, b""),
           frame(srv, cli, 80, cport, sseq, cseq + 1, SYN | ACK, b"")]
    cseq, sseq = cseq + 1, sseq + 1
    out.append(frame(cli, srv, cport, 80, cseq, sseq, ACK, b""))
    req = b"GET /%d HTTP/1.1\r\nHost: a.example\r\n\r\n" % n
    out.append(frame(cli, srv, cport, 80, cseq, sseq, PSH | ACK, req))
    cseq += len(req)
    data = b"HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=1\r\nContent-Length: 0\r\n\r\n" * nresp
    segs = [data[o:o + 60000] for o in range(0, len(data), 60000)]
    sent = [frame(srv, cli, 80, cport, sseq + k * 60000, cseq, ACK, s) for k, s in enumerate(segs)]
    return out + sent[1:] + sent[:1]


def main():
    frames = conversation(0, 13000) + conversation(1, 10)
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        t = 1764058351 * 1000000
        for fr in frames:
            t += 7
            f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(fr), len(fr)) + fr)


if __name__ == "__main__":
    main()
