/* Cross-exchange context: per input, what earlier responses to each request URL carried, so
 * that a rule can compare a response with them (RL5012: a 304 lacking fields of its 200). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* A URL is remembered by a 64-bit hash of its normal form, not by its text: a collision needs
 * two URLs of one input to share 64 bits, and the memory per URL stays small. The keys are
 * apart from what is remembered of them, so that a lookup reads 8 bytes a slot, and at most
 * half full: once the memory holds RESPLINT_LIMIT_EXCHANGE_URLS, every response to a new URL
 * is a lookup that fails, which at three quarters full probed 8.5 slots on average (linear
 * probing), at most half full 2.5 (measured on a 200 MB capture of unique URLs: 3.1% of all
 * the time in those probes). What is remembered is dense, in the order the URLs came (the
 * slot's index beside its key), so the emptier key table costs 4 bytes a slot, not 36. */
typedef struct entry {
    rlint_prior any, ok_get; /* any.status == 0 / ok_get.status == 0: none yet */
} entry;

/* A deferred memory only tells its notes whether their URL is new to it, and only "not new"
 * must be sure (such a note can never become a finding, so it travels without its finding):
 * it keeps the URLs it saw last in a small cache (SEEN_SETS sets of 2, 128 KiB) rather than
 * every URL in a table that outgrows the processor's caches. A part of a capture of unique
 * URLs made a cache miss per response in its table of up to 100,000 keys (2 MiB), for
 * nothing; a URL evicted from the cache is new again (its note carries its finding). */
#define SEEN_BITS 13
#define SEEN_SETS ((size_t)1 << SEEN_BITS)

struct resplint_exchanges {
    uint64_t *keys; /* 0: empty */
    uint32_t *slot; /* keys[i]'s entry in val */
    entry *val;     /* count entries (vcap room) */
    uint64_t *seen; /* deferred: SEEN_SETS x 2 URLs seen last (0: none), the latest first */
    unsigned bits;  /* cap == 1 << bits */
    size_t cap, count; /* cap: a power of two, or 0 */
    size_t vcap;
    size_t max;        /* RESPLINT_LIMIT_EXCHANGE_URLS */
    bool full_reported;
    resplint_exchange_note_cb note; /* deferred: notes instead of lookups and records */
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

resplint_exchanges *resplint_exchanges_new_deferred(const resplint_config *cfg,
                                                    resplint_exchange_note_cb note)
{
    if (!note)
        return NULL;
    resplint_exchanges *x = resplint_exchanges_new(cfg);
    if (x)
        x->note = note;
    return x;
}

void resplint_exchanges_free(resplint_exchanges *x)
{
    if (!x)
        return;
    rlint_free(x->keys);
    rlint_free(x->seen);
    rlint_free(x->slot);
    rlint_free(x->val);
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

/* The home slot of key: Fibonacci hashing (the top bits of a multiplication), since the low
 * bits of FNV-1a depend on the low bits of the characters only. */
static size_t home(const resplint_exchanges *x, uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - x->bits));
}

/* The slot of key, or SIZE_MAX. */
static size_t find(const resplint_exchanges *x, uint64_t key)
{
    if (!x->cap)
        return SIZE_MAX;
    for (size_t i = home(x, key);; i = (i + 1) & (x->cap - 1)) {
        if (x->keys[i] == key)
            return i;
        if (x->keys[i] == 0)
            return SIZE_MAX;
    }
}

/* What is remembered of key, or NULL. */
static entry *lookup(const resplint_exchanges *x, uint64_t key)
{
    size_t i = x->val ? find(x, key) : SIZE_MAX;
    return i == SIZE_MAX ? NULL : &x->val[x->slot[i]];
}

/* A deferred memory: 1 when key was among the URLs it saw last, 0 when it is new to it (it
 * is now the latest of its set), or RESPLINT_ENOMEM. */
static int seen_before(resplint_exchanges *x, uint64_t key)
{
    if (!x->seen) {
        /* written at once (no zero page read, then written: a copy-on-write fault) */
        if (!(x->seen = rlint_malloc(2 * SEEN_SETS * sizeof *x->seen)))
            return RESPLINT_ENOMEM;
        memset(x->seen, 0, 2 * SEEN_SETS * sizeof *x->seen);
    }
    uint64_t *set = &x->seen[2 * (size_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - SEEN_BITS))];
    if (set[0] == key)
        return 1;
    bool was = set[1] == key;
    set[1] = set[0];
    set[0] = key;
    if (!was)
        x->count++;
    return was;
}

