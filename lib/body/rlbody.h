/* Internal header of libresplint-body: its allocation wrapper (lib/body/alloc.c), through
 * which zlib and brotli allocate too. libzstd and OpenSSL keep libc's allocator; YAJL takes
 * its blocks from an arena in the JSON handle (pipeline.c), and libc's beyond it (YAJL does not
 * survive a failed allocation, so failure injection must not reach it). */
#ifndef RLBODY_H
#define RLBODY_H

#include "resplint/body.h"

#include <stdio.h>

void *rlbody_malloc(size_t n);
void *rlbody_calloc(size_t n, size_t size);
void *rlbody_realloc(void *p, size_t n);
void rlbody_free(void *p);
void *rlbody_zalloc(void *opaque, unsigned items, unsigned size);
void rlbody_zfree(void *opaque, void *p);

#endif
