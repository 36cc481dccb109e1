/* mitmproxy flow files (mitmdump -w): a sequence of tnetstrings, one dictionary per flow
 * (format versions of mitmproxy 8 to 10 share the members read here; the code, msg and
 * httpversion of mitmproxy 0.x are read too). A tnetstring says its
 * type after its payload, so values are located by their length prefix and read by offset
 * (fseek) in a regular file; from a pipe each flow is read whole up to the entry limit, and a
 * larger one is spooled to a temporary file first. Only
 * the first RT_STRING_CAP bytes of a body are read; its length comes from the prefix.
 * mitmproxy keeps the status line, header order and repeats and the body as received (less
 * the chunked framing): nothing is declared lost. */
#define _POSIX_C_SOURCE 200809L
#include "rectree.h"
#include "rlcap_alloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define TN_HEAD 13u /* up to 12 length digits and the colon */

typedef struct tn {
    rec_ctx c;
    rlcap_reader *r;
    bool seekable;
    FILE *fp;           /* read by offset: the input, or the spool of a large flow from a pipe */
    uint64_t fp_base;   /* input offset of fp's first byte */
    FILE *spool;        /* tmpfile() for flows larger than the entry limit from a pipe */
    unsigned char *buf; /* pipe: the current flow, from file offset buf_base */
    size_t blen, bcap;
    uint64_t buf_base;
    unsigned char *tmp; /* RT_STRING_CAP bytes for a string's kept part */
    char bad[200];      /* why the current flow is malformed */
    char base[32];
} tn;

/* Reads n bytes at file offset off; false when they are not all there. */
static bool read_at(tn *t, uint64_t off, void *dst, size_t n)
{
    if (!t->fp) {
        if (off < t->buf_base || off - t->buf_base > t->blen || t->blen - (off - t->buf_base) < n)
            return false;
        memcpy(dst, t->buf + (off - t->buf_base), n);
        return true;
    }
    if (off < t->fp_base || fseeko(t->fp, (off_t)(off - t->fp_base), SEEK_SET) != 0)
        return false;
    return fread(dst, 1, n, t->fp) == n;
}

/* The length prefix at off: payload length and payload offset. */
static bool prefix(tn *t, uint64_t off, uint64_t end, uint64_t *len, uint64_t *payload)
{
    unsigned char h[TN_HEAD];
    size_t n = end - off < TN_HEAD ? (size_t)(end - off) : TN_HEAD;
    if (n == 0 || !read_at(t, off, h, n))
        return false;
    uint64_t v = 0;
    size_t i = 0;
    while (i < n && h[i] >= '0' && h[i] <= '9')
        v = v * 10 + (uint64_t)(h[i++] - '0');
    if (i == 0 || i == n || h[i] != ':')
        return false;
    *len = v;
    *payload = off + i + 1;
    return *payload <= end && v < end - *payload; /* the type byte follows the payload */
}

static int value(tn *t, uint64_t off, uint64_t end, const char *key, size_t klen,
                 uint64_t *next, unsigned depth);

static bool fail(tn *t, uint64_t off, const char *what)
{
    if (!t->bad[0])
        snprintf(t->bad, sizeof t->bad, "%s at offset %llu", what, (unsigned long long)off);
    return false;
}

static int container(tn *t, bool dict, uint64_t p, uint64_t len, const char *key, size_t klen,
                     uint64_t off, unsigned depth)
{
    if (depth >= RT_MAX_DEPTH) {
        /* its length is known: passed over whole, the rest of the flow read (RL9004) */
        t->c.tree.deep = true;
        return 0;
    }
    int rc = rt_open(&t->c.tree, dict ? RT_MAP : RT_SEQ, key, klen, 0, 0, off);
    if (rc < 0)
        return rc;
    uint64_t q = p, stop = p + len;
    while (q < stop && !t->bad[0]) {
        char kbuf[256];
        size_t kl = 0;
        if (dict) {
            uint64_t kn, kp;
            unsigned char type;
            if (!prefix(t, q, stop, &kn, &kp) || !read_at(t, kp + kn, &type, 1) ||
                (type != ',' && type != ';')) {
                fail(t, q, "a dictionary key that is not a string");
                break;
            }
            kl = kn < sizeof kbuf - 1 ? (size_t)kn : sizeof kbuf - 1;
            if (!read_at(t, kp, kbuf, kl)) {
                fail(t, q, "a key cut short");
                break;
            }
            kbuf[kl] = '\0';
            q = kp + kn + 1;
        }
        rc = value(t, q, stop, dict ? kbuf : NULL, kl, &q, depth + 1);
        if (rc < 0)
            return rc;
    }
    rt_close(&t->c.tree);
    return 0;
}

