/* The caching grammars of lib/core/caching.c called directly (Cache-Control members, their
 * delta-seconds, field-name lists, HTTP-dates as seconds), then the RULES.md traps of the
 * RL5xxx family through the stream parser with every rule on: none may raise a finding. */
#include "helpers.h"

#include "internal.h"

#define DATE "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"

static rlint_cc_member member(const char *s)
{
    rlint_cc_member m;
    rlint_cc_member_parse(s, strlen(s), &m);
    if (!m.valid)
        assert_non_null(m.why);
    return m;
}

static void test_cc_member(void **state)
{
    (void)state;
    rlint_cc_member m = member("max-age=60");
    assert_true(m.valid);
    assert_int_equal(m.dir, RLINT_CC_MAX_AGE);
    assert_int_equal(m.form, RLINT_CC_ARG_TOKEN);
    assert_int_equal(m.name_len, 7);
    assert_int_equal(m.arg_len, 2);

    m = member("MAX-AGE=\"60\"");
    assert_true(m.valid);
    assert_int_equal(m.dir, RLINT_CC_MAX_AGE); /* names are case-insensitive */
    assert_int_equal(m.form, RLINT_CC_ARG_QUOTED);
    assert_int_equal(m.arg_len, 4);

    m = member("public");
    assert_true(m.valid);
    assert_int_equal(m.dir, RLINT_CC_PUBLIC);
    assert_int_equal(m.form, RLINT_CC_ARG_NONE);

    m = member("private=\"Set-Cookie, X-A\"");
    assert_true(m.valid);
    assert_int_equal(m.dir, RLINT_CC_PRIVATE);
    assert_true(rlint_cc_names_valid(&m));
    assert_true(rlint_cc_names_field(&m, "set-cookie"));
    assert_true(rlint_cc_names_field(&m, "x-a"));
    assert_false(rlint_cc_names_field(&m, "x-b"));

    m = member("community=\"UCI\"");
    assert_true(m.valid);
    assert_int_equal(m.dir, RLINT_CC_OTHER);
    m = member("x-feature");
    assert_true(m.valid);
    assert_int_equal(m.dir, RLINT_CC_OTHER);
    m = member("max-stale=10"); /* request-only: not judged */
    assert_int_equal(m.dir, RLINT_CC_OTHER);
    m = member("a=\"q\\\"uoted, \\\\ pair\"");
    assert_true(m.valid);

    /* not cache-directive = token [ "=" ( token / quoted-string ) ] */
    static const struct {
        const char *s;
        size_t at;
    } bad[] = {
        {"max-age=31536000;public", 16},
        {"max-age = 60", 7},
        {"max-age=60 public", 10},
        {"max-age=", 8},
        {"=60", 0},
        {"max-age=\"60", 8},
        {"max-age=\"60\"x", 12},
        {"max-age= 60", 8},
        {"\"quoted\"", 0},
        {"max-age=6@0", 9},
        {"no-cache=\"a\x01\"", 9},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m = member(bad[i].s);
        if (m.valid || m.at != bad[i].at)
            fail_msg("\"%s\": valid %d at %zu, expected invalid at %zu", bad[i].s, m.valid, m.at,
                     bad[i].at);
    }
}

static bool seconds(const char *s, uint64_t *v)
{
    rlint_cc_member m = member(s);
    assert_true(m.valid);
    return rlint_cc_seconds(&m, v);
}

static void test_cc_seconds(void **state)
{
    (void)state;
    uint64_t v = 0;
    assert_true(seconds("max-age=60", &v));
    assert_int_equal(v, 60);
    assert_true(seconds("max-age=\"60\"", &v));
    assert_int_equal(v, 60);
    assert_true(seconds("max-age=\"6\\0\"", &v)); /* a quoted-pair unquotes */
    assert_int_equal(v, 60);
    assert_true(seconds("max-age=0", &v));
    assert_int_equal(v, 0);
    /* RFC 9111 §1.2.2: too large to represent is 2147483648 */
    assert_true(seconds("max-age=99999999999", &v));
    assert_int_equal(v, 2147483648u);
    assert_true(seconds("max-age=2147483647", &v));
    assert_int_equal(v, 2147483647u);
    assert_true(seconds("max-age=000000000000000000000000000000000000000001", &v));
    assert_int_equal(v, 1);
    assert_false(seconds("max-age=1h", &v));
    assert_false(seconds("max-age=-1", &v));
    assert_false(seconds("max-age=1.5", &v));
    assert_false(seconds("max-age=\"\"", &v));
    assert_false(seconds("max-age", &v));
}

