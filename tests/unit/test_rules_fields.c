/* RL2003 and RL4001-RL4013 through the stream parser (and the structured entry): raw-syntax
 * faults at their byte offsets whether llhttp accepts or rejects the head, the rest of the
 * response still checked, field-value grammars, and the RULES.md traps that are not findings. */
#include "helpers.h"

#define DATE "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
#define CL0 "Content-Length: 0\r\n"

static const size_t chunkings[] = {0, 1, 2, 3, 7, 64};

/* Every rule on, info and off-by-default ones included, except RL5009 heuristic-freshness
 * (advice that every 200 without a lifetime deserves: see tests/unit/test_fixtures.c). */
static resplint_config *all_rules(void)
{
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    for (size_t i = 0; i < resplint_rule_count(); i++)
        assert_int_equal(resplint_config_enable(cfg, resplint_rule_at(i)->id), 0);
    assert_int_equal(resplint_config_set_rule(cfg, "RL5009", RESPLINT_OFF), 0);
    return cfg;
}

/* Lints data with every rule on, in every chunking, and checks each result. */
static void lint_all(rltest_result *r, const char *data, size_t len,
                     void (*check)(const rltest_result *))
{
    resplint_config *cfg = all_rules();
    for (size_t i = 0; i < sizeof chunkings / sizeof chunkings[0]; i++) {
        rltest_stream_cfg(r, cfg, data, len, chunkings[i], NULL);
        check(r);
    }
    resplint_config_free(cfg);
}

static void expect_at(const rltest_result *r, const char *id, uint64_t off, long field)
{
    const rltest_finding *f = rltest_find(r, id);
    if (!f) {
        rltest_dump(r);
        fail_msg("expected %s", id);
    }
    if (f->offset != off || f->field != field) {
        rltest_dump(r);
        fail_msg("%s at %llu field %ld, expected %llu field %ld", id, (unsigned long long)f->offset,
                 f->field, (unsigned long long)off, field);
    }
}

/* ---- RL4001 obs-fold ---- */

static void check_fold(const rltest_result *r)
{
    rltest_expect(r, "RL4001", NULL);
    expect_at(r, "RL4001", 25, 0);
    assert_int_equal(r->responses, 2);
    assert_int_equal(r->status[1], 204);
}

static void test_obs_fold(void **state)
{
    (void)state;
    rltest_result r;
    /* llhttp 8 accepts this head in strict mode: the fault is found all the same */
    lint_all(&r,
             RLTEST_S("HTTP/1.1 200 OK\r\nX-A: a\r\n  b\r\n\tc\r\n" DATE CL0 "\r\n"
                      "HTTP/1.1 204 No Content\r\n" DATE "\r\n"),
             check_fold);
}

/* A value that starts on the continuation line, in the second response of the stream: the
 * offset is the stream's. */
#define FIRST_204 "HTTP/1.1 204 No Content\r\n" DATE "\r\n"

static void check_fold_second(const rltest_result *r)
{
    rltest_expect(r, "RL4001", NULL);
    expect_at(r, "RL4001", sizeof(FIRST_204) - 1 + 23, 0);
    assert_int_equal(r->f[0].response, 1);
}

static void test_obs_fold_empty_first_line(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r, RLTEST_S(FIRST_204 "HTTP/1.1 200 OK\r\nX-A:\r\n b\r\n" DATE CL0 "\r\n"),
             check_fold_second);
}

static void check_fold_first(const rltest_result *r)
{
    rltest_expect(r, "RL4001", NULL);
    expect_at(r, "RL4001", 17, -1);
}

static void test_whitespace_after_status_line(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\n X-A: v\r\n" DATE CL0 "\r\n"), check_fold_first);
}

/* ---- RL4002 ---- */

static void check_ws_colon(const rltest_result *r)
{
    /* llhttp rejects the head; the tolerant model still feeds the other rules */
    rltest_expect(r, "RL4002", "RL2003", NULL);
    expect_at(r, "RL4002", 23, 0);
    assert_int_equal(rltest_find(r, "RL2003")->field, 1);
    assert_int_equal(r->responses, 2);
}

static void test_whitespace_before_colon(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r,
             RLTEST_S("HTTP/1.1 302 Found\r\nX-A : v\r\nLocation: /a b\r\n" DATE CL0 "\r\n"
                      "HTTP/1.1 204 No Content\r\n" DATE "\r\n"),
             check_ws_colon);
}

/* ---- RL4003, RL4004 ---- */