static int value(tn *t, uint64_t off, uint64_t end, const char *key, size_t klen,
                 uint64_t *next, unsigned depth)
{
    uint64_t len, p;
    unsigned char type;
    if (!prefix(t, off, end, &len, &p) || !read_at(t, p + len, &type, 1)) {
        fail(t, off, "a value whose length prefix is missing or runs past its container");
        *next = end;
        return 0;
    }
    *next = p + len + 1;
    switch (type) {
    case '}':
    case ']':
        return container(t, type == '}', p, len, key, klen, off, depth);
    case ',':
    case ';':
    case '#':
    case '^':
    case '!':
    case '~': {
        size_t keep = len > RT_STRING_CAP ? RT_STRING_CAP : (size_t)len;
        if ((type == '#' || type == '^' || type == '!') && len > 64) {
            fail(t, off, "a number or boolean longer than 64 bytes");
            return 0;
        }
        if (!read_at(t, p, t->tmp, keep)) {
            fail(t, off, "a string cut short");
            return 0;
        }
        rt_type rt = type == '#' || type == '^' ? RT_NUM : type == '!' ? RT_BOOL
                     : type == '~'              ? RT_NULL
                                                : RT_STR;
        rt_node *n = rt_scalar(&t->c.tree, rt, key, klen, (const char *)t->tmp, keep, 0, 0, off);
        if (t->c.tree.err)
            return t->c.tree.err;
        if (n) {
            n->full_len = len;
            n->cut = keep < len;
            n->pad = 0;
        }
        return 0;
    }
    default:
        fail(t, off, "an unknown tnetstring type");
        return 0;
    }
}

static void url_of(rec_exchange *x, const rt_node *req)
{
    const rt_node *scheme = rt_get(req, "scheme"), *host = rt_get(req, "host");
    const rt_node *path = rt_get(req, "path"), *authority = rt_get(req, "authority");
    int64_t port = 0;
    rt_int(rt_get(req, "port"), &port);
    if (!rt_is_str(host) || !rt_is_str(path))
        return;
    bool def = rt_eq(scheme, "https") ? port == 443 : port == 80;
    if (rt_is_str(authority) && authority->len)
        snprintf(x->url_buf, sizeof x->url_buf, "%s://%s%s",
                 rt_is_str(scheme) ? scheme->s : "http", authority->s, path->s);
    else if (def || port == 0)
        snprintf(x->url_buf, sizeof x->url_buf, "%s://%s%s",
                 rt_is_str(scheme) ? scheme->s : "http", host->s, path->s);
    else
        snprintf(x->url_buf, sizeof x->url_buf, "%s://%s:%lld%s",
                 rt_is_str(scheme) ? scheme->s : "http", host->s, (long long)port, path->s);
    x->url = x->url_buf;
}

