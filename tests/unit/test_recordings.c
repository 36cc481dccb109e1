/* The recording readers: detection by content, body lengths through the string cut (a body
 * longer than the 64 KiB kept), base64 and hex bodies, the headers' shapes, pipes. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rectree.h"
#include "resplint/capture.h"

static resplint_input_kind detect(const char *s) { return resplint_detect_input(s, strlen(s)); }

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(detect("{\"log\": {\"entries\": []}}"), RESPLINT_INPUT_HAR);
    assert_int_equal(detect("interactions:\n- request:\n"), RESPLINT_INPUT_VCR);
    assert_int_equal(detect("---\nversion: 1\ninteractions:\n- request:\n"), RESPLINT_INPUT_VCR);
    assert_int_equal(detect("---\nhttp_interactions:\n- request:\n"), RESPLINT_INPUT_VCR);
    assert_int_equal(detect("{\"http_interactions\": [{\"response\": {\"http_version\": null}}]}"),
                     RESPLINT_INPUT_VCR);
    assert_int_equal(detect("{\"http_interactions\": [], \"recorded_with\": \"betamax/0.8.1\"}"),
                     RESPLINT_INPUT_BETAMAX);
    assert_int_equal(detect("[\n {\"scope\": \"http://a\", \"method\": \"GET\", \"status\": 200}]"),
                     RESPLINT_INPUT_NOCK);
    assert_int_equal(detect("{\"mappings\": [ {\"request\": {\"url\": \"/\"}} ]}"),
                     RESPLINT_INPUT_WIREMOCK);
    assert_int_equal(detect("{\"id\": \"x\", \"request\": {\"url\": \"/\", \"method\": \"GET\"}, "
                            "\"response\": {\"status\": 200}}"),
                     RESPLINT_INPUT_WIREMOCK);
    assert_int_equal(detect("{\"info\": {\"_postman_id\": \"x\"}, \"item\": []}"),
                     RESPLINT_INPUT_POSTMAN);
    assert_int_equal(detect("{\"collection\": {\"item\": []}, \"run\": {}}"),
                     RESPLINT_INPUT_NEWMAN);
    assert_int_equal(detect("100:4:type;4:http;7:version;2:17#"), RESPLINT_INPUT_MITMPROXY);
    /* members in any order (mitmproxy 10 writes websocket first), bytes keys in 0.x */
    assert_int_equal(detect("9494:9:websocket;0:~8:response;466:"), RESPLINT_INPUT_MITMPROXY);
    assert_int_equal(detect("2134:5:error,0:~8:response,1190:"), RESPLINT_INPUT_MITMPROXY);
    assert_int_equal(detect("12:5:hello;1:x;}"), RESPLINT_INPUT_RAW);
    /* a list of interactions at the root: vcrpy before 1.0 (YAML and JSON), Ruby VCR 1.x */
    assert_int_equal(detect("- request: !!python/object:vcr.request.Request\n"),
                     RESPLINT_INPUT_VCR);
    assert_int_equal(detect("[{\"request\": {\"method\": \"GET\"}, \"response\": {}}]"),
                     RESPLINT_INPUT_VCR);
    assert_int_equal(detect("--- \n- !ruby/struct:VCR::HTTPInteraction \n  request: "),
                     RESPLINT_INPUT_VCR);
    /* not recordings */
    assert_int_equal(detect("{\"name\": \"package\", \"version\": \"1.0.0\"}"),
                     RESPLINT_INPUT_UNKNOWN);
    assert_int_equal(detect("[1, 2, 3]"), RESPLINT_INPUT_UNKNOWN);
    assert_int_equal(detect("{\"a\": \"an object cut before it ends"), RESPLINT_INPUT_HAR);
    assert_int_equal(detect("HTTP/1.1 200 OK\r\ninteractions: 1\r\n\r\n"), RESPLINT_INPUT_RAW);
    assert_int_equal(detect("12:hello world!,"), RESPLINT_INPUT_RAW);
    assert_true(resplint_input_kind_is_recording(RESPLINT_INPUT_NOCK));
    assert_false(resplint_input_kind_is_recording(RESPLINT_INPUT_HAR));
    assert_string_equal(resplint_input_kind_name(RESPLINT_INPUT_MITMPROXY), "mitmproxy");
}

