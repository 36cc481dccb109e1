/* The llhttp adapter: splitting streams into responses, framing of no-body responses, stray
 * bytes, rejected heads, and the same results whatever the chunking. */
#include "helpers.h"

static const size_t chunkings[] = {0, 1, 2, 3, 5, 7, 13, 64};

static void each_chunking(const char *data, size_t len, const char *method, void (*check)(const rltest_result *))
{
    rltest_result r;
    for (size_t i = 0; i < sizeof chunkings / sizeof chunkings[0]; i++) {
        rltest_stream(&r, data, len, chunkings[i], method);
        check(&r);
    }
}

static void check_301(const rltest_result *r) { rltest_expect(r, "RL2001", NULL); }

static void test_301_without_location(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n"), NULL,
                  check_301);
}

static void check_304_then_200(const rltest_result *r)
{
    rltest_expect(r, NULL);
    assert_int_equal(r->responses, 2);
    assert_int_equal(r->status[0], 304);
    assert_int_equal(r->status[1], 200);
    assert_int_equal(r->body[1], 2);
}

static void test_304_with_length_then_200(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\n"
                           "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"),
                  NULL, check_304_then_200);
}

static void check_204_body(const rltest_result *r)
{
    rltest_expect(r, "RL2010", "RL2011", NULL);
    assert_int_equal(r->responses, 1);
    assert_int_equal(rltest_find(r, "RL2010")->offset, 46);
}

static void test_204_with_body(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello"), NULL,
                  check_204_body);
}

static void check_head(const rltest_result *r)
{
    rltest_expect(r, NULL);
    assert_int_equal(r->responses, 2);
    assert_int_equal(r->body[0], 0);
}

static void test_head_response_with_length(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n\r\n"
                           "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n\r\n"),
                  "HEAD", check_head);
}

static void check_interim(const rltest_result *r)
{
    rltest_expect(r, NULL);
    assert_int_equal(r->responses, 3);
    assert_int_equal(r->status[0], 100);
    assert_int_equal(r->status[1], 103);
    assert_int_equal(r->status[2], 200);
}

static void test_interim_responses(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 100 Continue\r\n\r\n"
                           "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n\r\n"
                           "5\r\nhello\r\n0\r\n\r\n"),
                  NULL, check_interim);
}

static void check_resync(const rltest_result *r)
{
    rltest_expect(r, "RL3002", "RL3001", "RL1004", NULL);
    assert_int_equal(r->responses, 3);
    assert_int_equal(rltest_find(r, "RL3002")->offset, 36);
}

static void test_rejected_heads_resync(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello"
                           "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                           "HTTP/1.1 2XX OK\r\n\r\n"),
                  NULL, check_resync);
}

/* Each message slot is reused every other response: what one head's scan counted (its bare
 * LFs) must not carry over to the head after next, or its fault goes unrecorded and llhttp's
 * rejection is left unexplained (RL9001 instead of RL4003). */
static void check_bare_lf_each(const rltest_result *r)
{
    assert_int_equal(r->responses, 4);
    assert_int_equal(rltest_count(r, "RL4003"), 4);
    assert_int_equal(rltest_count(r, "RL9001"), 0);
}

static void test_bare_lf_heads_in_a_row(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 200 OK\nContent-Length: 2\n\nok"
                           "HTTP/1.1 200 OK\nContent-Length: 2\n\nok"
                           "HTTP/1.1 200 OK\nContent-Length: 2\n\nok"
                           "HTTP/1.1 200 OK\nContent-Length: 2\n\nok"),
                  NULL, check_bare_lf_each);
}

static void check_stray(const rltest_result *r)
{
    rltest_expect(r, "RL3010", NULL);
    assert_int_equal(rltest_find(r, "RL3010")->offset, 38);
    assert_int_equal(r->responses, 2);
}

static void test_stray_bytes(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nxyzHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                  NULL, check_stray);
}

static void check_garbage(const rltest_result *r)
{
    rltest_expect(r, "RL9001", NULL);
    assert_int_equal(r->responses, 0);
}

static void test_not_a_response(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), NULL, check_garbage);
}

static void check_truncated(const rltest_result *r) { rltest_expect(r, "RL3007", NULL); }

