/* The cross-exchange memory (lib/core/xchg.c): what earlier responses to the same URL carried,
 * as rules see it (rlint_earlier), fed through the structured entry and through the stream;
 * URL identity; 1xx and responses without a URL not remembered; the cap said once. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include "internal.h"
#include "resplint/capture.h"

static resplint_field F(const char *name, const char *value)
{
    resplint_field f = {name, strlen(name), value, strlen(value), RESPLINT_NO_OFFSET, 0};
    return f;
}

/* A response to method on url with these fields, HTTP/1.1, no body. */
static resplint_response response_of(int status, const char *method, const char *url,
                                     const resplint_field *fields, size_t n)
{
    resplint_response r = RESPLINT_RESPONSE_INIT;
    r.status = status;
    r.version_major = 1;
    r.version_minor = 1;
    r.fields = fields;
    r.field_count = n;
    r.body_length = 0;
    r.method = method;
    r.method_len = method ? strlen(method) : 0;
    r.url = url;
    r.url_len = url ? strlen(url) : 0;
    r.offset = RESPLINT_NO_OFFSET;
    return r;
}

static int check(const resplint_config *cfg, resplint_exchanges *x, int status,
                 const char *method, const char *url, const resplint_field *fields, size_t n,
                 rltest_result *out)
{
    resplint_response r = response_of(status, method, url, fields, n);
    return resplint_check_exchange(cfg, x, &r, 0, rltest_on_finding, out);
}

/* What a rule asking about this URL would get. */
static const rlint_prior *earlier(resplint_exchanges *x, const char *url, int status, bool get)
{
    static rlint_ctx c;
    memset(&c, 0, sizeof c);
    c.xchg = x;
    c.url_key = rlint_url_key(url, strlen(url));
    return rlint_earlier(&c, status, get);
}

#define BIT(f) (1ull << RLINT_F_##f)

static void test_earlier_200_to_get(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    resplint_exchanges *x = resplint_exchanges_new(cfg);
    assert_non_null(x);
    static rltest_result out;
    memset(&out, 0, sizeof out);
    const char *u = "https://example.com/a?b=1";
    assert_null(earlier(x, u, 200, true));

    resplint_field ok[] = {F("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), F("ETag", "\"v1\""),
                           F("Cache-Control", "max-age=60"), F("Vary", "Accept-Encoding"),
                           F("Content-Length", "0")};
    assert_true(check(cfg, x, 200, "GET", u, ok, 5, &out) >= 0);
    assert_int_equal(resplint_exchanges_count(x), 1);
    const rlint_prior *p = earlier(x, u, 200, true);
    assert_non_null(p);
    assert_int_equal(p->status, 200);
    assert_true(p->get);
    assert_int_equal(p->present & (BIT(DATE) | BIT(ETAG) | BIT(CACHE_CONTROL) | BIT(VARY) |
                                   BIT(EXPIRES) | BIT(CONTENT_LOCATION)),
                     BIT(DATE) | BIT(ETAG) | BIT(CACHE_CONTROL) | BIT(VARY));

    /* the same URL: fragment ignored, scheme and host case-folded; the path is not */
    assert_non_null(earlier(x, "HTTPS://Example.COM/a?b=1#top", 200, true));
    assert_null(earlier(x, "https://example.com/A?b=1", 200, true));
    assert_null(earlier(x, "http://example.com/a?b=1", 200, true));

    /* a later 304 replaces the latest response, not the latest 200 to GET */
    resplint_field nm[] = {F("Date", "Sun, 06 Nov 1994 08:49:38 GMT")};
    assert_true(check(cfg, x, 304, "GET", u, nm, 1, &out) >= 0);
    assert_int_equal(earlier(x, u, 0, false)->status, 304);
    assert_int_equal(earlier(x, u, 304, true)->status, 304);
    assert_null(earlier(x, u, 404, false));
    assert_int_equal(earlier(x, u, 200, true)->present & BIT(ETAG), BIT(ETAG));

    /* a 200 to POST is not a 200 to GET; a 1xx and a response without URL are not kept */
    const char *v = "https://example.com/post";
    assert_true(check(cfg, x, 200, "POST", v, nm, 1, &out) >= 0);
    assert_null(earlier(x, v, 200, true));
    assert_non_null(earlier(x, v, 200, false));
    assert_true(check(cfg, x, 103, "GET", "https://example.com/hints", nm, 1, &out) >= 0);
    assert_null(earlier(x, "https://example.com/hints", 0, false));
    size_t before = resplint_exchanges_count(x);
    assert_true(check(cfg, x, 200, "GET", NULL, ok, 5, &out) >= 0);
    assert_int_equal(resplint_exchanges_count(x), before);
    /* without a memory nothing is remembered, and nothing is found */
    assert_true(check(cfg, NULL, 200, "GET", u, ok, 5, &out) >= 0);
    assert_int_equal(rltest_count(&out, "RL9004"), 0);
    resplint_exchanges_free(x);
    resplint_exchanges_free(NULL);
    resplint_config_free(cfg);
}

