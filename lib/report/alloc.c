/* The one place the report library calls the C allocator (see rlrep_alloc.h); the wrapper
 * itself is lib/core/alloc_wrapper.inc. */
#include "rlrep_alloc.h"

#ifdef RESPLINT_FAILPOINTS
#include "../core/failpoints.h"
#endif

#define RL_ALLOC(name) rlrep_##name
#include "../core/alloc_wrapper.inc"
