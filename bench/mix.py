"""The response mix of the benchmarks, shared by gen-stream.py and gen-pcap.py: mostly clean
200s with 8-12 fields and small bodies, chunked JSON bodies, 304s, 301s, 404s and a few 64 KiB
bodies. With faulty=True a response carries one of a few common faults (a finding each).
"""

DATE = b"Date: Tue, 25 Nov 2025 08:12:31 GMT\r\n"
EXTRA = [b"Server: nginx/1.22.1\r\n", b"Cache-Control: max-age=3600\r\n",
         b"Vary: Accept-Encoding\r\n", b"X-Request-Id: 5f2b7c9e-1a2b-4c3d-9e8f-0a1b2c3d4e5f\r\n",
         b"Last-Modified: Mon, 24 Nov 2025 10:00:00 GMT\r\n", b"Accept-Ranges: bytes\r\n",
         b"Connection: keep-alive\r\n", b"X-Content-Type-Options: nosniff\r\n",
         b"Strict-Transport-Security: max-age=63072000\r\n", b"Access-Control-Allow-Origin: *\r\n"]
# Over plain http (the captures of gen-pcap.py, port 80) a clean response has no
# Strict-Transport-Security: RFC 6797 §7.2, RL6031 (a finding on three responses in four)
EXTRA_HTTP = [f for f in EXTRA if not f.startswith(b"Strict-Transport-Security")]
# One field line with a fault each (RL5002, RL4009, RL6006, RL5010, RL5013): the findings mix
FAULTS = [b"Cache-Control: max-age=1h\r\n", b"Expires: Tue, 25 Nov 2025 08:12:31\r\n",
          b"Set-Cookie: id=7; Path=/; SameSite=Sometimes\r\n", b"Age: -1\r\n",
          b"Vary: Accept-Encoding, @\r\n"]


def response(rnd, big, n, faulty=False, over_http=False):
    """Response number n of the mix, drawn from rnd (big: the 64 KiB body); faulty: with one of
    FAULTS; over_http: sent over plain http (no HSTS)."""
    k = rnd.random()
    fields = [DATE] + rnd.sample(EXTRA_HTTP if over_http else EXTRA, rnd.randint(6, 9))
    if faulty:
        fault = rnd.choice(FAULTS)
        fields = [f for f in fields if f.split(b":")[0] != fault.split(b":")[0]] + [fault]
    if k < 0.70:
        body = bytes(rnd.choice(b"abcdefghij <>/\n") for _ in range(rnd.randint(200, 1500)))
        return b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + \
            b"".join(fields) + b"ETag: \"%x\"\r\nContent-Length: %d\r\n\r\n" % (n, len(body)) + body
    if k < 0.82:  # a JSON text (valid: RL7008 checks it) in 1-4 chunks
        items = [bytes(rnd.choice(b"0123456789abcdef") for _ in range(rnd.randint(50, 800)))
                 for _ in range(rnd.randint(1, 4))]
        text = b'{"items":["' + b'","'.join(items) + b'"]}'
        cuts = sorted(rnd.sample(range(1, len(text)), len(items) - 1))
        chunks = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
        body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
        return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"".join(fields) + \
            b"Transfer-Encoding: chunked\r\n\r\n" + body
    if k < 0.90:
        return b"HTTP/1.1 304 Not Modified\r\n" + b"".join(fields) + b"ETag: \"%x\"\r\n\r\n" % n
    if k < 0.95:
        return b"HTTP/1.1 301 Moved Permanently\r\n" + b"".join(fields) + \
            b"Location: https://example.com/new/%d\r\nContent-Length: 0\r\n\r\n" % n
    if k < 0.995:
        body = b"<html><body>Not Found</body></html>"
        return b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n" + b"".join(fields) + \
            b"Content-Length: %d\r\n\r\n" % len(body) + body
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n" + \
        b"".join(fields) + b"Content-Length: 65536\r\n\r\n" + big
