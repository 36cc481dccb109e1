/* Allocation failure injection, compiled only with RESPLINT_FAILPOINTS (a test build of the
 * libraries, tests/alloc/): the allocation wrappers of the core, the capture and the report
 * libraries count every allocation of the calling thread and fail the Nth. Not installed. */
#ifndef RLINT_FAILPOINTS_H
#define RLINT_FAILPOINTS_H

#ifdef RESPLINT_FAILPOINTS
#include <stdbool.h>
#include <stdint.h>

/* Starts counting from 0 and fails allocation number n (1-based; 0: none). Resets the count
 * of live blocks. */
void rlint_failpoints_arm(uint64_t n);
/* Allocations attempted since arming, and blocks allocated and not yet freed. */
uint64_t rlint_failpoints_count(void);
int64_t rlint_failpoints_live(void);
/* For the wrappers: counts one allocation; true when it must fail. */
bool rlint_failpoints_hit(void);
/* For the wrappers: a block came into being (+1) or was freed (-1). */
void rlint_failpoints_track(int delta);
#endif

#endif
