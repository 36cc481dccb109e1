/* JSON recordings (Betamax, nock, WireMock, Postman, newman, VCR as JSON) streamed through
 * YAJL: the containers the format names as entries are built as trees one at a time; strings
 * longer than RT_STRING_CAP are cut before YAJL sees them (their full length is kept). */
#define _POSIX_C_SOURCE 200809L
#include "../core/lazylib.h"
#include "rectree.h"
#include "rlcap_alloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#define RJ_CHUNK (64u * 1024u)
#define RJ_LITERAL_CAP 4096u
#define RJ_KEY 64u   /* path keys kept for is_entry; longer ones never name an entry */
#define RJ_CUTS 256u /* cut strings awaiting their YAJL callback */

typedef struct rj_frame {
    bool map;
    char key[RJ_KEY]; /* map: the member being read */
    size_t index;     /* seq: the next element */
} rj_frame;

typedef struct rj_cut {
    uint64_t ordinal;
    uint64_t dropped; /* decoded bytes not handed to YAJL */
    unsigned char pad;
} rj_cut;

typedef struct rj {
    rec_ctx c;
    const rec_json_format *f;
    const rlint_yajl *yj; /* YAJL's functions (lib/core/lazylib.h) */
    yajl_handle h;
    rj_frame stack[RT_MAX_DEPTH];
    size_t depth;
    size_t deep; /* containers open past RT_MAX_DEPTH: passed over (tree.deep in an entry) */
    size_t entry_depth; /* stack depth at which the current entry opened; 0: none */
    char base[256];
    char *key;        /* the last map key, whole (at most RT_STRING_CAP bytes) */
    size_t key_len;
    bool key_set;
    /* scanner */
    bool in_str, bs, dropping;
    unsigned hex;
    uint32_t hexval;
    size_t str_raw;
    uint64_t dec_dropped;
    unsigned eq_run;
    size_t lit;
    uint64_t ordinal_in, ordinal_out; /* strings opened in the input / delivered by YAJL */
    rj_cut cuts[RJ_CUTS];
    size_t cut_head, cut_n;
    /* line counting over the filtered bytes (strings never hold raw line breaks, so lines
     * are those of the file) */
    const unsigned char *piece;
    size_t piece_len, cursor;
    uint32_t line, col;
} rj;

static void advance(rj *x)
{
    size_t to = x->yj->yajl_get_bytes_consumed(x->h);
    if (to > x->piece_len)
        to = x->piece_len;
    for (; x->cursor < to; x->cursor++) {
        unsigned char ch = x->piece[x->cursor];
        if (ch == '\n') {
            x->line++;
            x->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            x->col++;
        }
    }
}

/* Stops the input with err (lib/capture/reader.h; a message set already stands) and cancels
 * the parse. */
static int fail_cb(rj *x, int err)
{
    rlcap_core(x->c.r, err, "line %u, column %u", x->line, x->col);
    return 0;
}

static bool in_entry(const rj *x) { return x->entry_depth != 0; }

/* The key the value being read belongs to (NULL in a sequence); consumes it. */
static const char *take_key(rj *x, size_t *len)
{
    if (x->depth == 0 || !x->stack[x->depth - 1].map || !x->key_set) {
        *len = 0;
        return NULL;
    }
    x->key_set = false;
    *len = x->key_len;
    return x->key;
}

static bool entry_here(rj *x)
{
    const char *keys[RT_MAX_DEPTH];
    size_t idx[RT_MAX_DEPTH];
    for (size_t i = 0; i < x->depth; i++) {
        keys[i] = x->stack[i].map ? x->stack[i].key : NULL;
        idx[i] = x->stack[i].map ? 0 : x->stack[i].index - 1;
    }
    return x->f->is_entry(keys, idx, x->depth);
}

