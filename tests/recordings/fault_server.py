#!/usr/bin/env python3
"""A small HTTP/1.1 server for the recording tests: each path answers with one chosen fault
(or none), so that a recording made through a real recorder can be checked for exactly those
faults. Usage: fault_server.py PORTFILE  (binds 127.0.0.1 on a free port, writes it to PORTFILE)."""
import socket
import socketserver
import sys

DATE = "Date: Sun, 06 Dec 2026 12:00:00 GMT"

# path -> (status line, header lines, body); every response carries Date and closes cleanly.
ROUTES = {
    "/ok": ("HTTP/1.1 200 OK", ["Content-Type: text/plain", "Content-Length: 3"], b"ok\n"),
    # RL2001: a permanent redirect without Location
    "/moved": ("HTTP/1.1 301 Moved Permanently", ["Content-Length: 0"], b""),
    # RL2011: a 204 with a non-zero Content-Length (and no body: clients read none)
    "/empty": ("HTTP/1.1 204 No Content", ["Content-Length: 2"], b""),
    # RL2022: a 405 without Allow
    "/method": ("HTTP/1.1 405 Method Not Allowed",
                ["Content-Type: text/plain", "Content-Length: 4"], b"no!\n"),
    # RL2020: a 401 without WWW-Authenticate
    "/private": ("HTTP/1.1 401 Unauthorized", ["Content-Length: 0"], b""),
    # RL4010: an ETag that is not quoted
    "/etag": ("HTTP/1.1 200 OK", ["ETag: abc123", "Content-Type: text/plain",
                                   "Content-Length: 3"], b"ok\n"),
    # RL1008: the reason phrase of another status (kept only by recorders that store it)
    "/reason": ("HTTP/1.1 200 Not Found", ["Content-Type: text/plain", "Content-Length: 3"],
                b"ok\n"),
    # RL4007: a singleton field twice (kept only by recorders that keep duplicates)
    "/twice": ("HTTP/1.1 200 OK", ["Content-Type: text/plain", "Content-Type: text/html",
                                    "Content-Length: 3"], b"ok\n"),
    # a binary body, which WireMock keeps in __files/ (and no fault)
    "/binary": ("HTTP/1.1 200 OK", ["Content-Type: application/octet-stream",
                                     "Content-Length: 256"], bytes(range(256))),
    # a cookie with SameSite=None and no Secure
    "/cookie": ("HTTP/1.1 200 OK", ["Set-Cookie: id=1; SameSite=None; Path=/",
                                     "Content-Type: text/plain", "Content-Length: 3"], b"ok\n"),
}


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        try:
            self.serve()
        except ConnectionError:
            pass  # a client that hung up (a port probe)

    def serve(self):
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return
            parts = line.decode("latin-1").split()
            if len(parts) < 2:
                return
            method, target = parts[0], parts[1]
            length = 0
            while True:
                h = self.rfile.readline(65536)
                if h in (b"\r\n", b"\n", b""):
                    break
                name, _, value = h.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip() or 0)
            if length:
                self.rfile.read(length)
            path = target.split("?")[0]
            if "://" in path:  # absolute form, from a proxy
                path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
            status, headers, body = ROUTES.get(
                path, ("HTTP/1.1 404 Not Found", ["Content-Length: 0"], b""))
            if method == "HEAD":
                body = b""
            head = "\r\n".join([status, DATE] + headers) + "\r\n\r\n"
            self.wfile.write(head.encode("latin-1") + body)
            self.wfile.flush()


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(str(srv.server_address[1]))
    srv.serve_forever()


if __name__ == "__main__":
    main()
