/* What the recording readers share after parsing: headers in their several shapes, the
 * hand-off of one recorded response to the core, and findings located at the entry. */
#define _POSIX_C_SOURCE 200809L
#include "../core/text.h"
#include "rectree.h"
#include "rlcap_alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int rec_init(rec_ctx *c, rlcap_reader *r)
{
    memset(c, 0, sizeof *c);
    c->r = r;
    rt_init(&c->tree, (size_t)resplint_config_limit(r->cfg, RESPLINT_LIMIT_HAR_ENTRY));
    c->fields_limit = resplint_config_limit(r->cfg, RESPLINT_LIMIT_FIELDS);
    c->xchg = resplint_exchanges_new(r->cfg);
    return c->xchg ? 0 : RESPLINT_ENOMEM;
}

void rec_free(rec_ctx *c)
{
    rt_free(&c->tree);
    rlcap_free(c->hdrs);
    rlcap_free(c->fields);
    rlcap_free(c->field_hdr);
    rlcap_evidence_free(&c->evid);
    resplint_exchanges_free(c->xchg);
}

int rec_add_header(rec_ctx *c, rec_exchange *x, const char *name, size_t nlen, const char *value,
                   size_t vlen, const rt_node *where)
{
    if (x->nheaders == c->hdr_cap) {
        size_t cap = c->hdr_cap ? c->hdr_cap * 2 : 32;
        rec_header *h = rlcap_realloc(c->hdrs, cap * sizeof *h);
        if (!h)
            return RESPLINT_ENOMEM;
        c->hdrs = h;
        c->hdr_cap = cap;
    }
    x->headers = c->hdrs;
    rec_header *h = &c->hdrs[x->nheaders++];
    h->name = name;
    h->name_len = nlen;
    h->value = value;
    h->value_len = vlen;
    h->where = where;
    return 0;
}

/* A header value: a string, or a number some recorders write for Content-Length. */
static bool scalar_value(const rt_node *v)
{
    return v && (v->type == RT_STR || v->type == RT_NUM || v->type == RT_BOOL);
}

bool rec_headers(rec_ctx *c, rec_exchange *x, const rt_node *h, int *err)
{
    *err = 0;
    x->headers = c->hdrs;
    x->nheaders = 0;
    if (!h)
        return false;
    if (h->type == RT_MAP) {
        for (const rt_node *m = h->first; m; m = m->next) {
            if (scalar_value(m)) {
                if ((*err = rec_add_header(c, x, m->key, m->key_len, m->s, m->len, m)) < 0)
                    return false;
            } else if (m->type == RT_SEQ) {
                for (const rt_node *v = m->first; v; v = v->next) {
                    if (!scalar_value(v))
                        return false;
                    if ((*err = rec_add_header(c, x, m->key, m->key_len, v->s, v->len, v)) < 0)
                        return false;
                }
            } else if (m->type != RT_NULL) {
                return false;
            }
        }
        return true;
    }
    if (h->type != RT_SEQ)
        return false;
    if (h->first && rt_is_str(h->first) && memchr(h->first->s, ':', h->first->len)) {
        /* header lines "name: value\r\n" (vcrpy before 1.0) */
        for (const rt_node *n = h->first; n; n = n->next) {
            const char *colon = rt_is_str(n) ? memchr(n->s, ':', n->len) : NULL;
            if (!colon)
                return false;
            size_t vlen = n->len - (size_t)(colon + 1 - n->s);
            while (vlen && (colon[vlen] == '\r' || colon[vlen] == '\n'))
                vlen--;
            if ((*err = rec_add_header(c, x, n->s, (size_t)(colon - n->s), colon + 1, vlen, n)) <
                0)
                return false;
        }
        return true;
    }
    if (h->first && rt_is_str(h->first)) { /* flat: name, value, name, value */
        if (h->count % 2)
            return false;
        for (const rt_node *n = h->first; n; n = n->next->next) {
            if (!rt_is_str(n) || !scalar_value(n->next))
                return false;
            if ((*err = rec_add_header(c, x, n->s, n->len, n->next->s, n->next->len, n->next)) <
                0)
                return false;
        }
        return true;
    }
    for (const rt_node *n = h->first; n; n = n->next) {
        const rt_node *name, *value;
        if (n->type == RT_SEQ && n->count == 2) {
            name = n->first;
            value = n->first->next;
        } else if (n->type == RT_MAP) {
            name = rt_get(n, "key");
            if (!name)
                name = rt_get(n, "name");
            value = rt_get(n, "value");
            if (rt_get(n, "disabled") && rt_get(n, "disabled")->type == RT_BOOL &&
                rt_get(n, "disabled")->s[0] == 't')
                continue; /* Postman: a header switched off in the editor was not sent */
        } else {
            return false;
        }
        if (!rt_is_str(name) || !scalar_value(value))
            return false;
        if ((*err = rec_add_header(c, x, name->s, name->len, value->s, value->len, value)) < 0)
            return false;
    }
    return true;
}

