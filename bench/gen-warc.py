#!/usr/bin/env python3
"""Writes a deterministic, uncompressed WARC 1.1 file of the benchmark response mix (fixed seed).

Usage: bench/gen-warc.py OUT [MEGABYTES]   (default 200)

A warcinfo record, then for each response of bench/mix.py a request record and a response
record linked by WARC-Concurrent-To, as crawlers (wget, Heritrix, warcprox) write them: the
WARC reader's benchmark corpus.
"""
import os
import random
import sys
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mix  # noqa: E402


def record(kind, rid, uri, block, extra=b""):
    head = (b"WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
            b"WARC-Date: 2025-11-25T08:12:31Z\r\n" % (kind, rid))
    if uri:
        head += b"WARC-Target-URI: %s\r\n" % uri
    head += extra
    if kind == b"response":
        head += b"Content-Type: application/http;msgtype=response\r\n"
    elif kind == b"request":
        head += b"Content-Type: application/http;msgtype=request\r\n"
    else:
        head += b"Content-Type: application/warc-fields\r\n"
    return head + b"Content-Length: %d\r\n\r\n" % len(block) + block + b"\r\n\r\n"


def main():
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rnd = random.Random(20261207)
    big = bytes(rnd.getrandbits(8) for _ in range(65536))
    ids = random.Random(7)
    written = 0
    n = 0
    with open(out, "wb") as f:
        info = b"software: resplint bench/gen-warc.py\r\nformat: WARC File Format 1.1\r\n"
        rec = record(b"warcinfo", str(uuid.UUID(int=ids.getrandbits(128))).encode(), b"", info)
        f.write(rec)
        written += len(rec)
        while written < target * 1024 * 1024:
            uri = b"https://example.com/page/%d" % n
            req_id = str(uuid.UUID(int=ids.getrandbits(128))).encode()
            resp_id = str(uuid.UUID(int=ids.getrandbits(128))).encode()
            req = (b"GET /page/%d HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Wget/1.21\r\n"
                   b"Accept: */*\r\nAccept-Encoding: identity\r\n\r\n" % n)
            rec = record(b"request", req_id, uri, req,
                         b"WARC-Concurrent-To: <urn:uuid:%s>\r\n" % resp_id)
            rec += record(b"response", resp_id, uri, mix.response(rnd, big, n),
                          b"WARC-IP-Address: 192.0.2.1\r\n")
            f.write(rec)
            written += len(rec)
            n += 1
    print(f"{out}: {written} bytes, {n} responses", file=sys.stderr)


if __name__ == "__main__":
    main()