typedef struct seen {
    size_t responses, findings;
    int status[8];
    int64_t body[8];
    char rules[8][8];
    char pointer[8][128];
} seen;

static void on_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    seen *s = user;
    if (s->findings < 8) {
        snprintf(s->rules[s->findings], sizeof s->rules[0], "%s", f->rule->id);
        snprintf(s->pointer[s->findings], sizeof s->pointer[0], "%s",
                 o->json_pointer ? o->json_pointer : "");
    }
    s->findings++;
}

static void on_response(const resplint_response *r, const resplint_origin *o, void *user)
{
    seen *s = user;
    assert_int_equal(o->response_index, s->responses);
    if (s->responses < 8) {
        s->status[s->responses] = r->status;
        s->body[s->responses] = r->body_length;
    }
    s->responses++;
}

static int lint(const char *text, size_t len, seen *s)
{
    memset(s, 0, sizeof *s);
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    FILE *fp = fmemopen((void *)(uintptr_t)text, len, "rb");
    assert_non_null(fp);
    resplint_capture_handler h = {sizeof h, on_finding, on_response, NULL, s, NULL};
    resplint_capture_stats st;
    char err[512];
    int rc = resplint_capture_file(cfg, "mem", fp, NULL, &h, &st, err, sizeof err);
    fclose(fp);
    resplint_config_free(cfg);
    return rc;
}

/* A vcrpy JSON cassette with a body of 300,000 characters: cut to 64 KiB for YAJL, its
 * length still known. */
static void test_long_body(void **state)
{
    (void)state;
    const char *head = "{\"interactions\": [{\"request\": {\"method\": \"GET\", \"uri\": "
                       "\"http://a/\"}, \"response\": {\"body\": {\"string\": \"";
    const char *tail = "\"}, \"headers\": {\"Content-Type\": [\"text/plain\"]}, \"status\": "
                       "{\"code\": 200, \"message\": \"OK\"}}}], \"version\": 1}";
    size_t n = 300000, hl = strlen(head), tl = strlen(tail);
    char *buf = malloc(hl + n + tl + 1);
    assert_non_null(buf);
    memcpy(buf, head, hl);
    memset(buf + hl, 'A', n - 1);
    buf[hl + n - 1] = '=';
    memcpy(buf + hl + n, tail, tl + 1);
    seen s;
    assert_int_equal(lint(buf, hl + n + tl, &s), 0);
    assert_int_equal(s.responses, 1);
    assert_int_equal(s.body[0], 300000);
    free(buf);
}

/* A long escaped string (\u00e9, two bytes each) cut in the middle: decoded length exact. */
static void test_long_escaped_body(void **state)
{
    (void)state;
    const char *head = "[{\"scope\": \"http://a\", \"method\": \"GET\", \"path\": \"/\", "
                       "\"status\": 200, \"response\": \"";
    const char *tail = "\", \"rawHeaders\": [\"Content-Type\", \"text/plain\"]}]";
    size_t reps = 40000, hl = strlen(head), tl = strlen(tail);
    char *buf = malloc(hl + reps * 6 + tl + 1);
    assert_non_null(buf);
    memcpy(buf, head, hl);
    for (size_t i = 0; i < reps; i++)
        memcpy(buf + hl + i * 6, "\\u00e9", 6);
    memcpy(buf + hl + reps * 6, tail, tl + 1);
    seen s;
    assert_int_equal(lint(buf, hl + reps * 6 + tl, &s), 0);
    assert_int_equal(s.responses, 1);
    assert_int_equal(s.body[0], (int64_t)reps * 2);
    free(buf);
}

