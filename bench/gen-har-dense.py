#!/usr/bin/env python3
"""Writes a dense, deterministic HAR 1.2 file: many small entries, as browsers record them.

Usage: bench/gen-har-dense.py OUTPUT [SIZE_MB]   (default 100 MB)

Where bench/gen-har.py measures huge bodies, this one measures what a browser's "Save all as
HAR" gives: pretty-printed JSON (two-space indent, as Chrome writes it), ~2-4 KB per entry,
request headers with quoted client hints, 8-16 response headers, cookies, query strings,
timings, `_initiator` call stacks, short `content.text` (HTML, JSON with escapes, base64 of
small images), h2/h3 lower-case names, 304s, redirects and status 0 entries. About one entry in
twenty has a header a rule reports (a duplicate Content-Length, an unquoted ETag, a bad
Expires), so the reporting path runs too. The same seed always gives the same bytes.
"""
import base64
import json
import random
import sys

SEED = 20251207

HOSTS = ["www.example.com", "api.example.com", "cdn.example.net", "static.example.org",
         "fonts.example.net", "tracker.example.io", "img.example.com"]
KINDS = [("document", "text/html; charset=utf-8"), ("script", "application/javascript"),
         ("stylesheet", "text/css"), ("image", "image/png"), ("xhr", "application/json"),
         ("fetch", "application/json"), ("font", "font/woff2"), ("image", "image/webp")]
UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.0.0 Safari/537.36")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    target = int(sys.argv[2] if len(sys.argv) > 2 else 100) * 1024 * 1024
    rnd = random.Random(SEED)
    png = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(6000))).decode()
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        def w(s):
            nonlocal written
            f.write(s)
            written += len(s.encode("utf-8"))

        head = {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                "pages": [{"startedDateTime": "2025-12-07T10:00:00.000Z", "id": "page_1",
                           "title": "https://www.example.com/",
                           "pageTimings": {"onContentLoad": 812.4, "onLoad": 1630.2}}]}
        text = json.dumps({"log": head}, indent=2)
        # open the entries array inside "log", before its closing braces
        w(text[:text.rindex("}", 0, text.rindex("}"))].rstrip() + ',\n    "entries": [')
        i = 0
        while written < target:
            entry = make_entry(rnd, i, png)
            body = json.dumps(entry, indent=2, ensure_ascii=False)
            w(("," if i else "") + "\n      " + body.replace("\n", "\n      "))
            i += 1
        w("\n    ]\n  }\n}\n")
    print("%s: %d entries, %d bytes" % (out, i, written), file=sys.stderr)