static void test_truncated_body(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"), NULL,
                  check_truncated);
}

/* The fields of each response as the adapter handed them over, fed from copies of the chunks
 * that are overwritten and freed after each feed: a field left pointing into the caller's
 * chunk shows (and ASan reports it). */
typedef struct seen_fields {
    rltest_result r; /* first: the findings callback takes the same user pointer */
    size_t responses;
    int status[8];
    size_t nfields[8];
    char line[8][64][96]; /* "name=value@offset+length" */
} seen_fields;

static void seen_record(const resplint_response *resp, size_t index, uint64_t offset,
                        uint64_t len, void *user)
{
    (void)offset;
    (void)len;
    seen_fields *sf = user;
    if (index >= 8)
        return;
    sf->responses = index + 1;
    sf->status[index] = resp->status;
    sf->nfields[index] = resp->field_count;
    for (size_t i = 0; i < resp->field_count && i < 64; i++) {
        const resplint_field *f = &resp->fields[i];
        snprintf(sf->line[index][i], sizeof sf->line[index][i], "%.*s=%.*s@%llu+%llu",
                 (int)f->name_len, f->name, (int)f->value_len, f->value,
                 (unsigned long long)f->offset, (unsigned long long)f->length);
    }
}

static void feed_copies(seen_fields *sf, const char *data, size_t len, size_t chunk)
{
    memset(sf, 0, sizeof *sf);
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    resplint_config_set_rule(cfg, "RL4008", RESPLINT_OFF);
    resplint_config_set_rule(cfg, "RL7001", RESPLINT_OFF); /* responses without Content-Type */
    resplint_stream *s = resplint_stream_new(cfg, rltest_on_finding, &sf->r);
    assert_non_null(s);
    resplint_stream_on_response(s, seen_record);
    if (chunk == 0)
        chunk = len;
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        char *copy = malloc(n);
        assert_non_null(copy);
        memcpy(copy, data + off, n);
        assert_int_equal(resplint_stream_feed(s, copy, n), 0);
        memset(copy, 'Z', n);
        free(copy);
    }
    assert_int_equal(resplint_stream_finish(s), 0);
    resplint_stream_free(s);
    resplint_config_free(cfg);
}

/* Trailer fields of a chunked body are not fields of the head (a Content-Length among them
 * would conflict with Transfer-Encoding), and the head's fields survive the chunk they came in. */