/* nock 13's binary body: hex chunks; a HEAD answer's body length is unknown. */
static void test_nock_bodies(void **state)
{
    (void)state;
    const char *j =
        "[{\"scope\": \"http://a\", \"method\": \"GET\", \"path\": \"/\", \"status\": 200,"
        " \"response\": [\"1f8b08\", \"0000\"], \"responseIsBinary\": true,"
        " \"rawHeaders\": [\"Content-Encoding\", \"gzip\"]},"
        " {\"scope\": \"http://a\", \"method\": \"HEAD\", \"path\": \"/\", \"status\": 200,"
        " \"response\": \"\", \"rawHeaders\": {\"content-length\": \"10\"}}]";
    seen s;
    assert_int_equal(lint(j, strlen(j), &s), 0);
    assert_int_equal(s.responses, 2);
    assert_int_equal(s.body[0], 5);
    assert_int_equal(s.body[1], RESPLINT_UNKNOWN_LENGTH);
}

/* go-vcr's status line, Ruby's lower-case method, a YAML !!binary body (vcrpy). */
static void test_yaml_shapes(void **state)
{
    (void)state;
    const char *y = "---\nversion: 1\ninteractions:\n"
                    "- request: {method: GET, url: 'http://a/'}\n"
                    "  response:\n    body: ''\n    headers: {Location: ['']}\n"
                    "    status: 301 Moved Permanently\n    code: 301\n"
                    "- request: {method: get, uri: 'http://a/'}\n"
                    "  response:\n    body:\n      string: !!binary |\n        AAECAw==\n"
                    "    headers: {}\n    status: {code: 200, message: OK}\n";
    seen s;
    assert_int_equal(lint(y, strlen(y), &s), 0);
    assert_int_equal(s.responses, 2);
    assert_int_equal(s.status[0], 301);
    assert_int_equal(s.status[1], 200);
    assert_int_equal(s.body[1], 4);
    assert_int_equal(s.findings, 1);
    assert_string_equal(s.rules[0], "RL2001");
    assert_string_equal(s.pointer[0], "/interactions/0/response/headers/Location/0");
}

/* Old shapes: a root list (vcrpy 0.x: header lines, protocol/host/path), Ruby VCR 1.x's
 * ":get", Betamax 0.x's status_code. */
static void test_old_shapes(void **state)
{
    (void)state;
    const char *y = "- request: {method: GET, protocol: http, host: a, port: 80, path: /}\n"
                    "  response:\n    headers: [\"content-length: 2\\r\\n\"]\n"
                    "    status: {code: 204, message: No Content}\n"
                    "- request:\n    method: :head\n    uri: 'http://a/'\n"
                    "  response:\n    headers: {}\n    body: 'xx'\n"
                    "    status: {code: 200, message: OK}\n";
    seen s;
    assert_int_equal(lint(y, strlen(y), &s), 0);
    assert_int_equal(s.responses, 2);
    assert_int_equal(s.findings, 1);
    assert_string_equal(s.rules[0], "RL2011");
    assert_string_equal(s.pointer[0], "/0/response/headers/0");
    assert_int_equal(s.body[1], RESPLINT_UNKNOWN_LENGTH); /* a HEAD answer */
    const char *j = "{\"http_interactions\": [{\"request\": {\"method\": \"GET\", \"uri\": "
                    "\"http://a/\"}, \"response\": {\"status_code\": 405, \"headers\": {}}}]}";
    assert_int_equal(lint(j, strlen(j), &s), 0);
    assert_int_equal(s.responses, 1);
    assert_string_equal(s.rules[0], "RL2022");
}

/* A damaged JSON cassette: the entries before the damage are checked, then an input error. */
static void test_damaged(void **state)
{
    (void)state;
    const char *j = "[{\"scope\": \"http://a\", \"method\": \"GET\", \"path\": \"/\", "
                    "\"status\": 405, \"rawHeaders\": []}, {\"scope\": ";
    seen s;
    assert_int_equal(lint(j, strlen(j), &s), RESPLINT_EFORMAT);
    assert_int_equal(s.responses, 1);
    assert_int_equal(s.findings, 1);
    assert_string_equal(s.rules[0], "RL2022");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),          cmocka_unit_test(test_long_body),
        cmocka_unit_test(test_long_escaped_body), cmocka_unit_test(test_nock_bodies),
        cmocka_unit_test(test_yaml_shapes),     cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_old_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
