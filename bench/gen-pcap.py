#!/usr/bin/env python3
"""Writes a deterministic pcap of HTTP/1.1 keep-alive traffic (fixed seed, standard library only).

Ethernet/IPv4/TCP: connections with a handshake, several pipelined requests per client segment,
the answers (mostly clean 200s with 8-12 fields and small bodies, chunked bodies, 304s, 301s,
404s, a few 64 KiB bodies) cut into 1448-byte segments, the client's ACKs, and FIN at the end;
eight connections at a time, their frames interleaved. TCP checksums are left zero, as
checksum offload leaves them in captures taken on the sending host.
Usage: gen-pcap.py OUT [MEGABYTES] [hsts]   (hsts: the https mix as it is, Strict-Transport-Security
over http and all: a finding on three responses in four, for the reporting path)
"""
import os
import random
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mix  # noqa: E402

MSS = 1448
FIN, SYN, PSH, ACK = 0x01, 0x02, 0x08, 0x10


def ip_csum(h):
    s = sum(struct.unpack("!10H", h))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Conn:
    def __init__(self, n, rnd):
        self.cli = bytes([10, 0, (n >> 8) & 0xFF, n & 0xFF])
        self.srv = bytes([10, 1, 0, 1])
        self.cport = 20000 + n % 40000
        self.cseq = rnd.getrandbits(32)
        self.sseq = rnd.getrandbits(32)

    def frame(self, from_client, flags, payload):
        src, dst = (self.cli, self.srv) if from_client else (self.srv, self.cli)
        sport, dport = (self.cport, 80) if from_client else (80, self.cport)
        seq, ack = (self.cseq, self.sseq) if from_client else (self.sseq, self.cseq)
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          5 << 4, flags, 65535, 0, 0)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 0, 0x4000, 64, 6, 0,
                         src, dst)
        ip = ip[:10] + struct.pack("!H", ip_csum(ip)) + ip[12:]
        eth = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" if from_client else \
              b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00"
        adv = len(payload) + (1 if flags & (SYN | FIN) else 0)
        if from_client:
            self.cseq += adv
        else:
            self.sseq += adv
        return eth + ip + tcp + payload


def responses(rnd, big, n0, hsts):
    """The responses of the benchmark mix (bench/mix.py), one after another; over plain http,
    so without Strict-Transport-Security unless hsts (RL6031 on three responses in four)."""
    n = n0
    while True:
        yield mix.response(rnd, big, n, over_http=not hsts)
        n += 1


def conversation(conn, rnd, gen):
    """The frames of one connection: handshake, rounds of pipelined requests, close."""
    yield conn.frame(True, SYN, b"")
    yield conn.frame(False, SYN | ACK, b"")
    yield conn.frame(True, ACK, b"")
    for _ in range(rnd.randint(5, 60)):
        depth = rnd.choice((1, 1, 1, 2, 3, 4))
        reqs = b"".join(b"GET /item/%d HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"
                        % rnd.randint(1, 10 ** 6) for _ in range(depth))
        yield conn.frame(True, PSH | ACK, reqs)
        data = b"".join(next(gen) for _ in range(depth))
        for off in range(0, len(data), MSS):
            seg = data[off:off + MSS]
            yield conn.frame(False, (PSH | ACK) if off + MSS >= len(data) else ACK, seg)
            if (off // MSS) % 2:
                yield conn.frame(True, ACK, b"")
        yield conn.frame(True, ACK, b"")
    yield conn.frame(True, FIN | ACK, b"")
    yield conn.frame(False, FIN | ACK, b"")
    yield conn.frame(True, ACK, b"")


def main():
    out = sys.argv[1]
    target = (int(sys.argv[2]) if len(sys.argv) > 2 else 200) * 1024 * 1024
    rnd = random.Random(20261126)
    big = bytes(rnd.getrandbits(8) for _ in range(65536))
    gen = responses(rnd, big, 0, len(sys.argv) > 3 and sys.argv[3] == "hsts")
    written, frames, conns = 24, 0, 0
    t = 1764058351 * 1000000
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        live = []
        while written < target or live:
            while len(live) < 8 and written < target:
                live.append(conversation(Conn(conns, rnd), rnd, gen))
                conns += 1
            for c in list(live):
                fr = next(c, None)
                if fr is None:
                    live.remove(c)
                    continue
                t += 7
                f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(fr), len(fr)) + fr)
                written += 16 + len(fr)
                frames += 1
    print(f"{out}: {written} bytes, {frames} frames, {conns} connections", file=sys.stderr)


if __name__ == "__main__":
    main()
