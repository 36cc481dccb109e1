/* One recorded interaction as a tree: nodes and text in one arena with a byte cap, built by
 * the JSON, YAML and tnetstring readers and read by the format readers. */
#include "rectree.h"
#include "rlcap_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rt_block {
    rt_block *next;
    size_t used, size;
    max_align_t data[];
};

#define RT_BLOCK (64u * 1024u)

void rt_init(rt_tree *t, size_t cap)
{
    memset(t, 0, sizeof *t);
    t->cap = cap;
}

void rt_reset(rt_tree *t)
{
    rt_block *b = t->blocks;
    /* keep the first block for the next entry */
    if (b) {
        rt_block *n = b->next;
        while (n) {
            rt_block *nn = n->next;
            rlcap_free(n);
            n = nn;
        }
        b->next = NULL;
        b->used = 0;
    }
    t->used = 0;
    t->limited = t->deep = false;
    t->err = 0;
    t->root = t->cur = NULL;
    t->depth = t->skip = 0;
}

void rt_free(rt_tree *t)
{
    rt_reset(t);
    rlcap_free(t->blocks);
    t->blocks = NULL;
}

static void *arena(rt_tree *t, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    rt_block *b = t->blocks;
    if (!b || b->size - b->used < n) {
        size_t size = n > RT_BLOCK ? n : RT_BLOCK;
        rt_block *nb = rlcap_malloc(sizeof *nb + size);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->size = size;
        /* the new block goes first; a partly used first block is simply left behind */
        nb->next = b;
        t->blocks = b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    t->used += n;
    return p;
}

static char *copy(rt_tree *t, const char *s, size_t len)
{
    char *p = arena(t, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static rt_node *add(rt_tree *t, rt_type type, const char *key, size_t key_len, size_t text,
                    uint32_t line, uint32_t col, uint64_t off, int *err)
{
    *err = 0;
    if (t->skip)
        return NULL;
    if (t->used + sizeof(rt_node) + key_len + text + 64 > t->cap) {
        t->limited = true;
        return NULL;
    }
    rt_node *n = arena(t, sizeof *n);
    if (!n) {
        *err = RESPLINT_ENOMEM;
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->type = type;
    n->line = line;
    n->col = col;
    n->off = off;
    if (key) {
        n->key = copy(t, key, key_len);
        if (!n->key) {
            *err = RESPLINT_ENOMEM;
            return NULL;
        }
        n->key_len = key_len;
    }
    rt_node *p = t->cur;
    if (p) {
        n->parent = p;
        n->index = p->count++;
        if (p->last)
            p->last->next = n;
        else
            p->first = n;
        p->last = n;
    } else if (!t->root) {
        t->root = n;
    }
    return n;
}

int rt_open(rt_tree *t, rt_type type, const char *key, size_t key_len, uint32_t line,
            uint32_t col, uint64_t off)
{
    t->depth++;
    if (t->skip) { /* inside a container dropped at the cap */
        t->skip++;
        return 0;
    }
    int err;
    rt_node *n = add(t, type, key, key_len, 0, line, col, off, &err);
    if (!n) {
        if (err)
            return err;
        t->skip = 1;
        return 0;
    }
    t->cur = n;
    return 0;
}

bool rt_close(rt_tree *t)
{
    if (t->depth == 0)
        return true;
    t->depth--;
    if (t->skip)
        t->skip--;
    else if (t->cur)
        t->cur = t->cur->parent;
    return t->depth == 0;
}

rt_node *rt_scalar(rt_tree *t, rt_type type, const char *key, size_t key_len, const char *s,
                   size_t len, uint32_t line, uint32_t col, uint64_t off)
{
    size_t keep = len > RT_STRING_CAP ? RT_STRING_CAP : len;
    int err;
    rt_node *n = add(t, type, key, key_len, keep, line, col, off, &err);
    if (!n) {
        if (err)
            t->err = err;
        return NULL;
    }
    n->s = copy(t, s, keep);
    if (!n->s) {
        t->err = RESPLINT_ENOMEM;
        return NULL;
    }
    n->len = keep;
    n->full_len = len;
    n->cut = keep < len;
    size_t pad = 0;
    while (pad < 2 && pad < len && s[len - 1 - pad] == '=')
        pad++;
    n->pad = (unsigned char)pad;
    return n;
}

const rt_node *rt_get(const rt_node *m, const char *key)
{
    if (!m || m->type != RT_MAP)
        return NULL;
    size_t kl = strlen(key);
    for (const rt_node *n = m->first; n; n = n->next)
        if (n->key_len == kl && memcmp(n->key, key, kl) == 0)
            return n;
    return NULL;
}

const rt_node *rt_at(const rt_node *seq, size_t i)
{
    if (!seq || (seq->type != RT_SEQ && seq->type != RT_MAP))
        return NULL;
    const rt_node *n = seq->first;
    while (n && i--)
        n = n->next;
    return n;
}

bool rt_is_str(const rt_node *n) { return n && n->type == RT_STR; }

bool rt_eq(const rt_node *n, const char *s)
{
    return rt_is_str(n) && n->len == strlen(s) && memcmp(n->s, s, n->len) == 0;
}

bool rt_int(const rt_node *n, int64_t *out)
{
    if (!n || (n->type != RT_NUM && n->type != RT_STR) || n->len == 0 || n->len > 20)
        return false;
    char buf[32];
    memcpy(buf, n->s, n->len);
    buf[n->len] = '\0';
    char *end;
    double d = strtod(buf, &end);
    if (*end || end == buf || d != d || d < -9.0e15 || d > 9.0e15 || d != (double)(int64_t)d)
        return false;
    if (n->type == RT_STR && (buf[0] < '0' || buf[0] > '9'))
        return false;
    *out = (int64_t)d;
    return true;
}

static size_t put_pointer(const rt_node *n, char *buf, size_t len, size_t at)
{
    if (!n || !n->parent)
        return at;
    at = put_pointer(n->parent, buf, len, at);
    if (at + 1 >= len)
        return at;
    buf[at++] = '/';
    if (n->parent->type == RT_SEQ) {
        int k = snprintf(buf + at, len - at, "%zu", n->index);
        if (k > 0)
            at = at + (size_t)k < len ? at + (size_t)k : len - 1;
        return at;
    }
    for (size_t i = 0; i < n->key_len && at + 2 < len; i++) {
        char ch = n->key[i];
        if (ch == '~' || ch == '/') {
            buf[at++] = '~';
            buf[at++] = ch == '~' ? '0' : '1';
        } else {
            buf[at++] = ch;
        }
    }
    buf[at] = '\0';
    return at;
}

void rt_pointer(const rt_tree *t, const rt_node *n, char *buf, size_t len)
{
    if (!len)
        return;
    int k = snprintf(buf, len, "%s", t->base ? t->base : "");
    size_t at = k > 0 ? ((size_t)k < len ? (size_t)k : len - 1) : 0;
    at = put_pointer(n, buf, len, at);
    buf[at < len ? at : len - 1] = '\0';
}
