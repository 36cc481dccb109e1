#!/usr/bin/env python3
"""Writes crafted WARC files whose records declare a wrong Content-Length (standard library only).

    python3 tests/warc/make_faults.py OUTDIR

Used by tests/cli/test_warc_faults.sh (issue 21). In a .warc.gz each record is its own gzip member
(WARC 1.1 Annex D): a record declaring more than its member holds must end with its member, and
the records after it must be read from their own members, not swallowed as its block. In a plain
WARC a declared length that runs into the next record must end there only when that is
unambiguous (a whole record starts there, and no CRLF CRLF follows the declared length).

Each file is named after its scenario; OUTDIR/offsets.tsv lists, for each file, the file offset
of each record (its gzip member's offset in a .warc.gz), in order. The output is deterministic.
"""
import gzip
import os
import sys

DATE = "Mon, 24 Nov 2025 10:00:00 GMT"
RESP_OK = ("HTTP/1.1 200 OK\r\nDate: %s\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
           "hello" % DATE).encode()
# RL2001 redirect-missing-location: one finding that shows the record was linted
RESP_301 = ("HTTP/1.1 301 Moved Permanently\r\nDate: %s\r\nContent-Length: 0\r\n\r\n" % DATE).encode()
REQ_GET = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"


def record(rtype, rid, block, declared=None, ctype=None, uri="http://example.com/%s"):
    """One record: header, block, CRLF CRLF. declared: the Content-Length written (default: true)."""
    if ctype is None:
        ctype = {"response": "application/http; msgtype=response",
                 "request": "application/http; msgtype=request",
                 "warcinfo": "application/warc-fields"}[rtype]
    head = ["WARC/1.1", "WARC-Type: " + rtype,
            "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>" % rid,
            "WARC-Date: 2025-11-24T10:00:00Z"]
    if rtype != "warcinfo":
        head.append("WARC-Target-URI: " + (uri % rid if "%s" in uri else uri))
    head.append("Content-Type: " + ctype)
    head.append("Content-Length: %d" % (len(block) if declared is None else declared))
    return ("\r\n".join(head) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


WARCINFO = b"software: resplint tests/warc/make_faults.py\r\nformat: WARC File Format 1.1\r\n"


def member(data):
    return gzip.compress(data, mtime=0)


def big_response(size):
    head = ("HTTP/1.1 200 OK\r\nDate: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
            % (DATE, size)).encode()
    return head + b"x" * size


def gz_file(records):
    """records: list of bytes (one member each) or lists of bytes (one record split over several
    members). Returns the file and the offset of each record's first member."""
    out, offsets = b"", []
    for r in records:
        offsets.append(len(out))
        for part in (r if isinstance(r, list) else [r]):
            out += member(part)
    return out, offsets


def plain_file(records):
    out, offsets = b"", []
    for r in records:
        offsets.append(len(out))
        out += r
    return out, offsets


def scenarios():
    info = record("warcinfo", 1, WARCINFO)
    ok = lambda rid: record("response", rid, RESP_OK)
    redirect = lambda rid: record("response", rid, RESP_301)
    yield "gz-long-record.warc.gz", gz_file([
        info, record("response", 2, RESP_OK, declared=len(RESP_OK) + 700), redirect(3), redirect(4)])
    yield "gz-length-past-end.warc.gz", gz_file([
        info, record("response", 2, RESP_OK, declared=5000000000), redirect(3), redirect(4)])
    yield "gz-last-record-long.warc.gz", gz_file([
        info, redirect(2), record("response", 3, RESP_OK, declared=len(RESP_OK) + 9000)])
    yield "gz-request-long.warc.gz", gz_file([
        info, record("request", 2, REQ_GET, declared=len(REQ_GET) + 300), redirect(3), redirect(4)])
    yield "gz-warcinfo-long.warc.gz", gz_file([
        record("warcinfo", 1, WARCINFO, declared=len(WARCINFO) + 300), redirect(2), redirect(3)])
    big = big_response(3 << 20)
    yield "gz-large-record-long.warc.gz", gz_file([
        info, record("response", 2, big, declared=len(big) + 4096), redirect(3)])
    # one record written over two members (a writer may flush mid-record): not a fault
    split = record("response", 2, RESP_OK)
    yield "gz-record-over-two-members.warc.gz", gz_file([
        info, [split[:150], split[150:]], redirect(3)])
    # a right length and no trailer, the block itself ending in CRLF CRLF (a request), the next
    # record right after it: no cut (the block keeps its last 4 bytes), only the trailer's RL9007
    no_trailer = record("request", 2, REQ_GET)[:-4]
    yield "gz-request-no-trailer.warc.gz", gz_file([info, no_trailer, redirect(3), redirect(4)])
    yield "plain-request-no-trailer.warc", plain_file([info, no_trailer, redirect(3), redirect(4)])
    # plain: the first response declares 700 bytes more than it has; the records after it
    # start inside the declared block
    yield "plain-long-record.warc", plain_file([
        info, record("response", 2, RESP_OK, declared=len(RESP_OK) + 700), redirect(3), redirect(4),
        redirect(5), redirect(6), redirect(7), redirect(8), redirect(9), redirect(10), redirect(11)])
    # plain: a wrong length, but what follows CRLF CRLF inside the block is no whole record:
    # nothing to resynchronise on, the block is read as declared (and the trailer check says so)
    fake_body = b"hello\r\n\r\nWARC/1.1\r\nnot a record header at all\r\n"
    resp_fake = ("HTTP/1.1 200 OK\r\nDate: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
                 % (DATE, len(fake_body))).encode() + fake_body
    yield "plain-long-record-no-resync.warc", plain_file([
        info, record("response", 2, resp_fake, declared=len(resp_fake) + 40), redirect(3),
        redirect(4)])
    # plain, correct lengths: a body holding a whole WARC record is the body, not a record
    inner = record("response", 99, RESP_301)
    body = ("HTTP/1.1 200 OK\r\nDate: %s\r\nContent-Type: application/warc\r\nContent-Length: %d\r\n\r\n"
            % (DATE, len(inner) + 8)).encode() + b"preface\n" + inner
    yield "plain-embedded-record.warc", plain_file([info, record("response", 2, body), redirect(3)])
    # plain, a length past the end of the file (3.5 GB, and 4.5 GB: over the warc-record limit):
    # from a file or a pipe alike, the block ends where the next record starts
    for name, declared in (("plain-length-past-end.warc", 3500000000),
                           ("plain-length-past-end-4g.warc", 4500000000)):
        yield name, plain_file([info, record("response", 2, RESP_OK, declared=declared),
                                redirect(3), redirect(4)])
    # the same with the file's last bytes a record's CRLF CRLF and no record after: the block
    # ends before them
    yield "plain-last-record-long.warc", plain_file([
        info, redirect(2), record("response", 3, RESP_OK, declared=3500000000)])
    # plain, a wrong length whose declared end lies past the 256 KiB a pipe can look ahead in,
    # the file going on after it (a 600 KB response): from a file the declared end shows the
    # length wrong; from a pipe the whole record that starts inside the block ends it
    large = big_response(600000)
    # plain, a length past the end, the next record too large for a pipe's window to show it
    # whole (600 KB), a small one after it: a file ends the block at the large record; a pipe
    # cannot check it, ends the block at the small one, and says what it could not check
    yield "plain-length-past-end-large-next.warc", plain_file([
        info, record("response", 2, RESP_OK, declared=3500000000), record("response", 3, large),
        redirect(4)])
    yield "plain-long-record-far.warc", plain_file([
        info, record("response", 2, RESP_OK, declared=len(RESP_OK) + 400000), redirect(3),
        redirect(4), record("response", 5, large)])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_faults.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "offsets.tsv"), "w") as tsv:
        for name, (data, offsets) in scenarios():
            with open(os.path.join(outdir, name), "wb") as f:
                f.write(data)
            tsv.write("%s\t%s\n" % (name, " ".join(str(o) for o in offsets)))


if __name__ == "__main__":
    main()