static void test_trailers_are_not_fields(void **state)
{
    (void)state;
    static const char data[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A:  one \r\n\r\n"
                               "5\r\nhello\r\n0\r\nX-Trailer: a\r\nContent-Length: 99\r\n\r\n"
                               "HTTP/1.1 204 No Content\r\nX-B:two\r\n\r\n";
    static seen_fields sf;
    for (size_t i = 0; i < sizeof chunkings / sizeof chunkings[0]; i++) {
        feed_copies(&sf, data, sizeof data - 1, chunkings[i]);
        rltest_expect(&sf.r, NULL);
        assert_int_equal(sf.responses, 2);
        assert_int_equal(sf.status[0], 200);
        assert_int_equal(sf.nfields[0], 2);
        assert_string_equal(sf.line[0][0], "Transfer-Encoding=chunked@17+26");
        assert_string_equal(sf.line[0][1], "X-A=one@45+9");
        assert_int_equal(sf.status[1], 204);
        assert_int_equal(sf.nfields[1], 1);
        assert_string_equal(sf.line[1][0], "X-B=two@133+7");
    }
}

/* More fields than the adapter's first allocation and a field with an empty value: the same
 * model whatever the chunking. */
static void test_many_fields(void **state)
{
    (void)state;
    char data[4096];
    size_t n = (size_t)snprintf(data, sizeof data, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(data + n, sizeof data - n, "X-F%02d: v%d\r\n", i, i);
    n += (size_t)snprintf(data + n, sizeof data - n, "X-Empty:\r\n\r\nabc");
    static seen_fields sf;
    for (size_t i = 0; i < sizeof chunkings / sizeof chunkings[0]; i++) {
        feed_copies(&sf, data, n, chunkings[i]);
        rltest_expect(&sf.r, NULL);
        assert_int_equal(sf.responses, 1);
        assert_int_equal(sf.nfields[0], 42);
        assert_string_equal(sf.line[0][0], "Content-Length=3@17+17");
        assert_string_equal(sf.line[0][40], "X-F39=v39@494+10");
        assert_string_equal(sf.line[0][41], "X-Empty=@506+8"); /* the line up to its colon */
    }
}

/* Issue 21: the pending-request window. Past pending-requests (or pending-request-bytes) a
 * request is dropped but keeps its place: the response to it is read without context (its
 * length not trusted: it may answer HEAD), every other response meets its own request, and
 * requests are queued again once responses make room. Before, pairing stopped for good. */
typedef struct paired {
    rltest_result r;
    char method[8][8];
    char url[8][16];
} paired;

static void on_paired(const resplint_response *resp, size_t index, uint64_t offset,
                      uint64_t length, void *user)
{
    paired *p = user;
    if (index < 8) {
        snprintf(p->method[index], sizeof p->method[0], "%.*s", (int)resp->method_len,
                 resp->method ? resp->method : "");
        snprintf(p->url[index], sizeof p->url[0], "%.*s", (int)resp->url_len,
                 resp->url ? resp->url : "");
    }
    rltest_on_response(resp, index, offset, length, &p->r);
}

#define HEAD_ANSWER "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
#define GET_ANSWER "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"

static resplint_stream *window_stream(resplint_config *cfg, paired *p)
{
    resplint_config_set_rule(cfg, "RL4008", RESPLINT_OFF);
    resplint_config_set_rule(cfg, "RL7001", RESPLINT_OFF);
    memset(p, 0, sizeof *p);
    resplint_stream *s = resplint_stream_new(cfg, rltest_on_finding, &p->r);
    assert_non_null(s);
    resplint_stream_on_response(s, on_paired);
    return s;
}

static void feed_chunked(resplint_stream *s, const char *data, size_t chunk)
{
    size_t len = strlen(data);
    if (chunk == 0)
        chunk = len;
    for (size_t off = 0; off < len; off += chunk)
        assert_int_equal(resplint_stream_feed(s, data + off, len - off < chunk ? len - off : chunk), 0);
}

static void test_pairing_window(void **state)
{
    (void)state;
    for (size_t ci = 0; ci < sizeof chunkings / sizeof chunkings[0]; ci++) {
        resplint_config *cfg = resplint_config_new();
        assert_non_null(cfg);
        assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_PENDING_REQUESTS, 2), 0);
        paired p;
        resplint_stream *s = window_stream(cfg, &p);
        assert_int_equal(resplint_stream_push_request_url(s, "HEAD", 1, 1, "/1", 2), 0);
        assert_int_equal(resplint_stream_push_request_url(s, "HEAD", 1, 1, "/2", 2), 0);
        assert_int_equal(resplint_stream_push_request_url(s, "HEAD", 1, 1, "/3", 2), RESPLINT_ELIMIT);
        assert_int_equal(resplint_stream_push_request_url(s, "GET", 1, 1, "/4", 2), RESPLINT_ELIMIT);
        feed_chunked(s, HEAD_ANSWER HEAD_ANSWER HEAD_ANSWER GET_ANSWER, chunkings[ci]);
        /* the two queued ones are answered: room again, and pairing goes on */
        assert_int_equal(resplint_stream_push_request_url(s, "GET", 1, 1, "/5", 2), 0);
        assert_int_equal(resplint_stream_push_request_url(s, "HEAD", 1, 1, "/6", 2), 0);
        feed_chunked(s, GET_ANSWER HEAD_ANSWER, chunkings[ci]);
        assert_int_equal(resplint_stream_finish(s), 0);
        resplint_stream_free(s);
        resplint_config_free(cfg);
        if (p.r.n != 0 || p.r.responses != 6) {
            rltest_dump(&p.r);
            fail_msg("chunk %zu: no finding expected, %zu responses", chunkings[ci], p.r.responses);
        }
        static const char *const method[] = {"HEAD", "HEAD", "", "", "GET", "HEAD"};
        static const char *const url[] = {"/1", "/2", "", "", "/5", "/6"};
        static const int64_t body[] = {0, 0, RESPLINT_UNKNOWN_LENGTH, RESPLINT_UNKNOWN_LENGTH, 5, 0};
        for (size_t i = 0; i < 6; i++) {
            assert_string_equal(p.method[i], method[i]);
            assert_string_equal(p.url[i], url[i]);
            assert_int_equal(p.r.body[i], body[i]);
        }
    }
}

