/* nock recorder output (nock.recorder.rec({output_objects: true})): a JSON array of objects
 * with scope, method, path, status, response and the response headers. nock 13 writes
 * rawHeaders as a flat list that keeps order and repeats; nock 14 and later write an object
 * (lower-cased names, repeats joined with ", "). No reason phrase, no HTTP version. */
#include "rectree.h"

#include <stdio.h>
#include <string.h>

static int64_t body_len(const rt_node *resp, const rt_node *binary)
{
    bool bin = binary && binary->type == RT_BOOL && binary->s[0] == 't';
    if (!resp || resp->type == RT_NULL)
        return 0;
    if (rt_is_str(resp))
        return bin ? (int64_t)(resp->full_len / 2) : (int64_t)resp->full_len;
    if (resp->type == RT_SEQ && bin) { /* hex chunks of an encoded body */
        int64_t n = 0;
        for (const rt_node *c = resp->first; c; c = c->next) {
            if (!rt_is_str(c))
                return RESPLINT_UNKNOWN_LENGTH;
            n += (int64_t)(c->full_len / 2);
        }
        return n;
    }
    return RESPLINT_UNKNOWN_LENGTH; /* a JSON body nock parsed: its bytes are not kept */
}

static int on_entry(rec_ctx *c, const rt_node *e, size_t index)
{
    rec_exchange x;
    rec_exchange_init(&x, index, e);
    x.loss.reason = x.loss.version = true;
    rec_set_method(&x, rt_get(e, "method"), false);
    const rt_node *scope = rt_get(e, "scope"), *path = rt_get(e, "path");
    if (rt_is_str(scope) && rt_is_str(path)) {
        snprintf(x.url_buf, sizeof x.url_buf, "%s%s", scope->s, path->s);
        x.url = x.url_buf;
    }
    if (!rec_wanted(c, x.url)) {
        c->r->stats->skipped++;
        return 0;
    }
    const rt_node *st = rt_get(e, "status");
    if (!rt_int(st, &x.status)) {
        rec_invalid(c, index, st ? st : e, "nock entry %zu: status is %s", index,
                    st ? "not a number" : "missing");
        return 0;
    }
    const rt_node *h = rt_get(e, "rawHeaders");
    if (!h)
        h = rt_get(e, "headers");
    if (h && h->type == RT_MAP) {
        x.loss.order = true;       /* nock 14+: an object */
        x.loss.dups_merged = true; /* the Fetch Headers join repeats with ", " */
    }
    int err;
    if (h && h->type != RT_NULL && !rec_headers(c, &x, h, &err)) {
        if (err)
            return err;
        rec_invalid(c, index, h, "nock entry %zu: rawHeaders is neither a list of names and "
                                 "values nor an object", index);
        return 0;
    }
    x.body_length = body_len(rt_get(e, "response"), rt_get(e, "responseIsBinary"));
    return rec_check(c, &x);
}

static bool is_entry(const char *const *keys, const size_t *idx, size_t depth)
{
    (void)idx;
    return depth == 1 && keys[0] == NULL;
}

static const rec_json_format nock_format = {RESPLINT_INPUT_NOCK, is_entry, on_entry,
                                            "nock recording"};

int rlcap_read_nock(rlcap_reader *r) { return rlcap_read_rec_json(r, &nock_format); }
