/* Postman: a collection (v2.0/v2.1) whose requests carry saved example responses (each
 * example under item[...].response[] is one entry, folders included), and newman's JSON
 * report (--reporters json), whose run.executions[] hold the responses of a run. Both keep
 * header order, repeats and the reason phrase; the body is stored decoded; no HTTP version. */
#include "rectree.h"

#include <stdio.h>
#include <string.h>

/* A Postman URL: a string, or an object with raw, or protocol/host[]/port/path[]. */
static void url_of(rec_exchange *x, const rt_node *u)
{
    if (rt_is_str(u)) {
        x->url = u->s;
        return;
    }
    if (!u || u->type != RT_MAP)
        return;
    const rt_node *host = rt_get(u, "host"), *path = rt_get(u, "path");
    const rt_node *proto = rt_get(u, "protocol"), *port = rt_get(u, "port");
    if (host) {
        size_t at = 0, cap = sizeof x->url_buf;
        int k = snprintf(x->url_buf, cap, "%s://", rt_is_str(proto) ? proto->s : "http");
        at = k > 0 ? (size_t)k : 0;
        const rt_node *h = host->type == RT_SEQ ? host->first : host;
        for (bool first = true; h && at < cap; h = host->type == RT_SEQ ? h->next : NULL)
            if (rt_is_str(h)) {
                k = snprintf(x->url_buf + at, cap - at, "%s%s", first ? "" : ".", h->s);
                at += k > 0 ? (size_t)k : 0;
                first = false;
            }
        if (rt_is_str(port) && port->len && at < cap) {
            k = snprintf(x->url_buf + at, cap - at, ":%s", port->s);
            at += k > 0 ? (size_t)k : 0;
        }
        const rt_node *p = path && path->type == RT_SEQ ? path->first : path;
        for (; p && at < cap; p = path->type == RT_SEQ ? p->next : NULL)
            if (rt_is_str(p)) {
                k = snprintf(x->url_buf + at, cap - at, "/%s", p->s);
                at += k > 0 ? (size_t)k : 0;
            }
        x->url = x->url_buf;
        return;
    }
    const rt_node *raw = rt_get(u, "raw");
    if (rt_is_str(raw))
        x->url = raw->s;
}

static int check(rec_ctx *c, rec_exchange *x, const rt_node *resp, const rt_node *req,
                 const char *what)
{
    size_t index = x->index;
    if (req && req->type == RT_MAP) {
        rec_set_method(x, rt_get(req, "method"), false);
        url_of(x, rt_get(req, "url"));
    } else if (rt_is_str(req)) { /* a request given as its URL: a GET */
        x->url = req->s;
    }
    if (!rec_wanted(c, x->url)) {
        c->r->stats->skipped++;
        return 0;
    }
    const rt_node *code = rt_get(resp, "code");
    if (!code || code->type != RT_NUM || !rt_int(code, &x->status)) {
        rec_invalid(c, index, code ? code : resp, "%s %zu: code is %s", what, index,
                    code ? "not a number" : "missing");
        return 0;
    }
    const rt_node *st = rt_get(resp, "status");
    if (rt_is_str(st)) {
        x->reason = st->s;
        x->reason_len = st->len;
    } else {
        x->loss.reason = true;
    }
    const rt_node *h = rt_get(resp, "header");
    if (!h)
        h = rt_get(resp, "headers");
    int err;
    if (h && h->type != RT_NULL && !rec_headers(c, x, h, &err)) {
        if (err)
            return err;
        rec_invalid(c, index, h, "%s %zu: header is not a list of {key, value} objects", what,
                    index);
        return 0;
    }
    return rec_check(c, x);
}

static int example(rec_ctx *c, const rt_node *e, size_t index)
{
    rec_exchange x;
    rec_exchange_init(&x, index, e);
    x.loss.version = x.loss.body_decoded = true;
    if (e->type != RT_MAP) {
        rec_invalid(c, index, e, "saved response %zu is not an object", index);
        return 0;
    }
    const rt_node *body = rt_get(e, "body");
    x.body_length = rt_is_str(body) ? (int64_t)body->full_len : 0;
    return check(c, &x, e, rt_get(e, "originalRequest"), "saved response");
}

static int execution(rec_ctx *c, const rt_node *e, size_t index)
{
    rec_exchange x;
    rec_exchange_init(&x, index, e);
    x.loss.version = x.loss.body_decoded = true;
    const rt_node *resp = rt_get(e, "response");
    if (!resp || resp->type != RT_MAP) {
        /* a request that got no response (connection refused, timeout): nothing to check */
        if (rt_get(e, "requestError") || !resp) {
            c->r->stats->skipped++;
            return 0;
        }
        rec_invalid(c, index, resp, "execution %zu: response is not an object", index);
        return 0;
    }
    x.response = resp;
    const rt_node *data = rt_get(rt_get(resp, "stream"), "data");
    if (data && data->type == RT_SEQ)
        x.body_length = (int64_t)data->count;
    return check(c, &x, resp, rt_get(e, "request"), "execution");
}

static bool is_example(const char *const *keys, const size_t *idx, size_t depth)
{
    (void)idx;
    return depth >= 4 && keys[depth - 1] == NULL && keys[depth - 2] &&
           strcmp(keys[depth - 2], "response") == 0 && keys[depth - 3] == NULL &&
           keys[depth - 4] && strcmp(keys[depth - 4], "item") == 0;
}

static bool is_execution(const char *const *keys, const size_t *idx, size_t depth)
{
    (void)idx;
    return depth == 3 && keys[0] && strcmp(keys[0], "run") == 0 && keys[1] &&
           strcmp(keys[1], "executions") == 0 && keys[2] == NULL;
}

static const rec_json_format postman_format = {RESPLINT_INPUT_POSTMAN, is_example, example,
                                               "Postman collection"};
static const rec_json_format newman_format = {RESPLINT_INPUT_NEWMAN, is_execution, execution,
                                              "newman report"};

int rlcap_read_postman(rlcap_reader *r) { return rlcap_read_rec_json(r, &postman_format); }
int rlcap_read_newman(rlcap_reader *r) { return rlcap_read_rec_json(r, &newman_format); }