static void check_bare_lf(const rltest_result *r)
{
    rltest_expect(r, "RL4003", NULL);
    expect_at(r, "RL4003", 15, -1);
    assert_non_null(strstr(rltest_find(r, "RL4003")->message, "4 lines"));
    assert_int_equal(r->responses, 2);
    assert_int_equal(r->body[0], 2);
}

static void test_bare_lf(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r,
             RLTEST_S("HTTP/1.1 200 OK\n" DATE "Content-Type: text/plain\nContent-Length: 2\nX-A: v\n\r\nhi"
                      "HTTP/1.1 204 No Content\r\n" DATE "\r\n"),
             check_bare_lf);
}

static void check_bare_lf_blank(const rltest_result *r)
{
    rltest_expect(r, "RL4003", NULL);
    expect_at(r, "RL4003", 73, -1);
}

static void test_bare_lf_blank_line(void **state)
{
    (void)state;
    rltest_result r;
    /* llhttp accepts a blank line that is a bare LF */
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\n" DATE CL0 "\n"), check_bare_lf_blank);
}

static void check_bare_cr(const rltest_result *r)
{
    rltest_expect(r, "RL4004", NULL);
    expect_at(r, "RL4004", 31, 1);
}

static void test_bare_cr(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nX-A: v\r\nX-B: v\rw\r\n" DATE CL0 "\r\n"),
             check_bare_cr);
}

static void check_bare_cr_status(const rltest_result *r)
{
    rltest_expect(r, "RL4004", NULL);
    expect_at(r, "RL4004", 14, -1);
}

static void test_bare_cr_status_line(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r, RLTEST_S("HTTP/1.1 200 O\rK\r\n" DATE CL0 "\r\n"), check_bare_cr_status);
}

/* ---- RL4005 ---- */

static void check_name_at(const rltest_result *r)
{
    rltest_expect(r, "RL4005", NULL);
    expect_at(r, "RL4005", 18, 0);
}

static void check_name_empty(const rltest_result *r)
{
    rltest_expect(r, "RL4005", NULL);
    expect_at(r, "RL4005", 17, 0);
    assert_non_null(strstr(rltest_find(r, "RL4005")->message, "empty"));
}

static void check_no_colon(const rltest_result *r)
{
    rltest_expect(r, "RL4005", NULL);
    expect_at(r, "RL4005", 25, -1);
}

static void test_field_name_invalid(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nX@A: v\r\n" DATE CL0 "\r\n"), check_name_at);
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nX\xc3\xa9: v\r\n" DATE CL0 "\r\n"), check_name_at);
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nX A: v\r\n" DATE CL0 "\r\n"), check_name_at);
    /* llhttp accepts an empty name */
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\n: v\r\n" DATE CL0 "\r\n"), check_name_empty);
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nX-A: v\r\nnocolon\r\n" DATE CL0 "\r\n"),
             check_no_colon);
}

/* ---- RL4006 ---- */

static void check_value_nul(const rltest_result *r)
{
    rltest_expect(r, "RL4006", NULL);
    expect_at(r, "RL4006", 23, 0);
    assert_non_null(strstr(rltest_find(r, "RL4006")->message, "NUL"));
}

static void check_value_ctl(const rltest_result *r)
{
    rltest_expect(r, "RL4006", NULL);
    expect_at(r, "RL4006", 23, 0);
}

static void check_nothing(const rltest_result *r)
{
    rltest_expect(r, NULL);
}

static void test_field_value_invalid(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nX-A: v\0w\r\n" DATE CL0 "\r\n"), check_value_nul);
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nX-A: v\x01w\r\n" DATE CL0 "\r\n"), check_value_ctl);
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nX-A: v\x1bw\r\n" DATE CL0 "\r\n"), check_value_ctl);
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nX-A: v\x7fw\r\n" DATE CL0 "\r\n"), check_value_ctl);
}

/* Traps: obs-text, HTAB inside a value, whitespace around it, mixed-case names. */
static void test_value_traps(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r,
             RLTEST_S("HTTP/1.1 200 OK\r\nX-A: caf\xc3\xa9 \x80\xff\r\nX-B: a\tb\r\n"
                      "X-C:    padded   \t\r\ndate:   Sun, 06 Nov 1994 08:49:37 GMT  \r\n"
                      "ETAG: \t\"x\" \r\nCONTENT-length: 0\r\n\r\n"),
             check_nothing);
}

/* A rejected head: its faults explain the rejection (no RL9001), the other fields are still
 * judged on the tolerant model, and a trusted Content-Length frames the body. */
