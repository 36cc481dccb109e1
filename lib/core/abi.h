/* Reading the caller-filled public structs (docs/library.md, "ABI"): each begins with
 * `size_t size`, the sizeof the caller compiled with, or 0 for the layout of the release that
 * introduced the member (0.2). The library copies the caller's bytes into a struct of its own
 * layout, members the caller did not know zeroed. Not installed; self-contained, used by every library. */
#ifndef RLINT_ABI_H
#define RLINT_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* `base`, below, is a struct's first layout (0.2's): what size 0 means and the least size
 * accepted. Each library defines the base of the structs it reads beside the code that reads
 * them (RLINT_BASE_* in engine.c, capture.c, report.c). Appending a member to a struct whose
 * base is still its sizeof: change the base to the offsetof that member first, so that callers
 * built before it keep working. */

/* The caller's size: 0 stands for `base`; smaller than base is a caller error (returns 0). */
static inline size_t rlint_abi_size(const void *src, size_t base)
{
    size_t size;
    memcpy(&size, src, sizeof size);
    if (size == 0)
        return base;
    return size < base ? 0 : size;
}

/* Copies the caller's struct src into dst (full bytes, this library's layout). False when its
 * size is invalid. dst->size is set to full. */
static inline bool rlint_abi_copy(void *dst, size_t full, const void *src, size_t base)
{
    size_t size = rlint_abi_size(src, base);
    if (size == 0)
        return false;
    memset(dst, 0, full);
    memcpy(dst, src, size < full ? size : full);
    memcpy(dst, &full, sizeof full);
    return true;
}

#endif