/* The window in bytes: a request whose record and URL do not fit is dropped in its place. */
static void test_pairing_window_bytes(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_PENDING_BYTES, 1000), 0);
    paired p;
    resplint_stream *s = window_stream(cfg, &p);
    char url[400];
    memset(url, 'u', sizeof url);
    url[0] = '/';
    assert_int_equal(resplint_stream_push_request_url(s, "GET", 1, 1, url, sizeof url), 0);
    assert_int_equal(resplint_stream_push_request_url(s, "HEAD", 1, 1, url, sizeof url), 0);
    assert_int_equal(resplint_stream_push_request_url(s, "HEAD", 1, 1, url, sizeof url),
                     RESPLINT_ELIMIT);
    feed_chunked(s, GET_ANSWER HEAD_ANSWER GET_ANSWER, 0);
    assert_int_equal(resplint_stream_push_request_url(s, "HEAD", 1, 1, url, sizeof url), 0);
    feed_chunked(s, HEAD_ANSWER, 0);
    assert_int_equal(resplint_stream_finish(s), 0);
    resplint_stream_free(s);
    resplint_config_free(cfg);
    if (p.r.n != 0 || p.r.responses != 4) {
        rltest_dump(&p.r);
        fail_msg("no finding expected, %zu responses", p.r.responses);
    }
    static const char *const method[] = {"GET", "HEAD", "", "HEAD"};
    static const int64_t body[] = {5, 0, RESPLINT_UNKNOWN_LENGTH, 0};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(p.method[i], method[i]);
        assert_int_equal(p.r.body[i], body[i]);
    }
}

