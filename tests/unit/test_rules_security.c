/* The RL6xxx family on whole responses: the traps of RULES.md (T17, T19-T35) give no finding
 * on the default configuration, the SameSite=None example, and what the messages say. */
#include "helpers.h"

#define HEAD "HTTP/1.1 200 OK\r\nDate: Sun, 06 Dec 2026 10:00:00 GMT\r\nCache-Control: no-cache\r\n"
#define TAIL "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"

/* Each trap: no finding at all with the default rules. */
static void test_traps(void **state)
{
    (void)state;
    static const char *const traps[] = {
        /* T17 several Set-Cookie fields */
        HEAD "Set-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; Path=/\r\nSet-Cookie: c=3\r\n" TAIL,
        /* T19 Max-Age=0 deletes */
        HEAD "Set-Cookie: sid=; Path=/; Max-Age=0\r\n" TAIL,
        /* T20 a leading dot on Domain */
        HEAD "Set-Cookie: sid=1; Domain=.example.com; Path=/\r\n" TAIL,
        /* T21 a quoted value; Partitioned, Priority=High */
        HEAD "Set-Cookie: sid=\"abc\"; Path=/; Secure; SameSite=None; Partitioned; "
             "Priority=High\r\n" TAIL,
        /* T22 an RFC 850 / Netscape Expires on default settings (RL6004 is advice) */
        HEAD "Set-Cookie: sid=1; Path=/; Expires=Wed, 06-Jan-2027 10:00:00 GMT\r\n"
             "Set-Cookie: b=1; Path=/; Expires=Wednesday, 06-Jan-27 10:00:00 GMT\r\n" TAIL,
        /* T23 the same name with another Path or Domain */
        HEAD "Set-Cookie: sid=1; Path=/\r\nSet-Cookie: sid=2; Path=/app\r\n"
             "Set-Cookie: sid=3; Path=/; Domain=example.com\r\n" TAIL,
        /* T24 correct prefixed cookies (raw: scheme unknown) */
        HEAD "Set-Cookie: __Host-sid=1; Secure; Path=/; HttpOnly\r\n"
             "Set-Cookie: __Secure-id=2; Secure; Domain=example.com; Path=/\r\n" TAIL,
        /* T25 Secure, and SameSite=None; Secure, with the scheme unknown */
        HEAD "Set-Cookie: a=1; Secure\r\nSet-Cookie: b=1; SameSite=None; Secure\r\n" TAIL,
        /* T26 CORS preflight fields on a GET response */
        HEAD "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: GET, POST\r\n"
             "Access-Control-Allow-Headers: Content-Type\r\nAccess-Control-Max-Age: 600\r\n" TAIL,
        /* T27 null; an origin with Vary and credentials */
        HEAD "Access-Control-Allow-Origin: null\r\n" TAIL,
        HEAD "Access-Control-Allow-Origin: https://app.example\r\n"
             "Vary: Accept-Encoding, Origin\r\nAccess-Control-Allow-Credentials: true\r\n" TAIL,
        /* T28 Pragma: no-cache */
        HEAD "Pragma: no-cache\r\n" TAIL,
        /* T30 HSTS max-age quoted, preload */
        HEAD "Strict-Transport-Security: max-age=\"31536000\"; includeSubDomains; preload\r\n" TAIL,
        /* T31 max-age=0, and one line sent twice */
        HEAD "Strict-Transport-Security: max-age=0\r\n" TAIL,
        HEAD "Strict-Transport-Security: max-age=31536000\r\n"
             "Strict-Transport-Security: max-age=31536000\r\n" TAIL,
        /* T32 HSTS in a raw stream with no scheme given */
        HEAD "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n" TAIL,
        /* T33 SAMEORIGIN twice; NoSniff, nosniff */
        HEAD "X-Frame-Options: SAMEORIGIN\r\nX-Frame-Options: SAMEORIGIN\r\n"
             "X-Content-Type-Options: NoSniff, nosniff\r\n" TAIL,
        /* T34 ALLOW-FROM next to CSP frame-ancestors */
        HEAD "X-Frame-Options: ALLOW-FROM https://a.example\r\n"
             "Content-Security-Policy: frame-ancestors https://a.example\r\n" TAIL,
        /* T35 X-XSS-Protection: 0 */
        HEAD "X-XSS-Protection: 0\r\n" TAIL,
    };
    for (size_t k = 0; k < sizeof traps / sizeof traps[0]; k++) {
        rltest_result r;
        rltest_stream(&r, traps[k], strlen(traps[k]), 0, NULL);
        if (r.n) {
            rltest_dump(&r);
            fail_msg("trap %zu raised a finding:\n%s", k, traps[k]);
        }
    }
}

