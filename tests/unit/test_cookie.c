/* The Set-Cookie splitter, the RFC 6265 §5.1.1 cookie-date parser, the serialized-origin
 * grammar of Access-Control-Allow-Origin and the Strict-Transport-Security grammar, called
 * directly (lib/core/cookie.c, lib/core/secfields.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static rlint_cookie ck;

static void parse(const char *s) { rlint_cookie_parse(s, strlen(s), &ck); }

static bool span_is(const char *p, size_t n, const char *want)
{
    return n == strlen(want) && memcmp(p, want, n) == 0;
}

static void test_split(void **state)
{
    (void)state;
    parse("sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax");
    assert_true(span_is(ck.name, ck.name_len, "sid"));
    assert_true(span_is(ck.value, ck.value_len, "abc"));
    assert_true(ck.has_eq);
    assert_int_equal(ck.nav, 4);
    assert_int_equal(ck.av[0].kind, RLINT_CAV_PATH);
    assert_true(span_is(ck.av[0].value, ck.av[0].value_len, "/"));
    assert_int_equal(ck.av[1].kind, RLINT_CAV_SECURE);
    assert_null(ck.av[1].value);
    assert_int_equal(ck.av[2].kind, RLINT_CAV_HTTPONLY);
    assert_true(rlint_cookie_secure(&ck));
    assert_int_equal(rlint_cookie_samesite(&ck), RLINT_SAMESITE_LAX);

    /* BWS around "=" and ";", attribute names in any case */
    parse(" a = b ;path = /x ;SECURE=false; samesite = NONE");
    assert_true(span_is(ck.name, ck.name_len, "a"));
    assert_true(span_is(ck.value, ck.value_len, "b"));
    assert_true(span_is(ck.av[0].name, ck.av[0].name_len, "path"));
    assert_true(span_is(ck.av[0].value, ck.av[0].value_len, "/x"));
    assert_true(rlint_cookie_secure(&ck)); /* Secure=false still sets Secure */
    assert_int_equal(rlint_cookie_samesite(&ck), RLINT_SAMESITE_NONE);

    /* 6265bis: no "=" means an empty name and the whole pair as the value */
    parse("sessionless; Path=/");
    assert_false(ck.has_eq);
    assert_int_equal(ck.name_len, 0);
    assert_true(span_is(ck.value, ck.value_len, "sessionless"));

    /* the value may hold "=" */
    parse("t=a=b==");
    assert_true(span_is(ck.value, ck.value_len, "a=b=="));

    /* the last SameSite decides; an unknown value is "Default" */
    parse("a=1; SameSite=None; SameSite=Lax");
    assert_int_equal(rlint_cookie_samesite(&ck), RLINT_SAMESITE_LAX);
    assert_int_equal(ck.count[RLINT_CAV_SAMESITE], 2);
    parse("a=1; SameSite=no_restriction");
    assert_int_equal(rlint_cookie_samesite(&ck), RLINT_SAMESITE_DEFAULT);
    parse("a=1; SameSite");
    assert_int_equal(rlint_cookie_samesite(&ck), RLINT_SAMESITE_DEFAULT);
    parse("a=1");
    assert_int_equal(rlint_cookie_samesite(&ck), RLINT_SAMESITE_ABSENT);
    assert_false(rlint_cookie_secure(&ck));

    /* empty attributes are kept, so that the grammar check sees them */
    parse("a=1;; Path=/;");
    assert_int_equal(ck.nav, 3);
    assert_int_equal(ck.av[0].name_len, 0);
    assert_null(ck.av[0].value);
    assert_int_equal(ck.av[2].name_len, 0);

    /* every attribute is read, past the ones kept split: the last of each kind is the last
     * on the line, and the walk returns them all, in order */
    char many[2048] = "a=1; SameSite=None";
    for (int k = 0; k < 40; k++)
        strcat(many, k % 2 ? "; Path=/" : "; x=1");
    strcat(many, "; SameSite=Lax; Domain=example.test; Secure;");
    parse(many);
    assert_int_equal(ck.nav, 1 + 40 + 4);
    assert_int_equal(ck.nkept, RLINT_COOKIE_MAX_ATTRS);
    assert_int_equal(rlint_cookie_samesite(&ck), RLINT_SAMESITE_LAX);
    assert_true(rlint_cookie_secure(&ck));
    assert_int_equal(ck.count[RLINT_CAV_PATH], 20);
    assert_int_equal(ck.count[RLINT_CAV_OTHER], 21); /* 20 x, and the empty one at the end */
    const rlint_cookie_av *d = rlint_cookie_last(&ck, RLINT_CAV_DOMAIN);
    assert_non_null(d);
    assert_true(span_is(d->value, d->value_len, "example.test"));
    assert_null(rlint_cookie_last(&ck, RLINT_CAV_HTTPONLY));
    rlint_cookie_iter it = {0};
    size_t walked = 0, off = 0;
    for (const rlint_cookie_av *a; (a = rlint_cookie_next(&ck, &it)) != NULL; walked++) {
        assert_true(a->off > off); /* in order, each once */
        off = a->off;
        if (walked >= 1 && walked <= 40)
            assert_int_equal(a->kind, walked % 2 ? RLINT_CAV_OTHER : RLINT_CAV_PATH);
    }
    assert_int_equal(walked, ck.nav);
    assert_int_equal(off, strlen(many)); /* the last is the empty one after the final ";" */
}

