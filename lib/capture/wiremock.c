/* WireMock stub mappings: one mapping per file (mappings/NAME.json, as the recorder writes
 * them, with bodies in ../__files/), or a list under "mappings" (a mappings file, or the
 * answer of POST /__admin/recordings/snapshot). WireMock's recorder drops Content-Length and
 * Transfer-Encoding, stores headers as an object (repeats as a list, order not the wire's),
 * decompresses gzip bodies, and keeps no reason phrase unless statusMessage was set. */
#define _POSIX_C_SOURCE 200809L
#include "rectree.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The size of a bodyFileName body: mappings/x.json's file is ../__files/NAME. Only the size is
 * read (stat), never the file. */
static int64_t file_body_len(const rec_ctx *c, const rt_node *name)
{
    if (!rt_is_str(name) || strstr(name->s, ".."))
        return RESPLINT_UNKNOWN_LENGTH;
    const char *path = c->r->path, *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) : 0;
    char buf[4096];
    int n = slash ? snprintf(buf, sizeof buf, "%.*s/../__files/%s", (int)dir, path, name->s)
                  : snprintf(buf, sizeof buf, "../__files/%s", name->s);
    struct stat st;
    if (n < 0 || (size_t)n >= sizeof buf || stat(buf, &st) != 0 || !S_ISREG(st.st_mode))
        return RESPLINT_UNKNOWN_LENGTH;
    return (int64_t)st.st_size;
}

static int on_entry(rec_ctx *c, const rt_node *e, size_t index)
{
    rec_exchange x;
    rec_exchange_init(&x, index, e);
    x.loss.version = x.loss.order = x.loss.framing = x.loss.body_decoded = true;
    const rt_node *req = rt_get(e, "request"), *resp = rt_get(e, "response");
    if (!resp || resp->type != RT_MAP) {
        rec_invalid(c, index, resp ? resp : e, "WireMock mapping %zu has %s", index,
                    resp ? "a response that is not an object" : "no response");
        return 0;
    }
    x.response = resp;
    rec_set_method(&x, rt_get(req, "method"), false);
    const char *const url_keys[] = {"url", "urlPath", "urlPattern", "urlPathPattern"};
    for (size_t i = 0; i < 4 && !x.url; i++) {
        const rt_node *u = rt_get(req, url_keys[i]);
        if (rt_is_str(u))
            x.url = u->s;
    }
    if (!rec_wanted(c, x.url) || rt_get(resp, "fault") || rt_get(resp, "proxyBaseUrl")) {
        /* a filtered URL, a simulated fault (no HTTP response) or a proxy stub */
        c->r->stats->skipped++;
        return 0;
    }
    const rt_node *st = rt_get(resp, "status");
    if (!st)
        x.status = 200; /* WireMock's default */
    else if (!rt_int(st, &x.status)) {
        rec_invalid(c, index, st, "WireMock mapping %zu: response.status is not a number",
                    index);
        return 0;
    }
    const rt_node *msg = rt_get(resp, "statusMessage");
    if (rt_is_str(msg)) {
        x.reason = msg->s;
        x.reason_len = msg->len;
    } else {
        x.loss.reason = true;
    }
    const rt_node *h = rt_get(resp, "headers");
    int err;
    if (h && h->type != RT_NULL && !rec_headers(c, &x, h, &err)) {
        if (err)
            return err;
        rec_invalid(c, index, h, "WireMock mapping %zu: response.headers is not an object of "
                                 "names to values or lists of values", index);
        return 0;
    }
    const rt_node *b = rt_get(resp, "body"), *b64 = rt_get(resp, "base64Body");
    if (rt_is_str(b))
        x.body_length = (int64_t)b->full_len;
    else if (rt_is_str(b64))
        x.body_length = rec_base64_len(b64->full_len, b64->pad);
    else if (rt_get(resp, "bodyFileName"))
        x.body_length = file_body_len(c, rt_get(resp, "bodyFileName"));
    else if (!rt_get(resp, "jsonBody"))
        x.body_length = 0;
    return rec_check(c, &x);
}

static bool single(const char *const *keys, const size_t *idx, size_t depth)
{
    (void)keys;
    (void)idx;
    return depth == 0;
}

static bool list(const char *const *keys, const size_t *idx, size_t depth)
{
    (void)idx;
    return depth == 2 && keys[0] && strcmp(keys[0], "mappings") == 0 && keys[1] == NULL;
}

static const rec_json_format single_format = {RESPLINT_INPUT_WIREMOCK, single, on_entry,
                                              "WireMock mapping"};
static const rec_json_format list_format = {RESPLINT_INPUT_WIREMOCK, list, on_entry,
                                            "WireMock mappings"};

static const unsigned char *find(const unsigned char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, s, k) == 0)
            return p + i;
    return NULL;
}

int rlcap_read_wiremock(rlcap_reader *r)
{
    const unsigned char *m = find(r->peek, r->npeek, "\"mappings\"");
    const unsigned char *q = find(r->peek, r->npeek, "\"request\"");
    bool is_list = m && (!q || m < q);
    return rlcap_read_rec_json(r, is_list ? &list_format : &single_format);
}
