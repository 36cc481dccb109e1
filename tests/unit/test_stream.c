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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_301_without_location),
        cmocka_unit_test(test_304_with_length_then_200),
        cmocka_unit_test(test_204_with_body),
        cmocka_unit_test(test_head_response_with_length),
        cmocka_unit_test(test_interim_responses),
        cmocka_unit_test(test_rejected_heads_resync),
        cmocka_unit_test(test_stray_bytes),
        cmocka_unit_test(test_not_a_response),
        cmocka_unit_test(test_truncated_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
