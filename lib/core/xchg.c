/* Cross-exchange context: per input, what earlier responses to each request URL carried, so
 * that a rule can compare a response with them (RL5012: a 304 lacking fields of its 200). */
#include "internal.h"

#include <string.h>

/* A URL is remembered by a 64-bit hash of its normal form, not by its text: a collision needs
 * two URLs of one input to share 64 bits, and the memory per URL stays small. */
typedef struct slot {
    uint64_t key; /* 0: empty */
    rlint_prior any, ok_get; /* any.status == 0 / ok_get.status == 0: none yet */
} slot;

struct resplint_exchanges {
    slot *tab;
    size_t cap, count; /* cap: a power of two, or 0 */
    size_t max;        /* RESPLINT_LIMIT_EXCHANGE_URLS */
    bool full_reported;
};

resplint_exchanges *resplint_exchanges_new(const resplint_config *cfg)
{
    if (!cfg)
        return NULL;
    resplint_exchanges *x = rlint_calloc(1, sizeof *x);
    if (x)
        x->max = (size_t)cfg->limits[RESPLINT_LIMIT_EXCHANGE_URLS];
    return x;
}

void resplint_exchanges_free(resplint_exchanges *x)
{
    if (!x)
        return;
    rlint_free(x->tab);
    rlint_free(x);
}

size_t resplint_exchanges_count(const resplint_exchanges *x) { return x ? x->count : 0; }

/* FNV-1a over the URL without its fragment, the scheme and authority folded to lower case
 * (RFC 3986 §6.2.2.1: they are case-insensitive). Never 0. */
uint64_t rlint_url_key(const char *url, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i = 0;
    /* the scheme and authority end at the first '/' after "//", or at '?' or '#' */
    const char *ss = len >= 2 ? memchr(url, '/', len) : NULL;
    size_t auth_end = len;
    if (ss && (size_t)(ss - url) + 1 < len && ss[1] == '/') {
        size_t from = (size_t)(ss - url) + 2;
        auth_end = from;
        while (auth_end < len && url[auth_end] != '/' && url[auth_end] != '?' &&
               url[auth_end] != '#')
            auth_end++;
    } else {
        auth_end = 0;
    }
    for (; i < len && url[i] != '#'; i++) {
        unsigned char ch = (unsigned char)(i < auth_end ? rlint_lower(url[i]) : url[i]);
        h = (h ^ ch) * 0x100000001b3ull;
    }
    return h ? h : 1;
}

static slot *find(const resplint_exchanges *x, uint64_t key)
{
    if (!x->cap)
        return NULL;
    for (size_t i = (size_t)key & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
        if (x->tab[i].key == key)
            return &x->tab[i];
        if (x->tab[i].key == 0)
            return NULL;
    }
}

static int grow(resplint_exchanges *x)
{
    size_t cap = x->cap ? x->cap * 2 : 64;
    slot *t = rlint_calloc(cap, sizeof *t);
    if (!t)
        return RESPLINT_ENOMEM;
    for (size_t k = 0; k < x->cap; k++) {
        if (!x->tab[k].key)
            continue;
        size_t i = (size_t)x->tab[k].key & (cap - 1);
        while (t[i].key)
            i = (i + 1) & (cap - 1);
        t[i] = x->tab[k];
    }
    rlint_free(x->tab);
    x->tab = t;
    x->cap = cap;
    return 0;
}

const rlint_prior *rlint_earlier(const rlint_ctx *c, int status, bool get_only)
{
    if (!c->xchg || !c->url_key)
        return NULL;
    const slot *e = find(c->xchg, c->url_key);
    if (!e)
        return NULL;
    if (status == 200 && get_only)
        return e->ok_get.status ? &e->ok_get : NULL;
    const rlint_prior *p = &e->any;
    if (!p->status || (status && p->status != status) || (get_only && !p->get))
        return NULL;
    return p;
}

int rlint_xchg_record(rlint_ctx *c)
{
    resplint_exchanges *x = c->xchg;
    slot *e = find(x, c->url_key);
    if (!e) {
        if (x->count >= x->max) {
            if (!x->full_reported) {
                x->full_reported = true;
                rlint_emit(c, RLINT_RL9004, RESPLINT_NO_OFFSET, 0, -1,
                           "more than %zu request URLs in this input: responses to URLs seen "
                           "from here on are not compared with earlier ones",
                           x->max);
            }
            return 0;
        }
        if ((x->count + 1) * 4 > x->cap * 3 && grow(x) < 0)
            return RESPLINT_ENOMEM;
        size_t i = (size_t)c->url_key & (x->cap - 1);
        while (x->tab[i].key)
            i = (i + 1) & (x->cap - 1);
        e = &x->tab[i];
        e->key = c->url_key;
        x->count++;
    }
    const resplint_response *r = c->resp;
    rlint_prior p = {r->status, rlint_method_get(r->method, r->method_len), c->present, c->index};
    e->any = p;
    if (r->status == 200 && p.get)
        e->ok_get = p;
    return 0;
}
