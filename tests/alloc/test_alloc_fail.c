/* Allocation failure: for representative inputs, fails each allocation of the core, capture
 * and report libraries in turn (the libraries are built again with RESPLINT_FAILPOINTS) and
 * checks that every run ends with a clean RESPLINT_ENOMEM, or, when the failed allocation only
 * served a convenience, with exactly the findings of an unhindered run; and that nothing
 * allocated through the wrappers is left (ASan's leak check covers the rest in the asan build). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "skip.h" /* tests/unit/skip.h */

#include "failpoints.h"
#include "resplint.h"
#include "resplint/capture.h"
#include "resplint/report.h"

/* What a run produced, as a hash, so that a degraded run can be told from a full one. */
typedef struct outcome {
    int rc;
    uint64_t hash;
    size_t findings;
} outcome;

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211u;
    return h;
}

static void on_finding(const resplint_finding *f, void *user)
{
    outcome *o = user;
    o->findings++;
    o->hash = mix(o->hash, f->rule->id, strlen(f->rule->id));
    o->hash = mix(o->hash, f->message, strlen(f->message));
    o->hash = mix(o->hash, &f->offset, sizeof f->offset);
}

static void on_capture_finding(const resplint_finding *f, const resplint_origin *origin,
                               void *user)
{
    on_finding(f, user);
    outcome *o = user;
    if (getenv("ALLOC_FAIL_VERBOSE"))
        printf("  %s %s\n", f->rule->id, f->message);
    o->hash = mix(o->hash, &origin->offset, sizeof origin->offset);
    o->hash = mix(o->hash, &origin->frame, sizeof origin->frame);
}

typedef int (*scenario_fn)(outcome *o, const void *arg);

/* ---- scenarios: each returns 0 or a negative RESPLINT_E* code, frees all it made ---- */

typedef struct stream_case {
    const char *bytes;
    size_t chunk;                /* feed in chunks of this size */
    const char *const *requests; /* pushed before feeding, NULL-terminated; may be NULL */
} stream_case;

static resplint_config *all_rules(void)
{
    resplint_config *cfg = resplint_config_new();
    for (size_t i = 0; cfg && i < resplint_rule_count(); i++)
        resplint_config_enable(cfg, resplint_rule_at(i)->id);
    return cfg;
}

static int run_stream(outcome *o, const void *arg)
{
    const stream_case *c = arg;
    resplint_config *cfg = all_rules();
    if (!cfg)
        return RESPLINT_ENOMEM;
    int rc = 0;
    resplint_stream *s = resplint_stream_new(cfg, on_finding, o);
    if (!s) {
        rc = RESPLINT_ENOMEM;
        goto out;
    }
    for (const char *const *m = c->requests; m && *m && rc == 0; m++)
        rc = resplint_stream_push_request(s, *m, 1, 1);
    size_t len = strlen(c->bytes);
    for (size_t off = 0; off < len && rc == 0; off += c->chunk)
        rc = resplint_stream_feed(s, c->bytes + off, len - off < c->chunk ? len - off : c->chunk);
    if (rc == 0)
        rc = resplint_stream_finish(s);
    resplint_stream_free(s);
out:
    resplint_config_free(cfg);
    return rc;
}

static int run_config(outcome *o, const void *arg)
{
    (void)arg;
    resplint_config *cfg = resplint_config_new();
    if (!cfg)
        return RESPLINT_ENOMEM;
    int rc = resplint_config_set_rule(cfg, "RL3003", RESPLINT_ERROR);
    if (rc == 0)
        rc = resplint_config_set_limit(cfg, RESPLINT_LIMIT_FIELDS, 10);
    resplint_config *copy = rc == 0 ? resplint_config_clone(cfg) : NULL;
    if (rc == 0 && !copy)
        rc = RESPLINT_ENOMEM;
    if (copy)
        o->hash = mix(o->hash, &(uint64_t){resplint_config_limit(copy, RESPLINT_LIMIT_FIELDS)}, 8);
    resplint_config_free(copy);
    resplint_config_free(cfg);
    return rc;
}

typedef struct file_case {
    const char *path;
    resplint_format format; /* also written through a reporter of this format */
} file_case;

typedef struct report_ctx {
    outcome *o;
    resplint_reporter *rep;
} report_ctx;