static void test_cap_said_once(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_EXCHANGE_URLS, 2), 0);
    resplint_exchanges *x = resplint_exchanges_new(cfg);
    static rltest_result out;
    memset(&out, 0, sizeof out);
    resplint_field d[] = {F("Date", "Sun, 06 Nov 1994 08:49:37 GMT")};
    char url[64];
    for (int i = 0; i < 5; i++) {
        snprintf(url, sizeof url, "http://example.com/%d", i);
        assert_true(check(cfg, x, 200, "GET", url, d, 1, &out) >= 0);
    }
    assert_int_equal(resplint_exchanges_count(x), 2);
    assert_int_equal(rltest_count(&out, "RL9004"), 1);
    assert_non_null(strstr(rltest_find(&out, "RL9004")->message, "more than 2 request URLs"));
    /* known URLs are still updated past the cap */
    assert_true(check(cfg, x, 304, "GET", "http://example.com/0", d, 1, &out) >= 0);
    assert_int_equal(earlier(x, "http://example.com/0", 0, false)->status, 304);
    assert_null(earlier(x, "http://example.com/4", 0, false));
    resplint_exchanges_free(x);
    resplint_config_free(cfg);
}

/* Through the stream: each response takes its request's URL; interim ones only borrow it. */
static void test_stream_urls(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    resplint_exchanges *x = resplint_exchanges_new(cfg);
    static rltest_result out;
    memset(&out, 0, sizeof out);
    resplint_stream *s = resplint_stream_new(cfg, rltest_on_finding, &out);
    resplint_stream_set_exchanges(s, x);
    resplint_stream_set_scheme(s, RESPLINT_SCHEME_HTTPS);
    const char *a = "https://example.com/a", *b = "https://example.com/b";
    assert_int_equal(resplint_stream_push_request_url(s, "GET", 1, 1, a, strlen(a)), 0);
    assert_int_equal(resplint_stream_push_request_url(s, "GET", 1, 1, b, strlen(b)), 0);
    assert_int_equal(resplint_stream_push_request_url(s, "GET", 1, 1, NULL, 0), 0);
    static const char bytes[] =
        "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
        "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nETag: \"1\"\r\n"
        "Content-Length: 0\r\n\r\n"
        "HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n"
        "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";
    assert_int_equal(resplint_stream_feed(s, bytes, sizeof bytes - 1), 0);
    assert_int_equal(resplint_stream_finish(s), 0);
    assert_int_equal(resplint_exchanges_count(x), 2);
    const rlint_prior *p = earlier(x, a, 200, true);
    assert_non_null(p);
    assert_int_equal(p->present & BIT(ETAG), BIT(ETAG));
    assert_int_equal(earlier(x, b, 0, false)->status, 404);
    assert_null(earlier(x, b, 200, true));
    /* queued URLs count in the stream's memory; a reset drops them (nothing leaks, ASan says) */
    size_t before = resplint_stream_memory(s);
    assert_int_equal(resplint_stream_push_request_url(s, "GET", 1, 1, a, strlen(a)), 0);
    assert_true(resplint_stream_memory(s) >= before + strlen(a));
    resplint_stream_reset(s);
    assert_true(resplint_stream_memory(s) < before + strlen(a));
    resplint_stream_free(s);
    resplint_exchanges_free(x);
    resplint_config_free(cfg);
}