/* T27's third case: a specific origin on a no-store response, RL6023 enabled on purpose. */
static void test_acao_no_store(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    assert_int_equal(resplint_config_enable(cfg, "RL6023"), 0);
    resplint_config_set_rule(cfg, "RL4008", RESPLINT_OFF);
    static const char no_store[] = "HTTP/1.1 200 OK\r\nDate: Sun, 06 Dec 2026 10:00:00 GMT\r\n"
                                   "Cache-Control: no-store\r\n"
                                   "Access-Control-Allow-Origin: https://app.example\r\n" TAIL;
    static const char cached[] = "HTTP/1.1 200 OK\r\nDate: Sun, 06 Dec 2026 10:00:00 GMT\r\n"
                                 "Cache-Control: max-age=60\r\n"
                                 "Access-Control-Allow-Origin: https://app.example\r\n" TAIL;
    rltest_result r;
    rltest_stream_cfg(&r, cfg, RLTEST_S(no_store), 0, NULL);
    rltest_expect(&r, NULL);
    rltest_stream_cfg(&r, cfg, RLTEST_S(cached), 0, NULL);
    rltest_expect(&r, "RL6023", NULL);
    resplint_config_free(cfg);
}

/* The example: RL6007, and nothing from the family once Secure is added. */
static void test_samesite_none(void **state)
{
    (void)state;
    static const char insecure[] =
        "HTTP/1.1 200 OK\r\nSet-Cookie: sid=1; SameSite=None\r\nContent-Length: 0\r\n\r\n";
    static const char secure[] =
        "HTTP/1.1 200 OK\r\nSet-Cookie: sid=1; SameSite=None; Secure\r\nContent-Length: 0\r\n\r\n";
    rltest_result r;
    rltest_stream(&r, RLTEST_S(insecure), 0, NULL);
    rltest_expect(&r, "RL6007", NULL);
    assert_non_null(strstr(r.f[0].message, "browsers ignore this cookie"));
    assert_non_null(strstr(r.f[0].message, "SameSite=None requires Secure"));
    rltest_stream(&r, RLTEST_S(secure), 0, NULL);
    rltest_expect(&r, NULL);
    /* byte by byte: the same */
    rltest_stream(&r, RLTEST_S(insecure), 1, NULL);
    rltest_expect(&r, "RL6007", NULL);
}

/* The last SameSite attribute decides, as in the storage model (and in Chromium). */
static void test_samesite_last_wins(void **state)
{
    (void)state;
    static const char lax_last[] = HEAD "Set-Cookie: a=1; SameSite=None; SameSite=Lax\r\n" TAIL;
    static const char none_last[] = HEAD "Set-Cookie: a=1; SameSite=Lax; SameSite=None\r\n" TAIL;
    rltest_result r;
    rltest_stream(&r, RLTEST_S(lax_last), 0, NULL);
    rltest_expect(&r, "RL6009", NULL);
    rltest_stream(&r, RLTEST_S(none_last), 0, NULL);
    rltest_expect(&r, "RL6009", "RL6007", NULL);
}

/* Controls in a value are RL4006's on raw input: the cookie grammar does not repeat them. */
static void test_control_bytes_once(void **state)
{
    (void)state;
    static const char ctl[] = HEAD "Set-Cookie: a=x\x01y; Path=/\r\n" TAIL;
    rltest_result r;
    rltest_stream(&r, RLTEST_S(ctl), 0, NULL);
    rltest_expect(&r, "RL4006", NULL);
}

/* Messages name the cookie and the browser's behaviour. */
static void test_messages(void **state)
{
    (void)state;
    static const char prefix[] = HEAD "Set-Cookie: __Host-sid=1; Domain=example.com\r\n" TAIL;
    static const char hsts[] = HEAD "Strict-Transport-Security: max-age=31536000, "
                                    "includeSubDomains\r\n" TAIL;
    static const char acao[] = HEAD "Access-Control-Allow-Origin: https://a.example/\r\n" TAIL;
    rltest_result r;
    rltest_stream(&r, RLTEST_S(prefix), 0, NULL);
    rltest_expect(&r, "RL6008", NULL);
    assert_non_null(strstr(r.f[0].message, "__Host-sid"));
    assert_non_null(strstr(r.f[0].message, "no Secure, a Domain attribute, no Path=/"));
    rltest_stream(&r, RLTEST_S(hsts), 0, NULL);
    rltest_expect(&r, "RL6030", NULL);
    assert_non_null(strstr(r.f[0].message, "browsers ignore this Strict-Transport-Security"));
    rltest_stream(&r, RLTEST_S(acao), 0, NULL);
    rltest_expect(&r, "RL6021", NULL);
    assert_non_null(strstr(r.f[0].message, "trailing slash"));
}

static void on_structured(const resplint_finding *f, void *user)
{
    rltest_on_finding(f, user);
}

