/* The raw reader: a file holding the bytes one server sent on one connection. Request
 * context comes from --method or from the client's byte stream in a second file. */
#define _POSIX_C_SOURCE 200809L
#include "reader.h"

#include <errno.h>
#include <llhttp.h>
#include <stdlib.h>
#include <string.h>

/* Line starts of the bytes not yet released, so that findings get a line and a column (what
 * editors, GitHub annotations and SARIF show). Newlines before the last completed response
 * are dropped, so memory follows the size of one response, with a cap beyond which lines
 * are no longer given. */
#define MAX_LINE_MARKS (1u << 22)

typedef struct line_index {
    uint64_t *nl;       /* offsets of retained '\n', ascending, from nl[head] to nl[n-1] */
    size_t head, n, cap;
    uint64_t dropped;   /* newlines released */
    uint64_t last_drop; /* offset of the last released newline, valid when dropped > 0 */
    bool off;           /* cap reached or out of memory: no more lines */
} line_index;

typedef struct raw_ctx {
    rlcap_reader *r;
    resplint_stream *stream;
    line_index lines;
} raw_ctx;

static void lines_scan(line_index *li, const unsigned char *p, size_t n, uint64_t base)
{
    const unsigned char *end = p + n, *q = p;
    while (!li->off && (q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        if (li->n == li->cap) {
            if (li->head > li->n / 2) { /* reuse the released front before growing */
                memmove(li->nl, li->nl + li->head, (li->n - li->head) * sizeof *li->nl);
                li->n -= li->head;
                li->head = 0;
            } else {
                size_t cap = li->cap ? li->cap * 2 : 1024;
                uint64_t *nl = cap <= MAX_LINE_MARKS ? realloc(li->nl, cap * sizeof *nl) : NULL;
                if (!nl) {
                    li->off = true;
                    break;
                }
                li->nl = nl;
                li->cap = cap;
            }
        }
        li->nl[li->n++] = base + (uint64_t)(q - p);
        q++;
    }
}

static void lines_release(line_index *li, uint64_t before)
{
    while (li->head < li->n && li->nl[li->head] < before) {
        li->last_drop = li->nl[li->head++];
        li->dropped++;
    }
}

/* 1-based line and column of a byte offset; false when it lies in released bytes. */
static bool lines_find(const line_index *li, uint64_t off, uint32_t *line, uint32_t *col)
{
    if (li->off || off == RESPLINT_NO_OFFSET || (li->dropped && off <= li->last_drop))
        return false;
    size_t lo = li->head, hi = li->n; /* first retained newline at or after off */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (li->nl[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint64_t ln = 1 + li->dropped + (lo - li->head);
    uint64_t start = lo > li->head ? li->nl[lo - 1] + 1 : li->dropped ? li->last_drop + 1 : 0;
    if (ln > UINT32_MAX || off - start + 1 > UINT32_MAX)
        return false;
    *line = (uint32_t)ln;
    *col = (uint32_t)(off - start + 1);
    return true;
}

static void on_finding(const resplint_finding *f, void *user)
{
    raw_ctx *x = user;
    resplint_origin o;
    rlcap_origin_init(x->r, &o);
    o.response_index = f->response_index;
    o.offset = f->offset;
    o.length = f->length;
    uint64_t at = f->offset != RESPLINT_NO_OFFSET ? f->offset : f->response_offset;
    if (!lines_find(&x->lines, at, &o.line, &o.column))
        o.line = o.column = 0;
    x->r->stats->findings++;
    x->r->handler->on_finding(f, &o, x->r->handler->user);
}

static void on_response(const resplint_response *resp, size_t index, uint64_t offset,
                        uint64_t length, void *user)
{
    raw_ctx *x = user;
    x->r->stats->responses++;
    if (x->r->handler->on_response) {
        resplint_origin o;
        rlcap_origin_init(x->r, &o);
        o.response_index = index;
        o.offset = offset;
        o.length = length;
        /* no line here: responses are counted, never shown, and a lookup per response
         * would cost more than the whole line index */
        x->r->handler->on_response(resp, &o, x->r->handler->user);
    }
    /* Findings of this response have been reported: only its own bytes may still be named,
     * by a finding about what follows it. */
    if (offset != RESPLINT_NO_OFFSET)
        lines_release(&x->lines, offset);
}

/* ---- request context from the client's stream ---- */

typedef struct req_ctx {
    resplint_stream *stream;
    char method[24];
    size_t mlen;
    int rc;
} req_ctx;

static int on_method(llhttp_t *p, const char *at, size_t len)
{
    req_ctx *q = p->data;
    size_t room = sizeof q->method - 1 - q->mlen;
    if (len > room)
        len = room;
    memcpy(q->method + q->mlen, at, len);
    q->mlen += len;
    return 0;
}

static int on_req_headers_complete(llhttp_t *p)
{
    req_ctx *q = p->data;
    q->method[q->mlen] = '\0';
    int rc = resplint_stream_push_request(q->stream, q->method, p->http_major, p->http_minor);
    if (rc < 0 && q->rc == 0)
        q->rc = rc;
    q->mlen = 0;
    /* A CONNECT or Upgrade request ends the HTTP part of the client's stream. */
    return 0;
}

static int read_requests(rlcap_reader *r, resplint_stream *stream)
{
    FILE *f = fopen(r->opts->request_path, "rb");
    if (!f)
        return rlcap_fail(r, RESPLINT_EIO, "%s: cannot open: %s", r->opts->request_path,
                          strerror(errno));
    llhttp_settings_t settings;
    llhttp_settings_init(&settings);
    settings.on_method = on_method;
    settings.on_headers_complete = on_req_headers_complete;
    llhttp_t parser;
    llhttp_init(&parser, HTTP_REQUEST, &settings);
    req_ctx q = {stream, {0}, 0, 0};
    parser.data = &q;
    char buf[65536];
    size_t n;
    llhttp_errno_t err = HPE_OK;
    while (err == HPE_OK && (n = fread(buf, 1, sizeof buf, f)) > 0)
        err = llhttp_execute(&parser, buf, n);
    fclose(f);
    /* The requests parsed before an error or an upgrade still give context; the rest of the
     * responses are read without it. */
    return q.rc == RESPLINT_ENOMEM ? q.rc : 0;
}

int rlcap_read_raw(rlcap_reader *r)
{
    raw_ctx x = {r, NULL, {0}};
    x.stream = resplint_stream_new(r->cfg, on_finding, &x);
    if (!x.stream)
        return rlcap_fail(r, RESPLINT_ENOMEM, "%s: out of memory", r->path);
    resplint_stream_on_response(x.stream, on_response);
    int rc = 0;
    if (r->opts->method)
        resplint_stream_set_default_request(x.stream, r->opts->method, 0, 0);
    if (r->opts->request_path)
        rc = read_requests(r, x.stream);
    char *buf = rc == 0 ? malloc(1 << 16) : NULL;
    if (rc == 0 && !buf)
        rc = rlcap_fail(r, RESPLINT_ENOMEM, "%s: out of memory", r->path);
    while (rc == 0) {
        long n = rlcap_read(r, buf, 1 << 16);
        if (n < 0) {
            rc = rlcap_fail(r, RESPLINT_EIO, "%s: read error at offset %llu: %s", r->path,
                            (unsigned long long)r->stats->bytes, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        lines_scan(&x.lines, (const unsigned char *)buf, (size_t)n, r->stats->bytes);
        r->stats->bytes += (uint64_t)n;
        rc = resplint_stream_feed(x.stream, buf, (size_t)n);
        if (r->handler->on_progress)
            r->handler->on_progress(r->stats->bytes, r->total, r->handler->user);
    }
    if (rc == 0)
        rc = resplint_stream_finish(x.stream);
    else if (rc != RESPLINT_EIO)
        rc = rlcap_fail(r, rc, "%s: %s", r->path, resplint_strerror(rc));
    free(buf);
    free(x.lines.nl);
    resplint_stream_free(x.stream);
    return rc;
}