/* The raw reader with --request: each response's URL from its request's target and Host,
 * with the scheme given (or "//host/..." without), absolute-form targets as they are. */
typedef struct urls {
    char url[8][128];
    int scheme[8];
    size_t n;
} urls;

static void keep_url(const resplint_response *r, const resplint_origin *o, void *user)
{
    (void)o;
    urls *u = user;
    if (u->n < 8) {
        snprintf(u->url[u->n], sizeof u->url[0], "%.*s", (int)r->url_len,
                 r->url ? r->url : "");
        u->scheme[u->n] = (int)r->scheme;
    }
    u->n++;
}

static void no_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    (void)f, (void)o, (void)user;
}

static void lint_raw(const char *req, const char *resp, resplint_scheme scheme, urls *u)
{
    char rq[] = "/tmp/test_xchg_req_XXXXXX", rs[] = "/tmp/test_xchg_resp_XXXXXX";
    int a = mkstemp(rq), b = mkstemp(rs);
    assert_true(a >= 0 && b >= 0);
    FILE *f = fdopen(a, "wb");
    fputs(req, f);
    fclose(f);
    f = fdopen(b, "wb");
    fputs(resp, f);
    fclose(f);
    resplint_config *cfg = resplint_config_new();
    resplint_capture_options opts;
    memset(&opts, 0, sizeof opts);
    opts.size = sizeof opts;
    opts.kind = RESPLINT_INPUT_RAW;
    opts.request_path = rq;
    opts.scheme = scheme;
    resplint_capture_handler h = {sizeof h, no_finding, keep_url, NULL, u, NULL};
    resplint_capture_stats st;
    char err[256];
    memset(u, 0, sizeof *u);
    assert_int_equal(resplint_capture_file(cfg, rs, NULL, &opts, &h, &st, err, sizeof err), 0);
    resplint_config_free(cfg);
    remove(rq);
    remove(rs);
}

static void test_raw_request_urls(void **state)
{
    (void)state;
    static const char req[] =
        "GET /a?x=1 HTTP/1.1\r\nHost: Example.com:8080 \r\nAccept: */*\r\n\r\n"
        "GET http://other.example/b HTTP/1.1\r\nHost: ignored.example\r\n\r\n"
        "GET /c HTTP/1.1\r\nUser-Agent: t\r\n\r\n"
        "GET /d HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n"
        "OPTIONS * HTTP/1.1\r\nHost: a.example\r\n\r\n";
    static const char resp[] = "HTTP/1.1 204 No Content\r\n\r\n"
                               "HTTP/1.1 204 No Content\r\n\r\n"
                               "HTTP/1.1 204 No Content\r\n\r\n"
                               "HTTP/1.1 204 No Content\r\n\r\n"
                               "HTTP/1.1 204 No Content\r\n\r\n";
    static urls u;
    lint_raw(req, resp, RESPLINT_SCHEME_HTTPS, &u);
    assert_int_equal(u.n, 5);
    assert_string_equal(u.url[0], "https://Example.com:8080/a?x=1");
    assert_string_equal(u.url[1], "http://other.example/b");
    assert_string_equal(u.url[2], ""); /* no Host */
    assert_string_equal(u.url[3], ""); /* two Host fields */
    assert_string_equal(u.url[4], ""); /* asterisk-form */
    assert_int_equal(u.scheme[0], RESPLINT_SCHEME_HTTPS);
    lint_raw(req, resp, RESPLINT_SCHEME_UNKNOWN, &u);
    assert_string_equal(u.url[0], "//Example.com:8080/a?x=1");
    assert_int_equal(u.scheme[0], RESPLINT_SCHEME_UNKNOWN);
}

