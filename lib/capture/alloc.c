/* The one place the capture library calls the C allocator (see rlcap_alloc.h); the wrapper
 * itself is lib/core/alloc_wrapper.inc. */
#include "rlcap_alloc.h"

#ifdef RESPLINT_FAILPOINTS
#include "../core/failpoints.h"
#endif

#define RL_ALLOC(name) rlcap_##name
#include "../core/alloc_wrapper.inc"

void *rlcap_zalloc(void *opaque, unsigned items, unsigned size)
{
    (void)opaque;
    return rlcap_calloc(items, size);
}

void rlcap_zfree(void *opaque, void *p)
{
    (void)opaque;
    rlcap_free(p);
}
