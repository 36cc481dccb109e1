/* The one place the body library calls the C allocator (see rlbody.h); the wrapper itself is
 * lib/core/alloc_wrapper.inc. */
#include "rlbody.h"

#ifdef RESPLINT_FAILPOINTS
#include "../core/failpoints.h"
#endif

#define RL_ALLOC(name) rlbody_##name
#include "../core/alloc_wrapper.inc"

void *rlbody_zalloc(void *opaque, unsigned items, unsigned size)
{
    (void)opaque;
    return rlbody_calloc(items, size);
}

void rlbody_zfree(void *opaque, void *p)
{
    (void)opaque;
    rlbody_free(p);
}
