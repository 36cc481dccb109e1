/* Progress for long inputs, on stderr, only when stderr is a terminal: a line rewritten in
 * place and erased at the end, so a terminal shows it and a log file never does. */
#define _POSIX_C_SOURCE 200809L
#include "jobs.h"

#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void rlcli_progress_init(rlcli_progress *p)
{
    p->on = isatty(STDERR_FILENO) == 1;
    p->last_ms = now_ms(); /* nothing for inputs read in under 200 ms */
    p->shown = false;
}

static bool due(rlcli_progress *p)
{
    if (!p->on)
        return false;
    long long t = now_ms();
    if (t - p->last_ms < 200)
        return false;
    p->last_ms = t;
    p->shown = true;
    return true;
}

static void human(char *buf, size_t len, uint64_t n)
{
    if (n >= 10ull << 20)
        snprintf(buf, len, "%llu MiB", (unsigned long long)(n >> 20));
    else if (n >= 10ull << 10)
        snprintf(buf, len, "%llu KiB", (unsigned long long)(n >> 10));
    else
        snprintf(buf, len, "%llu B", (unsigned long long)n);
}

void rlcli_progress_bytes(rlcli_progress *p, const char *path, uint64_t done, uint64_t total,
                          size_t responses, size_t findings)
{
    if (!due(p))
        return;
    char d[32], t[32];
    human(d, sizeof d, done);
    if (total) {
        human(t, sizeof t, total);
        fprintf(stderr, "\r\033[K%s: %s / %s (%u%%), %zu responses, %zu findings", path, d, t,
                (unsigned)(done * 100 / total), responses, findings);
    } else {
        fprintf(stderr, "\r\033[K%s: %s, %zu responses, %zu findings", path, d, responses,
                findings);
    }
    fflush(stderr);
}

void rlcli_progress_files(rlcli_progress *p, size_t done, size_t total, size_t responses,
                          size_t findings)
{
    if (!due(p))
        return;
    fprintf(stderr, "\r\033[K%zu / %zu inputs, %zu responses, %zu findings", done, total, responses,
            findings);
    fflush(stderr);
}

void rlcli_progress_clear(rlcli_progress *p)
{
    if (p->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->shown = false;
}