static void test_octets_and_domain(void **state)
{
    (void)state;
    size_t at = 99;
    assert_true(rlint_cookie_octets("abc123!#$%&'()*+-./:<=>?@[]^_`{|}~", 34, &at));
    assert_true(rlint_cookie_octets("\"abc\"", 5, &at));
    assert_true(rlint_cookie_octets("", 0, &at));
    assert_true(rlint_cookie_octets("\"\"", 2, &at));
    assert_false(rlint_cookie_octets("a b", 3, &at));
    assert_int_equal(at, 1);
    assert_false(rlint_cookie_octets("a,b", 3, &at));
    assert_false(rlint_cookie_octets("a\\b", 3, &at));
    assert_false(rlint_cookie_octets("\"abc", 4, &at));
    assert_int_equal(at, 0);
    assert_false(rlint_cookie_octets("ab\"c", 4, &at));
    assert_false(rlint_cookie_octets("\"", 1, &at));
    assert_false(rlint_cookie_octets("caf\xc3\xa9", 5, &at));
    assert_int_equal(at, 3);

    assert_true(rlint_cookie_subdomain("example.com", 11));
    assert_true(rlint_cookie_subdomain(".example.com", 12));
    assert_true(rlint_cookie_subdomain("a-b.3com.example", 16));
    assert_true(rlint_cookie_subdomain("192.168.0.1", 11));
    assert_false(rlint_cookie_subdomain("example.com:8080", 16));
    assert_false(rlint_cookie_subdomain("..example.com", 13));
    assert_false(rlint_cookie_subdomain("", 0));
    assert_false(rlint_cookie_subdomain(".", 1));
    assert_false(rlint_cookie_subdomain("example.com.", 12));
    assert_false(rlint_cookie_subdomain("-a.example", 10));
    assert_false(rlint_cookie_subdomain("a-.example", 10));
    assert_false(rlint_cookie_subdomain("my_host.example", 15));
}

static bool cdate(const char *s, int64_t *t)
{
    const char *why = NULL;
    bool ok = rlint_cookie_date(s, strlen(s), t, &why);
    if (!ok)
        assert_non_null(why);
    return ok;
}

static void test_cookie_date(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_true(cdate("Sun, 06 Nov 1994 08:49:37 GMT", &t));
    assert_int_equal(t, 784111777);
    assert_true(cdate("Thu, 01 Jan 1970 00:00:00 GMT", &t));
    assert_int_equal(t, 0);
    /* RFC 850 / Netscape forms: the two-digit year is 19xx from 70, 20xx below */
    assert_true(cdate("Sunday, 06-Nov-94 08:49:37 GMT", &t));
    assert_int_equal(t, 784111777);
    assert_true(cdate("Sun, 06-Nov-2033 08:49:37 GMT", &t));
    assert_true(cdate("Wed, 09-Jun-21 10:18:14 GMT", &t));
    assert_int_equal(t, 1623233894);
    /* asctime, JavaScript Date.toString(), lower case, no day name */
    assert_true(cdate("Sun Nov  6 08:49:37 1994", &t));
    assert_int_equal(t, 784111777);
    assert_true(cdate("Sun Nov 06 1994 08:49:37 GMT+0000 (Coordinated Universal Time)", &t));
    assert_int_equal(t, 784111777);
    assert_true(cdate("06 nov 1994 08:49:37", &t));
    assert_true(cdate("1 January 2030 1:2:3", &t));
    assert_true(cdate("Mon, 29 Feb 2000 00:00:00 GMT", &t));
    assert_true(cdate("Fri, 31 Dec 9999 23:59:59 GMT", &t));

    static const char *const bad[] = {
        "",
        "0",
        "tomorrow",
        "2027-01-01",            /* no month name, no time */
        "2027-01-01T00:00:00Z",  /* "T" glues the time to the day: no time token */
        "Sun, 06 Nov 1994",      /* no time */
        "Sun, Nov 1994 08:49:37 GMT", /* no day */
        "Sun, 06 1994 08:49:37 GMT",  /* no month */
        "Sun, 06 Nov 08:49:37 GMT",   /* no year */
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1600 08:49:37 GMT", /* before 1601 */
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:60 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT", /* no such date */
        "Thu, 29 Feb 2001 08:49:37 GMT",
        "Sun, 06 Nov 1994 123:49:37 GMT", /* time-field is 1*2DIGIT */
        "Sun, 06 Nov 19945 08:49:37 GMT", /* year is 2*4DIGIT */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        if (cdate(bad[k], &t))
            fail_msg("accepted: %s", bad[k]);
    }
}

