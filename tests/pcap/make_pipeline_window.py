#!/usr/bin/env python3
"""Writes captures whose client runs ahead of its server, for the request window (issue 21).

    python3 tests/pcap/make_pipeline_window.py OUTDIR

Used by tests/cli/test_pairing_window.sh with the frame builders of make_pcaps.py.

window.pcap (checked with pending-requests = 4): the client sends GET GET GET GET HEAD HEAD
before any answer; the server answers the six (the HEAD answers carry Content-Length and no
body, as they must). Then the client sends GET and HEAD; the server answers the GET with a body
and the HEAD with Content-Length: 5 and five bytes of body, a real server fault (RL2015). The two
HEADs past the window are dropped: their answers are read without context (no finding), and the
last two responses must still meet their own requests: one RL2015, at the last response.

far-ahead.pcap (default limits): the client sends N requests, alternating HEAD and GET, before
the server answers them; N is given on the command line (default 70,000, past the default window
of 65,536). No response may be read against the wrong request: no RL3010 at all, N responses.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_pcaps import Capture, Conn, req, resp  # noqa: E402

HEAD_ANSWER = resp(extra=b"Content-Type: text/plain\r\n")[:-5]  # Content-Length: 5, no body


def window():
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    methods = [b"GET"] * 4 + [b"HEAD"] * 2
    c.client(b"".join(req(m, b"/%d" % i) for i, m in enumerate(methods, 1)))
    c.server(b"".join(HEAD_ANSWER if m == b"HEAD" else resp() for m in methods))
    c.ack_from_client()
    c.client(req(b"GET", b"/7") + req(b"HEAD", b"/8"))
    c.server(resp() + HEAD_ANSWER + b"oops!")
    c.close()
    return cap.pcap()


def far_ahead(n):
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    methods = [b"HEAD" if i % 2 else b"GET" for i in range(n)]
    reqs = b"".join(req(m, b"/%d" % i) for i, m in enumerate(methods))
    for i in range(0, len(reqs), 60000):
        c.client(reqs[i:i + 60000])
    answers = b"".join(HEAD_ANSWER if m == b"HEAD" else resp() for m in methods)
    for i in range(0, len(answers), 60000):
        c.server(answers[i:i + 60000])
    c.close()
    return cap.pcap()


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: make_pipeline_window.py OUTDIR [N]")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "window.pcap"), "wb") as f:
        f.write(window())
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 70000
    with open(os.path.join(out, "far-ahead.pcap"), "wb") as f:
        f.write(far_ahead(n))


if __name__ == "__main__":
    main()
