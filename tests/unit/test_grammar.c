/* The field-value grammars of lib/core/grammar.c, called directly: HTTP-date in its three
 * forms, delay-seconds, entity-tag, Content-Range and URI-reference. */
#include "helpers.h"

#include "internal.h"

#define LIT(s) (s), (sizeof(s) - 1)

static rlint_date_form date(const char *s)
{
    const char *why = NULL;
    size_t at = 0;
    rlint_date_form f = rlint_http_date(s, strlen(s), &why, &at);
    if (f == RLINT_DATE_INVALID)
        assert_non_null(why);
    return f;
}

static void test_http_date(void **state)
{
    (void)state;
    assert_int_equal(date("Sun, 06 Nov 1994 08:49:37 GMT"), RLINT_DATE_IMF);
    assert_int_equal(date("Tue, 29 Feb 2000 23:59:60 GMT"),
                     RLINT_DATE_IMF); /* leap day, leap second */
    assert_int_equal(date("Thu, 01 Jan 1970 00:00:00 GMT"), RLINT_DATE_IMF);
    assert_int_equal(date("Fri, 31 Dec 1999 23:59:59 GMT"), RLINT_DATE_IMF);
    assert_int_equal(date("Sat, 01 Jan 2000 00:00:00 GMT"), RLINT_DATE_IMF);
    assert_int_equal(date("Wed, 01 Mar 2000 00:00:00 GMT"), RLINT_DATE_IMF);
    assert_int_equal(date("Wed, 25 Nov 2026 01:00:00 GMT"), RLINT_DATE_IMF);
    assert_int_equal(date("Mon, 01 Jan 1601 00:00:00 GMT"), RLINT_DATE_IMF);
    assert_int_equal(date("Fri, 31 Dec 9999 23:59:59 GMT"), RLINT_DATE_IMF);
    /* a day name that does not match the date is still IMF-fixdate syntax */
    assert_int_equal(date("Fri, 01 Jan 1990 00:00:00 GMT"), RLINT_DATE_IMF);
    assert_int_equal(date("Mon, 26 Jul 1997 05:00:00 GMT"), RLINT_DATE_IMF);
    assert_int_equal(date("Sunday, 06-Nov-94 08:49:37 GMT"), RLINT_DATE_RFC850);
    assert_int_equal(date("Sun Nov  6 08:49:37 1994"), RLINT_DATE_ASCTIME);
    assert_int_equal(date("Sun Nov 16 08:49:37 1994"), RLINT_DATE_ASCTIME);

    static const char *const bad[] = {
        "",
        "0",
        "-1",
        "sun, 06 Nov 1994 08:49:37 GMT", /* case-sensitive */
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 6 Nov 1994 08:49:37 GMT", /* day = 2DIGIT */
        "Sun,06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT", /* no such day */
        "Thu, 29 Feb 2001 08:49:37 GMT", /* not a leap year */
        "Mon, 29 Feb 1900 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT ", /* trailing bytes are the caller's to trim */
        "Sun, 06  Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "1994-11-06T08:49:37Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (date(bad[i]) != RLINT_DATE_INVALID)
            fail_msg("accepted as a date: '%s'", bad[i]);
    }

    const char *why = NULL;
    size_t at = 99;
    rlint_http_date(LIT("Sun, 06 Nov 1994 08:49:37 UTC"), &why, &at);
    assert_int_equal(at, 26);
    assert_non_null(strstr(why, "GMT"));
    rlint_http_date(LIT("sun, 06 Nov 1994 08:49:37 GMT"), &why, &at);
    assert_non_null(strstr(why, "case"));
    rlint_http_date(LIT("Sun,  6 Nov 1994 08:49:37 GMT"), &why, &at);
    assert_non_null(strstr(why, "whitespace"));
}

static void test_delay_seconds(void **state)
{
    (void)state;
    assert_true(rlint_delay_seconds(LIT("0")));
    assert_true(rlint_delay_seconds(LIT("120")));
    assert_true(rlint_delay_seconds(LIT("99999999999999999999999999"))); /* 1*DIGIT, any length */
    assert_false(rlint_delay_seconds(LIT("")));
    assert_false(rlint_delay_seconds(LIT("-1")));
    assert_false(rlint_delay_seconds(LIT("+5")));
    assert_false(rlint_delay_seconds(LIT("1.5")));
    assert_false(rlint_delay_seconds(LIT("5s")));
}

static bool etag(const char *s, size_t n)
{
    const char *why = NULL;
    size_t at = 0;
    bool ok = rlint_entity_tag(s, n, &why, &at);
    if (!ok)
        assert_non_null(why);
    return ok;
}

static void test_entity_tag(void **state)
{
    (void)state;
    assert_true(etag(LIT("\"xyzzy\"")));
    assert_true(etag(LIT("W/\"xyzzy\"")));
    assert_true(etag(LIT("\"\"")));
    assert_true(etag(LIT("\"5f3c-1a2b+gzip\"")));
    assert_true(etag(LIT("\"caf\xc3\xa9\""))); /* obs-text is etagc */
    assert_true(etag(LIT("\"a,b\"")));
    assert_false(etag(LIT("xyzzy")));
    assert_false(etag(LIT("w/\"xyzzy\"")));
    assert_false(etag(LIT("W/xyzzy")));
    assert_false(etag(LIT("\"xyzzy")));
    assert_false(etag(LIT("\"a b\"")));
    assert_false(etag(LIT("\"a\"b\"")));
    assert_false(etag(LIT("\"a\" ")));
    assert_false(etag(LIT("")));
    assert_false(etag(LIT("\"a\x01\"")));
}

