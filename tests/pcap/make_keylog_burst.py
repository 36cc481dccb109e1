#!/usr/bin/env python3
"""A pcapng where one connection's responses (tens of thousands, four findings each) are all
released by one frame (the frame that fills a hole), so that they come at one step, and then a
Decryption Secrets Block of several MiB of TLS key log; the other connection is idle meanwhile.
With --jobs 2 the burst's shard fills its queue to the merge, the key log fills that shard's
ring, and the idle shard must still learn how far the reading is: key log records give no step,
and a PROGRESS record saying only the burst's step let the merge wait for the idle shard (it
comes first at an equal step) while the reading waited for room: a hang, found by review.

Usage: make_keylog_burst.py OUT.pcapng [RESPONSES [KEYLOG_MIB [HEAVY_SHARD]]]"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_pcaps as mp  # noqa: E402

RESP = (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nCache-Control: max-age=abc\r\n"
        b"Set-Cookie: a=b; Expires=garbage\r\nContent-Type: text/html;charset=nope\r\n"
        b"Location: not a url\r\n\r\n")


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def main():
    out = sys.argv[1]
    nreq = int(sys.argv[2]) if len(sys.argv) > 2 else 33000
    mib = float(sys.argv[3]) if len(sys.argv) > 3 else 6
    heavy_first = len(sys.argv) > 4 and sys.argv[4] == "0"  # the burst on tcp.stream 0
    cap = mp.Capture()
    a = mp.Conn(cap, client=("192.0.2.10", 40000))
    b = mp.Conn(cap, client=("192.0.2.11", 40001))
    first, second = (b, a) if heavy_first else (a, b)
    first.handshake()
    second.handshake()
    a.client(mp.req())
    a.server(mp.resp())
    reqs = b"GET / HTTP/1.1\r\nHost: h\r\n\r\n" * nreq
    for i in range(0, len(reqs), 60000):
        b.client(reqs[i:i + 60000])
    data = RESP * nreq
    segs = [data[i:i + 60000] for i in range(0, len(data), 60000)]
    base = b.sseq
    for i in range(1, len(segs)):  # all but the first: held behind the hole
        b.server(segs[i], seq=base + 60000 * i)
    b.server(segs[0], seq=base)  # fills the hole: every response at one step
    b.sseq = base + len(data)
    burst_end = len(cap.frames)
    a.client(mp.req())
    a.server(mp.resp())
    a.close()
    b.close()
    blocks = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
              block(0x00000001, struct.pack("<HHI", mp.DLT_EN10MB, 0, 262144))]
    line = b"CLIENT_RANDOM " + b"ab" * 32 + b" " + b"cd" * 48 + b"\n"
    keys = line * int(mib * (1 << 20) / len(line))
    for i, (t, d, orig) in enumerate(cap.frames):
        us = int(round(t * 1e6))
        blocks.append(block(6, struct.pack("<IIIII", 0, us >> 32, us & 0xFFFFFFFF, len(d), orig) + d))
        if i == burst_end - 1 and keys:  # the DSB right after the burst
            blocks.append(block(0x0A, struct.pack("<II", 0x544C534B, len(keys)) + keys))
    with open(out, "wb") as f:
        f.write(b"".join(blocks))


if __name__ == "__main__":
    main()
