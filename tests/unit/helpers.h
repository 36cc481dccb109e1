/* Shared by the unit tests: run the stream parser or the structured entry over test input and
 * collect what it reports. Header-only so each test program stays one file. */
#ifndef RLTEST_HELPERS_H
#define RLTEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "resplint.h"
#include "resplint/body.h"

#define RLTEST_MAX 256

typedef struct rltest_finding {
    char id[8];
    resplint_severity severity;
    uint64_t offset;
    long field;
    size_t response;
    char message[512];
} rltest_finding;

typedef struct rltest_result {
    rltest_finding f[RLTEST_MAX];
    size_t n;
    size_t responses;
    int status[RLTEST_MAX];
    int64_t body[RLTEST_MAX];
    uint64_t resp_offset[RLTEST_MAX];
} rltest_result;

static void rltest_on_finding(const resplint_finding *f, void *user)
{
    rltest_result *r = user;
    if (r->n >= RLTEST_MAX)
        return;
    rltest_finding *t = &r->f[r->n++];
    snprintf(t->id, sizeof t->id, "%s", f->rule->id);
    t->severity = f->severity;
    t->offset = f->offset;
    t->field = f->field_index;
    t->response = f->response_index;
    snprintf(t->message, sizeof t->message, "%s", f->message);
}

static void rltest_on_response(const resplint_response *resp, size_t index, uint64_t offset,
                               uint64_t length, void *user)
{
    (void)length;
    rltest_result *r = user;
    if (index < RLTEST_MAX) {
        r->status[index] = resp->status;
        r->body[index] = resp->body_length;
        r->resp_offset[index] = offset;
    }
    r->responses++;
}

/* Lints bytes fed in chunks of `chunk` bytes (0: all at once), with an optional method for
 * every request and an optional configuration (NULL: defaults). */
static void rltest_stream_cfg(rltest_result *r, const resplint_config *cfg, const char *data,
                              size_t len, size_t chunk, const char *method)
{
    memset(r, 0, sizeof *r);
    resplint_config *own = NULL;
    if (!cfg) {
        cfg = own = resplint_config_new();
        assert_non_null(own);
        /* Most test responses carry no Date; the info-level RL4008 would fire on every one.
         * Its own tests pass a configuration. */
        resplint_config_set_rule(own, "RL4008", RESPLINT_OFF);
        /* Nor a Content-Type: RL7001 would fire on every one with content. Its tests (and the
         * fixtures, with every rule on) pass a configuration. */
        resplint_config_set_rule(own, "RL7001", RESPLINT_OFF);
    }
    assert_non_null(cfg);
    resplint_stream *s = resplint_stream_new(cfg, rltest_on_finding, r);
    assert_non_null(s);
    resplint_stream_on_response(s, rltest_on_response);
    resplint_stream_set_body_ops(s, resplint_body_pipeline());
    if (method)
        assert_int_equal(resplint_stream_set_default_request(s, method, 1, 1), 0);
    if (chunk == 0)
        chunk = len ? len : 1;
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        assert_int_equal(resplint_stream_feed(s, data + off, n), 0);
    }
    assert_int_equal(resplint_stream_finish(s), 0);
    resplint_stream_free(s);
    resplint_config_free(own);
}

static void rltest_stream(rltest_result *r, const char *data, size_t len, size_t chunk,
                          const char *method)
{
    rltest_stream_cfg(r, NULL, data, len, chunk, method);
}

/* How many findings of rule id. */
static size_t rltest_count(const rltest_result *r, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->f[i].id, id) == 0)
            n++;
    return n;
}

static const rltest_finding *rltest_find(const rltest_result *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->f[i].id, id) == 0)
            return &r->f[i];
    return NULL;
}

/* Prints the findings, for a failing assertion's context. */
static void rltest_dump(const rltest_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        print_message("  %s @%llu [resp %zu]: %s\n", r->f[i].id,
                      (unsigned long long)r->f[i].offset, r->f[i].response, r->f[i].message);
}

#define RLTEST_S(lit) (lit), (sizeof(lit) - 1)

/* The exact multiset of rule ids, e.g. rltest_expect(&r, "RL2010", "RL2011", NULL): every id
 * found as many times as it is named, and nothing else. */
static void rltest_expect(const rltest_result *r, ...)
{
    const char *want[RLTEST_MAX];
    size_t n = 0;
    va_list ap;
    va_start(ap, r);
    for (const char *id; (id = va_arg(ap, const char *)) != NULL;) {
        if (n == RLTEST_MAX)
            fail_msg("rltest_expect: more than %d ids", RLTEST_MAX);
        want[n++] = id;
    }
    va_end(ap);
    for (size_t i = 0; i < n; i++) {
        size_t named = 0;
        for (size_t k = 0; k < n; k++)
            named += strcmp(want[k], want[i]) == 0;
        size_t found = rltest_count(r, want[i]);
        if (found != named) {
            rltest_dump(r);
            fail_msg("expected %s %zu time(s), found %zu", want[i], named, found);
        }
    }
    if (n != r->n) {
        rltest_dump(r);
        fail_msg("expected %zu findings, got %zu", n, r->n);
    }
}

#endif