static void base_pointer(rj *x)
{
    size_t at = 0;
    x->base[0] = '\0';
    for (size_t i = 0; i < x->depth && at + 2 < sizeof x->base; i++) {
        int k = x->stack[i].map ? snprintf(x->base + at, sizeof x->base - at, "/%s",
                                           x->stack[i].key)
                                : snprintf(x->base + at, sizeof x->base - at, "/%zu",
                                           x->stack[i].index - 1);
        if (k < 0)
            break;
        at += (size_t)k;
        if (at >= sizeof x->base)
            at = sizeof x->base - 1;
    }
}

/* A value begins in the current frame: count it in a sequence. */
static void value_begins(rj *x)
{
    if (x->depth && !x->stack[x->depth - 1].map)
        x->stack[x->depth - 1].index++;
}

static int open_container(rj *x, rt_type type)
{
    advance(x);
    if (x->deep) {
        x->deep++;
        return 1;
    }
    value_begins(x);
    size_t klen;
    const char *key = take_key(x, &klen);
    if (x->depth == RT_MAX_DEPTH) {
        /* deeper than any recorder writes: passed over, the rest of the file read; an entry
         * that holds it says so (RL9004), and no entry starts that deep */
        x->deep = 1;
        if (in_entry(x))
            x->c.tree.deep = true;
        return 1;
    }
    if (!in_entry(x) && entry_here(x)) {
        rt_reset(&x->c.tree);
        base_pointer(x);
        x->c.tree.base = x->base;
        x->entry_depth = x->depth + 1;
        key = NULL; /* the entry is the root: its own key is in the base pointer */
        klen = 0;
    }
    if (in_entry(x)) {
        int rc = rt_open(&x->c.tree, type, key, klen, x->line, x->col > 1 ? x->col - 1 : 1,
                         RESPLINT_NO_OFFSET);
        if (rc < 0)
            return fail_cb(x, rc);
    }
    rj_frame *f = &x->stack[x->depth++];
    f->map = type == RT_MAP;
    f->key[0] = '\0';
    f->index = 0;
    return 1;
}

static int close_container(rj *x)
{
    advance(x);
    if (x->deep) {
        x->deep--;
        return 1;
    }
    if (x->depth)
        x->depth--;
    if (in_entry(x)) {
        bool root = rt_close(&x->c.tree);
        if (root) {
            x->entry_depth = 0;
            size_t index = x->c.entries++;
            if (x->c.tree.limited || x->c.tree.deep)
                rec_limited(&x->c, index, x->c.tree.root);
            int rc = x->f->on_entry(&x->c, x->c.tree.root, index);
            rt_reset(&x->c.tree);
            if (rc < 0)
                return fail_cb(x, rc);
        }
    }
    return 1;
}

static int cb_start_map(void *u) { return open_container(u, RT_MAP); }
static int cb_start_array(void *u) { return open_container(u, RT_SEQ); }
static int cb_end(void *u) { return close_container(u); }

static int cb_map_key(void *u, const unsigned char *k, size_t len)
{
    rj *x = u;
    x->ordinal_out++;
    if (x->cut_n && x->cuts[x->cut_head].ordinal == x->ordinal_out) { /* a cut key: drop it */
        x->cut_head = (x->cut_head + 1) % RJ_CUTS;
        x->cut_n--;
    }
    if (x->deep)
        return 1;
    if (len > RT_STRING_CAP)
        len = RT_STRING_CAP;
    memcpy(x->key, k, len);
    x->key[len] = '\0';
    x->key_len = len;
    x->key_set = true;
    rj_frame *f = &x->stack[x->depth - 1];
    size_t n = len < RJ_KEY - 1 ? len : RJ_KEY - 1;
    memcpy(f->key, k, n);
    f->key[n] = '\0';
    return 1;
}

