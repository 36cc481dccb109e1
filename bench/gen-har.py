#!/usr/bin/env python3
"""Writes a large, deterministic HAR 1.2 file for measuring the HAR reader's memory and speed.

Usage: bench/gen-har.py OUTPUT [SIZE_MB]   (default 512 MB)

The file mixes what browser recordings hold: HTTP/1.1, h2 and h3 entries with lower-case names,
304s carrying the cached body size, status 0 entries, data: URLs, `_`-prefixed members, pages after
the entries, and now and then a huge base64 `content.text` (1 to 24 MB) of the kind images and
fonts produce. The same seed always gives the same bytes.
"""
import base64
import random
import sys

SEED = 20251124


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    target = int(sys.argv[2] if len(sys.argv) > 2 else 512) * 1024 * 1024
    rnd = random.Random(SEED)
    blob = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(3 * 1024 * 1024))).decode()
    hosts = ["www.example.com", "api.example.com", "cdn.example.net", "static.example.org",
             "tracker.example.io"]
    versions = ["HTTP/1.1", "h2", "http/2.0", "h3", "HTTP/1.1", "h2"]
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        def w(s):
            nonlocal written
            f.write(s)
            written += len(s)

        w('{"log":{"version":"1.2","creator":{"name":"resplint gen-har.py","version":"1"},'
          '"entries":[\n')
        i = 0
        while written < target:
            host = rnd.choice(hosts)
            version = rnd.choice(versions)
            h2 = version != "HTTP/1.1"
            roll = rnd.random()
            url = "https://%s/%s/%d" % (host, rnd.choice(["img", "js", "api", "css"]), i)
            status, text = 200, "hello %d" % i
            if roll < 0.02:
                status = 0
            elif roll < 0.10:
                status = 304
            elif roll < 0.13:
                status = 301
            elif roll < 0.14:
                url = "data:image/png;base64," + blob[: rnd.randint(100, 20000)]
            if roll > 0.9985:
                size = rnd.randint(1, 8) * 3 * 1024 * 1024 // 4 * 4
                reps = size // len(blob) + 1
                text = ""
                chunks = [blob] * reps
            else:
                chunks = None
            name = (lambda n: n.lower()) if h2 else (lambda n: n)
            headers = [(name("Date"), "Mon, 24 Nov 2025 10:00:%02d GMT" % (i % 60)),
                       (name("Content-Type"), rnd.choice(["text/html", "image/png", "application/json"])),
                       (name("Cache-Control"), "max-age=%d" % rnd.randint(0, 86400))]
            if status == 301:
                headers.append((name("Location"), "https://%s/moved/%d" % (host, i)))
            if status == 0:
                headers = []
            if not h2 and rnd.random() < 0.3:
                headers.append(("Connection", "keep-alive"))
            body = len(text) if status == 200 else 0
            content_size = body if status != 304 else rnd.randint(1000, 90000)
            hjson = ",".join('{"name":"%s","value":"%s"}' % h for h in headers)
            w('%s{"_resourceType":"other","startedDateTime":"2025-11-24T10:00:00.000Z","time":%d,'
              '"request":{"method":"GET","url":"%s","httpVersion":"%s","headers":[],"cookies":[],'
              '"queryString":[],"headersSize":-1,"bodySize":0},'
              '"response":{"status":%d,"statusText":"","httpVersion":"%s","headers":[%s],'
              '"cookies":[],"content":{"size":%d,"mimeType":"text/plain","text":"'
              % ("," if i else "", rnd.randint(1, 900), url, version, status,
                 version if status else "", hjson, content_size))
            if chunks:
                for c in chunks:
                    w(c)
                w('","encoding":"base64"')
            else:
                w(text + '"')
            w('},"redirectURL":"","headersSize":-1,"bodySize":%d,"_transferSize":%d},'
              '"cache":{},"timings":{"send":0,"wait":%d,"receive":1}}\n'
              % (body if status else -1, body + 200, rnd.randint(1, 500)))
            i += 1
        w('],"pages":[{"startedDateTime":"2025-11-24T10:00:00.000Z","id":"page_1","title":"bench",'
          '"pageTimings":{}}]}}\n')
    print("%s: %d entries, %d bytes" % (out, i, written), file=sys.stderr)


if __name__ == "__main__":
    main()
