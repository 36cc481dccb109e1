/* Reading the caller-filled public structs (docs/library.md, "ABI policy"): each begins with
 * `size_t size`, the sizeof the caller compiled with. The library copies the caller's bytes
 * into a struct of its own layout, members the caller did not know zeroed. size 0 means "the
 * layout of this library's own headers": right for code built together with the library (the
 * tree's readers, tests, CLI); a program built apart must set size. Not installed;
 * self-contained, used by every library. */
#ifndef RLINT_ABI_H
#define RLINT_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* `base`, below, is a struct's first layout (0.2's): the least nonzero size accepted. Each
 * library defines the base of the structs it reads beside the code that reads them
 * (RLINT_BASE_* in engine.c, capture.c, report.c). Appending a member to a struct whose base
 * is still its sizeof: change the base to the offsetof that member first, so that callers
 * built before it keep working. */

/* Copies the caller's struct src into dst (full bytes, this library's layout). False when its
 * size is below base. dst->size is set to full. */
static inline bool rlint_abi_copy(void *dst, size_t full, const void *src, size_t base)
{
    size_t size;
    memcpy(&size, src, sizeof size);
    if (size == 0)
        size = full;
    if (size < base)
        return false;
    memset(dst, 0, full);
    memcpy(dst, src, size < full ? size : full);
    memcpy(dst, &full, sizeof full);
    return true;
}

#endif