static int scalar(rj *x, rt_type type, const char *s, size_t len, bool string)
{
    advance(x);
    size_t klen = 0;
    const char *key = NULL;
    if (!x->deep) { /* past RT_MAX_DEPTH the frames are not the value's */
        value_begins(x);
        key = take_key(x, &klen);
    }
    uint64_t dropped = 0;
    unsigned pad = 0;
    bool cut = false;
    if (string) {
        x->ordinal_out++;
        if (x->cut_n && x->cuts[x->cut_head].ordinal == x->ordinal_out) {
            dropped = x->cuts[x->cut_head].dropped;
            pad = x->cuts[x->cut_head].pad;
            cut = true;
            x->cut_head = (x->cut_head + 1) % RJ_CUTS;
            x->cut_n--;
        }
    }
    if (x->deep)
        return 1;
    if (!in_entry(x)) {
        if (entry_here(x)) {
            base_pointer(x);
            x->c.tree.base = x->base;
            rec_invalid(&x->c, x->c.entries++, NULL, "%s is %s, not an object", x->base,
                        type == RT_STR ? "a string" : type == RT_NUM ? "a number" : type == RT_BOOL ? "a boolean" : "null");
            x->c.tree.base = NULL;
        }
        return 1;
    }
    uint32_t col = x->col > len + 2 ? (uint32_t)(x->col - len - (string ? 2 : 0)) : 1;
    rt_node *n = rt_scalar(&x->c.tree, type, key, klen, s, len, x->line, col, RESPLINT_NO_OFFSET);
    if (x->c.tree.err)
        return fail_cb(x, x->c.tree.err);
    if (n && cut) {
        n->cut = true;
        n->full_len += dropped;
        n->pad = (unsigned char)pad;
    }
    return 1;
}

static int cb_null(void *u) { return scalar(u, RT_NULL, "null", 4, false); }
static int cb_bool(void *u, int b)
{
    return scalar(u, RT_BOOL, b ? "true" : "false", b ? 4 : 5, false);
}
static int cb_number(void *u, const char *s, size_t len) { return scalar(u, RT_NUM, s, len, false); }
static int cb_string(void *u, const unsigned char *s, size_t len)
{
    return scalar(u, RT_STR, (const char *)s, len, true);
}

static const yajl_callbacks callbacks = {
    cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
    cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end,
};

static unsigned utf8_len(uint32_t cp)
{
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 2; /* each half of a surrogate pair: 4 bytes for the pair */
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
}

/* Copies the bytes YAJL should see from in[0..n) to out, cutting long strings; returns the
 * bytes written or a negative error. */
static long filter(rj *x, const unsigned char *in, size_t n, unsigned char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = in[i];
        if (!x->in_str) {
            if (b == '"') {
                x->in_str = true;
                x->str_raw = 0;
                x->dropping = false;
                x->dec_dropped = 0;
                x->eq_run = 0;
                x->ordinal_in++;
                x->lit = 0;
            } else if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == ',' || b == ':' ||
                       b == '{' || b == '}' || b == '[' || b == ']') {
                x->lit = 0;
            } else if (++x->lit > RJ_LITERAL_CAP) {
                return rlcap_fail(x->c.r, RESPLINT_EFORMAT,
                                  "%s:%u: a JSON number or literal longer than %u bytes: not a "
                                  "recording",
                                  x->c.r->path, x->line, RJ_LITERAL_CAP);
            }
            out[o++] = b;
            continue;
        }
        bool unit_start = false;
        unsigned dec = 0;
        if (x->hex) {
            x->hexval = x->hexval << 4 |
                        (uint32_t)(b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10);
            if (--x->hex == 0)
                dec = utf8_len(x->hexval & 0xFFFF);
        } else if (x->bs) {
            x->bs = false;
            if (b == 'u') {
                x->hex = 4;
                x->hexval = 0;
            } else {
                dec = 1;
            }
        } else if (b == '"') {
            x->in_str = false;
            if (x->dropping) {
                if (x->cut_n == RJ_CUTS)
                    return rlcap_fail(x->c.r, RESPLINT_EFORMAT,
                                      "%s:%u: more than %u long strings in one JSON token run",
                                      x->c.r->path, x->line, RJ_CUTS);
                rj_cut *c = &x->cuts[(x->cut_head + x->cut_n++) % RJ_CUTS];
                c->ordinal = x->ordinal_in;
                c->dropped = x->dec_dropped;
                c->pad = (unsigned char)(x->eq_run > 2 ? 2 : x->eq_run);
            }
            out[o++] = b;
            continue;
        } else {
            unit_start = b == '\\' || (b & 0xC0) != 0x80;
            if (b == '\\')
                x->bs = true;
            else
                dec = 1;
        }
        if (unit_start && !x->dropping && x->str_raw >= RT_STRING_CAP)
            x->dropping = true;
        if (x->dropping) {
            x->dec_dropped += dec;
            if (dec)
                x->eq_run = b == '=' ? x->eq_run + 1 : 0;
        } else {
            x->str_raw++;
            out[o++] = b;
        }
    }
    return (long)o;
}

