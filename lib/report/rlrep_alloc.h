/* The report library's allocation wrapper (lib/report/alloc.c): every block the reporters
 * allocate goes through here, so that a test build (RESPLINT_FAILPOINTS) can fail any one of
 * them. open_memstream's buffers are libc's: allocated and freed by libc, not counted. */
#ifndef RLREP_ALLOC_H
#define RLREP_ALLOC_H

#include <stddef.h>

void *rlrep_malloc(size_t n);
void *rlrep_calloc(size_t n, size_t size);
void *rlrep_realloc(void *p, size_t n);
void rlrep_free(void *p);

#endif