static void on_report_finding(const resplint_finding *f, const resplint_origin *origin,
                              void *user)
{
    report_ctx *x = user;
    on_capture_finding(f, origin, x->o);
    resplint_reporter_finding(x->rep, f, origin);
}

static void on_report_response(const resplint_response *r, const resplint_origin *origin,
                               void *user)
{
    report_ctx *x = user;
    resplint_reporter_response(x->rep, r, origin);
}

static int run_file(outcome *o, const void *arg)
{
    const file_case *c = arg;
    resplint_config *cfg = all_rules();
    if (!cfg)
        return RESPLINT_ENOMEM;
    FILE *out = fopen("/dev/null", "w");
    assert_non_null(out);
    resplint_report_options ro;
    memset(&ro, 0, sizeof ro);
    ro.fail_on = RESPLINT_WARNING;
    ro.tool_version = "test";
    ro.stats = 1;
    int rc = 0;
    resplint_reporter *rep = resplint_reporter_new(c->format, out, &ro);
    if (!rep) {
        rc = RESPLINT_ENOMEM;
    } else {
        report_ctx x = {o, rep};
        resplint_capture_handler h = {sizeof h, on_report_finding, on_report_response, NULL, &x, NULL};
        resplint_capture_stats st;
        char err[256];
        resplint_reporter_begin_input(rep, c->path, RESPLINT_INPUT_UNKNOWN);
        rc = resplint_capture_file(cfg, c->path, NULL, NULL, &h, &st, err, sizeof err);
        /* the readers' one error policy (lib/capture/reader.h): out of memory stops the input
         * with a message naming the file, whatever the reader and the allocation */
        if (rc == RESPLINT_ENOMEM &&
            (strncmp(err, c->path, strlen(c->path)) != 0 || !strstr(err, "out of memory")))
            fail_msg("%s: ENOMEM with the message '%s'", c->path, err);
        if (rc < 0)
            resplint_reporter_input_error(rep, c->path, rc, err);
        resplint_reporter_end_input(rep, &st);
        int frc = resplint_reporter_finish(rep);
        if (rc == 0)
            rc = frc;
        resplint_reporter_free(rep);
    }
    fclose(out);
    resplint_config_free(cfg);
    return rc;
}

/* ---- the driver ---- */

static void fail_each(const char *name, scenario_fn fn, const void *arg)
{
    outcome base = {0, 14695981039346656037u, 0};
    rlint_failpoints_arm(0);
    base.rc = fn(&base, arg);
    uint64_t n = rlint_failpoints_count();
    assert_int_equal(base.rc, 0);
    assert_int_equal(rlint_failpoints_live(), 0);
    assert_true(n > 0);
    size_t enomem = 0, same = 0;
    for (uint64_t i = 1; i <= n; i++) {
        outcome o = {0, 14695981039346656037u, 0};
        rlint_failpoints_arm(i);
        o.rc = fn(&o, arg);
        int64_t live = rlint_failpoints_live();
        rlint_failpoints_arm(0);
        if (live != 0)
            fail_msg("%s: allocation %llu of %llu failed: %lld block(s) left", name,
                     (unsigned long long)i, (unsigned long long)n, (long long)live);
        if (o.rc == RESPLINT_ENOMEM) {
            enomem++;
        } else if (o.rc == 0 && o.hash == base.hash && o.findings == base.findings) {
            same++; /* the block only served a convenience: nothing was lost */
        } else {
            fail_msg("%s: allocation %llu of %llu failed: rc %d (%s), %zu finding(s) instead of %zu",
                     name, (unsigned long long)i, (unsigned long long)n, o.rc,
                     resplint_err_name(o.rc), o.findings, base.findings);
        }
    }
    printf("%-28s %4llu allocations: %zu ENOMEM, %zu unharmed\n", name, (unsigned long long)n,
           enomem, same);
}

static void test_config(void **state)
{
    (void)state;
    fail_each("config set-up", run_config, NULL);
}

static void test_pipelined(void **state)
{
    (void)state;
    static const stream_case c = {
        "HTTP/1.1 100 Continue\r\n\r\n"
        "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 5\r\n"
        "Content-Type: text/plain\r\n\r\nhello"
        "HTTP/1.1 301 Moved Permanently\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\n"
        "Location: /x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n"
        "HTTP/1.0 200 OK\r\nServer: a\r\n\r\nclose-delimited body",
        7, NULL};
    fail_each("raw stream, pipelined", run_stream, &c);
}