/* resplint_stream_drop_requests: a caller's own window; the places are kept the same way. */
static void test_drop_requests(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    paired p;
    resplint_stream *s = window_stream(cfg, &p);
    assert_int_equal(resplint_stream_push_request(s, "GET", 1, 1), 0);
    resplint_stream_drop_requests(s, 2);
    assert_int_equal(resplint_stream_push_request(s, "HEAD", 1, 1), 0);
    feed_chunked(s, GET_ANSWER "HTTP/1.1 100 Continue\r\n\r\n" GET_ANSWER GET_ANSWER HEAD_ANSWER, 0);
    assert_int_equal(resplint_stream_finish(s), 0);
    resplint_stream_free(s);
    resplint_config_free(cfg);
    if (p.r.n != 0 || p.r.responses != 5) {
        rltest_dump(&p.r);
        fail_msg("no finding expected, %zu responses", p.r.responses);
    }
    /* the 100 does not use up a place */
    static const char *const method[] = {"GET", "", "", "", "HEAD"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(p.method[i], method[i]);
    assert_int_equal(p.r.status[1], 100);
    assert_int_equal(p.r.body[4], 0);
}

/* Issue 21: a stream ending in the first bytes of a status line ("HTTP") after a response was
 * RL3010 (stray bytes blamed on the server), and "HTTP/1.1" alone a status of -1 (RL1004):
 * both are a head cut by the end of the stream. resplint_stream_in_message says where the
 * unfinished response begins, for a capture reader's RL9010. */
static void check_cut_status_line(const rltest_result *r)
{
    if (r->n != 1 || strcmp(r->f[0].id, "RL9001") != 0 ||
        !strstr(r->f[0].message, "ends inside a status line")) {
        rltest_dump(r);
        fail_msg("a cut status line is one RL9001");
    }
    assert_int_equal(r->responses, 1);
}

static void test_stream_ends_in_status_line(void **state)
{
    (void)state;
    each_chunking(RLTEST_S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP"), NULL,
                  check_cut_status_line);
    each_chunking(RLTEST_S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 2"), NULL,
                  check_cut_status_line);

    resplint_config *cfg = resplint_config_new();
    rltest_result r;
    resplint_stream *s = resplint_stream_new(cfg, rltest_on_finding, &r);
    uint64_t start = 99;
    static const char two[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n";
    assert_int_equal(resplint_stream_in_message(s, &start), 0);
    assert_int_equal(resplint_stream_feed(s, two, 20), 0);
    assert_int_equal(resplint_stream_in_message(s, &start), 1);
    assert_int_equal(start, 0);
    assert_int_equal(resplint_stream_feed(s, two + 20, 19), 0); /* the body's first byte */
    assert_int_equal(resplint_stream_in_message(s, &start), 1);
    assert_int_equal(start, 0);
    assert_int_equal(resplint_stream_feed(s, two + 39, 1), 0);
    assert_int_equal(resplint_stream_in_message(s, NULL), 0);
    assert_int_equal(resplint_stream_feed(s, two + 40, sizeof two - 41), 0);
    assert_int_equal(resplint_stream_in_message(s, &start), 1);
    assert_int_equal(start, 40);
    resplint_stream_free(s);
    resplint_config_free(cfg);
}

/* A body pipeline that cannot load a library it needs (RESPLINT_BODY_UNAVAILABLE) stops the
 * stream with RESPLINT_ELIBRARY: the body is never left unchecked in silence. One that runs out
 * of memory (RESPLINT_BODY_ERROR) leaves the body's stages unrun and the stream goes on. */
static resplint_body_result fake_result;
static void *fake_begin(resplint_body_job *job)
{
    job->decode = fake_result;
    return NULL;
}
static void fake_data(void *h, resplint_body_job *job, const void *p, size_t n)
{
    (void)h, (void)job, (void)p, (void)n;
}
static void fake_end(void *h, resplint_body_job *job) { (void)h, (void)job; }
static void fake_abort(void *h) { (void)h; }

static void test_body_library_missing(void **state)
{
    (void)state;
    static const resplint_body_ops fake = {fake_begin, fake_data, fake_end, fake_abort};
    static const char data[] = "HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n"
                               "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                               "Content-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc"
                               "HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n";
    resplint_config *cfg = resplint_config_new();
    for (int k = 0; k < 2; k++) {
        fake_result = k == 0 ? RESPLINT_BODY_UNAVAILABLE : RESPLINT_BODY_ERROR;
        rltest_result r;
        memset(&r, 0, sizeof r);
        resplint_stream *s = resplint_stream_new(cfg, rltest_on_finding, &r);
        resplint_stream_set_body_ops(s, &fake);
        int rc = resplint_stream_feed(s, data, sizeof data - 1);
        int fin = resplint_stream_finish(s);
        size_t n301 = 0;
        for (size_t i = 0; i < r.n; i++)
            n301 += strcmp(r.f[i].id, "RL2001") == 0;
        if (k == 0) {
            assert_int_equal(rc, RESPLINT_ELIBRARY);
            assert_int_equal(fin, RESPLINT_ELIBRARY);
            assert_int_equal(n301, 1); /* the first 301 only: nothing after the body is read */
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(fin, 0);
            assert_int_equal(n301, 2);
        }
        resplint_stream_free(s);
    }
    assert_string_equal(resplint_err_name(RESPLINT_ELIBRARY), "ELIBRARY");
    resplint_config_free(cfg);
}

/* The JSON stage (RL7008) gathers a body's pieces before YAJL reads them (8 KiB at a time) and
 * gives YAJL an arena for its own blocks: whatever the pieces, a valid body passes and an error
 * is placed at the same byte, also several holds in; a nesting deeper than the arena holds
 * (YAJL's stack moves to libc) is read to its end. */
static size_t json_response(char *out, size_t cap, const char *body, size_t n)
{
    size_t k = (size_t)snprintf(out, cap,
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: %zu\r\n\r\n",
                                n);
    assert_true(k + n <= cap);
    memcpy(out + k, body, n);
    return k + n;
}

static void test_json_body_pieces(void **state)
{
    (void)state;
    static char body[40000], data[41000];
    size_t n = 0;
    body[n++] = '[';
    while (n < 39000)
        n += (size_t)snprintf(body + n, sizeof body - n, "\"%0100d\",", (int)n);
    size_t comma = n - 1; /* a trailing comma, 39,000 bytes in: "[...,]" */
    body[n++] = ']';
    static rltest_result r;
    static const size_t pieces[] = {0, 1000, 8191, 8192, 8193, 16384, 7};
    char first[512] = "";
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        size_t len = json_response(data, sizeof data, body, n);
        rltest_stream(&r, data, len, pieces[i], NULL);
        const rltest_finding *f = rltest_find(&r, "RL7008");
        assert_non_null(f);
        if (i == 0)
            snprintf(first, sizeof first, "%s", f->message);
        assert_string_equal(f->message, first);
        body[comma] = ' '; /* the same body made valid */
        len = json_response(data, sizeof data, body, n);
        rltest_stream(&r, data, len, pieces[i], NULL);
        assert_int_equal(rltest_count(&r, "RL7008"), 0);
        body[comma] = ',';
    }
    char near[32]; /* YAJL counts the ']' it rejects as read */
    snprintf(near, sizeof near, "near byte %zu", comma + 2);
    if (!strstr(first, near))
        fail_msg("%s: not %s", first, near);
    /* 3,000 arrays deep: YAJL's stack outgrows the arena */
    for (size_t k = 0; k < 3000; k++) {
        body[k] = '[';
        body[6000 - 1 - k] = ']';
    }
    size_t len = json_response(data, sizeof data, body, 6000);
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        rltest_stream(&r, data, len, pieces[i], NULL);
        assert_int_equal(rltest_count(&r, "RL7008"), 0);
    }
    body[5999] = '['; /* never closed: cut short */
    rltest_stream(&r, data, json_response(data, sizeof data, body, 6000), 1000, NULL);
    assert_int_equal(rltest_count(&r, "RL7008"), 1);
}

