/* Raw-path benchmark: the same bytes parsed by llhttp alone (header-span callbacks, pausing at
 * each message end as a response splitter must) and by resplint's stream parser with every
 * rule on; runs alternate and the medians and their ratio are printed. */
#define _POSIX_C_SOURCE 200809L
#include "resplint.h"

#include <llhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if RESPLINT_LLHTTP_VARIANTS
#include "llhttp_variants.h"
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What a response splitter keeps of a head: the status span and each field's name and value
 * spans (fields past the array are counted, not kept). */
typedef struct span {
    const char *at;
    size_t len;
} span;

typedef struct counts {
    size_t messages, fields, nf;
    span status;
    span field[64][2];
} counts;

static int on_status(llhttp_t *p, const char *at, size_t len)
{
    counts *c = p->data;
    c->status.at = at;
    c->status.len = len;
    return 0;
}

static int on_field(llhttp_t *p, const char *at, size_t len)
{
    counts *c = p->data;
    c->fields++;
    if (c->nf < 64) {
        c->field[c->nf][0] = (span){at, len};
        c->field[c->nf][1] = (span){NULL, 0};
    }
    c->nf++;
    return 0;
}

static int on_value(llhttp_t *p, const char *at, size_t len)
{
    counts *c = p->data;
    if (c->nf && c->nf <= 64)
        c->field[c->nf - 1][1] = (span){at, len};
    return 0;
}

static int on_complete(llhttp_t *p)
{
    counts *c = p->data;
    c->messages++;
    c->nf = 0;
    return HPE_PAUSED;
}

/* Not inlined: `valgrind --tool=callgrind --toggle-collect=run_resplint` counts one side. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t run_llhttp(const char *buf, size_t len, size_t chunk)
{
    llhttp_settings_t st;
    llhttp_settings_init(&st);
    st.on_status = on_status;
    st.on_header_field = on_field;
    st.on_header_value = on_value;
    st.on_message_complete = on_complete;
    llhttp_t p;
    llhttp_init(&p, HTTP_RESPONSE, &st);
    static counts c;
    memset(&c, 0, sizeof c);
    p.data = &c;
    for (size_t off = 0; off < len;) {
        size_t n = len - off < chunk ? len - off : chunk;
        const char *q = buf + off;
        llhttp_errno_t e = llhttp_execute(&p, q, n);
        while (e == HPE_PAUSED) {
            const char *pos = llhttp_get_error_pos(&p);
            llhttp_resume(&p);
            n -= (size_t)(pos - q);
            q = pos;
            e = llhttp_execute(&p, q, n);
        }
        if (e != HPE_OK) {
            fprintf(stderr, "llhttp: %s\n", llhttp_get_error_reason(&p));
            exit(1);
        }
        off += chunk;
    }
    return c.messages;
}

/* llhttp alone over a file read 64 KiB at a time, as the CLI reads it (a whole process to set
 * beside the CLI's: no 200 MB buffer to fault in). */
static size_t stream_llhttp(FILE *f)
{
    llhttp_settings_t st;
    llhttp_settings_init(&st);
    st.on_status = on_status;
    st.on_header_field = on_field;
    st.on_header_value = on_value;
    st.on_message_complete = on_complete;
    llhttp_t p;
    llhttp_init(&p, HTTP_RESPONSE, &st);
    static counts c;
    static char buf[1 << 16];
    memset(&c, 0, sizeof c);
    p.data = &c;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        const char *q = buf;
        llhttp_errno_t e = llhttp_execute(&p, q, n);
        while (e == HPE_PAUSED) {
            const char *pos = llhttp_get_error_pos(&p);
            llhttp_resume(&p);
            n -= (size_t)(pos - q);
            q = pos;
            e = llhttp_execute(&p, q, n);
        }
        if (e != HPE_OK) {
            fprintf(stderr, "llhttp: %s\n", llhttp_get_error_reason(&p));
            exit(1);
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "bench_raw: read error\n");
        exit(1);
    }
    return c.messages;
}

