/* Structured-path benchmark: nanoseconds per 10-field response through
 * resplint_check_response (every default rule on), and allocations per response counted by
 * wrapping the C allocator at link time (-Wl,--wrap=malloc,...): the target is zero. */
#define _POSIX_C_SOURCE 200809L
#include "resplint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t allocations;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n)
{
    allocations++;
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    allocations++;
    return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    allocations++;
    return __real_realloc(p, n);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void on_finding(const resplint_finding *f, void *user)
{
    (void)f;
    ++*(size_t *)user;
}

#define F(n, v) {n, sizeof(n) - 1, v, sizeof(v) - 1, RESPLINT_NO_OFFSET, 0}

/* Not inlined: `valgrind --tool=callgrind --toggle-collect=check_many` counts the checks alone. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void check_many(const resplint_config *cfg, const resplint_response *r, long iterations,
                       size_t *findings)
{
    for (long i = 0; i < iterations; i++)
        resplint_check_response(cfg, r, (size_t)i, on_finding, findings);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 2000000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    static const resplint_field fields[] = {
        F("Date", "Tue, 25 Nov 2025 08:12:31 GMT"),
        F("Server", "nginx/1.22.1"),
        F("Content-Type", "text/html; charset=utf-8"),
        F("Content-Length", "1234"),
        F("Connection", "keep-alive"),
        F("Cache-Control", "max-age=3600"),
        F("ETag", "\"5f2b7c9e\""),
        F("Last-Modified", "Mon, 24 Nov 2025 10:00:00 GMT"),
        F("Vary", "Accept-Encoding"),
        F("X-Request-Id", "5f2b7c9e-1a2b-4c3d-9e8f-0a1b2c3d4e5f"),
    };
    resplint_response r;
    memset(&r, 0, sizeof r);
    r.status = 200;
    r.version_major = 1;
    r.version_minor = 1;
    r.reason = "OK";
    r.reason_len = 2;
    r.fields = fields;
    r.field_count = 10;
    r.body_length = 1234;
    r.method = "GET";
    r.method_len = 3;
    r.offset = RESPLINT_NO_OFFSET;
    resplint_config *cfg = resplint_config_new();
    size_t findings = 0;
    double t[64];
    if (runs > 64)
        runs = 64;
    size_t before = allocations;
    for (int k = 0; k < runs; k++) {
        double t0 = now();
        check_many(cfg, &r, iterations, &findings);
        t[k] = (now() - t0) / (double)iterations;
    }
    size_t allocs = allocations - before;
    qsort(t, (size_t)runs, sizeof *t, cmp);
    printf("structured path: %.1f ns per 10-field response (median of %d runs of %ld), "
           "%zu findings, %.3f allocations per response\n",
           t[runs / 2], runs, iterations, findings,
           (double)allocs / ((double)iterations * runs));
    resplint_config_free(cfg);
    return 0;
}
