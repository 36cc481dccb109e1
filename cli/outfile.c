/* Output files written whole or not at all: a temporary file, then rename(2). The stream is
 * a cookie over write(2), so that the first failure's errno is kept: stdio forgets it, and
 * "write error" without "No space left on device" leaves the user guessing. */
#define _GNU_SOURCE
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
    rlcli_outfile *o = c;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(o->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!o->err)
                o->err = w < 0 ? errno : EIO;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

static int cookie_close(void *c)
{
    rlcli_outfile *o = c;
    int rc = close(o->fd);
    if (rc != 0 && !o->err)
        o->err = errno;
    o->fd = -1;
    return rc;
}

/* o must stay where it is while the stream is open (the cookie points to it). */
static FILE *cookie_stream(rlcli_outfile *o, int fd)
{
    o->fd = fd;
    cookie_io_functions_t io = {NULL, cookie_write, NULL, cookie_close};
    return fopencookie(o, "w", io);
}

int rlcli_outfile_open(rlcli_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->path = strdup(path);
    if (!o->path)
        return -1;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* /dev/stdout, a pipe: nothing to rename over */
        int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd >= 0 && (o->f = cookie_stream(o, fd)) != NULL)
            return 0;
        int e = errno;
        if (fd >= 0)
            close(fd);
        free(o->path);
        o->path = NULL;
        errno = e;
        return -1;
    }
    /* dir/.name.resplint-XXXXXX: hidden, so that a folder walk never reads it */
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t n = strlen(path) + sizeof "/..resplint-XXXXXX";
    o->tmp = malloc(n);
    if (!o->tmp) {
        free(o->path);
        o->path = NULL;
        return -1;
    }
    snprintf(o->tmp, n, "%.*s.%s.resplint-XXXXXX", (int)dlen, path, path + dlen);
    int fd = mkstemp(o->tmp);
    if (fd >= 0) {
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(fd, 0666 & ~mask) == 0 && (o->f = cookie_stream(o, fd)) != NULL)
            return 0;
        int e = errno;
        close(fd);
        unlink(o->tmp);
        errno = e;
    }
    int e = errno;
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
    errno = e;
    return -1;
}

int rlcli_outfile_commit(rlcli_outfile *o, char *err, size_t errlen)
{
    if (!o->f)
        return 0;
    int e = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        e = o->err ? o->err : EIO;
    if (!e && o->tmp && fsync(o->fd) != 0 && errno != EINVAL)
        e = errno;
    if (fclose(o->f) != 0 && !e)
        e = o->err ? o->err : EIO;
    o->f = NULL;
    if (!e && o->tmp && rename(o->tmp, o->path) != 0)
        e = errno;
    if (e) {
        snprintf(err, errlen, "%s: write error: %s%s", o->path, strerror(e),
                 o->tmp ? " (the file was not changed)" : "");
        if (o->tmp)
            unlink(o->tmp);
    }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return e ? -1 : 0;
}

void rlcli_outfile_abort(rlcli_outfile *o)
{
    if (o->f)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}