static int flow(tn *t, const rt_node *f, size_t index)
{
    rec_ctx *c = &t->c;
    rec_exchange x;
    rec_exchange_init(&x, index, f);
    const rt_node *type = rt_get(f, "type");
    if (type && !rt_eq(type, "http")) { /* tcp, udp, dns flows */
        c->r->stats->skipped++;
        return 0;
    }
    const rt_node *req = rt_get(f, "request"), *resp = rt_get(f, "response");
    if (req && req->type == RT_MAP) {
        rec_set_method(&x, rt_get(req, "method"), false);
        url_of(&x, req);
    }
    if (!resp || resp->type == RT_NULL || !rec_wanted(c, x.url)) {
        c->r->stats->skipped++; /* no response (an error, a killed flow) or filtered */
        return 0;
    }
    if (resp->type != RT_MAP) {
        rec_invalid(c, index, resp, "flow %zu: response is not a dictionary", index);
        return 0;
    }
    x.response = resp;
    const rt_node *code = rt_get(resp, "status_code");
    if (!code)
        code = rt_get(resp, "code"); /* mitmproxy 0.x: code, msg, httpversion [1, 1] */
    if (!code || code->type != RT_NUM || !rt_int(code, &x.status)) {
        rec_invalid(c, index, code ? code : resp, "flow %zu: status_code is %s", index,
                    code ? "not a number" : "missing");
        return 0;
    }
    const rt_node *reason = rt_get(resp, "reason");
    if (!reason)
        reason = rt_get(resp, "msg");
    if (rt_is_str(reason)) {
        x.reason = reason->s;
        x.reason_len = reason->len;
    }
    const rt_node *ver = rt_get(resp, "http_version");
    if (rt_is_str(ver) && ver->len == 8 && memcmp(ver->s, "HTTP/", 5) == 0 && ver->s[6] == '.') {
        x.major = (unsigned)(ver->s[5] - '0');
        x.minor = (unsigned)(ver->s[7] - '0');
    } else if ((ver = rt_get(resp, "httpversion")) != NULL && ver->type == RT_SEQ &&
               ver->count == 2 && ver->first->type == RT_NUM && ver->last->type == RT_NUM &&
               ver->first->len == 1 && ver->last->len == 1) {
        x.major = (unsigned)(ver->first->s[0] - '0');
        x.minor = (unsigned)(ver->last->s[0] - '0');
    } else {
        x.loss.version = true;
    }
    const rt_node *h = rt_get(resp, "headers");
    int err;
    if (!h || !rec_headers(c, &x, h, &err)) {
        if (h && err)
            return err;
        rec_invalid(c, index, h ? h : resp, "flow %zu: response headers are %s", index,
                    h ? "not a list of [name, value] pairs" : "missing");
        return 0;
    }
    const rt_node *content = rt_get(resp, "content");
    if (rt_is_str(content))
        x.body_length = (int64_t)content->full_len;
    else
        x.loss.body_dropped = true; /* streamed or not stored */
    return rec_check(c, &x);
}

/* Pipe: reads the next flow whole into t->buf. 1: read; 0: end; <0: error. */
static int slurp(tn *t, uint64_t off, uint64_t *len_out)
{
    unsigned char h[TN_HEAD];
    size_t n = 0;
    while (n < TN_HEAD) {
        long k = rlcap_read(t->r, h + n, 1);
        if (k < 0)
            return rlcap_fail(t->r, RESPLINT_EIO, "%s: read error at offset %llu: %s",
                              t->r->path, (unsigned long long)(off + n), strerror(errno));
        if (k == 0)
            break;
        n++;
        if (h[n - 1] == ':')
            break;
    }
    if (n == 0)
        return 0;
    uint64_t v = 0;
    size_t i = 0;
    while (i < n && h[i] >= '0' && h[i] <= '9')
        v = v * 10 + (uint64_t)(h[i++] - '0');
    if (i == 0 || i + 1 != n || h[i] != ':')
        return rlcap_fail(t->r, RESPLINT_EFORMAT,
                          "%s: damaged mitmproxy flows: no tnetstring length at offset %llu",
                          t->r->path, (unsigned long long)off);
    uint64_t total = n + v + 1;
    if (total > t->c.tree.cap) {
        /* larger than one entry may be in memory: spooled to a temporary file, then read by
         * offset like a file */
        if (!t->spool && !(t->spool = tmpfile()))
            return rlcap_fail(t->r, RESPLINT_EIO, "%s: cannot create a temporary file for the "
                                                  "flow at offset %llu: %s",
                              t->r->path, (unsigned long long)off, strerror(errno));
        rewind(t->spool);
        if (fwrite(h, 1, n, t->spool) != n)
            return rlcap_fail(t->r, RESPLINT_EIO, "%s: temporary file: %s", t->r->path,
                              strerror(errno));
        for (uint64_t left = total - n; left;) {
            size_t want = left < RT_STRING_CAP ? (size_t)left : RT_STRING_CAP;
            long k = rlcap_read(t->r, t->tmp, want);
            if (k < 0)
                return rlcap_fail(t->r, RESPLINT_EIO, "%s: read error at offset %llu: %s",
                                  t->r->path, (unsigned long long)(off + total - left),
                                  strerror(errno));
            if (k == 0)
                return rlcap_fail(t->r, RESPLINT_EFORMAT,
                                  "%s: damaged mitmproxy flows: the file ends inside the flow at "
                                  "offset %llu",
                                  t->r->path, (unsigned long long)off);
            if (fwrite(t->tmp, 1, (size_t)k, t->spool) != (size_t)k)
                return rlcap_fail(t->r, RESPLINT_EIO, "%s: temporary file: %s", t->r->path,
                                  strerror(errno));
            left -= (uint64_t)k;
        }
        if (fflush(t->spool) != 0)
            return rlcap_fail(t->r, RESPLINT_EIO, "%s: temporary file: %s", t->r->path,
                              strerror(errno));
        t->fp = t->spool;
        t->fp_base = off;
        t->r->stats->bytes += total;
        *len_out = total;
        return 1;
    }
    t->fp = NULL;
    if (total > t->bcap) {
        unsigned char *b = rlcap_realloc(t->buf, (size_t)total);
        if (!b)
            return rlcap_nomem(t->r);
        t->buf = b;
        t->bcap = (size_t)total;
    }
    memcpy(t->buf, h, n);
    size_t got = n;
    while (got < total) {
        long k = rlcap_read(t->r, t->buf + got, (size_t)(total - got));
        if (k < 0)
            return rlcap_fail(t->r, RESPLINT_EIO, "%s: read error at offset %llu: %s", t->r->path,
                              (unsigned long long)(off + got), strerror(errno));
        if (k == 0)
            return rlcap_fail(t->r, RESPLINT_EFORMAT,
                              "%s: damaged mitmproxy flows: the file ends inside the flow at "
                              "offset %llu",
                              t->r->path, (unsigned long long)off);
        got += (size_t)k;
    }
    t->blen = (size_t)total;
    t->buf_base = off;
    t->r->stats->bytes += total;
    *len_out = total;
    return 1;
}

