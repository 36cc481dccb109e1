#!/usr/bin/env python3
"""Writes a deterministic keep-alive stream of mixed HTTP/1.1 responses (fixed seed).

Mostly clean 200s with 8-12 fields and small bodies, chunked bodies, 304s, 301s, 404s and a few
64 KiB bodies: the raw-path benchmark corpus. Usage: gen-stream.py OUT [MEGABYTES]
"""
import random
import sys

def main():
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rnd = random.Random(20261125)
    date = b"Date: Tue, 25 Nov 2025 08:12:31 GMT\r\n"
    extra = [b"Server: nginx/1.22.1\r\n", b"Cache-Control: max-age=3600\r\n",
             b"Vary: Accept-Encoding\r\n", b"X-Request-Id: 5f2b7c9e-1a2b-4c3d-9e8f-0a1b2c3d4e5f\r\n",
             b"Last-Modified: Mon, 24 Nov 2025 10:00:00 GMT\r\n", b"Accept-Ranges: bytes\r\n",
             b"Connection: keep-alive\r\n", b"X-Content-Type-Options: nosniff\r\n",
             b"Strict-Transport-Security: max-age=63072000\r\n", b"Access-Control-Allow-Origin: *\r\n"]
    big = bytes(rnd.getrandbits(8) for _ in range(65536))
    written = 0
    n = 0
    with open(out, "wb") as f:
        while written < target * 1024 * 1024:
            k = rnd.random()
            fields = [date] + rnd.sample(extra, rnd.randint(6, 9))
            if k < 0.70:
                body = bytes(rnd.choice(b"abcdefghij <>/\n") for _ in range(rnd.randint(200, 1500)))
                head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + b"".join(fields)
                head += b"ETag: \"%x\"\r\nContent-Length: %d\r\n\r\n" % (n, len(body))
                msg = head + body
            elif k < 0.82:
                chunks = [bytes(rnd.choice(b"0123456789abcdef") for _ in range(rnd.randint(50, 800)))
                          for _ in range(rnd.randint(1, 4))]
                body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
                msg = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"".join(fields) + \
                      b"Transfer-Encoding: chunked\r\n\r\n" + body
            elif k < 0.90:
                msg = b"HTTP/1.1 304 Not Modified\r\n" + b"".join(fields) + b"ETag: \"%x\"\r\n\r\n" % n
            elif k < 0.95:
                msg = b"HTTP/1.1 301 Moved Permanently\r\n" + b"".join(fields) + \
                      b"Location: https://example.com/new/%d\r\nContent-Length: 0\r\n\r\n" % n
            elif k < 0.995:
                body = b"<html><body>Not Found</body></html>"
                msg = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n" + b"".join(fields) + \
                      b"Content-Length: %d\r\n\r\n" % len(body) + body
            else:
                msg = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n" + \
                      b"".join(fields) + b"Content-Length: 65536\r\n\r\n" + big
            f.write(msg)
            written += len(msg)
            n += 1
    print(f"{out}: {written} bytes, {n} responses", file=sys.stderr)

if __name__ == "__main__":
    main()