static int parse(rj *x, const unsigned char *p, size_t len)
{
    x->piece = p;
    x->piece_len = len;
    x->cursor = 0;
    yajl_status st = x->yj->yajl_parse(x->h, p, len);
    if (st == yajl_status_ok)
        return 0;
    if (rlcap_failed(x->c.r))
        return rlcap_result(x->c.r);
    advance(x);
    char m[200];
    rlcap_yajl_message(x->yj, x->h, m, sizeof m);
    return rlcap_fail(x->c.r, RESPLINT_EFORMAT,
                      "%s:%u:%u: damaged %s recording: invalid JSON: %s; entries checked before "
                      "it: %zu",
                      x->c.r->path, x->line, x->col, x->f->name, m, x->c.entries);
}

int rlcap_read_rec_json(rlcap_reader *r, const rec_json_format *f)
{
    const rlint_yajl *yj = rlint_yajl_get("a JSON recording");
    if (!yj)
        return rlcap_fail(r, RESPLINT_EIO, "%s: %s", r->path, rlint_lazylib_why());
    rj *x = rlcap_calloc(1, sizeof *x);
    unsigned char *in = rlcap_malloc(RJ_CHUNK), *out = rlcap_malloc(RJ_CHUNK);
    char *key = rlcap_malloc(RT_STRING_CAP + 1);
    int rc = 0;
    if (!x || !in || !out || !key) {
        rlcap_free(x);
        rlcap_free(in);
        rlcap_free(out);
        rlcap_free(key);
        return rlcap_nomem(r);
    }
    rec_init(&x->c, r);
    x->yj = yj;
    x->f = f;
    x->key = key;
    x->line = x->col = 1;
    x->h = x->yj->yajl_alloc(&callbacks, NULL, x);
    if (!x->h) {
        rc = rlcap_nomem(r);
        goto done;
    }
    x->yj->yajl_config(x->h, yajl_dont_validate_strings, 1);
    bool first = true;
    for (;;) {
        long n = rlcap_read(r, in, RJ_CHUNK);
        if (n < 0) {
            rc = rlcap_fail(r, RESPLINT_EIO, "%s: read error at offset %llu: %s", r->path,
                            (unsigned long long)r->stats->bytes, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        r->stats->bytes += (uint64_t)n;
        size_t from = 0;
        if (first && n >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0)
            from = 3;
        first = false;
        long k = filter(x, in + from, (size_t)n - from, out);
        if (k < 0) {
            rc = rlcap_core(r, (int)k, "line %u, column %u", x->line, x->col);
            break;
        }
        rc = parse(x, out, (size_t)k);
        if (rc)
            break;
        if (r->handler->on_progress)
            r->handler->on_progress(r->stats->bytes, r->total, r->handler->user);
    }
    if (rc == 0) {
        x->piece_len = 0;
        yajl_status st = x->yj->yajl_complete_parse(x->h);
        if (st != yajl_status_ok || x->in_str || x->depth)
            rc = rlcap_fail(r, RESPLINT_EFORMAT,
                            "%s:%u:%u: damaged %s recording: the file ends inside the JSON "
                            "text; entries checked before it: %zu",
                            r->path, x->line, x->col, f->name, x->c.entries);
    }
done:
    if (x->h)
        x->yj->yajl_free(x->h);
    rec_free(&x->c);
    rlcap_free(x);
    rlcap_free(in);
    rlcap_free(out);
    rlcap_free(key);
    return rc < 0 ? rc : rlcap_result(r);
}
