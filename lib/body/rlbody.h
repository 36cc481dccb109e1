/* Internal header of libresplint-body: its allocation wrapper (lib/body/alloc.c), through
 * which zlib and brotli allocate too. libzstd, OpenSSL and YAJL keep libc's allocator. */
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