static void check_structured(rltest_result *r, const resplint_field *fields, size_t n,
                             const char *url, resplint_scheme scheme, unsigned provenance)
{
    memset(r, 0, sizeof *r);
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    resplint_response resp;
    memset(&resp, 0, sizeof resp);
    resp.status = 200;
    resp.version_major = 1;
    resp.version_minor = 1;
    resp.fields = fields;
    resp.field_count = n;
    resp.body_length = 0;
    resp.offset = RESPLINT_NO_OFFSET;
    resp.url = url;
    resp.url_len = url ? strlen(url) : 0;
    resp.scheme = scheme;
    resp.provenance = provenance;
    assert_true(resplint_check_response(cfg, &resp, 0, on_structured, r) >= 0);
    resplint_config_free(cfg);
}

#define FIELD(n, v) {.name = (n), .name_len = sizeof(n) - 1, .value = (v), .value_len = sizeof(v) - 1}

/* A recorder that joined repeated Set-Cookie fields (nock's Fetch Headers): the joined line is
 * not judged, a line with one cookie still is. */
static void test_merged_fields(void **state)
{
    (void)state;
    const resplint_field joined[] = {
        FIELD("Date", "Sun, 06 Dec 2026 10:00:00 GMT"),
        FIELD("Cache-Control", "no-cache"),
        FIELD("set-cookie", "a=1; Path=/; Expires=Wed, 06 Jan 2027 10:00:00 GMT, b=2; Path=/"),
        FIELD("strict-transport-security", "max-age=1, max-age=1"),
    };
    rltest_result r;
    check_structured(&r, joined, 4, NULL, RESPLINT_SCHEME_UNKNOWN, RESPLINT_PROV_FIELDS_MERGED);
    rltest_expect(&r, NULL);
    /* the same lines from a server: Path twice (the second cookie reads as the tail of an
     * Expires), a comma where HSTS wants ";" */
    check_structured(&r, joined, 4, NULL, RESPLINT_SCHEME_UNKNOWN, 0);
    rltest_expect(&r, "RL6009", "RL6030", NULL);
    const resplint_field one[] = {
        FIELD("Date", "Sun, 06 Dec 2026 10:00:00 GMT"),
        FIELD("Cache-Control", "no-cache"),
        FIELD("set-cookie", "sid=1; Expires=Wed, 06 Jan 2027 10:00:00 GMT; SameSite=None"),
    };
    check_structured(&r, one, 3, NULL, RESPLINT_SCHEME_UNKNOWN, RESPLINT_PROV_FIELDS_MERGED);
    rltest_expect(&r, "RL6007", NULL);
}

/* RL6012 and RL6031 speak only when the scheme is known to be http (T25, T29, T32), and a
 * loopback or localhost origin is a secure context for cookies. */
static void test_scheme(void **state)
{
    (void)state;
    const resplint_field f[] = {
        FIELD("Date", "Sun, 06 Dec 2026 10:00:00 GMT"),
        FIELD("Cache-Control", "no-cache"),
        FIELD("Set-Cookie", "sid=1; Path=/; Secure; SameSite=None"),
        FIELD("Strict-Transport-Security", "max-age=31536000"),
    };
    rltest_result r;
    check_structured(&r, f, 4, NULL, RESPLINT_SCHEME_UNKNOWN, 0);
    rltest_expect(&r, NULL);
    check_structured(&r, f, 4, "https://example.com/", RESPLINT_SCHEME_HTTPS, 0);
    rltest_expect(&r, NULL);
    check_structured(&r, f, 4, "http://example.com/login", RESPLINT_SCHEME_HTTP, 0);
    rltest_expect(&r, "RL6012", "RL6031", NULL);
    assert_non_null(strstr(r.f[0].message, "browsers ignore this cookie"));
    check_structured(&r, f, 4, NULL, RESPLINT_SCHEME_HTTP, 0); /* --scheme http on raw */
    rltest_expect(&r, "RL6012", "RL6031", NULL);
    static const char *const trustworthy[] = {
        "http://localhost:3000/", "http://127.0.0.1/", "http://127.8.9.10:81/x",
        "http://[::1]:8080/", "http://app.localhost/", "http://user@LOCALHOST/"};
    for (size_t k = 0; k < sizeof trustworthy / sizeof trustworthy[0]; k++) {
        check_structured(&r, f, 4, trustworthy[k], RESPLINT_SCHEME_HTTP, 0);
        rltest_expect(&r, "RL6031", NULL);
    }
    static const char *const not_trustworthy[] = {
        "http://127.0.0.1.example/", "http://localhost.example/", "http://10.0.0.1/",
        "http://[::2]/", "http://128.0.0.1/"};
    for (size_t k = 0; k < sizeof not_trustworthy / sizeof not_trustworthy[0]; k++) {
        check_structured(&r, f, 4, not_trustworthy[k], RESPLINT_SCHEME_HTTP, 0);
        rltest_expect(&r, "RL6012", "RL6031", NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traps),           cmocka_unit_test(test_acao_no_store),
        cmocka_unit_test(test_samesite_none),   cmocka_unit_test(test_samesite_last_wins),
        cmocka_unit_test(test_control_bytes_once), cmocka_unit_test(test_messages),
        cmocka_unit_test(test_merged_fields),   cmocka_unit_test(test_scheme),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
