/* YAML recordings (VCR-style cassettes) read with libyaml's event parser: the entries are
 * built as trees one at a time, with their lines and columns; the rest of the document is
 * passed over. libyaml holds one scalar whole while it parses it; the tree keeps at most
 * RT_STRING_CAP bytes of it. */
#define _POSIX_C_SOURCE 200809L
#include "rectree.h"
#include "../core/lazylib.h"
#include "rlcap_alloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#define RY_KEY 64u

/* libyaml is loaded for the first YAML cassette (lib/core/lazylib.h) */
#define YAML_FUNCS(X, ...)                                                                        \
    X(yaml_parser_initialize, __VA_ARGS__) X(yaml_parser_set_input, __VA_ARGS__)                  \
    X(yaml_parser_parse, __VA_ARGS__) X(yaml_event_delete, __VA_ARGS__)                           \
    X(yaml_parser_delete, __VA_ARGS__)
RLINT_LAZYLIB_TABLE(yaml_api, YAML_FUNCS);

typedef struct ry_frame {
    bool map;
    bool want_key;    /* map: the next scalar is a key */
    char key[RY_KEY]; /* map: the member being read (cut) */
    size_t index;     /* seq: the next element */
} ry_frame;

typedef struct ry {
    rec_ctx c;
    const rec_json_format *f;
    rlcap_reader *r;
    ry_frame stack[RT_MAX_DEPTH];
    size_t depth;
    size_t deep; /* containers open past RT_MAX_DEPTH: passed over (tree.deep in an entry) */
    bool in_entry;
    char base[256];
    char *key; /* the whole last key */
    size_t key_len;
    bool key_set;
} ry;

static int read_handler(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
    ry *y = data;
    long n = rlcap_read(y->r, buffer, size);
    if (n < 0) {
        rlcap_fail(y->r, RESPLINT_EIO, "%s: read error at offset %llu: %s", y->r->path,
                   (unsigned long long)y->r->stats->bytes, strerror(errno ? errno : EIO));
        return 0;
    }
    y->r->stats->bytes += (uint64_t)n;
    *size_read = (size_t)n;
    if (n > 0 && y->r->handler->on_progress)
        y->r->handler->on_progress(y->r->stats->bytes, y->r->total, y->r->handler->user);
    return 1;
}

static bool entry_here(const ry *y)
{
    const char *keys[RT_MAX_DEPTH];
    size_t idx[RT_MAX_DEPTH];
    for (size_t i = 0; i < y->depth; i++) {
        keys[i] = y->stack[i].map ? y->stack[i].key : NULL;
        idx[i] = y->stack[i].map ? 0 : y->stack[i].index - 1;
    }
    return y->f->is_entry(keys, idx, y->depth);
}

static void base_pointer(ry *y)
{
    size_t at = 0;
    y->base[0] = '\0';
    for (size_t i = 0; i < y->depth && at + 2 < sizeof y->base; i++) {
        int k = y->stack[i].map
                    ? snprintf(y->base + at, sizeof y->base - at, "/%s", y->stack[i].key)
                    : snprintf(y->base + at, sizeof y->base - at, "/%zu", y->stack[i].index - 1);
        if (k < 0)
            break;
        at += (size_t)k;
        if (at >= sizeof y->base)
            at = sizeof y->base - 1;
    }
}

/* A value (not a key) begins: count it in a sequence, take the key in a map. */
static const char *value_begins(ry *y, size_t *klen)
{
    *klen = 0;
    if (!y->depth)
        return NULL;
    ry_frame *f = &y->stack[y->depth - 1];
    if (!f->map) {
        f->index++;
        return NULL;
    }
    f->want_key = true;
    if (!y->key_set)
        return NULL;
    y->key_set = false;
    *klen = y->key_len;
    return y->key;
}

static bool is_key_position(const ry *y)
{
    return y->depth && y->stack[y->depth - 1].map && y->stack[y->depth - 1].want_key;
}