/* ---- deferred memories (a capture checked in shards) ---- */

/* What the checks of a deferred memory hand out, in call order: findings and notes. */
typedef struct deferred_log {
    struct {
        bool note;
        resplint_exchange_note n;
        resplint_finding f;
        char message[512];
    } ev[64];
    size_t n;
} deferred_log;

static void log_finding(const resplint_finding *f, void *user)
{
    deferred_log *l = user;
    assert_true(l->n < 64);
    l->ev[l->n].note = false;
    l->ev[l->n].f = *f;
    snprintf(l->ev[l->n].message, sizeof l->ev[l->n].message, "%s", f->message);
    l->n++;
}

static void log_note(const resplint_exchange_note *note, const resplint_finding *f, void *user)
{
    deferred_log *l = user;
    assert_true(l->n < 64);
    assert_null(f->message);
    l->ev[l->n].note = true;
    l->ev[l->n].n = *note;
    l->ev[l->n].f = *f;
    l->n++;
}

static int check_logged(const resplint_config *cfg, resplint_exchanges *x, int status,
                        const char *url, const resplint_field *fields, size_t n,
                        deferred_log *log)
{
    resplint_response r = response_of(status, "GET", url, fields, n);
    return resplint_check_exchange(cfg, x, &r, 0, log_finding, log);
}

/* The same exchanges checked with an ordinary memory, and with a deferred one whose notes are
 * then applied in order to an ordinary memory: the same findings in the same order (RL5012
 * with its message, the memory's RL9004 at the first URL past the limit). */
static void test_deferred_notes(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_EXCHANGE_URLS, 2), 0);
    resplint_field full[] = {F("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), F("ETag", "\"v1\""),
                             F("Cache-Control", "max-age=60"), F("Vary", "Accept-Encoding"),
                             F("Content-Length", "0")};
    resplint_field bare[] = {F("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), F("ETag", "\"v1\"")};
    struct {
        int status;
        const char *url;
        const resplint_field *f;
        size_t n;
    } seq[] = {{200, "http://a.example/p", full, 5}, {304, "http://a.example/p", bare, 2},
               {304, "http://a.example/q", bare, 2}, {200, "http://a.example/q", full, 5},
               {304, "http://a.example/q", full, 4}, {200, "http://a.example/r", full, 5},
               {200, "http://a.example/s", full, 5}, {304, "http://a.example/p", bare, 2}};
    static deferred_log plain, deferred;
    memset(&plain, 0, sizeof plain);
    memset(&deferred, 0, sizeof deferred);
    resplint_exchanges *x = resplint_exchanges_new(cfg);
    assert_null(resplint_exchanges_new_deferred(cfg, NULL));
    resplint_exchanges *d = resplint_exchanges_new_deferred(cfg, log_note);
    assert_non_null(x);
    assert_non_null(d);
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        assert_true(check_logged(cfg, x, seq[i].status, seq[i].url, seq[i].f, seq[i].n, &plain) >= 0);
        assert_true(check_logged(cfg, d, seq[i].status, seq[i].url, seq[i].f, seq[i].n, &deferred) >=
                    0);
    }
    /* a deferred memory decides nothing */
    for (size_t i = 0; i < deferred.n; i++)
        if (!deferred.ev[i].note)
            assert_string_not_equal(deferred.ev[i].f.rule->id, "RL5012");
    assert_int_equal(resplint_exchanges_apply(d, &deferred.ev[0].n, &deferred.ev[0].f, log_finding,
                                              &plain),
                     RESPLINT_EINVAL);
    /* the notes applied in order */
    static deferred_log merged;
    memset(&merged, 0, sizeof merged);
    resplint_exchanges *m = resplint_exchanges_new(cfg);
    for (size_t i = 0; i < deferred.n; i++) {
        if (!deferred.ev[i].note) {
            deferred.ev[i].f.message = deferred.ev[i].message;
            log_finding(&deferred.ev[i].f, &merged);
            continue;
        }
        assert_true(resplint_exchanges_apply(m, &deferred.ev[i].n, &deferred.ev[i].f, log_finding,
                                             &merged) >= 0);
    }
    assert_int_equal(merged.n, plain.n);
    size_t rl5012 = 0, rl9004 = 0;
    for (size_t i = 0; i < plain.n; i++) {
        assert_string_equal(merged.ev[i].f.rule->id, plain.ev[i].f.rule->id);
        assert_string_equal(merged.ev[i].message, plain.ev[i].message);
        assert_int_equal(merged.ev[i].f.severity, plain.ev[i].f.severity);
        rl5012 += strcmp(plain.ev[i].f.rule->id, "RL5012") == 0;
        rl9004 += strcmp(plain.ev[i].f.rule->id, "RL9004") == 0;
    }
    assert_int_equal(rl5012, 2); /* the first 304 to /p, and the last one: /q's 304 had all */
    assert_int_equal(rl9004, 1); /* /r is the third URL of a memory of 2 */
    assert_int_equal(resplint_exchanges_count(m), resplint_exchanges_count(x));
    resplint_exchanges_free(x);
    resplint_exchanges_free(d);
    resplint_exchanges_free(m);
    resplint_config_free(cfg);
}

