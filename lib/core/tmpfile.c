/* Temporary files in a named folder (tmpfile.h). */
#define _POSIX_C_SOURCE 200809L
#include "tmpfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

FILE *rlint_tmpfile(const char *dir)
{
    char path[4096];
    if (!dir || !*dir)
        dir = "/tmp";
    int n = snprintf(path, sizeof path, "%s/resplint-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof path) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    unlink(path);
    FILE *f = fdopen(fd, "w+b");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}