static void on_finding(const resplint_finding *f, void *user)
{
    (void)f;
    ++*(size_t *)user;
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t run_resplint(const resplint_config *cfg, const char *buf, size_t len, size_t chunk,
                           size_t *findings)
{
    resplint_stream *s = resplint_stream_new(cfg, on_finding, findings);
    for (size_t off = 0; off < len; off += chunk)
        resplint_stream_feed(s, buf + off, len - off < chunk ? len - off : chunk);
    resplint_stream_finish(s);
    size_t n = resplint_stream_responses(s);
    resplint_stream_free(s);
    return n;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_raw FILE [RUNS [llhttp|resplint]]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    /* One side only, once: a whole process to set beside the CLI's (callgrind without
     * --toggle-collect counts start-up, reading the file and the parse); llhttp reads the file
     * 64 KiB at a time, as the CLI does. */
    const char *only = argc > 3 ? argv[3] : NULL;
    /* BENCH_LLHTTP=generic|sse42 runs that variant of llhttp (both sides); default: the CPU's */
    const char *variant = getenv("BENCH_LLHTTP");
#if RESPLINT_LLHTTP_VARIANTS
    if (variant && llhttp__rl_use(strcmp(variant, "generic") == 0 ? LLHTTP_RL_GENERIC
                                  : strcmp(variant, "sse42") == 0 ? LLHTTP_RL_SSE42
                                                                   : (llhttp__rl_variant)-1) != 0) {
        fprintf(stderr, "bench_raw: BENCH_LLHTTP=%s: generic, or sse42 on a CPU with SSE4.2\n",
                variant);
        return 2;
    }
    printf("llhttp variant %s\n", llhttp__rl_current() == LLHTTP_RL_SSE42 ? "sse42" : "generic");
#else
    if (variant) {
        fprintf(stderr, "bench_raw: BENCH_LLHTTP: llhttp is not compiled here (one variant)\n");
        return 2;
    }
    printf("llhttp variant installed\n");
#endif
    if (only && strcmp(only, "llhttp") != 0 && strcmp(only, "resplint") != 0) {
        fprintf(stderr, "bench_raw: unknown side '%s' (llhttp or resplint)\n", only);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    if (only && strcmp(only, "llhttp") == 0) {
        printf("responses llhttp %zu\n", stream_llhttp(f));
        fclose(f);
        return 0;
    }
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(len);
    if (!buf || fread(buf, 1, len, f) != len) {
        fprintf(stderr, "bench_raw: cannot read %s\n", argv[1]);
        return 2;
    }
    fclose(f);
    const size_t chunk = 1 << 16;
    resplint_config *cfg = resplint_config_new();
    for (size_t i = 0; i < resplint_rule_count(); i++)
        resplint_config_enable(cfg, resplint_rule_at(i)->id);
    if (only) {
        size_t findings = 0;
        size_t n = run_resplint(cfg, buf, len, chunk, &findings);
        printf("responses resplint %zu, findings %zu\n", n, findings);
        resplint_config_free(cfg);
        free(buf);
        return 0;
    }
    double tl[64], tr[64];
    size_t ml = 0, mr = 0, findings = 0;
    if (runs > 64)
        runs = 64;
    for (int i = 0; i < runs; i++) {
        double t0 = now();
        ml = run_llhttp(buf, len, chunk);
        double t1 = now();
        findings = 0;
        mr = run_resplint(cfg, buf, len, chunk, &findings);
        double t2 = now();
        tl[i] = t1 - t0;
        tr[i] = t2 - t1;
    }
    qsort(tl, (size_t)runs, sizeof *tl, cmp);
    qsort(tr, (size_t)runs, sizeof *tr, cmp);
    double l = tl[runs / 2], r = tr[runs / 2];
    double mb = (double)len / 1e6;
    printf("bytes %zu, responses llhttp %zu resplint %zu, findings %zu\n", len, ml, mr, findings);
    printf("llhttp-only   %8.1f MB/s  %8.0f responses/s\n", mb / l, (double)ml / l);
    printf("resplint      %8.1f MB/s  %8.0f responses/s\n", mb / r, (double)mr / r);
    printf("ratio %.3f (target >= 0.75)\n", l / r);
    resplint_config_free(cfg);
    free(buf);
    return 0;
}