int rlcap_read_mitmproxy(rlcap_reader *r)
{
    tn *t = rlcap_calloc(1, sizeof *t);
    unsigned char *tmp = rlcap_malloc(RT_STRING_CAP + 1);
    if (!t || !tmp) {
        rlcap_free(t);
        rlcap_free(tmp);
        return rlcap_nomem(r);
    }
    rec_init(&t->c, r);
    t->r = r;
    t->tmp = tmp;
    t->seekable = r->total > 0 && r->fp != stdin && fseeko(r->fp, 0, SEEK_SET) == 0;
    t->fp = t->seekable ? r->fp : NULL;
    int rc = 0;
    uint64_t off = 0;
    for (size_t index = 0; rc == 0; index++) {
        uint64_t end;
        if (t->seekable) {
            if (off >= r->total)
                break;
            uint64_t len, p;
            if (!prefix(t, off, r->total, &len, &p)) {
                rc = rlcap_fail(r, RESPLINT_EFORMAT,
                                "%s: damaged mitmproxy flows: flow %zu at offset %llu has no "
                                "tnetstring length, or runs past the end of the file",
                                r->path, index, (unsigned long long)off);
                break;
            }
            end = p + len + 1;
        } else {
            uint64_t total = 0;
            int k = slurp(t, off, &total);
            if (k <= 0) {
                rc = k;
                break;
            }
            end = off + total;
        }
        rt_reset(&t->c.tree);
        snprintf(t->base, sizeof t->base, "/%zu", index);
        t->c.tree.base = t->base;
        t->bad[0] = '\0';
        t->c.entries = index + 1;
        uint64_t next;
        unsigned char type = 0;
        read_at(t, end - 1, &type, 1);
        if (type != '}') {
            rec_invalid(&t->c, index, NULL, "flow %zu at offset %llu is not a dictionary", index,
                        (unsigned long long)off);
        } else {
            rc = value(t, off, end, NULL, 0, &next, 0);
            if (rc == 0 && t->bad[0])
                rec_invalid(&t->c, index, NULL, "flow %zu: %s", index, t->bad);
            else if (rc == 0) {
                if (t->c.tree.limited || t->c.tree.deep)
                    rec_limited(&t->c, index, t->c.tree.root);
                rc = flow(t, t->c.tree.root, index);
            }
        }
        rc = rlcap_core(r, rc, "flow %zu at offset %llu", index, (unsigned long long)off);
        off = end;
        if (t->seekable)
            r->stats->bytes = off;
        if (r->handler->on_progress)
            r->handler->on_progress(off, r->total, r->handler->user);
    }
    rec_free(&t->c);
    if (t->spool)
        fclose(t->spool);
    rlcap_free(t->buf);
    rlcap_free(tmp);
    rlcap_free(t);
    return rc < 0 ? rc : rlcap_result(r);
}