/* Many URLs: the key table grows (kept at most half full) apart from what is remembered
 * (dense, in arrival order); every URL still finds its own entry after every growth, the memory
 * full at its limit still finds the URLs it holds, and a new URL there is counted out. */
static void test_many_urls(void **state)
{
    (void)state;
    enum { N = 5000 };
    resplint_config *cfg = resplint_config_new();
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_EXCHANGE_URLS, N), 0);
    resplint_exchanges *x = resplint_exchanges_new(cfg);
    assert_non_null(x);
    resplint_field with_etag[] = {F("ETag", "\"v\""), F("Content-Length", "0")};
    resplint_field without[] = {F("Content-Length", "0")};
    char url[64];
    static rltest_result res;
    for (int i = 0; i < N; i++) {
        snprintf(url, sizeof url, "http://a.example/item/%d", i);
        res.n = 0;
        /* even URLs: a 200 to GET with an ETag; odd ones: a 404 to HEAD without */
        if (i % 2 == 0)
            assert_true(check(cfg, x, 200, "GET", url, with_etag, 2, &res) >= 0);
        else
            assert_true(check(cfg, x, 404, "HEAD", url, without, 1, &res) >= 0);
        assert_int_equal(resplint_exchanges_count(x), (size_t)i + 1);
    }
    for (int i = 0; i < N; i++) {
        snprintf(url, sizeof url, "http://a.example/item/%d", i);
        const rlint_prior *ok = earlier(x, url, 200, true);
        const rlint_prior *any = earlier(x, url, 0, false);
        assert_non_null(any);
        if (i % 2 == 0) {
            assert_non_null(ok);
            assert_int_equal(ok->status, 200);
            assert_true(ok->present & BIT(ETAG));
        } else {
            assert_null(ok);
            assert_int_equal(any->status, 404);
            assert_false(any->present & BIT(ETAG));
        }
    }
    /* full: a new URL is not remembered, the old ones still are */
    res.n = 0;
    assert_true(check(cfg, x, 200, "GET", "http://a.example/new", with_etag, 2, &res) >= 0);
    assert_int_equal(resplint_exchanges_count(x), N);
    assert_null(earlier(x, "http://a.example/new", 0, false));
    assert_non_null(earlier(x, "http://a.example/item/4998", 200, true));
    resplint_exchanges_free(x);
    resplint_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_earlier_200_to_get),
        cmocka_unit_test(test_cap_said_once),
        cmocka_unit_test(test_stream_urls),
        cmocka_unit_test(test_raw_request_urls),
        cmocka_unit_test(test_deferred_notes),
        cmocka_unit_test(test_many_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