def make_entry(rnd, i, png):
    host = rnd.choice(HOSTS)
    kind, ctype = rnd.choice(KINDS)
    h2 = rnd.random() < 0.7
    version = "h3" if h2 and rnd.random() < 0.2 else "http/2.0" if h2 else "http/1.1"
    path = "/%s/%d/%s" % (kind, i, rnd.choice(["main", "app.bundle", "logo", "v2/items", "s"]))
    query = [{"name": "v", "value": str(rnd.randint(1, 99999))}] if rnd.random() < 0.4 else []
    url = "https://%s%s%s" % (host, path, "?v=" + query[0]["value"] if query else "")
    name = (lambda n: n.lower()) if h2 else (lambda n: n)
    roll = rnd.random()
    status, reason = 200, "OK"
    if roll < 0.02:
        status, reason = 0, ""
    elif roll < 0.14:
        status, reason = 304, "Not Modified"
    elif roll < 0.17:
        status, reason = 301, "Moved Permanently"
    elif roll < 0.18:
        status, reason = 404, "Not Found"
    if h2:
        reason = ""
    sec = i % 60
    req_headers = [(":authority", host), (":method", "GET"), (":path", path), (":scheme", "https")] \
        if h2 else [("Host", host), ("Connection", "keep-alive")]
    req_headers += [
        ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("accept-encoding", "gzip, deflate, br, zstd"),
        ("accept-language", "en-GB,en;q=0.9,de;q=0.8"),
        ("cookie", "sid=%016x; theme=dark; _ga=GA1.2.%d.%d" % (rnd.getrandbits(64), i, 1700000000 + i)),
        ("referer", "https://www.example.com/"),
        ("sec-ch-ua", '"Chromium";v="131", "Not_A Brand";v="24", "Google Chrome";v="131"'),
        ("sec-ch-ua-mobile", "?0"),
        ("sec-ch-ua-platform", '"Linux"'),
        ("sec-fetch-dest", kind if kind != "xhr" else "empty"),
        ("sec-fetch-mode", "navigate" if kind == "document" else "no-cors"),
        ("sec-fetch-site", "same-origin"),
        ("user-agent", UA),
    ]
    body = ""
    encoding = None
    if status == 200:
        if ctype.startswith("text/html"):
            body = '<!doctype html>\n<html lang="en"><head><title>Page %d</title></head>' \
                   '<body><p class="x">Hello \u00e9t\u00e9 %d</p></body></html>\n' % (i, i)
        elif ctype == "application/json":
            body = json.dumps({"id": i, "items": [{"k": "v%d" % k, "q": "a\"b\\c"}
                                                  for k in range(rnd.randint(1, 12))]})
        elif ctype.startswith("image/") or ctype.startswith("font/"):
            body = png[: rnd.randint(200, 6000) // 4 * 4]
            encoding = "base64"
        elif ctype == "text/css":
            body = "body{margin:0}\n.x{color:#%06x}\n" % rnd.getrandbits(24) * rnd.randint(1, 8)
        else:
            body = "(function(){var a=%d;console.log(\"loaded\",a);})();\n" % i * rnd.randint(1, 10)
    size = len(body) if encoding is None else len(body) * 3 // 4
    resp_headers = [
        ("date", "Sun, 07 Dec 2025 10:00:%02d GMT" % sec),
        ("content-type", ctype),
        ("cache-control", rnd.choice(["max-age=%d" % rnd.randint(60, 31536000), "no-cache",
                                      "public, max-age=31536000, immutable", "private"])),
        ("server", rnd.choice(["nginx", "cloudflare", "gws", "Apache"])),
        ("etag", '"%x"' % rnd.getrandbits(48)),
        ("last-modified", "Sat, 06 Dec 2025 08:%02d:00 GMT" % sec),
        ("vary", "Accept-Encoding"),
        ("x-content-type-options", "nosniff"),
        ("strict-transport-security", "max-age=63072000; includeSubDomains; preload"),
    ]
    if status == 200 and size:
        resp_headers.append(("content-length", str(size)))
        if rnd.random() < 0.5:
            resp_headers.append(("access-control-allow-origin", "*"))
        if rnd.random() < 0.3:
            resp_headers.append(("set-cookie", "sid=%016x; Path=/; Secure; HttpOnly; SameSite=Lax"
                                 % rnd.getrandbits(64)))
    if status == 301:
        resp_headers.append(("location", "https://%s/moved/%d" % (host, i)))
    if status == 304:
        resp_headers = [h for h in resp_headers if h[0] in ("date", "etag", "cache-control", "vary")]
    if rnd.random() < 0.05:  # something a rule reports
        resp_headers.append(rnd.choice([("etag", "%x" % rnd.getrandbits(32)),
                                        ("expires", "tomorrow"),
                                        ("content-length", "12, 13")]))
    if status == 0:
        resp_headers = []
    timings = {"blocked": round(rnd.random() * 5, 3), "dns": -1, "ssl": -1, "connect": -1,
               "send": 0.09, "wait": round(rnd.random() * 300, 3),
               "receive": round(rnd.random() * 20, 3), "_blocked_queueing": 1.2,
               "_workerStart": -1, "_workerReady": -1, "_workerFetchStart": -1,
               "_workerRespondWithSettled": -1}
    if rnd.random() < 0.5:
        initiator = {"type": "parser", "url": "https://www.example.com/", "lineNumber": rnd.randint(1, 400)}
    else:
        initiator = {"type": "script", "stack": {"callFrames": [
            {"functionName": rnd.choice(["load", "fetchItems", "", "r"]), "scriptId": str(rnd.randint(10, 99)),
             "url": "https://static.example.org/js/app.bundle.js", "lineNumber": rnd.randint(0, 9000),
             "columnNumber": rnd.randint(0, 200000)} for _ in range(rnd.randint(1, 5))]}}
    content = {"size": size, "mimeType": ctype.split(";")[0]}
    if body:
        content["text"] = body
    if encoding:
        content["encoding"] = encoding
    return {
        "_connectionId": str(rnd.randint(1000, 99999)),
        "_initiator": initiator,
        "_priority": rnd.choice(["VeryHigh", "High", "Low"]),
        "_resourceType": kind,
        "cache": {},
        "connection": "443",
        "pageref": "page_1",
        "request": {"method": "GET", "url": url, "httpVersion": version,
                    "headers": [{"name": n, "value": v} for n, v in req_headers],
                    "queryString": query, "cookies": [
                        {"name": "sid", "value": "%016x" % rnd.getrandbits(64), "path": "/",
                         "domain": ".example.com", "expires": "2026-12-07T10:00:00.000Z",
                         "httpOnly": True, "secure": True}],
                    "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": reason, "httpVersion": version if status else "",
                     "headers": [{"name": name(n), "value": v} for n, v in resp_headers],
                     "cookies": [], "content": content, "redirectURL": "",
                     "headersSize": -1, "bodySize": -1 if status == 0 else size,
                     "_transferSize": size + 300, "_error": None},
        "serverIPAddress": "192.0.2.%d" % rnd.randint(1, 254),
        "startedDateTime": "2025-12-07T10:00:%02d.%03dZ" % (sec, rnd.randint(0, 999)),
        "time": round(rnd.random() * 400, 3),
        "timings": timings,
    }


if __name__ == "__main__":
    main()
