#!/usr/bin/env python3
"""A test upstream for the nginx module: answers each request with raw bytes chosen by the
request path (faulty and good responses), then closes the connection.
Usage: nginx_upstream.py PORT_FILE   (binds 127.0.0.1 on a free port, writes the port there)"""
import email.utils
import socket
import socketserver
import sys
import threading


def date():
    return email.utils.formatdate(usegmt=True)


def responses():
    d = "Date: %s\r\n" % date()
    return {
        "/good": "HTTP/1.1 200 OK\r\n" + d + "Content-Type: text/plain\r\nContent-Length: 3\r\n"
                 "Connection: close\r\n\r\nok\n",
        "/cookies": "HTTP/1.1 200 OK\r\n" + d + "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                    "Content-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n",
        "/redirect": "HTTP/1.1 301 Moved Permanently\r\n" + d + "Location: /good\r\n"
                     "Content-Length: 0\r\nConnection: close\r\n\r\n",
        "/moved": "HTTP/1.1 301 Moved Permanently\r\n" + d + "Content-Length: 0\r\n"
                  "Connection: close\r\n\r\n",
        "/empty-location": "HTTP/1.1 301 Moved Permanently\r\n" + d + "Location:\r\n"
                           "Content-Length: 0\r\nConnection: close\r\n\r\n",
        "/nocontent": "HTTP/1.1 204 No Content\r\n" + d + "Content-Length: 5\r\n"
                      "Connection: close\r\n\r\nhello",
        # nginx passes a 205's body on (it drops only 204, 304 and HEAD bodies): the body
        # filter counts it and the end-of-response check reports it.
        "/resetcontent": "HTTP/1.1 205 Reset Content\r\n" + d + "Content-Length: 5\r\n"
                         "Connection: close\r\n\r\nhello",
        "/notmodified": "HTTP/1.1 304 Not Modified\r\n" + d + "ETag: \"x\"\r\n"
                        "Connection: close\r\n\r\n",
        "/weird": "HTTP/1.1 999 Weird\r\n" + d + "Content-Type: text/plain\r\nContent-Length: 3\r\n"
                  "Connection: close\r\n\r\nok\n",
        # nginx rejects this head (NUL in a field line) after parsing the status line and
        # answers 502 itself: the partial upstream head must not be linted.
        "/broken": "HTTP/1.1 301 Moved Permanently\r\n" + d + "X-Bad\x00: y\r\n"
                   "Content-Length: 0\r\nConnection: close\r\n\r\n",
        "/unauthorized": "HTTP/1.1 401 Unauthorized\r\n" + d + "Content-Type: text/plain\r\n"
                         "Content-Length: 3\r\nConnection: close\r\n\r\nno\n",
    }


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        target = data.split(b" ", 2)[1].decode("latin-1") if data.count(b" ") >= 2 else "/"
        path = "/" + target.split("?", 1)[0].rsplit("/", 1)[-1]
        body = responses().get(path)
        if body is None:
            body = "HTTP/1.1 404 Not Found\r\nDate: %s\r\nContent-Type: text/plain\r\n" \
                   "Content-Length: 4\r\nConnection: close\r\n\r\nnone" % date()
        self.request.sendall(body.encode("latin-1"))
        try:
            self.request.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    server = Server(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    t.join()


if __name__ == "__main__":
    main()