static void check_rejected(const rltest_result *r)
{
    rltest_expect(r, "RL4006", "RL4009", "RL4010", NULL);
    assert_int_equal(r->responses, 2);
    assert_int_equal(r->body[0], 2);
}

static void test_rejected_head_still_checked(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r,
             RLTEST_S("HTTP/1.1 200 OK\r\nDate: yesterday\r\nX-A: v\0w\r\nETag: abc\r\n"
                      "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"
                      "HTTP/1.1 204 No Content\r\n" DATE "\r\n"),
             check_rejected);
}

/* A rule the user turned off still accounts for the rejection: no RL9001 in its place. */
static void test_disabled_rule_explains(void **state)
{
    (void)state;
    rltest_result r;
    resplint_config *cfg = all_rules();
    assert_int_equal(resplint_config_set_rule(cfg, "whitespace-before-colon", RESPLINT_OFF), 0);
    rltest_stream_cfg(&r, cfg, RLTEST_S("HTTP/1.1 200 OK\r\nX-A : v\r\n" DATE CL0 "\r\n"), 0, NULL);
    rltest_expect(&r, NULL);
    resplint_config_free(cfg);
}

/* A fold line of whitespace only: the value in the model is just "v" (and judged). */
static void check_blank_fold(const rltest_result *r)
{
    rltest_expect(r, "RL4001", "RL4010", NULL);
    assert_int_equal(r->responses, 1);
}

static void test_blank_fold(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r, RLTEST_S("HTTP/1.1 200 OK\r\nETag: v\r\n   \r\n" DATE CL0 "\r\n"),
             check_blank_fold);
}

/* ---- RL4007 ---- */

static void check_repeated(const rltest_result *r)
{
    rltest_expect(r, "RL4007", "RL4007", NULL);
    assert_int_equal(rltest_count(r, "RL4007"), 2);
}

static void test_singleton_repeated(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r,
             RLTEST_S("HTTP/1.1 200 OK\r\n" DATE "Content-Type: text/html\r\n"
                      "content-type: text/plain\r\nETag: \"a\"\r\nEtag: \"a\"\r\n" CL0 "\r\n"),
             check_repeated);
    /* repeated Set-Cookie, a list field split over several lines (the Expires lies within
     * 400 days of the Date, or RL6011 would speak) */
    lint_all(&r,
             RLTEST_S("HTTP/1.1 200 OK\r\n" DATE "Set-Cookie: a=1; Expires=Fri, 21 Oct 1995 "
                      "07:28:00 GMT\r\nSet-Cookie: b=2\r\nCache-Control: no-cache\r\n"
                      "Cache-Control: no-store\r\nVary: Accept\r\nvary: Origin\r\n"
                      "Link: </a>; rel=preload\r\nLink: </b>; rel=preload\r\n" CL0 "\r\n"),
             check_nothing);
}

/* ---- RL4008 ---- */

static void check_date_missing(const rltest_result *r)
{
    rltest_expect(r, "RL4008", "RL4008", NULL);
    assert_int_equal(r->responses, 5);
    assert_int_equal(r->f[0].response, 1); /* 200 */
    assert_int_equal(r->f[1].response, 3); /* 404 */
    assert_int_equal(r->f[0].severity, RESPLINT_INFO);
}

static void test_date_missing(void **state)
{
    (void)state;
    rltest_result r;
    /* never on 1xx or 5xx */
    lint_all(&r,
             RLTEST_S("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n" CL0 "\r\n"
                      "HTTP/1.1 503 Service Unavailable\r\n" CL0 "\r\n"
                      "HTTP/1.1 404 Not Found\r\n" CL0 "\r\n"
                      "HTTP/1.1 500 Internal Server Error\r\n" CL0 "\r\n"),
             check_date_missing);
}

/* ---- RL4009 ---- */

static void check_dates(const rltest_result *r)
{
    if (r->n != 5 || rltest_count(r, "RL4009") != 5) {
        rltest_dump(r);
        fail_msg("expected 5 RL4009");
    }
    assert_non_null(strstr(r->f[0].message, "RFC 850"));
    assert_int_equal(r->f[0].severity, RESPLINT_WARNING);
    assert_non_null(strstr(r->f[1].message, "asctime"));
    /* Expires: 0 is info: caches read it as "already expired" (RFC 9111 §5.3) */
    assert_int_equal(r->f[2].severity, RESPLINT_INFO);
    assert_non_null(strstr(r->f[2].message, "already expired"));
    assert_non_null(strstr(r->f[3].message, "GMT"));
    assert_int_equal(r->f[3].severity, RESPLINT_WARNING);
    assert_int_equal(r->f[4].severity, RESPLINT_WARNING); /* an obsolete-form Expires */
}

