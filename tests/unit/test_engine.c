/* The structured entry (resplint_check_response) and the configuration: what a proxy or a HAR
 * reader sees, without raw bytes. */
#include "helpers.h"

typedef struct collected {
    rltest_result r;
} collected;

static int check(rltest_result *r, const resplint_config *cfg, int status,
                 const resplint_field *fields, size_t n, int64_t body, const char *method)
{
    memset(r, 0, sizeof *r);
    resplint_response resp;
    memset(&resp, 0, sizeof resp);
    resp.status = status;
    resp.version_major = 1;
    resp.version_minor = 1;
    resp.fields = fields;
    resp.field_count = n;
    resp.body_length = body;
    resp.method = method;
    resp.method_len = method ? strlen(method) : 0;
    resp.offset = RESPLINT_NO_OFFSET;
    return resplint_check_response(cfg, &resp, 7, rltest_on_finding, r);
}

#define F(n, v) {n, sizeof(n) - 1, v, sizeof(v) - 1, RESPLINT_NO_OFFSET, 0}

static void test_redirect_location(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    rltest_result r;
    resplint_field none[] = {F("Date", "Mon, 24 Nov 2025 10:00:00 GMT"), F("Content-Length", "0")};
    assert_int_equal(check(&r, cfg, 308, none, 2, 0, "GET"), 1);
    rltest_expect(&r, "RL2001", NULL);
    assert_int_equal(r.f[0].response, 7);
    assert_true(r.f[0].offset == RESPLINT_NO_OFFSET);

    /* nginx `return 301;` sends an empty Location: still a finding, on that field */
    resplint_field empty[] = {F("location", ""), F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 301, empty, 2, 0, "GET");
    rltest_expect(&r, "RL2001", NULL);
    assert_int_equal(r.f[0].field, 0);

    /* lower-case name is the same field */
    resplint_field lower[] = {F("location", "/x"), F("date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 301, lower, 2, 0, "GET");
    rltest_expect(&r, NULL);

    check(&r, cfg, 302, none, 2, 0, "GET");
    rltest_expect(&r, "RL2002", NULL);
    assert_int_equal(r.f[0].severity, RESPLINT_WARNING);
    resplint_config_free(cfg);
}

static void test_no_content(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    rltest_result r;
    resplint_field cl5[] = {F("Content-Length", "5"), F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 204, cl5, 2, 5, NULL);
    rltest_expect(&r, "RL2010", "RL2011", NULL);

    resplint_field cl0[] = {F("Content-Length", "0"), F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 204, cl0, 2, 0, NULL);
    rltest_expect(&r, "RL2012", NULL);
    check(&r, cfg, 100, cl0, 2, 0, NULL);
    rltest_expect(&r, "RL2012", NULL);

    /* trap: a 304 with Content-Length and no body is legal (the length of the representation) */
    resplint_field cl1234[] = {F("Content-Length", "1234"), F("ETag", "\"a\""),
                               F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 304, cl1234, 3, 0, "GET");
    rltest_expect(&r, NULL);
    /* trap: 304 with Transfer-Encoding: chunked and no body bytes */
    resplint_field te[] = {F("Transfer-Encoding", "chunked"), F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 304, te, 2, 0, "GET");
    rltest_expect(&r, NULL);
    /* unknown body length (HAR artefacts): no body rule fires */
    check(&r, cfg, 304, cl1234, 3, RESPLINT_UNKNOWN_LENGTH, "GET");
    rltest_expect(&r, NULL);
    check(&r, cfg, 304, cl1234, 3, 10, "GET");
    rltest_expect(&r, "RL2013", NULL);
    resplint_field ct[] = {F("Content-Type", "text/html"), F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 304, ct, 2, 0, "GET");
    rltest_expect(&r, "RL2014", NULL);
    resplint_config_free(cfg);
}

static void test_content_length_values(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    rltest_result r;
    resplint_field rep[] = {F("Content-Length", "5, 5"), F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 200, rep, 2, 5, "GET");
    rltest_expect(&r, "RL3003", NULL);
    resplint_field two[] = {F("Content-Length", "5"), F("Content-Length", "5"),
                            F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 200, two, 3, 5, "GET");
    rltest_expect(&r, "RL3003", NULL);
    assert_int_equal(r.f[0].field, 1);
    resplint_field diff[] = {F("Content-Length", "5"), F("Content-Length", "6"),
                             F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 200, diff, 3, 5, "GET");
    rltest_expect(&r, "RL3002", NULL);
    resplint_field both[] = {F("Transfer-Encoding", "chunked"), F("Content-Length", "6"),
                             F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 200, both, 3, 5, "GET");
    rltest_expect(&r, "RL3001", NULL);
    assert_int_equal(r.f[0].field, 1);
    resplint_config_free(cfg);
}

static void test_status_table(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    rltest_result r;
    resplint_field d[] = {F("Date", "Mon, 24 Nov 2025 10:00:00 GMT"), F("Content-Length", "0")};
    check(&r, cfg, 305, d, 2, 0, "GET");
    rltest_expect(&r, "RL1001", NULL);
    check(&r, cfg, 102, d, 1, 0, "GET");
    rltest_expect(&r, "RL1001", NULL);
    check(&r, cfg, 306, d, 2, 0, "GET");
    rltest_expect(&r, "RL1002", NULL);
    check(&r, cfg, 499, d, 2, 0, "GET");
    rltest_expect(&r, "RL1003", NULL);
    assert_non_null(strstr(r.f[0].message, "nginx"));
    assert_non_null(strstr(r.f[0].message, "400"));
    check(&r, cfg, 999, d, 2, 0, "GET");
    rltest_expect(&r, "RL1004", NULL);
    check(&r, cfg, 0, d, 2, 0, "GET");
    rltest_expect(&r, "RL1004", NULL);
    check(&r, cfg, 418, d, 2, 0, "GET");
    rltest_expect(&r, "RL1005", NULL);
    assert_string_equal(resplint_status_reason(404), "Not Found");
    assert_null(resplint_status_reason(499));
    assert_string_equal(resplint_status_reason(511), "Network Authentication Required");
    resplint_config_free(cfg);
}

static void test_config(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    rltest_result r;
    resplint_field none[] = {F("Date", "Mon, 24 Nov 2025 10:00:00 GMT"), F("Content-Length", "0")};
    assert_int_equal(resplint_config_set_rule(cfg, "redirect-missing-location", RESPLINT_WARNING), 0);
    check(&r, cfg, 301, none, 2, 0, "GET");
    rltest_expect(&r, "RL2001", NULL);
    assert_int_equal(r.f[0].severity, RESPLINT_WARNING);
    assert_int_equal(resplint_config_set_rule(cfg, "RL2001", RESPLINT_OFF), 0);
    assert_int_equal(check(&r, cfg, 301, none, 2, 0, "GET"), 0);
    assert_int_equal(resplint_config_enable(cfg, "rl2001"), 0);
    check(&r, cfg, 301, none, 2, 0, "GET");
    assert_int_equal(r.f[0].severity, RESPLINT_ERROR);
    assert_int_equal(resplint_config_set_rule(cfg, "RL0000", RESPLINT_OFF), RESPLINT_ENORULE);
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_FINDINGS, 0), RESPLINT_EINVAL);
    assert_int_equal(resplint_check_response(NULL, NULL, 0, rltest_on_finding, &r), RESPLINT_EINVAL);
    assert_string_equal(resplint_err_name(RESPLINT_ENOMEM), "ENOMEM");
    assert_string_equal(resplint_strerror(RESPLINT_ENORULE), "no such rule");
    assert_string_equal(resplint_version(), RESPLINT_VERSION_STRING);

    resplint_config *copy = resplint_config_clone(cfg);
    assert_non_null(copy);
    assert_int_equal(resplint_config_severity(copy, resplint_rule_find("RL2001")), RESPLINT_ERROR);
    resplint_config_free(copy);
    resplint_config_free(cfg);
}