static int grow(resplint_exchanges *x)
{
    unsigned bits = x->cap ? x->bits + 1 : 6;
    size_t cap = (size_t)1 << bits;
    if (cap > (size_t)UINT32_MAX)
        return RESPLINT_ENOMEM;
    /* zeroed by writing (memset), not calloc's untouched pages: a probe reads a slot before
     * an insert writes it, and a read-then-written zero page is a copy-on-write fault (a TLB
     * flush of every thread of the process) */
    uint64_t *keys = rlint_malloc(cap * sizeof *keys);
    uint32_t *slot = rlint_malloc(cap * sizeof *slot);
    if (!keys || !slot) {
        rlint_free(keys);
        rlint_free(slot);
        return RESPLINT_ENOMEM;
    }
    memset(keys, 0, cap * sizeof *keys);
    resplint_exchanges old = *x;
    x->keys = keys;
    x->slot = slot;
    x->bits = bits;
    x->cap = cap;
    for (size_t k = 0; k < old.cap; k++) {
        if (!old.keys[k])
            continue;
        size_t i = home(x, old.keys[k]);
        while (keys[i])
            i = (i + 1) & (cap - 1);
        keys[i] = old.keys[k];
        slot[i] = old.slot[k];
    }
    rlint_free(old.keys);
    rlint_free(old.slot);
    return 0;
}

/* Room in val for one more entry (it grows apart from the keys, by half again). */
static int val_room(resplint_exchanges *x)
{
    if (x->count < x->vcap)
        return 0;
    size_t vcap = x->vcap ? x->vcap + x->vcap / 2 : 64;
    entry *val = rlint_realloc(x->val, vcap * sizeof *val);
    if (!val)
        return RESPLINT_ENOMEM;
    x->val = val;
    x->vcap = vcap;
    return 0;
}

const rlint_prior *rlint_earlier(const rlint_ctx *c, int status, bool get_only)
{
    if (!c->xchg || !c->url_key || c->xchg->note)
        return NULL;
    const entry *e = lookup(c->xchg, c->url_key);
    if (!e)
        return NULL;
    if (status == 200 && get_only)
        return e->ok_get.status ? &e->ok_get : NULL;
    const rlint_prior *p = &e->any;
    if (!p->status || (status && p->status != status) || (get_only && !p->get))
        return NULL;
    return p;
}

enum { REC_KNOWN, REC_FULL_FIRST, REC_NEW, REC_FULL };

/* Remembers prior p under key: REC_KNOWN (a URL remembered before), REC_NEW, REC_FULL_FIRST
 * (a new URL and no room: RL9004 to say), REC_FULL (no room, said before), or
 * RESPLINT_ENOMEM. */
static int record(resplint_exchanges *x, uint64_t key, const rlint_prior *p)
{
    size_t i = find(x, key);
    int rc = REC_KNOWN;
    if (i == SIZE_MAX) {
        if (x->count >= x->max) {
            if (x->full_reported)
                return REC_FULL;
            x->full_reported = true;
            return REC_FULL_FIRST;
        }
        if (((x->count + 1) * 2 > x->cap && grow(x) < 0) || val_room(x) < 0)
            return RESPLINT_ENOMEM;
        i = home(x, key);
        while (x->keys[i])
            i = (i + 1) & (x->cap - 1);
        x->keys[i] = key;
        x->slot[i] = (uint32_t)x->count;
        memset(&x->val[x->count], 0, sizeof *x->val);
        x->count++;
        rc = REC_NEW;
    }
    entry *e = &x->val[x->slot[i]];
    e->any = *p;
    if (p->status == 200 && p->get)
        e->ok_get = *p;
    return rc;
}

static void full_message(char *m, size_t n, size_t max)
{
    snprintf(m, n,
             "more than %zu request URLs in this input: responses to URLs seen from here on are "
             "not compared with earlier ones",
             max);
}

int rlint_xchg_record(rlint_ctx *c)
{
    resplint_exchanges *x = c->xchg;
    const resplint_response *r = c->resp;
    rlint_prior p = rlint_prior_of(r->status, rlint_method_get(r->method, r->method_len), c->present,
                                   c->index);
    if (x->note) {
        /* new to this part (as far as its cache of the latest URLs tells: resplint_exchanges_
         * count counts these) */
        int seen = seen_before(x, c->url_key);
        if (seen < 0)
            return RESPLINT_ENOMEM;
        /* at the response's findings limit, whether RL5012 (its CHECK note) or the memory's
         * RL9004 (a URL new here) become findings changes which of its findings get through */
        uint64_t cap = c->cfg->limits[RESPLINT_LIMIT_FINDINGS];
        bool capped = (c->deferred_check && (uint64_t)c->findings + 1 >= cap) ||
                      (!seen && (uint64_t)c->findings >= cap);
        resplint_exchange_note n = {RESPLINT_XNOTE_RECORD, c->url_key, p.status, p.get,
                                    p.present, c->index, !seen, capped};
        resplint_finding f = {0};
        if (!rlint_finding_of(c, RLINT_RL9004, RESPLINT_ERROR, RESPLINT_NO_OFFSET, 0, -1, &f)) {
            f.rule = NULL; /* the note still counts: the memory must see the response */
            f.offset = RESPLINT_NO_OFFSET;
            f.field_index = -1;
            f.response_index = c->index;
            f.response_offset = c->resp->offset;
        }
        x->note(&n, &f, c->user);
        return 0;
    }
    int rc = record(x, c->url_key, &p);
    if (rc == REC_FULL_FIRST) {
        char m[256];
        full_message(m, sizeof m, x->max);
        rlint_emit(c, RLINT_RL9004, RESPLINT_NO_OFFSET, 0, -1, "%s", m);
    }
    return rc < 0 ? rc : 0;
}