#define DATES                                                                                      \
    "HTTP/1.1 200 OK\r\nDate: Sunday, 06-Nov-94 08:49:37 GMT\r\n"                                  \
    "Last-Modified: Sun Nov  6 08:49:37 1994\r\nX-Date: nonsense\r\nExpires: 0\r\n" CL0 "\r\n"     \
    "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 UTC\r\n"                                   \
    "Expires: Sunday, 06-Nov-94 08:49:37 GMT\r\n" CL0 "\r\n"

static void test_date_invalid(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r, RLTEST_S(DATES), check_dates);
}

static void test_severity_cap(void **state)
{
    (void)state;
    rltest_result r;
    resplint_config *cfg = all_rules();
    assert_int_equal(resplint_config_set_rule(cfg, "date-invalid", RESPLINT_ERROR), 0);
    rltest_stream_cfg(&r, cfg, RLTEST_S(DATES), 0, NULL);
    assert_int_equal(r.f[0].severity, RESPLINT_ERROR);
    assert_int_equal(r.f[2].severity, RESPLINT_INFO); /* capped, whatever the rule's level */
    assert_int_equal(resplint_config_set_rule(cfg, "RL4009", RESPLINT_OFF), 0);
    rltest_stream_cfg(&r, cfg, RLTEST_S(DATES), 0, NULL);
    rltest_expect(&r, NULL);
    resplint_config_free(cfg);
}

/* ---- RL4010, RL4011, RL4012 ---- */

static void check_etag(const rltest_result *r)
{
    rltest_expect(r, "RL4010", "RL4010", "RL4010", NULL);
    assert_int_equal(r->f[0].response, 0);
    assert_int_equal(r->f[1].response, 1);
    assert_int_equal(r->f[2].response, 2);
}

static void test_etag_invalid(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r,
             RLTEST_S("HTTP/1.1 200 OK\r\n" DATE "ETag: 5f3c-1a2b\r\n" CL0 "\r\n"
                      "HTTP/1.1 200 OK\r\n" DATE "ETag: w/\"x\"\r\n" CL0 "\r\n"
                      "HTTP/1.1 200 OK\r\n" DATE "ETag: \"a b\"\r\n" CL0 "\r\n"
                      "HTTP/1.1 200 OK\r\n" DATE "ETag: W/\"x\"\r\n" CL0 "\r\n"
                      "HTTP/1.1 200 OK\r\n" DATE "ETag: \"\"\r\n" CL0 "\r\n"
                      "HTTP/1.1 200 OK\r\n" DATE "ETag: \"caf\xc3\xa9\"\r\n" CL0 "\r\n"),
             check_etag);
}

static void check_retry_after(const rltest_result *r)
{
    rltest_expect(r, "RL4011", "RL4011", "RL4011", NULL);
    assert_non_null(strstr(r->f[2].message, "obsolete"));
}

static void test_retry_after_invalid(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r,
             RLTEST_S("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\n" CL0 "\r\n"
                      "HTTP/1.1 503 Service Unavailable\r\nRetry-After: -1\r\n" CL0 "\r\n"
                      "HTTP/1.1 429 Too Many Requests\r\n" DATE "Retry-After: 1.5\r\n" CL0 "\r\n"
                      "HTTP/1.1 503 Service Unavailable\r\n"
                      "Retry-After: Fri, 31 Dec 1999 23:59:59 GMT\r\n" CL0 "\r\n"
                      "HTTP/1.1 503 Service Unavailable\r\n"
                      "Retry-After: Friday, 31-Dec-99 23:59:59 GMT\r\n" CL0 "\r\n"),
             check_retry_after);
}

static void check_content_range(const rltest_result *r)
{
    rltest_expect(r, "RL4012", "RL4012", "RL4012", NULL);
    assert_int_equal(r->f[0].response, 1);
    assert_int_equal(r->f[1].response, 2);
    assert_int_equal(r->f[2].response, 3);
}

#define PARTIAL "HTTP/1.1 206 Partial Content\r\n" DATE "Content-Length: 0\r\nContent-Range: "

static void test_content_range_invalid(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r,
             RLTEST_S(PARTIAL "bytes 0-0/1\r\n\r\n" PARTIAL "bytes 500-499/1234\r\n\r\n" PARTIAL
                              "bytes 0-1234/1234\r\n\r\n" PARTIAL "bytes=0-9/10\r\n\r\n" PARTIAL
                              "items 1-2/3\r\n\r\n" PARTIAL "bytes 0-9/*\r\n\r\n"
                              "HTTP/1.1 416 Range Not Satisfiable\r\n" DATE CL0
                              "Content-Range: bytes */1234\r\n\r\n"),
             check_content_range);
}