/* RL7007's UTF-8 check skips ASCII runs in steps of 64, 16 and, at the end, the last 16 bytes
 * at once: a bad byte anywhere, the last ones included, is still found, and a sequence that
 * ends the body passes. */
static void test_utf8_body_tail(void **state)
{
    (void)state;
    static char data[512];
    static rltest_result r;
    for (size_t len = 1; len <= 100; len++) {
        for (size_t at = 0; at < len; at++) {
            char body[128];
            memset(body, 'a', len);
            body[at] = (char)0xFF;
            size_t k = (size_t)snprintf(data, sizeof data,
                                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; "
                                        "charset=utf-8\r\nContent-Length: %zu\r\n\r\n",
                                        len);
            memcpy(data + k, body, len);
            rltest_stream(&r, data, k + len, 0, NULL);
            if (rltest_count(&r, "RL7007") != 1)
                fail_msg("0xFF at %zu of %zu: not found", at, len);
            if (at + 2 == len) { /* a two-byte sequence ending the body */
                body[at] = (char)0xC3;
                body[at + 1] = (char)0xA9;
                memcpy(data + k, body, len);
                rltest_stream(&r, data, k + len, 0, NULL);
                if (rltest_count(&r, "RL7007") != 0)
                    fail_msg("U+00E9 at %zu of %zu: reported", at, len);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_301_without_location),
        cmocka_unit_test(test_body_library_missing),
        cmocka_unit_test(test_pairing_window),
        cmocka_unit_test(test_pairing_window_bytes),
        cmocka_unit_test(test_drop_requests),
        cmocka_unit_test(test_stream_ends_in_status_line),
        cmocka_unit_test(test_304_with_length_then_200),
        cmocka_unit_test(test_204_with_body),
        cmocka_unit_test(test_head_response_with_length),
        cmocka_unit_test(test_interim_responses),
        cmocka_unit_test(test_rejected_heads_resync),
        cmocka_unit_test(test_stray_bytes),
        cmocka_unit_test(test_not_a_response),
        cmocka_unit_test(test_truncated_body),
        cmocka_unit_test(test_trailers_are_not_fields),
        cmocka_unit_test(test_many_fields),
        cmocka_unit_test(test_json_body_pieces),
        cmocka_unit_test(test_utf8_body_tail),
        cmocka_unit_test(test_bare_lf_heads_in_a_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
