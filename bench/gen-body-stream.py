#!/usr/bin/env python3
"""Writes a keep-alive stream for the body pipeline's bench: a quarter of the responses carry a
gzip body (text/html, 20-200 KiB decoded) with a Content-Digest over the coded bytes, the rest
small plain responses. Fixed seed. Also writes every gzip member, concatenated, to BODIES (what
`gzip -dc` decodes as the baseline) and prints the decoded megabytes.
    gen-body-stream.py STREAM BODIES MB"""
import base64, gzip, hashlib, random, sys

out, bodies, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(17)
words = [bytes(rnd.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 9)))
         for _ in range(2000)]
total = decoded = 0
with open(out, "wb") as f, open(bodies, "wb") as g:
    i = 0
    while total < mb * 1000000:
        if i % 4 == 0:
            n = rnd.randint(20000, 200000)
            text = b"<p>" + b" ".join(rnd.choice(words) for _ in range(n // 6)) + b"</p>\n"
            body = gzip.compress(text, 6, mtime=0)
            dig = base64.b64encode(hashlib.sha256(body).digest()).decode()
            head = ("HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\n"
                    "Content-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
                    "Vary: Accept-Encoding\r\nContent-Digest: sha-256=:%s:\r\n"
                    "Content-Length: %d\r\n\r\n" % (dig, len(body))).encode()
            g.write(body)
            decoded += len(text)
        else:
            body = b"ok " * rnd.randint(1, 200)
            head = ("HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\n"
                    "Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body)).encode()
        f.write(head + body)
        total += len(head) + len(body)
        i += 1
print("%.1f" % (decoded / 1e6))