/* ---- RL4013 ---- */

static void test_field_section_too_large(void **state)
{
    (void)state;
    rltest_result r;
    resplint_config *cfg = all_rules();
    static const char head[] = "HTTP/1.1 200 OK\r\n" DATE CL0 "\r\n";
    rltest_stream_cfg(&r, cfg, RLTEST_S(head), 0, NULL);
    rltest_expect(&r, NULL);
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_FIELD_SECTION, 40), 0);
    rltest_stream_cfg(&r, cfg, RLTEST_S(head), 0, NULL);
    rltest_expect(&r, "RL4013", NULL);
    assert_int_equal(r.f[0].offset, 0);
    resplint_config_free(cfg);
}

/* ---- RL2003 ---- */

static void check_location(const rltest_result *r)
{
    rltest_expect(r, "RL2003", "RL2003", "RL2003", NULL);
    assert_non_null(strstr(r->f[0].message, "space"));
    assert_non_null(strstr(r->f[1].message, "non-ASCII"));
    assert_non_null(strstr(r->f[2].message, "%"));
}

#define FOUND "HTTP/1.1 302 Found\r\n" DATE CL0 "Location: "

static void test_location_invalid(void **state)
{
    (void)state;
    rltest_result r;
    lint_all(&r,
             RLTEST_S(FOUND "/a b\r\n\r\n" FOUND "https://example.com/caf\xc3\xa9\r\n\r\n" FOUND
                            "/100%\r\n\r\n" FOUND "../up?q=1#frag\r\n\r\n" FOUND
                            "//cdn.example.com/x\r\n\r\n" FOUND "https://[::1]:8443/\r\n\r\n"
                            "HTTP/1.1 201 Created\r\n" DATE CL0 "location: /items/7\r\n\r\n"),
             check_location);
}

/* ---- structured input: raw rules do not run, value rules do ---- */

static void test_structured(void **state)
{
    (void)state;
    rltest_result r;
    memset(&r, 0, sizeof r);
    resplint_config *cfg = all_rules();
    static const resplint_field fields[] = {
        {"location", 8, "/a b", 4, RESPLINT_NO_OFFSET, 0},
        {"etag", 4, "abc", 3, RESPLINT_NO_OFFSET, 0},
        {"x-bad name", 10, "v\x01", 2, RESPLINT_NO_OFFSET, 0},
        {"content-length", 14, "0", 1, RESPLINT_NO_OFFSET, 0},
    };
    resplint_response resp;
    memset(&resp, 0, sizeof resp);
    resp.status = 302;
    resp.version_major = 1;
    resp.version_minor = 1;
    resp.fields = fields;
    resp.field_count = 4;
    resp.body_length = 0;
    resp.offset = RESPLINT_NO_OFFSET;
    int n = resplint_check_response(cfg, &resp, 0, rltest_on_finding, &r);
    assert_int_equal(n, 3);
    rltest_expect(&r, "RL2003", "RL4010", "RL4008", NULL);
    resplint_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_obs_fold),
        cmocka_unit_test(test_obs_fold_empty_first_line),
        cmocka_unit_test(test_whitespace_after_status_line),
        cmocka_unit_test(test_whitespace_before_colon),
        cmocka_unit_test(test_bare_lf),
        cmocka_unit_test(test_bare_lf_blank_line),
        cmocka_unit_test(test_bare_cr),
        cmocka_unit_test(test_bare_cr_status_line),
        cmocka_unit_test(test_field_name_invalid),
        cmocka_unit_test(test_field_value_invalid),
        cmocka_unit_test(test_value_traps),
        cmocka_unit_test(test_rejected_head_still_checked),
        cmocka_unit_test(test_disabled_rule_explains),
        cmocka_unit_test(test_blank_fold),
        cmocka_unit_test(test_singleton_repeated),
        cmocka_unit_test(test_date_missing),
        cmocka_unit_test(test_date_invalid),
        cmocka_unit_test(test_severity_cap),
        cmocka_unit_test(test_etag_invalid),
        cmocka_unit_test(test_retry_after_invalid),
        cmocka_unit_test(test_content_range_invalid),
        cmocka_unit_test(test_field_section_too_large),
        cmocka_unit_test(test_location_invalid),
        cmocka_unit_test(test_structured),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