static rt_type plain_type(const char *s, size_t n)
{
    if (n == 0 || (n == 1 && s[0] == '~') || (n == 4 && (memcmp(s, "null", 4) == 0 ||
                                                          memcmp(s, "Null", 4) == 0 ||
                                                          memcmp(s, "NULL", 4) == 0)))
        return RT_NULL;
    if ((n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "True", 4) == 0)) ||
        (n == 5 && (memcmp(s, "false", 5) == 0 || memcmp(s, "False", 5) == 0)))
        return RT_BOOL;
    size_t i = s[0] == '-' || s[0] == '+' ? 1 : 0;
    if (i == n)
        return RT_STR;
    bool digit = false;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digit = true;
        else if (s[i] != '.' && s[i] != 'e' && s[i] != 'E' && s[i] != '-' && s[i] != '+')
            return RT_STR;
    }
    return digit ? RT_NUM : RT_STR;
}

static int on_open(ry *y, rt_type type, const yaml_mark_t *m)
{
    if (y->deep) {
        y->deep++;
        return 0;
    }
    if (is_key_position(y)) /* a complex key: read it, but it names nothing */
        y->stack[y->depth - 1].want_key = false;
    size_t klen;
    const char *key = value_begins(y, &klen);
    if (y->depth == RT_MAX_DEPTH) {
        /* deeper than any recorder writes: passed over, the rest of the file read; an entry
         * that holds it says so (RL9004), and no entry starts that deep */
        y->deep = 1;
        if (y->in_entry)
            y->c.tree.deep = true;
        return 0;
    }
    if (!y->in_entry && entry_here(y)) {
        rt_reset(&y->c.tree);
        base_pointer(y);
        y->c.tree.base = y->base;
        y->in_entry = true;
        key = NULL;
        klen = 0;
    }
    if (y->in_entry) {
        int rc = rt_open(&y->c.tree, type, key, klen, (uint32_t)m->line + 1,
                         (uint32_t)m->column + 1, (uint64_t)m->index);
        if (rc < 0)
            return rlcap_core(y->r, rc, "line %zu", m->line + 1);
    }
    ry_frame *f = &y->stack[y->depth++];
    f->map = type == RT_MAP;
    f->want_key = true;
    f->key[0] = '\0';
    f->index = 0;
    return 0;
}

static int on_close(ry *y)
{
    if (y->deep) {
        y->deep--;
        return 0;
    }
    if (y->depth)
        y->depth--;
    if (!y->in_entry)
        return 0;
    if (!rt_close(&y->c.tree))
        return 0;
    y->in_entry = false;
    size_t index = y->c.entries++;
    if (y->c.tree.limited || y->c.tree.deep)
        rec_limited(&y->c, index, y->c.tree.root);
    int rc = y->f->on_entry(&y->c, y->c.tree.root, index);
    rt_reset(&y->c.tree);
    return rlcap_core(y->r, rc, "entry %zu", index);
}

static int on_scalar(ry *y, const yaml_event_t *e)
{
    const char *s = (const char *)e->data.scalar.value;
    size_t n = e->data.scalar.length;
    if (y->deep)
        return 0;
    if (is_key_position(y)) {
        ry_frame *f = &y->stack[y->depth - 1];
        f->want_key = false;
        size_t k = n < RY_KEY - 1 ? n : RY_KEY - 1;
        memcpy(f->key, s, k);
        f->key[k] = '\0';
        size_t kk = n < RT_STRING_CAP ? n : RT_STRING_CAP;
        memcpy(y->key, s, kk);
        y->key[kk] = '\0';
        y->key_len = kk;
        y->key_set = true;
        return 0;
    }
    size_t klen;
    const char *key = value_begins(y, &klen);
    rt_type t = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? plain_type(s, n) : RT_STR;
    const char *tag = (const char *)e->data.scalar.tag;
    if (!y->in_entry) {
        if (entry_here(y)) {
            base_pointer(y);
            y->c.tree.base = y->base;
            rec_invalid(&y->c, y->c.entries++, NULL, "%s (line %zu) is a scalar, not a mapping",
                        y->base, e->start_mark.line + 1);
            y->c.tree.base = NULL;
        }
        return 0;
    }
    rt_node *node = rt_scalar(&y->c.tree, t, key, klen, s, n, (uint32_t)e->start_mark.line + 1,
                              (uint32_t)e->start_mark.column + 1,
                              (uint64_t)e->start_mark.index);
    if (y->c.tree.err)
        return rlcap_core(y->r, y->c.tree.err, "line %zu", e->start_mark.line + 1);
    if (node && tag && strcmp(tag, "tag:yaml.org,2002:binary") == 0) {
        /* base64 in a YAML scalar may hold line breaks: count only base64 characters */
        uint64_t chars = 0;
        unsigned pad = 0;
        for (size_t i = 0; i < n; i++)
            if (s[i] != '\n' && s[i] != '\r' && s[i] != ' ') {
                chars++;
                pad = s[i] == '=' ? pad + 1 : 0;
            }
        node->pad = (unsigned char)(pad > 2 ? 2 : pad);
        node->binary = true;
        node->type = RT_STR;
        node->full_len = chars;
    }
    return 0;
}