/* ---- RL5012: a 304 lacking fields of the 200 to the same URL ---- */

static const struct {
    rlint_field_id id;
    const char *name;
} nm_wanted[] = {{RLINT_F_CONTENT_LOCATION, "Content-Location"},
                 {RLINT_F_DATE, "Date"},
                 {RLINT_F_ETAG, "ETag"},
                 {RLINT_F_VARY, "Vary"},
                 {RLINT_F_CACHE_CONTROL, "Cache-Control"},
                 {RLINT_F_EXPIRES, "Expires"}};

/* RL5012's message into m[n] for a 304 lacking `absent` after a 200 (response index) that
 * carried `carried`; false when it lacks none of them. */
static bool nm_message(char *m, size_t n, uint64_t carried, uint64_t absent, size_t index)
{
    char names[128] = "";
    size_t o = 0;
    unsigned k = 0;
    for (size_t w = 0; w < RLINT_ARRAY_LEN(nm_wanted); w++) {
        uint64_t bit = 1ull << nm_wanted[w].id;
        if (!(carried & bit) || !(absent & bit))
            continue;
        o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", k++ ? ", " : "",
                              nm_wanted[w].name);
    }
    if (!k)
        return false;
    /* RFC 9110 §15.4.5: "The server generating a 304 response MUST generate any of the
     * following header fields that would have been sent in a 200 (OK) response to the same
     * request: Content-Location, Date, ETag, and Vary; Cache-Control and Expires" */
    snprintf(m, n,
             "304 without %s, which the 200 to the same URL (response %zu) carried; RFC 9110 "
             "§15.4.5: a 304 MUST carry the fields a 200 would have; caches keep the stored "
             "ones, so a changed %s goes unnoticed",
             names, index, k == 1 ? "value" : "set of values");
    return true;
}

void rlint_xchg_not_modified(rlint_ctx *c)
{
    if (!c->xchg || !c->url_key)
        return; /* no URL, no memory: nothing to compare with (trap T09) */
    uint64_t absent = 0;
    for (size_t w = 0; w < RLINT_ARRAY_LEN(nm_wanted); w++)
        if (rlint_absent(c, nm_wanted[w].id))
            absent |= 1ull << nm_wanted[w].id;
    if (c->xchg->note) {
        resplint_finding f;
        uint64_t len = c->raw ? c->raw->status_line_len : 0;
        if (!rlint_finding_of(c, RLINT_RL5012, RESPLINT_ERROR, c->resp->offset, len, -1, &f))
            return;
        resplint_exchange_note n = {RESPLINT_XNOTE_CHECK, c->url_key, c->resp->status,
                                    rlint_method_get(c->resp->method, c->resp->method_len),
                                    absent, c->index, 0, 0};
        c->deferred_check = true;
        c->xchg->note(&n, &f, c->user);
        return;
    }
    /* the latest earlier 200 to GET for the same URL in this input */
    const rlint_prior *p = rlint_earlier(c, 200, true);
    char m[sizeof c->msg];
    if (p && nm_message(m, sizeof m, p->present, absent, rlint_prior_index(p)))
        rlint_emit_status(c, RLINT_RL5012, "%s", m);
}

int resplint_exchanges_apply(resplint_exchanges *x, const resplint_exchange_note *note,
                             const resplint_finding *finding, resplint_finding_cb cb, void *user)
{
    if (!x || x->note || !note || !finding || !cb || !note->url_key)
        return RESPLINT_EINVAL;
    resplint_finding f = *finding;
    char m[512];
    f.message = m;
    if (note->kind == RESPLINT_XNOTE_CHECK) {
        const entry *e = lookup(x, note->url_key);
        if (!finding->rule || !e || !e->ok_get.status ||
            !nm_message(m, sizeof m, e->ok_get.present, note->fields,
                        rlint_prior_index(&e->ok_get)))
            return 0;
        cb(&f, user);
        return 1;
    }
    if (note->kind != RESPLINT_XNOTE_RECORD)
        return RESPLINT_EINVAL;
    rlint_prior p = rlint_prior_of(note->status, note->get, note->fields, note->index);
    int rc = record(x, note->url_key, &p);
    if (rc != REC_FULL_FIRST)
        return rc < 0 ? rc : 0;
    if (!finding->rule)
        return 0;
    full_message(m, sizeof m, x->max);
    cb(&f, user);
    return 1;
}
