/* The raw reader: a file holding the bytes one server sent on one connection. Request
 * context comes from --method or from the client's byte stream in a second file. */
#define _POSIX_C_SOURCE 200809L
#include "reader.h"

#include <errno.h>
#include <llhttp.h>
#include <stdlib.h>
#include <string.h>

typedef struct raw_ctx {
    rlcap_reader *r;
    resplint_stream *stream;
} raw_ctx;

static void on_finding(const resplint_finding *f, void *user)
{
    raw_ctx *x = user;
    resplint_origin o;
    rlcap_origin_init(x->r, &o);
    o.response_index = f->response_index;
    o.offset = f->offset;
    o.length = f->length;
    x->r->stats->findings++;
    x->r->handler->on_finding(f, &o, x->r->handler->user);
}

static void on_response(const resplint_response *resp, size_t index, uint64_t offset,
                        uint64_t length, void *user)
{
    raw_ctx *x = user;
    x->r->stats->responses++;
    if (!x->r->handler->on_response)
        return;
    resplint_origin o;
    rlcap_origin_init(x->r, &o);
    o.response_index = index;
    o.offset = offset;
    o.length = length;
    x->r->handler->on_response(resp, &o, x->r->handler->user);
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
    /* The client's stream only gives context (method, version), it is not judged: read it as
     * leniently as llhttp allows, so that a bare-LF request still pairs with its response. */
    llhttp_set_lenient_headers(&parser, 1);
    llhttp_set_lenient_keep_alive(&parser, 1);
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
    raw_ctx x = {r, NULL};
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
    resplint_stream_free(x.stream);
    return rc;
}
