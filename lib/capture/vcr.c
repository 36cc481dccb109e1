/* VCR-style cassettes: vcrpy and go-vcr (YAML "interactions"), Ruby VCR (YAML or JSON
 * "http_interactions"), and Betamax (JSON "http_interactions", its own reader below). Each
 * interaction's response is checked; what each recorder loses is declared in rec_loss. */
#include "rectree.h"

#include <stdio.h>
#include <string.h>

/* The recorder that wrote an interaction, from the members only it writes. */
enum vcr_flavour { VCRPY, RUBY_VCR, GO_VCR, BETAMAX };

static enum vcr_flavour flavour(const rt_node *entry, const rt_node *resp, bool betamax)
{
    if (betamax)
        return BETAMAX;
    const rt_node *st = rt_get(resp, "status");
    if (rt_is_str(st) || rt_get(resp, "code") || rt_get(resp, "duration"))
        return GO_VCR;
    if (rt_get(entry, "recorded_at") || rt_get(resp, "http_version"))
        return RUBY_VCR;
    const rt_node *m = rt_get(rt_get(entry, "request"), "method");
    if (rt_is_str(m) && m->len > 1 && m->s[0] == ':') /* Ruby VCR 1.x: method: :get */
        return RUBY_VCR;
    return VCRPY;
}

/* What each recorder keeps, from their serialisers:
 * - vcrpy stores the headers as a mapping that YAML writes sorted: order lost, repeated
 *   fields kept as a list; status code and message kept; no HTTP version; the body is what
 *   http.client read (de-chunked, content coding kept).
 * - Ruby VCR (WebMock, Net::HTTP) keeps order and repeats; http_version is often empty;
 *   Net::HTTP inflates gzip bodies it asked for.
 * - go-vcr stores Go's http.Header: a map, so order lost, repeats kept; "status" is the
 *   status line ("200 OK"); the body is what Go's client read (decompressed when Go asked
 *   for gzip, and then Content-Encoding and Content-Length are gone); proto only in v2.
 * - Betamax (requests/urllib3) keeps order and repeats; the body is stored as requests
 *   returned it. */
static rec_loss loss_of(enum vcr_flavour f)
{
    rec_loss l;
    memset(&l, 0, sizeof l);
    l.version = true;
    switch (f) {
    case VCRPY:
        l.order = true;
        break;
    case RUBY_VCR:
        l.body_decoded = true;
        break;
    case GO_VCR:
        l.order = true;
        l.body_decoded = true;
        l.framing = true;
        break;
    case BETAMAX:
        l.body_decoded = true;
        break;
    }
    return l;
}

static int64_t body_len(const rt_node *b)
{
    if (!b || b->type == RT_NULL)
        return 0;
    if (rt_is_str(b))
        return b->binary ? rec_base64_len(b->full_len, b->pad) : (int64_t)b->full_len;
    if (b->type == RT_MAP) {
        const rt_node *s = rt_get(b, "string");
        if (s && s->type == RT_STR)
            return body_len(s);
        if (s && s->type == RT_NULL)
            return 0;
        const rt_node *b64 = rt_get(b, "base64_string");
        if (rt_is_str(b64))
            return rec_base64_len(b64->full_len, b64->pad);
    }
    return RESPLINT_UNKNOWN_LENGTH;
}

