/* The one place libresplint calls the C allocator, so that a hook or failure injection
 * touches one file. With RESPLINT_FAILPOINTS (tests only) it can fail the Nth allocation. */
#include "internal.h"
#include "failpoints.h"

#include <stdlib.h>
#include <string.h>

#ifdef RESPLINT_FAILPOINTS
/* Per thread, so that parallel tests do not disturb each other; never in a normal build. */
static _Thread_local uint64_t fp_count, fp_fail_at;
static _Thread_local int64_t fp_live;

void rlint_failpoints_arm(uint64_t n)
{
    fp_count = 0;
    fp_fail_at = n;
    fp_live = 0;
}

uint64_t rlint_failpoints_count(void) { return fp_count; }

int64_t rlint_failpoints_live(void) { return fp_live; }

bool rlint_failpoints_hit(void) { return ++fp_count == fp_fail_at; }

void rlint_failpoints_track(int delta) { fp_live += delta; }

#endif

#define RL_ALLOC(name) rlint_##name
#include "alloc_wrapper.inc"

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
