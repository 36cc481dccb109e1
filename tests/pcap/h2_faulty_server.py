#!/usr/bin/env python3
"""A small HTTP/2 server (h2c, prior knowledge) that sends chosen faults, for resplint's tests.

Built on Debian's python3-h2 with its own header validation and normalisation switched off, so
that what it sends is exactly what the path asks for. One response per request, by path:

  /ok          a clean 200                       /upper       Content-Type (upper case)
  /blank       a value ending with a space       /nostatus    no :status
  /after       :status after a regular field     /pseudo      :path in a response
  /length      content-length 10, 5 DATA bytes   /te          te: gzip
  /interim     a 103 HEADERS with END_STREAM     /switch      :status 101, then a 200
  /connection  a connection field (RL4014)       /moved       a 301 without location (RL2001)
  /padded      a 200 whose DATA is padded (content-length counts the data only)
  /flood       HEADERS continued by 70 CONTINUATION frames of 16 KiB (over the 1 MiB cap)
  /bigtable    a server SETTINGS_HEADER_TABLE_SIZE of 2 GiB (over the 1 MiB cap), then a 200

usage: h2_faulty_server.py PORT  (serves until killed; prints "ready" once listening)
"""
import email.utils
import socket
import sys
import threading

import h2.config
import h2.connection
import h2.events

FAULTS = {
    "/ok": ([(":status", "200"), ("content-type", "text/plain"), ("content-length", "2")], b"ok"),
    "/upper": ([(":status", "200"), ("Content-Type", "text/plain"), ("content-length", "2")], b"ok"),
    "/blank": ([(":status", "200"), ("x-note", "trailing "), ("content-length", "2")], b"ok"),
    "/nostatus": ([("content-type", "text/plain"), ("content-length", "2")], b"ok"),
    "/after": ([("content-type", "text/plain"), (":status", "200"), ("content-length", "2")], b"ok"),
    "/pseudo": ([(":status", "200"), (":path", "/elsewhere"), ("content-length", "2")], b"ok"),
    "/length": ([(":status", "200"), ("content-type", "text/plain"), ("content-length", "10")], b"short"),
    "/te": ([(":status", "200"), ("te", "gzip"), ("content-length", "2")], b"ok"),
    "/connection": ([(":status", "200"), ("connection", "keep-alive"), ("content-length", "2")], b"ok"),
    "/moved": ([(":status", "301"), ("content-length", "0")], b""),
    "/padded": ([(":status", "200"), ("content-type", "text/plain"), ("content-length", "5")], b"hello"),
}


def raw_headers(conn, sid, headers, end_stream):
    """A HEADERS frame built here (h2 refuses END_STREAM on a 1xx), HPACK-encoded with the
    connection's own encoder so that its table stays in step."""
    block = conn.encoder.encode(headers)
    flags = 0x4 | (0x1 if end_stream else 0)
    return len(block).to_bytes(3, "big") + bytes([0x1, flags]) + sid.to_bytes(4, "big") + block


def serve(sock):
    config = h2.config.H2Configuration(client_side=False, validate_outbound_headers=False,
                                       normalize_outbound_headers=False,
                                       validate_inbound_headers=False, header_encoding="utf-8")
    conn = h2.connection.H2Connection(config=config)
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    while True:
        data = sock.recv(65536)
        if not data:
            break
        for event in conn.receive_data(data):
            if not isinstance(event, h2.events.RequestReceived):
                continue
            path = dict((k if isinstance(k, str) else k.decode(), v if isinstance(v, str) else v.decode())
                        for k, v in event.headers).get(":path", "/")
            sid = event.stream_id
            if path == "/interim":  # a 103 that ends the stream
                sock.sendall(conn.data_to_send() + raw_headers(
                    conn, sid, [(":status", "103"), ("link", "</a.css>; rel=preload")], True))
                continue
            if path == "/flood":  # a field block continued past 1 MiB (a CONTINUATION flood)
                frames = conn.data_to_send()
                frames += (3).to_bytes(3, "big") + bytes([0x1, 0x0]) + sid.to_bytes(4, "big") + bytes([0x88, 0x40, 0x00])
                chunk = bytes(16384)
                for _ in range(70):
                    frames += len(chunk).to_bytes(3, "big") + bytes([0x9, 0x0]) + sid.to_bytes(4, "big") + chunk
                sock.sendall(frames)
                continue
            if path == "/bigtable":  # SETTINGS_HEADER_TABLE_SIZE of 2 GiB, then a clean 200
                sock.sendall(conn.data_to_send() + (6).to_bytes(3, "big") + bytes([0x4, 0x0]) +
                             (0).to_bytes(4, "big") + (1).to_bytes(2, "big") + (1 << 31).to_bytes(4, "big"))
                conn.send_headers(sid, FAULTS["/ok"][0] + [("date", email.utils.formatdate(usegmt=True))])
                conn.send_data(sid, b"ok", end_stream=True)
                continue
            if path == "/switch":  # a 101, then a final 200
                sock.sendall(conn.data_to_send() + raw_headers(conn, sid, [(":status", "101")], False))
                conn.send_headers(sid, FAULTS["/ok"][0] + [("date", email.utils.formatdate(usegmt=True))])
                conn.send_data(sid, b"ok", end_stream=True)
                continue
            headers, body = FAULTS.get(path, FAULTS["/ok"])
            headers = headers + [("date", email.utils.formatdate(usegmt=True))]
            conn.send_headers(sid, headers, end_stream=not body)
            if body:
                conn.send_data(sid, body, end_stream=True, pad_length=7 if path == "/padded" else None)
        sock.sendall(conn.data_to_send())
    sock.close()


def main():
    port = int(sys.argv[1])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(16)
    print("ready", flush=True)
    while True:
        s, _ = srv.accept()
        threading.Thread(target=serve, args=(s,), daemon=True).start()


if __name__ == "__main__":
    main()