static void test_rejected_head(void **state)
{
    (void)state;
    static const stream_case c = {
        "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nBad Header\r\n"
        "Content-Length: 2\r\n\r\nok"
        "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
        1000, NULL};
    fail_each("raw stream, rejected head", run_stream, &c);
}

static void test_request_context(void **state)
{
    (void)state;
    static const char *const reqs[] = {"HEAD", "GET", "CONNECT", NULL};
    static const stream_case c = {
        "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 10\r\n\r\n"
        "HTTP/1.1 304 Not Modified\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 3\r\n\r\n"
        "HTTP/1.1 200 Connection established\r\n\r\ntunnelled bytes",
        13, reqs};
    fail_each("raw stream, request context", run_stream, &c);
}

static void test_har(void **state)
{
    (void)state;
    static const file_case c = {RESPLINT_SOURCE_DIR "/fixtures/rules/RL9005/bad-status-string.har",
                                RESPLINT_FORMAT_SARIF};
    fail_each("HAR file, SARIF report", run_file, &c);
}

static void test_warc(void **state)
{
    (void)state;
    static const file_case c = {RESPLINT_SOURCE_DIR "/fixtures/rules/RL9008/good-chunked.warc",
                                RESPLINT_FORMAT_JUNIT};
    fail_each("WARC file, JUnit report", run_file, &c);
}

static void test_pcap(void **state)
{
    (void)state;
    static const file_case c = {RESPLINT_SOURCE_DIR "/fixtures/pcap/pipeline-head-304-chunked.pcap.gz",
                                RESPLINT_FORMAT_JSON};
    fail_each("pcap.gz file, JSON report", run_file, &c);
}

/* TLS decrypted with the secrets a pcapng carries, and HTTP/2 frames: their layers' allocations
 * stop the input as out of memory, as every reader's do (they were RL9009/RL9004 findings). */
static void test_tls_h2(void **state)
{
    (void)state;
    static const file_case cases[] = {
        {RESPLINT_SOURCE_DIR "/fixtures/rules/RL9009/good-secrets-embedded.pcapng",
         RESPLINT_FORMAT_JSON},
        {RESPLINT_SOURCE_DIR "/fixtures/rules/RL8001/bad-content-type.pcap", RESPLINT_FORMAT_SARIF},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        fail_each(strrchr(cases[i].path, '/') + 1, run_file, &cases[i]);
}

/* Recordings made by the real recorders: YAML (libyaml), JSON (YAJL, one tree per entry),
 * tnetstring flows read by offset. */
static void test_recordings(void **state)
{
    (void)state;
    static const file_case cases[] = {
        {RESPLINT_SOURCE_DIR "/fixtures/recordings/vcrpy.yaml", RESPLINT_FORMAT_TEXT},
        {RESPLINT_SOURCE_DIR "/fixtures/recordings/nock13.json", RESPLINT_FORMAT_SARIF},
        {RESPLINT_SOURCE_DIR "/fixtures/recordings/mitmproxy.flows", RESPLINT_FORMAT_JSON},
        {RESPLINT_SOURCE_DIR "/fixtures/rules/RL9011/bad-postman-code.json", RESPLINT_FORMAT_JUNIT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        fail_each(strrchr(cases[i].path, '/') + 1, run_file, &cases[i]);
}

/* Real third-party files: more entries, records and connections (skipped without the corpus). */
static void test_corpus(void **state)
{
    (void)state;
    static const file_case cases[] = {
        {RESPLINT_CORPUS_DIR "/har/mitmproxy__har_files__charles.har", RESPLINT_FORMAT_SARIF},
        {RESPLINT_CORPUS_DIR "/warc/pywb__dupes.warc.gz", RESPLINT_FORMAT_JUNIT},
        {RESPLINT_CORPUS_DIR "/pcap/arkime__http-100-continue.pcap", RESPLINT_FORMAT_TEXT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = fopen(cases[i].path, "rb");
        if (!f)
            rltest_corpus_missing(cases[i].path);
        fclose(f);
        fail_each(strrchr(cases[i].path, '/') + 1, run_file, &cases[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config),         cmocka_unit_test(test_pipelined),
        cmocka_unit_test(test_rejected_head),  cmocka_unit_test(test_request_context),
        cmocka_unit_test(test_har),            cmocka_unit_test(test_warc),
        cmocka_unit_test(test_pcap),           cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_tls_h2),
        cmocka_unit_test(test_recordings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
