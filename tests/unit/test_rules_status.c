/* The status-line, status-requirement and framing rules RL1006-RL1011, RL2015, RL2020-RL2027
 * and RL3004-RL3006: each fires where RULES.md says, with the traps of RULES.md as negative
 * cases, over every chunking of the bytes and, where the rule allows, on structured input. */
#include "helpers.h"

#define DATE "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"

#define RLTEST_ARRAY(a) (sizeof(a) / sizeof((a)[0]))

static const size_t chunkings[] = {0, 1, 2, 3, 5, 7, 13, 64};

/* Lints bytes with a request context of method and version for every response. */
static void stream_req(rltest_result *r, const resplint_config *cfg, const char *data,
                       size_t len, size_t chunk, const char *method, unsigned major,
                       unsigned minor)
{
    memset(r, 0, sizeof *r);
    resplint_config *own = NULL;
    if (!cfg) {
        cfg = own = resplint_config_new();
        assert_non_null(own);
        /* test responses carry no Content-Type (RL7001 has its own fixtures) */
        resplint_config_set_rule(own, "RL7001", RESPLINT_OFF);
    }
    assert_non_null(cfg);
    resplint_stream *s = resplint_stream_new(cfg, rltest_on_finding, r);
    assert_non_null(s);
    resplint_stream_on_response(s, rltest_on_response);
    if (method || major)
        assert_int_equal(resplint_stream_set_default_request(s, method, major, minor), 0);
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

typedef struct rcase {
    const char *bytes;
    size_t len;
    const char *method; /* request context, NULL when none */
    unsigned major, minor;
    const char *want[4]; /* the exact multiset of rule ids, NULL-terminated */
    size_t responses;
} rcase;

#define BYTES(lit) (lit), (sizeof(lit) - 1)

static void expect_ids(const rltest_result *r, const char *const *want, size_t i, size_t chunk)
{
    size_t n = 0;
    for (; n < 4 && want[n]; n++)
        if (rltest_count(r, want[n]) == 0) {
            rltest_dump(r);
            fail_msg("case %zu, chunks of %zu: expected %s", i, chunk, want[n]);
        }
    if (r->n != n) {
        rltest_dump(r);
        fail_msg("case %zu, chunks of %zu: expected %zu findings, got %zu", i, chunk, n, r->n);
    }
}

static void run_cases(const rcase *cases, size_t ncases, const resplint_config *cfg)
{
    rltest_result r;
    for (size_t i = 0; i < ncases; i++)
        for (size_t k = 0; k < RLTEST_ARRAY(chunkings); k++) {
            stream_req(&r, cfg, cases[i].bytes, cases[i].len, chunkings[k], cases[i].method,
                       cases[i].major, cases[i].minor);
            expect_ids(&r, cases[i].want, i, chunkings[k]);
            if (cases[i].responses)
                assert_int_equal(r.responses, cases[i].responses);
        }
}

/* ---- RL1006, RL1007 ---- */

static void test_obsolete_and_experimental(void **state)
{
    (void)state;
    static const rcase cases[] = {
        {BYTES("HTTP/1.1 510 Not Extended\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL1006"}, 1},
        {BYTES("HTTP/1.1 425 Too Early\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL1007"}, 1},
        {BYTES("HTTP/1.1 104 Upload Resumption Supported\r\n\r\n"
               "HTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {"RL1007"}, 2},
    };
    run_cases(cases, RLTEST_ARRAY(cases), NULL);

    rltest_result r;
    rltest_stream(&r, RLTEST_S("HTTP/1.1 425 Too Early\r\n" DATE "Content-Length: 0\r\n\r\n"), 0,
                  NULL);
    assert_non_null(strstr(rltest_find(&r, "RL1007")->message, "standards track"));
    assert_int_equal(rltest_find(&r, "RL1007")->severity, RESPLINT_INFO);
    rltest_stream(&r, RLTEST_S("HTTP/1.1 104 Upload Resumption Supported\r\n\r\n"), 0, NULL);
    assert_non_null(strstr(rltest_find(&r, "RL1007")->message, "temporary"));
}

/* ---- RL1008 ---- */

static void test_reason_phrase_mismatch(void **state)
{
    (void)state;
    static const rcase cases[] = {
        {BYTES("HTTP/1.1 404 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1008"}, 1},
        {BYTES("HTTP/1.1 200 not found\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL1008"}, 1},
        /* traps: old or local wordings, an empty phrase, another case */
        {BYTES("HTTP/1.1 413 Request Entity Too Large\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL,
         0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 504 Gateway Time-out\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {NULL}, 1},
        {BYTES("HTTP/1.1 200 Okay\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 302 Moved Temporarily\r\nLocation: /x\r\n" DATE
               "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 302 \r\nLocation: /x\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {NULL}, 1},
        {BYTES("HTTP/1.1 404 NOT FOUND\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {NULL}, 1},
    };
    run_cases(cases, RLTEST_ARRAY(cases), NULL);

    rltest_result r;
    rltest_stream(&r, RLTEST_S("HTTP/1.1 404 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), 0, NULL);
    const char *m = rltest_find(&r, "RL1008")->message;
    assert_non_null(strstr(m, "404"));
    assert_non_null(strstr(m, "\"OK\""));
    assert_non_null(strstr(m, "200"));
}

/* ---- RL1009 ---- */

static void test_status_line_syntax(void **state)
{
    (void)state;
    static const rcase cases[] = {
        {BYTES("HTTP/1.1 200\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1009"}, 1},
        {BYTES("HTTP/1.1 200OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1009"}, 1},
        {BYTES("HTTP/1.1 200\tOK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1009"},
         1},
        {BYTES("HTTP/1.1  200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1009"},
         1},
        {BYTES("HTTP/1.1 200 O\x01K\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL1009"}, 1},
        {BYTES("  HTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1009"},
         1},
        {BYTES("\r\nHTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL1009"}, 1},
        /* other bytes before the status line are not whitespace: the stream is unreadable there */
        {BYTES("x HTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL9001"}, 1},
        /* traps: an empty phrase after the SP, obs-text and HTAB in the phrase */
        {BYTES("HTTP/1.1 200 \r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 200 \xc3\xa9t\xc3\xa9\tok\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0,
         0, {NULL}, 1},
        /* a status line split over a well-formed response stays one response */
        {BYTES("HTTP/1.1 200OK\r\n" DATE "Content-Length: 2\r\n\r\nhi"
               "HTTP/1.1 204 No Content\r\n" DATE "\r\n"),
         NULL, 0, 0, {"RL1009"}, 2},
    };
    run_cases(cases, RLTEST_ARRAY(cases), NULL);

    rltest_result r;
    rltest_stream(&r, RLTEST_S("HTTP/1.1 200\r\n" DATE "Content-Length: 0\r\n\r\n"), 0, NULL);
    assert_int_equal(rltest_find(&r, "RL1009")->offset, 12);
    rltest_stream(&r, RLTEST_S("HTTP/1.1 200 O\x01K\r\n" DATE "Content-Length: 0\r\n\r\n"), 0,
                  NULL);
    assert_int_equal(rltest_find(&r, "RL1009")->offset, 14);
    rltest_stream(&r, RLTEST_S("  HTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), 1,
                  NULL);
    assert_int_equal(rltest_find(&r, "RL1009")->offset, 0);
    assert_int_equal(r.status[0], 200);
    assert_int_equal(r.resp_offset[0], 2);
    rltest_stream(&r, RLTEST_S("HTTP/1.1  204 No Content\r\n" DATE "\r\n"), 0, NULL);
    assert_int_equal(r.status[0], 204);
}

/* ---- RL1010 ---- */

static void test_http_version_invalid(void **state)
{
    (void)state;
    static const rcase cases[] = {
        {BYTES("HTTP/2.0 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1010"}, 1},
        {BYTES("HTTP/1.2 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1010"}, 1},
        {BYTES("HTTP/0.9 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1010"}, 1},
        {BYTES("HTTP/3 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {"RL1010"}, 1},
        {BYTES("HTTP/1.0 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {NULL}, 1},
    };
    run_cases(cases, RLTEST_ARRAY(cases), NULL);

    /* structured input (an h2 HAR entry): the rule needs raw bytes and stays silent */
    resplint_config *cfg = resplint_config_new();
    resplint_field f[] = {{"date", 4, "Sun, 06 Nov 1994 08:49:37 GMT", 29, RESPLINT_NO_OFFSET, 0},
                          {"content-length", 14, "0", 1, RESPLINT_NO_OFFSET, 0}};
    resplint_response resp;
    memset(&resp, 0, sizeof resp);
    resp.status = 200;
    resp.version_major = 2;
    resp.fields = f;
    resp.field_count = 2;
    resp.body_length = 0;
    resp.offset = RESPLINT_NO_OFFSET;
    rltest_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(resplint_check_response(cfg, &resp, 0, rltest_on_finding, &r), 0);
    resplint_config_free(cfg);
}

/* ---- RL1011 ---- */

static void test_informational_to_http10(void **state)
{
    (void)state;
    static const rcase cases[] = {
        {BYTES("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"),
         "POST", 1, 0, {"RL1011"}, 2},
        {BYTES("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"),
         "POST", 1, 1, {NULL}, 2},
        /* unknown request version: no context, no finding */
        {BYTES("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"),
         "POST", 0, 0, {NULL}, 2},
    };
    run_cases(cases, RLTEST_ARRAY(cases), NULL);
}

/* ---- RL2015 ---- */

static void test_head_response_has_body(void **state)
{
    (void)state;
    static const rcase cases[] = {
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Content-Length: 5\r\n\r\nhello"), "HEAD", 1, 1,
         {"RL2015"}, 1},
        /* trap: a HEAD answer with Content-Length and no body */
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Content-Length: 5\r\n\r\n"
               "HTTP/1.1 200 OK\r\n" DATE "Content-Length: 5\r\n\r\n"),
         "HEAD", 1, 1, {NULL}, 2},
        /* trap: chunked declared, nothing sent */
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Transfer-Encoding: chunked\r\n\r\n"), "HEAD", 1, 1,
         {NULL}, 1},
        /* the same bytes answering GET are a body */
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Content-Length: 5\r\n\r\nhello"), "GET", 1, 1, {NULL},
         1},
    };
    run_cases(cases, RLTEST_ARRAY(cases), NULL);

    rltest_result r;
    rltest_stream(&r, RLTEST_S("HTTP/1.1 200 OK\r\n" DATE "Content-Length: 5\r\n\r\nhello"), 0,
                  "HEAD");
    assert_int_equal(rltest_find(&r, "RL2015")->offset, 75);

    /* structured input: body_length from a HAR entry */
    resplint_config *cfg = resplint_config_new();
    resplint_field f[] = {{"Date", 4, "Sun, 06 Nov 1994 08:49:37 GMT", 29, RESPLINT_NO_OFFSET, 0},
                          {"Content-Length", 14, "5", 1, RESPLINT_NO_OFFSET, 0}};
    resplint_response resp;
    memset(&resp, 0, sizeof resp);
    resp.status = 200;
    resp.version_major = 1;
    resp.version_minor = 1;
    resp.fields = f;
    resp.field_count = 2;
    resp.method = "HEAD";
    resp.method_len = 4;
    resp.offset = RESPLINT_NO_OFFSET;
    static const int64_t lengths[] = {5, 0, RESPLINT_UNKNOWN_LENGTH};
    static const int found[] = {1, 0, 0};
    for (size_t i = 0; i < 3; i++) {
        memset(&r, 0, sizeof r);
        resp.body_length = lengths[i];
        assert_int_equal(resplint_check_response(cfg, &resp, 0, rltest_on_finding, &r), found[i]);
        if (found[i])
            assert_string_equal(r.f[0].id, "RL2015");
    }
    resplint_config_free(cfg);
}

/* ---- RL2020-RL2027 ---- */

static void test_status_requirements(void **state)
{
    (void)state;
    static const rcase cases[] = {
        {BYTES("HTTP/1.1 401 Unauthorized\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL2020"}, 1},
        {BYTES("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate:\r\n" DATE "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {"RL2020"}, 1},
        {BYTES("HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Basic realm=\"x\"\r\n" DATE
               "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 407 Proxy Authentication Required\r\n" DATE "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {"RL2021"}, 1},
        {BYTES("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n" DATE
               "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 405 Method Not Allowed\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL2022"}, 1},
        /* trap: an empty Allow is legal */
        {BYTES("HTTP/1.1 405 Method Not Allowed\r\nAllow:\r\n" DATE "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n\r\n"), NULL, 0, 0,
         {"RL2023"}, 1},
        {BYTES("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n"
               "\x81\x05hello"),
         NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 426 Upgrade Required\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL2023"}, 1},
        {BYTES("HTTP/1.1 206 Partial Content\r\n" DATE "Content-Length: 2\r\n\r\nhi"), NULL, 0, 0,
         {"RL2024"}, 1},
        {BYTES("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-1/10\r\n" DATE
               "Content-Length: 2\r\n\r\nhi"),
         NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 206 Partial Content\r\nContent-Type: multipart/byteranges; boundary=B\r\n" DATE
               "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 416 Range Not Satisfiable\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0,
         0, {"RL2025"}, 1},
        {BYTES("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */10\r\n" DATE
               "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 226 IM Used\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL2026"}, 1},
        {BYTES("HTTP/1.1 226 IM Used\r\nETag: \"v2\"\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0,
         0, {NULL}, 1},
        /* traps: 201 without Location (off by default), 103 without Link */
        {BYTES("HTTP/1.1 201 Created\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\n" DATE "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 2},
    };
    run_cases(cases, RLTEST_ARRAY(cases), NULL);

    resplint_config *cfg = resplint_config_new();
    assert_int_equal(resplint_config_enable(cfg, "created-missing-location"), 0);
    static const rcase created[] = {
        {BYTES("HTTP/1.1 201 Created\r\n" DATE "Content-Length: 0\r\n\r\n"), NULL, 0, 0,
         {"RL2027"}, 1},
        {BYTES("HTTP/1.1 201 Created\r\nLocation: /items/7\r\n" DATE "Content-Length: 0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 1},
    };
    run_cases(created, RLTEST_ARRAY(created), cfg);
    resplint_config_free(cfg);

    /* an HTTP/2 426 cannot carry Upgrade (RFC 9113 §8.2.2) */
    cfg = resplint_config_new();
    resplint_field f[] = {{"date", 4, "Sun, 06 Nov 1994 08:49:37 GMT", 29, RESPLINT_NO_OFFSET, 0}};
    resplint_response resp;
    memset(&resp, 0, sizeof resp);
    resp.status = 426;
    resp.version_major = 2;
    resp.fields = f;
    resp.field_count = 1;
    resp.body_length = 0;
    resp.offset = RESPLINT_NO_OFFSET;
    rltest_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(resplint_check_response(cfg, &resp, 0, rltest_on_finding, &r), 0);
    resp.version_major = 1;
    resp.version_minor = 1;
    assert_int_equal(resplint_check_response(cfg, &resp, 0, rltest_on_finding, &r), 1);
    assert_string_equal(r.f[0].id, "RL2023");
    resplint_config_free(cfg);
}

/* ---- RL3004, RL3005, RL3006 ---- */

static void test_framing(void **state)
{
    (void)state;
    static const rcase cases[] = {
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Content-Length: -1\r\n\r\n"), NULL, 0, 0, {"RL3004"}, 1},
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Content-Length: 12abc\r\n\r\n"), NULL, 0, 0, {"RL3004"},
         1},
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Content-Length: 99999999999999999999\r\n\r\n"), NULL, 0,
         0, {"RL3004"}, 1},
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Content-Length:\r\n\r\n"), NULL, 0, 0, {"RL3004"}, 1},
        /* a repeated valid value is RL3003's, not an invalid one */
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Content-Length: 2, 2\r\n\r\nhi"), NULL, 0, 0,
         {"RL3003"}, 1},
        {BYTES("HTTP/1.0 200 OK\r\n" DATE "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"),
         NULL, 0, 0, {"RL3005"}, 1},
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"),
         "GET", 1, 0, {"RL3005"}, 1},
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"),
         "GET", 1, 1, {NULL}, 1},
        /* not chunked last: the body runs to the close, the next "response" included */
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Transfer-Encoding: gzip\r\n\r\nxyz"
               "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
         NULL, 0, 0, {"RL3006", "RL3009"}, 1},
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Transfer-Encoding: chunked, gzip\r\n\r\nxyz"), NULL, 0,
         0, {"RL3006", "RL3009"}, 1},
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 1},
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Transfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n"
               "2\r\nhi\r\n0\r\n\r\n"),
         NULL, 0, 0, {NULL}, 1},
        /* traps: 304 with Transfer-Encoding: chunked and no body; 304 and HEAD with a length */
        {BYTES("HTTP/1.1 304 Not Modified\r\n" DATE "Transfer-Encoding: chunked\r\n\r\n"
               "HTTP/1.1 304 Not Modified\r\n" DATE "Content-Length: 1234\r\n\r\n"),
         NULL, 0, 0, {NULL}, 2},
        {BYTES("HTTP/1.1 200 OK\r\n" DATE "Transfer-Encoding: gzip\r\n\r\n"), "HEAD", 1, 1, {NULL},
         1},
    };
    run_cases(cases, RLTEST_ARRAY(cases), NULL);

    rltest_result r;
    rltest_stream(&r,
                  RLTEST_S("HTTP/1.1 200 OK\r\n" DATE "Transfer-Encoding: gzip\r\n\r\nxyz"
                           "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                  0, NULL);
    assert_int_equal(r.body[0], 3 + 38);
    rltest_stream(&r, RLTEST_S("HTTP/1.1 200 OK\r\n" DATE "Content-Length: -1\r\n\r\n"), 0, NULL);
    const rltest_finding *f = rltest_find(&r, "RL3004");
    assert_int_equal(f->offset, 54);
    assert_non_null(strstr(f->message, "'-1'"));
    assert_non_null(strstr(f->message, "negative"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_obsolete_and_experimental),
        cmocka_unit_test(test_reason_phrase_mismatch),
        cmocka_unit_test(test_status_line_syntax),
        cmocka_unit_test(test_http_version_invalid),
        cmocka_unit_test(test_informational_to_http10),
        cmocka_unit_test(test_head_response_has_body),
        cmocka_unit_test(test_status_requirements),
        cmocka_unit_test(test_framing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