static rlint_range_form range(const char *s)
{
    const char *why = NULL;
    size_t at = 0;
    rlint_range_form f = rlint_content_range(s, strlen(s), &why, &at);
    if (f == RLINT_RANGE_INVALID)
        assert_non_null(why);
    return f;
}

static void test_content_range(void **state)
{
    (void)state;
    assert_int_equal(range("bytes 0-499/1234"), RLINT_RANGE_BYTES);
    assert_int_equal(range("bytes 42-1233/1234"), RLINT_RANGE_BYTES);
    assert_int_equal(range("bytes 42-1233/*"), RLINT_RANGE_BYTES);
    assert_int_equal(range("bytes 0-0/1"), RLINT_RANGE_BYTES);
    assert_int_equal(range("Bytes 0-0/1"), RLINT_RANGE_BYTES); /* units are case-insensitive */
    assert_int_equal(range("bytes */1234"), RLINT_RANGE_UNSATISFIED);
    assert_int_equal(range("bytes */0"), RLINT_RANGE_UNSATISFIED);
    assert_int_equal(range("bytes 0-99999999999999999999998/99999999999999999999999"),
                     RLINT_RANGE_BYTES);
    assert_int_equal(range("items 1-2/3"), RLINT_RANGE_OTHER_UNIT);
    assert_int_equal(range("exampleunit 1.2-4.3/25"), RLINT_RANGE_OTHER_UNIT);

    static const char *const bad[] = {
        "",
        "bytes",
        "bytes ",
        "bytes=0-499/1234",
        "bytes 0-499",
        "bytes 500-499/1234", /* first > last */
        "bytes 0-1234/1234",  /* last >= complete */
        "bytes 0-1235/1234",
        "bytes 99999999999999999999999-1/5",
        "bytes 0-99999999999999999999999/99999999999999999999999",
        "bytes */*",
        "bytes */",
        "bytes -5/10",
        "bytes 5-/10",
        "bytes 0-4/10 ",
        "bytes  0-4/10",
        "bytes 0-4/1x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (range(bad[i]) != RLINT_RANGE_INVALID)
            fail_msg("accepted as a Content-Range: '%s'", bad[i]);
    }
}

static bool uri(const char *s, size_t n)
{
    const char *why = NULL;
    size_t at = 0;
    bool ok = rlint_uri_reference(s, n, &why, &at);
    if (!ok)
        assert_non_null(why);
    return ok;
}

static void test_uri_reference(void **state)
{
    (void)state;
    static const char *const good[] = {
        "http://www.example.org/pub/WWW/People.html",
        "https://example.com:8443/a/b?c=d&e=f#g",
        "/People.html#tim",
        "../x?y=1#f",
        "?page=2",
        "#top",
        "//cdn.example.com/x.js",
        "http://[::1]:8080/",
        "http://[2001:db8::7]/c=GB?objectClass?one",
        "http://[v7.fe80::a+en1]/",
        "mailto:John.Doe@example.com",
        "urn:oasis:names:specification:docbook:dtd:xml:4.1.2",
        "http://user:pass@example.com/",
        "http://example.com/%E2%82%AC?q=%20",
        "http://example.com/a;b=c/d,e/f*g!h$i'j(k)l+m",
        "http://example.com:/",
        "a:b",
        "./a:b",
        "http://example.com/?q=a/b?c",
        "",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!uri(good[i], strlen(good[i])))
            fail_msg("rejected as a URI-reference: '%s'", good[i]);

    static const char *const bad[] = {
        "/a b",
        "http://example.com/caf\xc3\xa9",
        "http://example.com/a\tb",
        "http://example.com/%zz",
        "http://example.com/%4",
        "http://example.com/a|b",
        "http://example.com/{x}",
        "http://example.com/a\\b",
        "http://example.com/a\"b",
        "http://example.com/<x>",
        "http://example.com/a^b",
        "http://example.com/a`b",
        "http://example.com/search?q=[x]",
        "http://example.com/#a#b",
        "http://exa mple.com/",
        "http://example.com:80a/",
        "http://a@b@example.com/",
        "http://[::1/",
        "http://[zz]/",
        "1http://example.com/",
        "a b:c",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (uri(bad[i], strlen(bad[i])))
            fail_msg("accepted as a URI-reference: '%s'", bad[i]);

    const char *why = NULL;
    size_t at = 0;
    assert_false(rlint_uri_reference(LIT("/a b"), &why, &at));
    assert_int_equal(at, 2);
    assert_non_null(strstr(why, "space"));
    assert_false(rlint_uri_reference(LIT("/\xc3\xa9"), &why, &at));
    assert_int_equal(at, 1);
    assert_non_null(strstr(why, "non-ASCII"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_date),     cmocka_unit_test(test_delay_seconds),
        cmocka_unit_test(test_entity_tag),    cmocka_unit_test(test_content_range),
        cmocka_unit_test(test_uri_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
