/* The one place libresplint calls the C allocator, so that a hook or failure injection
 * touches one file. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void *rlint_malloc(size_t n) { return malloc(n ? n : 1); }

void *rlint_calloc(size_t n, size_t size) { return calloc(n ? n : 1, size ? size : 1); }

void *rlint_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }

void rlint_free(void *p) { free(p); }

int rlint_buf_append(rlint_buf *b, const void *data, size_t n, size_t max)
{
    if (n == 0)
        return 0;
    if (n > max || b->len > max - n)
        return RESPLINT_ELIMIT;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap = cap > SIZE_MAX / 2 ? b->len + n : cap * 2;
        if (cap > max)
            cap = max;
        char *p = rlint_realloc(b->p, cap);
        if (!p)
            return RESPLINT_ENOMEM;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return 0;
}

void rlint_buf_free(rlint_buf *b)
{
    rlint_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
