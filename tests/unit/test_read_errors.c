/* The readers' error policy for a read that fails (docs/library.md, "Faults in inputs"): an
 * input of each kind is served through a stream that fails halfway, and every reader must stop
 * with RESPLINT_EIO, a message naming the file, "read error" and the place, and no finding
 * beyond those of the same input read whole (nothing reported as cut because the read failed). */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "resplint/capture.h"

/* The bytes of a file up to fail_at, then read errors for ever. */
typedef struct failing {
    unsigned char *p;
    size_t len, pos, fail_at;
} failing;

static ssize_t failing_read(void *cookie, char *buf, size_t n)
{
    failing *f = cookie;
    size_t end = f->fail_at < f->len ? f->fail_at : f->len;
    if (f->pos >= end) {
        if (f->fail_at >= f->len)
            return 0;
        errno = EIO;
        return -1;
    }
    size_t k = end - f->pos;
    if (k > n)
        k = n;
    memcpy(buf, f->p + f->pos, k);
    f->pos += k;
    return (ssize_t)k;
}

typedef struct result {
    int rc;
    char err[512];
    size_t findings;
    char rules[64][8]; /* the rule of each finding, first 64 */
} result;

static void on_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    (void)o;
    result *r = user;
    if (r->findings < 64)
        snprintf(r->rules[r->findings], sizeof r->rules[0], "%s", f->rule->id);
    r->findings++;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *p = malloc(1 << 20);
    assert_non_null(p);
    *len = fread(p, 1, 1 << 20, f);
    fclose(f);
    assert_true(*len > 0 && *len < (1 << 20));
    return p;
}

/* Reads path through a stream that fails at fail_at (SIZE_MAX: never). */
static void run(const char *path, size_t fail_at, result *out)
{
    memset(out, 0, sizeof *out);
    failing f = {0};
    f.p = slurp(path, &f.len);
    f.fail_at = fail_at;
    cookie_io_functions_t io = {failing_read, NULL, NULL, NULL};
    FILE *fp = fopencookie(&f, "r", io);
    assert_non_null(fp);
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    resplint_capture_handler h = {sizeof h, on_finding, NULL, NULL, out, NULL};
    resplint_capture_stats st;
    out->rc = resplint_capture_file(cfg, path, fp, NULL, &h, &st, out->err, sizeof out->err);
    resplint_config_free(cfg);
    fclose(fp);
    free(f.p);
}

static const char *const inputs[] = {
    "fixtures/rules/RL2001/bad-301.http",                     /* raw */
    "fixtures/recordings/polly.har",                          /* HAR */
    "fixtures/rules/RL9008/bad-dechunked.warc",               /* WARC */
    "fixtures/pcap/loopback-nginx.pcap",                      /* pcap */
    "fixtures/pcap/pipeline-head-304-chunked.pcap.gz",        /* pcap, gzip */
    "fixtures/pcap/port-reuse-ipv6-sll2.pcapng",              /* pcapng */
    "fixtures/rules/RL9009/good-secrets-embedded.pcapng",     /* TLS with its secrets */
    "fixtures/rules/RL8001/bad-content-type.pcap",            /* HTTP/2 */
    "fixtures/recordings/vcrpy.yaml",                         /* VCR YAML */
    "fixtures/recordings/betamax.json",                       /* Betamax */
    "fixtures/recordings/nock13.json",                        /* nock */
    "fixtures/recordings/wiremock_snapshot.json",             /* WireMock */
    "fixtures/recordings/postman_collection.json",            /* Postman */
    "fixtures/recordings/newman.json",                        /* newman */
    "fixtures/recordings/mitmproxy.flows",                    /* mitmproxy */
};

static void test_read_error_halfway(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *path = inputs[i];
        result whole, cut;
        run(path, SIZE_MAX, &whole);
        if (whole.rc != 0)
            fail_msg("%s: read whole: rc %d (%s)", path, whole.rc, whole.err);
        size_t len;
        free(slurp(path, &len));
        /* halfway, and just after the first bytes (inside the part read to detect the kind) */
        size_t at[2] = {len / 2, 64};
        for (int k = 0; k < 2; k++) {
            run(path, at[k], &cut);
            print_message("%-52s fails at %6zu: %s\n", path, at[k], cut.err);
            if (cut.rc != RESPLINT_EIO)
                fail_msg("%s, failing at %zu: rc %d (%s), not RESPLINT_EIO", path, at[k], cut.rc,
                         cut.err);
            if (strncmp(cut.err, path, strlen(path)) != 0 || !strstr(cut.err, "read error") ||
                !(strstr(cut.err, "offset") || strstr(cut.err, "frame")))
                fail_msg("%s, failing at %zu: the message '%s' does not name the file, the read "
                         "error and the place",
                         path, at[k], cut.err);
            /* every finding reported was one of the whole input's: nothing is blamed on the
             * cut the failed read made */
            for (size_t j = 0; j < cut.findings && j < 64; j++) {
                bool known = false;
                for (size_t m = 0; m < whole.findings && m < 64 && !known; m++)
                    known = strcmp(cut.rules[j], whole.rules[m]) == 0;
                if (!known)
                    fail_msg("%s, failing at %zu: finding %s, which the whole input does not "
                             "have",
                             path, at[k], cut.rules[j]);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_error_halfway),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