static void origin_at(rec_ctx *c, resplint_origin *o, size_t index, const rt_node *n,
                      char *pointer, size_t plen)
{
    rlcap_origin_init(c->r, o);
    o->response_index = index;
    o->har_entry = (long)index;
    if (n) {
        rt_pointer(&c->tree, n, pointer, plen);
        o->json_pointer = pointer;
        o->line = n->line;
        o->column = n->col;
        o->offset = n->off;
    } else if (c->tree.base) {
        snprintf(pointer, plen, "%s", c->tree.base);
        o->json_pointer = pointer;
    }
    if (c->x)
        o->url = c->x->url;
}

void rec_invalid(rec_ctx *c, size_t index, const rt_node *n, const char *fmt, ...)
{
    if (c->tree.limited || c->tree.deep)
        return; /* a member may be missing because a cap dropped it: RL9004 said so */
    char msg[400], pointer[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    resplint_origin o;
    origin_at(c, &o, index, n, pointer, sizeof pointer);
    c->invalid++;
    rlcap_report(c->r, "RL9011", &o, o.offset, 0, index, "%s; the entry is not checked", msg);
}

void rec_limited(rec_ctx *c, size_t index, const rt_node *n)
{
    char pointer[256];
    resplint_origin o;
    origin_at(c, &o, index, n, pointer, sizeof pointer);
    if (c->tree.limited)
        rlcap_report(c->r, "RL9004", &o, o.offset, 0, index,
                     "the entry passes the limit of %zu bytes kept per entry; members beyond it "
                     "were dropped, so its response is checked only in part, or not at all when "
                     "a member it needs was dropped",
                     c->tree.cap);
    if (c->tree.deep)
        rlcap_report(c->r, "RL9004", &o, o.offset, 0, index,
                     "the entry holds values nested deeper than %u levels; they were dropped, so "
                     "its response is checked only in part, or not at all when a member it needs "
                     "was among them",
                     RT_MAX_DEPTH);
}

bool rec_wanted(const rec_ctx *c, const char *url)
{
    const resplint_capture_options *opts = c->r->opts;
    if (!opts->host_glob && !opts->url_glob)
        return true;
    if (!url)
        return false;
    if (opts->url_glob && !rlcap_glob(opts->url_glob, url))
        return false;
    if (opts->host_glob) {
        const char *p = strstr(url, "://");
        if (!p)
            return false;
        p += 3;
        return rlcap_authority_matches(opts->host_glob, p, strcspn(p, "/?#"));
    }
    return true;
}

bool rec_status_line(const char *s, size_t len, int64_t *status, const char **reason,
                     size_t *reason_len, unsigned *major, unsigned *minor)
{
    size_t i = 0;
    if (len >= 5 && memcmp(s, "HTTP/", 5) == 0) {
        i = 5;
        if (i + 3 <= len && s[i] >= '0' && s[i] <= '9' && s[i + 1] == '.' && s[i + 2] >= '0' &&
            s[i + 2] <= '9') {
            *major = (unsigned)(s[i] - '0');
            *minor = (unsigned)(s[i + 2] - '0');
            i += 3;
        } else if (i < len && s[i] >= '0' && s[i] <= '9') {
            *major = (unsigned)(s[i] - '0');
            *minor = 0;
            i++;
        }
        if (i >= len || s[i] != ' ')
            return false;
        i++;
    }
    if (i + 3 > len)
        return false;
    int64_t code = 0;
    for (size_t k = 0; k < 3; k++) {
        if (s[i + k] < '0' || s[i + k] > '9')
            return false;
        code = code * 10 + (s[i + k] - '0');
    }
    i += 3;
    if (i < len && s[i] != ' ')
        return false;
    *status = code;
    if (i < len)
        i++;
    *reason = s + i;
    *reason_len = len - i;
    return true;
}

int64_t rec_base64_len(uint64_t full_len, unsigned pad)
{
    uint64_t n = full_len / 4 * 3;
    if (full_len % 4) /* unpadded base64 */
        n += full_len % 4 - 1;
    return (int64_t)(n >= pad ? n - pad : 0);
}

static void on_core_finding(const resplint_finding *f, void *user)
{
    rec_ctx *c = user;
    const rt_node *n = c->x->response;
    if (f->field_index >= 0 && (size_t)f->field_index < c->nfields)
        n = c->x->headers[c->field_hdr[f->field_index]].where;
    char pointer[256];
    resplint_origin o;
    origin_at(c, &o, c->index, n, pointer, sizeof pointer);
    if (c->checking)
        rlcap_evidence_set(&c->evid, c->checking, NULL, 0, &o);
    c->r->stats->findings++;
    c->r->handler->on_finding(f, &o, c->r->handler->user);
}

int rec_check(rec_ctx *c, const rec_exchange *x)
{
    if (c->field_cap < x->nheaders) {
        size_t cap = x->nheaders;
        resplint_field *f = rlcap_realloc(c->fields, cap * sizeof *f);
        if (!f)
            return RESPLINT_ENOMEM;
        c->fields = f;
        size_t *m = rlcap_realloc(c->field_hdr, cap * sizeof *m);
        if (!m)
            return RESPLINT_ENOMEM;
        c->field_hdr = m;
        c->field_cap = cap;
    }
    size_t nf = 0;
    bool limited = false;
    for (size_t i = 0; i < x->nheaders; i++) {
        const rec_header *h = &x->headers[i];
        if (h->name_len && h->name[0] == ':')
            continue; /* HTTP/2 pseudo-header fields are not fields of the head */
        if (nf >= c->fields_limit) {
            limited = true;
            break;
        }
        const char *v = h->value;
        size_t vl = h->value_len;
        while (vl && (*v == ' ' || *v == '\t')) {
            v++;
            vl--;
        }
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            vl--;
        resplint_field *f = &c->fields[nf];
        f->name = h->name;
        f->name_len = h->name_len;
        f->value = v;
        f->value_len = vl;
        f->offset = RESPLINT_NO_OFFSET;
        f->length = 0;
        c->field_hdr[nf++] = i;
    }
    resplint_response resp;
    memset(&resp, 0, sizeof resp);
    resp.size = sizeof resp;
    /* a status as recorded, however odd (the status rules judge it), within int's range */
    resp.status = x->status > INT32_MAX   ? INT32_MAX
                  : x->status < INT32_MIN ? INT32_MIN
                                          : (int)x->status;
    if (!x->loss.version) {
        resp.version_major = x->major;
        resp.version_minor = x->minor;
    }
    if (!x->loss.reason && x->reason) {
        resp.reason = x->reason;
        resp.reason_len = x->reason_len;
    }
    resp.fields = c->fields;
    resp.field_count = nf;
    resp.method = x->method;
    resp.method_len = x->method ? strlen(x->method) : 0;
    resp.body_length = x->body_length;
    /* what a client read after a response without a body (1xx, 204, 304, HEAD, a CONNECT
     * tunnel) or a 205 (Fetch's null body status) is not what the server sent: the recorder
     * saw the client's view */
    if (x->status < 200 || x->status == 205 ||
        (resp.status == x->status && resplint_response_bodiless(resp.status, resp.method,
                                                        resp.method_len)) ||
        x->loss.body_decoded || x->loss.body_dropped)
        resp.body_length = RESPLINT_UNKNOWN_LENGTH;
    if (x->url) {
        resp.url = x->url;
        resp.url_len = strlen(x->url);
        resp.scheme = rlcap_scheme_of(resp.url, resp.url_len);
    }
    /* what the recorder lost, as the rules read it */
    resp.provenance = (x->loss.dups_merged ? RESPLINT_PROV_FIELDS_MERGED : 0) |
                      (x->loss.order ? RESPLINT_PROV_ORDER_LOST : 0) |
                      (x->loss.reason ? RESPLINT_PROV_REASON_LOST : 0) |
                      (x->loss.body_decoded ? RESPLINT_PROV_BODY_DECODED : 0) |
                      (x->loss.body_dropped ? RESPLINT_PROV_BODY_DROPPED : 0);
    resp.offset = RESPLINT_NO_OFFSET;
    c->x = x;
    c->index = x->index;
    if (limited) {
        char pointer[256];
        resplint_origin o;
        origin_at(c, &o, c->index, x->response, pointer, sizeof pointer);
        rlcap_report(c->r, "RL9004", &o, o.offset, 0, c->index,
                     "the response has more than %llu header fields; only the first ones were "
                     "checked",
                     (unsigned long long)c->fields_limit);
    }
    c->checking = &resp;
    c->nfields = nf;
    c->evid.built = false;
    int rc = rlcap_core(c->r,
                        resplint_check_exchange(c->r->cfg, c->xchg, &resp, c->index,
                                                on_core_finding, c),
                        "entry %zu", c->index);
    c->checking = NULL;
    if (rc == 0) {
        c->r->stats->responses++;
        if (c->r->handler->on_response) {
            char pointer[256];
            resplint_origin o;
            origin_at(c, &o, c->index, x->response, pointer, sizeof pointer);
            c->r->handler->on_response(&resp, &o, c->r->handler->user);
        }
    }
    c->x = NULL;
    return rc;
}

void rec_exchange_init(rec_exchange *x, size_t index, const rt_node *entry)
{
    memset(x, 0, sizeof *x);
    x->index = index;
    x->entry = x->response = entry;
    x->status = -1;
    x->body_length = RESPLINT_UNKNOWN_LENGTH;
}

void rec_set_method(rec_exchange *x, const rt_node *m, bool upper)
{
    if (!rt_is_str(m) || m->len == 0 || m->len >= sizeof x->method_buf)
        return;
    const char *s = m->s;
    size_t len = m->len;
    if (upper && len > 1 && s[0] == ':') { /* a Ruby symbol written by Ruby VCR 1.x */
        s++;
        len--;
    }
    for (size_t i = 0; i < len; i++)
        x->method_buf[i] = upper && s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
    x->method_buf[len] = '\0';
    x->method = x->method_buf;
}