static void test_findings_cap(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_FINDINGS, 1), 0);
    rltest_result r;
    resplint_field f[] = {F("Content-Length", "5"), F("Transfer-Encoding", "chunked"),
                          F("Content-Type", "text/plain"), F("Date", "Mon, 24 Nov 2025 10:00:00 GMT")};
    check(&r, cfg, 304, f, 4, 3, "GET");
    assert_int_equal(r.n, 2); /* one finding, then one line saying the rest was cut */
    assert_string_equal(r.f[1].id, "RL9004");
    assert_non_null(strstr(r.f[1].message, "more than 1 findings"));
    resplint_config_free(cfg);
}

/* Issue 21: resplint_check_response did not apply the field limit and could not see fields
 * past index 32,767: a 301 whose Location came later got a false RL2001. Fields past the limit
 * are not checked, the checks do not take them for absent, and RL9004 says so once. */
static void test_structured_field_limit(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    size_t n = 32800;
    resplint_field *f = calloc(n, sizeof *f);
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        f[i] = (resplint_field)F("X-Filler", "a");
    f[0] = (resplint_field)F("Date", "Mon, 24 Nov 2025 10:00:00 GMT");
    f[1] = (resplint_field)F("Content-Length", "0");
    f[32770] = (resplint_field)F("Location", "/there");
    rltest_result r;
    check(&r, cfg, 301, f, n, 0, "GET");
    if (rltest_count(&r, "RL2001") != 0 || rltest_count(&r, "RL9004") != 1) {
        rltest_dump(&r);
        fail_msg("a Location past the field limit is not absent; RL9004 says the cut");
    }
    assert_non_null(strstr(rltest_find(&r, "RL9004")->message, "more than 1000 field lines"));
    /* within the limit, nothing is lost */
    f[999] = (resplint_field)F("Location", "/there");
    f[32770] = (resplint_field)F("X-Filler", "a");
    check(&r, cfg, 301, f, 1000, 0, "GET");
    rltest_expect(&r, NULL);
    /* the limit cannot be set past what the engine can index */
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_FIELDS, 40000), RESPLINT_EINVAL);
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_FIELDS, 32767), 0);
    f[999] = (resplint_field)F("X-Filler", "a");
    f[32766] = (resplint_field)F("Location", "/there");
    check(&r, cfg, 301, f, n, 0, "GET");
    if (rltest_count(&r, "RL2001") != 0 || rltest_count(&r, "RL9004") != 1) {
        rltest_dump(&r);
        fail_msg("with fields = 32767 the Location at index 32766 is seen");
    }
    free(f);
    resplint_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redirect_location),   cmocka_unit_test(test_no_content),
        cmocka_unit_test(test_content_length_values), cmocka_unit_test(test_status_table),
        cmocka_unit_test(test_config),              cmocka_unit_test(test_findings_cap),
        cmocka_unit_test(test_structured_field_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
