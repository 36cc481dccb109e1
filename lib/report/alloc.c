/* The one place the report library calls the C allocator (see rlrep_alloc.h). With
 * RESPLINT_FAILPOINTS the core's per-thread counter decides which allocation fails. */
#include "rlrep_alloc.h"

#include <stdlib.h>

#ifdef RESPLINT_FAILPOINTS
#include "../core/failpoints.h"

void *rlrep_malloc(size_t n)
{
    if (rlint_failpoints_hit())
        return NULL;
    void *p = malloc(n ? n : 1);
    if (p)
        rlint_failpoints_track(1);
    return p;
}

void *rlrep_calloc(size_t n, size_t size)
{
    if (rlint_failpoints_hit())
        return NULL;
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p)
        rlint_failpoints_track(1);
    return p;
}

void *rlrep_realloc(void *p, size_t n)
{
    if (rlint_failpoints_hit())
        return NULL;
    void *q = realloc(p, n ? n : 1);
    if (q && !p)
        rlint_failpoints_track(1);
    return q;
}

void rlrep_free(void *p)
{
    if (p)
        rlint_failpoints_track(-1);
    free(p);
}
#else
void *rlrep_malloc(size_t n) { return malloc(n ? n : 1); }

void *rlrep_calloc(size_t n, size_t size) { return calloc(n ? n : 1, size ? size : 1); }

void *rlrep_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }

void rlrep_free(void *p) { free(p); }
#endif