int rlcap_vcr_entry(rec_ctx *c, const rt_node *entry, size_t index, bool betamax)
{
    rec_exchange x;
    rec_exchange_init(&x, index, entry);
    if (entry->type != RT_MAP) {
        rec_invalid(c, index, entry, "interaction %zu is not a mapping", index);
        return 0;
    }
    const rt_node *req = rt_get(entry, "request"), *resp = rt_get(entry, "response");
    if (!resp || resp->type != RT_MAP) {
        rec_invalid(c, index, resp ? resp : entry, "interaction %zu has %s", index,
                    resp ? "a response that is not a mapping" : "no response");
        return 0;
    }
    x.response = resp;
    enum vcr_flavour f = flavour(entry, resp, betamax);
    x.loss = loss_of(f);
    if (req && req->type == RT_MAP) {
        rec_set_method(&x, rt_get(req, "method"), f == RUBY_VCR);
        const rt_node *u = rt_get(req, "uri");
        if (!u)
            u = rt_get(req, "url");
        const rt_node *proto = rt_get(req, "protocol"), *host = rt_get(req, "host");
        const rt_node *path = rt_get(req, "path");
        int64_t port = 0;
        if (rt_is_str(u)) {
            x.url = u->s;
        } else if (rt_is_str(proto) && rt_is_str(host) && rt_is_str(path)) {
            /* vcrpy before 1.0: protocol, host, port, path */
            if (rt_int(rt_get(req, "port"), &port) && port > 0)
                snprintf(x.url_buf, sizeof x.url_buf, "%s://%s:%lld%s", proto->s, host->s,
                         (long long)port, path->s);
            else
                snprintf(x.url_buf, sizeof x.url_buf, "%s://%s%s", proto->s, host->s, path->s);
            x.url = x.url_buf;
        }
    }
    if (!rec_wanted(c, x.url)) {
        c->r->stats->skipped++;
        return 0;
    }
    const rt_node *st = rt_get(resp, "status");
    if (st && st->type == RT_MAP) {
        const rt_node *code = rt_get(st, "code"), *msg = rt_get(st, "message");
        if (!rt_int(code, &x.status)) {
            rec_invalid(c, index, code ? code : st, "interaction %zu: status.code is %s", index,
                        code ? "not a number" : "missing");
            return 0;
        }
        if (rt_is_str(msg)) {
            x.reason = msg->s;
            x.reason_len = msg->len;
        }
    } else if (rt_is_str(st)) { /* go-vcr: the status line, and the code apart */
        unsigned ma = 0, mi = 0;
        if (!rec_status_line(st->s, st->len, &x.status, &x.reason, &x.reason_len, &ma, &mi)) {
            int64_t code;
            if (!rt_int(rt_get(resp, "code"), &code)) {
                rec_invalid(c, index, st, "interaction %zu: status \"%.40s\" is not a status line",
                            index, st->s);
                return 0;
            }
            x.status = code;
        }
    } else if (!rt_int(rt_get(resp, "code"), &x.status) &&
               !rt_int(rt_get(resp, "status_code"), &x.status)) { /* Betamax 0.x */
        rec_invalid(c, index, st ? st : resp, "interaction %zu: the response has %s", index,
                    st ? "a status that is neither a mapping nor a string" : "no status");
        return 0;
    }
    const rt_node *ver = rt_get(resp, "http_version");
    if (!ver)
        ver = rt_get(resp, "proto");
    if (rt_is_str(ver) && ver->len) {
        const char *v = ver->s;
        size_t vl = ver->len;
        if (vl > 5 && memcmp(v, "HTTP/", 5) == 0) {
            v += 5;
            vl -= 5;
        }
        if (vl == 3 && v[1] == '.' && v[0] >= '0' && v[0] <= '3') {
            x.major = (unsigned)(v[0] - '0');
            x.minor = (unsigned)(v[2] - '0');
            x.loss.version = false;
        } else if (vl == 1 && (v[0] == '2' || v[0] == '3')) {
            x.major = (unsigned)(v[0] - '0');
            x.loss.version = false;
        }
    }
    const rt_node *h = rt_get(resp, "headers");
    int err;
    if (h && h->type != RT_NULL && !rec_headers(c, &x, h, &err)) {
        if (err)
            return err;
        rec_invalid(c, index, h, "interaction %zu: headers are not a mapping of names to "
                                 "values or lists of values", index);
        return 0;
    }
    x.body_length = body_len(rt_get(resp, "body"));
    return rec_check(c, &x);
}

/* /interactions/N, /http_interactions/N, or /N: a list of interactions at the root (vcrpy
 * before 1.0, Ruby VCR 1.x). */
static bool vcr_is_entry(const char *const *keys, const size_t *idx, size_t depth)
{
    (void)idx;
    if (depth == 1)
        return keys[0] == NULL;
    return depth == 2 && keys[0] && keys[1] == NULL &&
           (strcmp(keys[0], "interactions") == 0 || strcmp(keys[0], "http_interactions") == 0);
}

static int vcr_on_entry(rec_ctx *c, const rt_node *entry, size_t index)
{
    return rlcap_vcr_entry(c, entry, index, false);
}

static int betamax_on_entry(rec_ctx *c, const rt_node *entry, size_t index)
{
    return rlcap_vcr_entry(c, entry, index, true);
}

static const rec_json_format vcr_format = {RESPLINT_INPUT_VCR, vcr_is_entry, vcr_on_entry,
                                           "VCR cassette"};
static const rec_json_format betamax_format = {RESPLINT_INPUT_BETAMAX, vcr_is_entry,
                                               betamax_on_entry, "Betamax cassette"};

int rlcap_read_vcr(rlcap_reader *r)
{
    size_t i = 0;
    while (i < r->npeek && (r->peek[i] == ' ' || r->peek[i] == '\t' || r->peek[i] == '\r' ||
                            r->peek[i] == '\n'))
        i++;
    if (i < r->npeek && r->peek[i] == '{')
        return rlcap_read_rec_json(r, &vcr_format);
    return rlcap_read_rec_yaml(r, &vcr_format);
}

int rlcap_read_betamax(rlcap_reader *r) { return rlcap_read_rec_json(r, &betamax_format); }