static bool origin(const char *s)
{
    const char *why = NULL;
    size_t at = 0;
    bool ok = rlint_serialized_origin(s, strlen(s), &why, &at);
    if (!ok) {
        assert_non_null(why);
        assert_true(at <= strlen(s));
    }
    return ok;
}

static void test_origin(void **state)
{
    (void)state;
    assert_true(origin("https://a.example"));
    assert_true(origin("http://localhost:8080"));
    assert_true(origin("https://a.example:8443"));
    assert_true(origin("http://127.0.0.1:3000"));
    assert_true(origin("http://[::1]:8080"));
    assert_true(origin("chrome-extension://abcdefghijklmnop"));
    assert_true(origin("http://my_host.example"));
    assert_true(origin("http://a.example:443")); /* not http's default port */

    assert_false(origin("https://a.example/"));
    assert_false(origin("https://a.example/path"));
    assert_false(origin("https://A.example"));
    assert_false(origin("HTTPS://a.example"));
    assert_false(origin("https://a.example:443"));
    assert_false(origin("http://a.example:80"));
    assert_false(origin("https://a.example:"));
    assert_false(origin("https://a.example:0443"));
    assert_false(origin("https://a.example:99999"));
    assert_false(origin("https://*.example.com"));
    assert_false(origin("*.example.com"));
    assert_false(origin("a.example"));
    assert_false(origin("https://"));
    assert_false(origin("Null"));
    assert_false(origin(""));
    assert_false(origin("https://a.example https://b.example"));
    assert_false(origin("http://[::G]"));
    assert_false(origin("http://[::A]"));
}

static bool hsts(const char *s, rlint_hsts_info *info)
{
    const char *why = NULL;
    size_t at = 0;
    bool ok = rlint_hsts(s, strlen(s), info, &why, &at);
    if (!ok)
        assert_non_null(why);
    return ok;
}

static void test_hsts(void **state)
{
    (void)state;
    rlint_hsts_info info;
    assert_true(hsts("max-age=31536000", &info));
    assert_int_equal(info.max_age, 31536000);
    assert_false(info.include_subdomains);
    assert_true(hsts("max-age=31536000; includeSubDomains; preload", &info));
    assert_true(info.include_subdomains);
    assert_true(hsts("max-age=\"31536000\"", &info)); /* T30: quoted-string is allowed */
    assert_int_equal(info.max_age, 31536000);
    assert_true(hsts("max-age=0", &info)); /* T31 */
    assert_true(hsts("MAX-AGE = 15768000 ; includesubdomains", &info));
    assert_true(hsts("max-age=15768000;", &info));
    assert_true(hsts(";max-age=15768000;;", &info));
    assert_true(hsts("max-age=99999999999999999999999", &info));
    assert_true(hsts("max-age=1; x-unknown=\"a;b\"", &info));

    assert_false(hsts("", &info));
    assert_false(hsts("includeSubDomains", &info));
    assert_false(hsts("max-age=31536000, includeSubDomains", &info));
    assert_false(hsts("max-age=31536000; max-age=1", &info));
    assert_false(hsts("max-age=31536000; includeSubDomains; includesubdomains", &info));
    assert_false(hsts("max-age", &info));
    assert_false(hsts("max-age=", &info));
    assert_false(hsts("max-age=-1", &info));
    assert_false(hsts("max-age=1y", &info));
    assert_false(hsts("max-age=\"abc\"", &info));
    assert_false(hsts("max-age=\"1", &info));
    assert_false(hsts("max-age=1 includeSubDomains", &info));
    assert_false(hsts("max-age:1", &info));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),         cmocka_unit_test(test_octets_and_domain),
        cmocka_unit_test(test_cookie_date),   cmocka_unit_test(test_origin),
        cmocka_unit_test(test_hsts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
