/* The capture library's allocation wrapper (lib/capture/alloc.c): every block the readers
 * allocate goes through here, zlib's included, so that a test build (RESPLINT_FAILPOINTS) can
 * fail any one of them. YAJL keeps libc's allocator: it does not check what its allocator
 * returns (yajl_buf.c writes through it), so a failure injected there would crash YAJL. libpcap
 * allocates with libc too (its API takes no allocator). */
#ifndef RLCAP_ALLOC_H
#define RLCAP_ALLOC_H

#include <stddef.h>

void *rlcap_malloc(size_t n);
void *rlcap_calloc(size_t n, size_t size);
void *rlcap_realloc(void *p, size_t n);
void rlcap_free(void *p);
/* zlib's zalloc and zfree (z_stream members) over the same wrapper. */
void *rlcap_zalloc(void *opaque, unsigned items, unsigned size);
void rlcap_zfree(void *opaque, void *p);

#endif