int rlcap_read_rec_yaml(rlcap_reader *r, const rec_json_format *f)
{
    ry *y = rlcap_calloc(1, sizeof *y);
    char *key = rlcap_malloc(RT_STRING_CAP + 1);
    if (!y || !key) {
        rlcap_free(y);
        rlcap_free(key);
        return rlcap_nomem(r);
    }
    rec_init(&y->c, r);
    y->f = f;
    y->r = r;
    y->key = key;
    yaml_parser_t p;
    int rc = 0;
    yaml_api api;
    char err[256];
    if (!RLINT_LAZYLIB_LOAD(YAML_FUNCS, &api, RESPLINT_LIBYAML_SONAME, err, sizeof err)) {
        rc = rlcap_fail(r, RESPLINT_EIO, "%s: a %s, which resplint reads with libyaml: %s",
                        r->path, f->name, err);
        goto done;
    }
    if (!api.yaml_parser_initialize(&p)) {
        rlint_lazylib_close(api.lib);
        rc = rlcap_nomem(r);
        goto done;
    }
    api.yaml_parser_set_input(&p, read_handler, y);
    for (bool end = false; !end && rc == 0;) {
        yaml_event_t e;
        if (!api.yaml_parser_parse(&p, &e)) {
            if (rlcap_failed(r)) /* the read handler said why */
                rc = rlcap_result(r);
            else if (p.error == YAML_MEMORY_ERROR)
                rc = rlcap_nomem(r);
            else
                rc = rlcap_fail(r, RESPLINT_EFORMAT,
                                "%s:%zu:%zu: damaged %s: invalid YAML: %s%s%s; entries checked "
                                "before it: %zu",
                                r->path, p.problem_mark.line + 1, p.problem_mark.column + 1,
                                f->name, p.problem ? p.problem : "parse error",
                                p.context ? " " : "", p.context ? p.context : "",
                                y->c.entries);
            break;
        }
        switch (e.type) {
        case YAML_MAPPING_START_EVENT:
            rc = on_open(y, RT_MAP, &e.start_mark);
            break;
        case YAML_SEQUENCE_START_EVENT:
            rc = on_open(y, RT_SEQ, &e.start_mark);
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            rc = on_close(y);
            break;
        case YAML_SCALAR_EVENT:
            rc = on_scalar(y, &e);
            break;
        case YAML_ALIAS_EVENT: {
            yaml_event_t s = e;
            s.data.scalar.value = (yaml_char_t *)"";
            s.data.scalar.length = 0;
            s.data.scalar.tag = NULL;
            s.data.scalar.style = YAML_PLAIN_SCALAR_STYLE;
            rc = on_scalar(y, &s);
            break;
        }
        case YAML_STREAM_END_EVENT:
            end = true;
            break;
        default:
            break;
        }
        api.yaml_event_delete(&e);
    }
    api.yaml_parser_delete(&p);
    rlint_lazylib_close(api.lib);
done:
    rec_free(&y->c);
    rlcap_free(y);
    rlcap_free(key);
    return rc < 0 ? rc : rlcap_result(r);
}