/* The toolbox's tchar table (text.c) against RFC 9110 §5.6.2, spelled out. */
static void test_tchar_table(void **state)
{
    (void)state;
    const char *extra = "!#$%&'*+-.^_`|~";
    for (unsigned c = 0; c < 256; c++) {
        bool want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c && c < 128 && strchr(extra, (int)c));
        if ((rlint_tchar_table[c] != 0) != want || rlint_is_tchar((unsigned char)c) != want)
            fail_msg("byte 0x%02x: table %d, RFC 9110 %d", c, rlint_tchar_table[c], want);
    }
}

static void test_field_name_list(void **state)
{
    (void)state;
    const char *bad = NULL;
    size_t n = 0;
    assert_true(rlint_field_name_list("Set-Cookie", 10, &bad, &n));
    assert_true(rlint_field_name_list("a, b,,c ", 8, &bad, &n));
    assert_true(rlint_field_name_list("", 0, &bad, &n));
    assert_false(rlint_field_name_list("a, b c", 6, &bad, &n));
    assert_int_equal(n, 3);
    assert_memory_equal(bad, "b c", 3);
    assert_false(rlint_field_name_list("Accept;q=1", 10, &bad, &n));
    assert_true(rlint_is_token("Accept-Encoding", 15));
    assert_false(rlint_is_token("\"Accept\"", 8));
    assert_false(rlint_is_token("", 0));
}

static int64_t secs(const char *s)
{
    int64_t t = -1;
    if (rlint_http_date_time(s, strlen(s), &t) == RLINT_DATE_INVALID)
        return INT64_MIN;
    return t;
}

static void test_date_seconds(void **state)
{
    (void)state;
    assert_int_equal(secs("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
    assert_int_equal(secs("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    assert_int_equal(secs("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    assert_int_equal(secs("Sun Nov  6 08:49:37 1994"), 784111777);
    assert_int_equal(secs("Tue, 29 Feb 2000 00:00:00 GMT"), 951782400);
    assert_int_equal(secs("Wednesday, 01-Mar-00 00:00:00 GMT"), 951868800);
    assert_int_equal(secs("Mon, 01 Jan 1601 00:00:00 GMT"), -11644473600);
    assert_int_equal(secs("Fri, 31 Dec 9999 23:59:59 GMT"), 253402300799);
    assert_true(secs("0") == INT64_MIN);
    assert_true(secs("Sun, 06 Nov 1994 08:49:37 UTC") == INT64_MIN);
}

/* RL5011 orders two IMF-fixdates without their times: every field of the date decides. */
static size_t lm_after_date(const char *lm, const char *date)
{
    char buf[256];
    snprintf(buf, sizeof buf,
             "HTTP/1.1 200 OK\r\nDate: %s\r\nLast-Modified: %s\r\nCache-Control: max-age=6\r\n"
             "Content-Length: 0\r\n\r\n",
             date, lm);
    rltest_result r;
    rltest_stream(&r, buf, strlen(buf), 0, NULL);
    return rltest_count(&r, "RL5011");
}

static void test_last_modified_order(void **state)
{
    (void)state;
    static const char *const later[][2] = {
        {"Mon, 07 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"}, /* day */
        {"Tue, 06 Dec 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"}, /* month */
        {"Wed, 01 Feb 1995 00:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"}, /* year */
        {"Sun, 06 Nov 1994 08:49:38 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"}, /* second */
        {"Sun, 06 Nov 1994 10:00:00 GMT", "Sun, 06 Nov 1994 09:59:59 GMT"}, /* hour */
        {"Sun, 06 Nov 1994 08:49:38 GMT", "Sunday, 06-Nov-94 08:49:37 GMT"}, /* other forms */
    };
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
        if (lm_after_date(later[i][0], later[i][1]) != 1)
            fail_msg("Last-Modified %s after Date %s: no RL5011", later[i][0], later[i][1]);
        if (lm_after_date(later[i][1], later[i][0]) != 0)
            fail_msg("Last-Modified %s before Date %s: RL5011", later[i][1], later[i][0]);
    }
    assert_int_equal(lm_after_date("Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"), 0);
    assert_int_equal(lm_after_date("Mon, 01 Jan 1990 00:00:00 GMT", "Sun Nov  6 08:49:37 1994"), 0);
}

/* ---- traps: with every rule on, none of these raises anything ---- */

static resplint_config *all_rules(void)
{
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    for (size_t i = 0; i < resplint_rule_count(); i++)
        assert_int_equal(resplint_config_enable(cfg, resplint_rule_at(i)->id), 0);
    return cfg;
}

/* Lints with every rule on (whole and byte by byte): exactly the findings listed (NULL-ended
 * ids outside RL5xxx that the trap's response cannot avoid), none of the caching family. */
static void trap(const char *data, const char *method, const char *allowed)
{
    resplint_config *cfg = all_rules();
    size_t len = strlen(data);
    static const size_t chunks[] = {0, 1};
    for (size_t k = 0; k < 2; k++) {
        rltest_result *r = malloc(sizeof *r);
        assert_non_null(r);
        rltest_stream_cfg(r, cfg, data, len, chunks[k], method);
        for (size_t i = 0; i < r->n; i++)
            if (!allowed || strstr(allowed, r->f[i].id) == NULL) {
                rltest_dump(r);
                fail_msg("trap raised %s", r->f[i].id);
            }
        assert_true(r->responses > 0);
        free(r);
    }
    resplint_config_free(cfg);
}

static void test_t01_qualified_private_with_public(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE
         "Cache-Control: public, max-age=600, private=\"Set-Cookie\"\r\n"
         "Set-Cookie: id=1; Path=/\r\nContent-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t02_no_cache_with_max_age(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Cache-Control: no-cache, max-age=3600\r\n"
         "Content-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t03_no_store_max_age_0_expires_0(void **state)
{
    (void)state;
    /* Expires: 0 is RL4009's info (an invalid date), not a caching finding */
    trap("HTTP/1.1 200 OK\r\n" DATE
         "Cache-Control: no-cache, no-store, must-revalidate, max-age=0\r\nExpires: 0\r\n"
         "Content-Length: 0\r\n\r\n",
         NULL, "RL4009");
}

static void test_t04_no_store_must_understand(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Cache-Control: no-store, must-understand, max-age=3600\r\n"
         "Content-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t05_case_and_empty_members(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Cache-Control: , PUBLIC,, Max-Age=60 ,\r\n"
         "Cache-Control: \r\nContent-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t06_huge_max_age(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Cache-Control: max-age=99999999999\r\n"
         "Content-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t07_past_expires_alone(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Expires: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
         "Content-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t08_unknown_and_request_directives(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE
         "Cache-Control: max-age=60, community=\"UCI\", x-feature, max-stale=10, min-fresh=5, "
         "only-if-cached\r\nContent-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t09_304_without_earlier_200(void **state)
{
    (void)state;
    /* a 304 carrying none of the 200's fields, with no 200 before it in the input */
    trap("HTTP/1.1 304 Not Modified\r\n" DATE "\r\n", "GET", NULL);
}

static void test_t10_stale_extensions(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE
         "Cache-Control: max-age=60, stale-while-revalidate=30, stale-if-error=86400\r\n"
         "Content-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t11_no_heuristic_freshness(void **state)
{
    (void)state;
    trap("HTTP/1.1 302 Found\r\n" DATE "Location: /a\r\nContent-Length: 0\r\n\r\n"
         "HTTP/1.1 307 Temporary Redirect\r\n" DATE "Location: /a\r\nContent-Length: 0\r\n\r\n"
         "HTTP/1.1 200 OK\r\n" DATE "Cache-Control: no-cache\r\nContent-Length: 0\r\n\r\n",
         NULL, NULL);
    /* an invalid Expires is explicit ("already expired"): RL4009's info, not RL5009 */
    trap("HTTP/1.1 200 OK\r\n" DATE "Expires: -1\r\nContent-Length: 0\r\n\r\n", NULL, "RL4009");
    /* a POST answer is not heuristically cacheable */
    trap("HTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n", "POST", NULL);
}

static void test_t12_age(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Age: 0\r\nCache-Control: max-age=60\r\n"
         "Content-Length: 0\r\n\r\n"
         "HTTP/1.1 200 OK\r\n" DATE "Age: 2147483648\r\nCache-Control: max-age=60\r\n"
         "Content-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t13_last_modified(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
         "Cache-Control: max-age=60\r\nContent-Length: 0\r\n\r\n",
         NULL, NULL);
    /* no Date to compare with: RL4008 (Date missing) is the only finding */
    trap("HTTP/1.1 200 OK\r\nLast-Modified: Sun, 06 Nov 2094 08:49:37 GMT\r\n"
         "Cache-Control: max-age=60\r\nContent-Length: 0\r\n\r\n",
         NULL, "RL4008");
}

static void test_t14_cache_status(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Cache-Control: max-age=60\r\n"
         "Cache-Status: OriginCache; hit; ttl=1100\r\n"
         "Cache-Status: \"CDN Company Here\"; hit; ttl=545\r\n"
         "Cache-Status: HIT; fwd=uri-miss; stored\r\nContent-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t15_compressed(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Cache-Control: max-age=60\r\nContent-Encoding: gzip\r\n"
         "Vary: Accept-Encoding\r\nContent-Length: 0\r\n\r\n"
         "HTTP/1.1 200 OK\r\n" DATE "Cache-Control: private, max-age=60\r\n"
         "Content-Encoding: gzip\r\nContent-Length: 0\r\n\r\n"
         "HTTP/1.1 200 OK\r\n" DATE "Cache-Control: no-store\r\nContent-Encoding: br\r\n"
         "Content-Length: 0\r\n\r\n"
         "HTTP/1.1 200 OK\r\n" DATE "Cache-Control: no-cache\r\nContent-Encoding: gzip\r\n"
         "Vary: *\r\nContent-Length: 0\r\n\r\n"
         "HTTP/1.1 302 Found\r\n" DATE "Location: /a\r\nContent-Encoding: gzip\r\n"
         "Content-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t16_set_cookie_not_shared(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Cache-Control: private, max-age=60\r\n"
         "Set-Cookie: a=1\r\nContent-Length: 0\r\n\r\n"
         "HTTP/1.1 200 OK\r\n" DATE "Cache-Control: no-cache, max-age=60\r\n"
         "Set-Cookie: a=1\r\nContent-Length: 0\r\n\r\n"
         "HTTP/1.1 200 OK\r\n" DATE "Cache-Control: max-age=60, s-maxage=0\r\n"
         "Set-Cookie: a=1\r\nContent-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t17_several_set_cookie(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Cache-Control: no-cache\r\nSet-Cookie: a=1\r\n"
         "Set-Cookie: b=2\r\nSet-Cookie: c=3\r\nContent-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t18_cdn_cache_control(void **state)
{
    (void)state;
    trap("HTTP/1.1 200 OK\r\n" DATE "Cache-Control: no-store\r\nCDN-Cache-Control: none\r\n"
         "Content-Length: 0\r\n\r\n"
         "HTTP/1.1 200 OK\r\n" DATE "Cache-Control: max-age=60\r\n"
         "CDN-Cache-Control: max-age=600, stale-if-error=60, private=\"set-cookie\", x-ext=1\r\n"
         "Content-Length: 0\r\n\r\n",
         NULL, NULL);
}

static void test_t28_pragma_default(void **state)
{
    (void)state;
    /* RL5020 is advice, off by default: with the default rules nothing is said */
    static const char data[] = "HTTP/1.1 200 OK\r\n" DATE "Pragma: no-cache\r\n"
                               "Expires: Thu, 01 Jan 1970 00:00:00 GMT\r\nContent-Length: 0\r\n\r\n";
    rltest_result r;
    rltest_stream(&r, RLTEST_S(data), 0, NULL);
    rltest_expect(&r, NULL);
}

static void test_t52_date_missing_1xx_5xx(void **state)
{
    (void)state;
    trap("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
         "HTTP/1.1 503 Service Unavailable\r\nLast-Modified: Sun, 06 Nov 2094 08:49:37 GMT\r\n"
         "Cache-Control: no-store\r\nContent-Length: 0\r\n\r\n",
         NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cc_member),
        cmocka_unit_test(test_cc_seconds),
        cmocka_unit_test(test_tchar_table),
        cmocka_unit_test(test_field_name_list),
        cmocka_unit_test(test_date_seconds),
        cmocka_unit_test(test_last_modified_order),
        cmocka_unit_test(test_t01_qualified_private_with_public),
        cmocka_unit_test(test_t02_no_cache_with_max_age),
        cmocka_unit_test(test_t03_no_store_max_age_0_expires_0),
        cmocka_unit_test(test_t04_no_store_must_understand),
        cmocka_unit_test(test_t05_case_and_empty_members),
        cmocka_unit_test(test_t06_huge_max_age),
        cmocka_unit_test(test_t07_past_expires_alone),
        cmocka_unit_test(test_t08_unknown_and_request_directives),
        cmocka_unit_test(test_t09_304_without_earlier_200),
        cmocka_unit_test(test_t10_stale_extensions),
        cmocka_unit_test(test_t11_no_heuristic_freshness),
        cmocka_unit_test(test_t12_age),
        cmocka_unit_test(test_t13_last_modified),
        cmocka_unit_test(test_t14_cache_status),
        cmocka_unit_test(test_t15_compressed),
        cmocka_unit_test(test_t16_set_cookie_not_shared),
        cmocka_unit_test(test_t17_several_set_cookie),
        cmocka_unit_test(test_t18_cdn_cache_control),
        cmocka_unit_test(test_t28_pragma_default),
        cmocka_unit_test(test_t52_date_missing_1xx_5xx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
