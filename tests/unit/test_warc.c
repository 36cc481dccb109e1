/* The WARC reader: plain and gzip files, record offsets, request pairing in both orders,
 * revisits, archiver rewrites, invalid and truncated records, and the corpus of real WARCs
 * against tests/corpus/expected-warc.tsv (RESPLINT_UPDATE_EXPECTED=1 rewrites that file). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "skip.h"
#include <dirent.h>
#include <zlib.h>

#include "resplint.h"
#include "resplint/capture.h"

/* ---- building WARC files in memory ---- */

typedef struct wbuf {
    unsigned char *p;
    size_t len, cap;
} wbuf;

static void put(wbuf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 1024;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void puts_(wbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* One record: version line, type, id, the extra header lines (each ending in CRLF), the
 * Content-Length (declared, or the block's when declared is -1), the block, CRLF CRLF. */
static void record_len(wbuf *b, const char *type, const char *id, const char *extra,
                       const void *block, size_t blen, long declared)
{
    char head[2048];
    snprintf(head, sizeof head,
             "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
             "WARC-Date: 2025-11-24T10:00:00Z\r\n%sContent-Length: %ld\r\n\r\n",
             type, id, extra ? extra : "", declared >= 0 ? declared : (long)blen);
    puts_(b, head);
    put(b, block, blen);
    puts_(b, "\r\n\r\n");
}

static void record(wbuf *b, const char *type, const char *id, const char *extra, const char *block)
{
    record_len(b, type, id, extra, block, strlen(block), -1);
}

static void gzip_member(wbuf *out, const unsigned char *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, (uLong)n) + 64;
    unsigned char *tmp = malloc(cap);
    assert_non_null(tmp);
    z.next_in = (unsigned char *)p;
    z.avail_in = (uInt)n;
    z.next_out = tmp;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    put(out, tmp, cap - z.avail_out);
    deflateEnd(&z);
    free(tmp);
}

static const char WARCINFO[] = "software: resplint tests\r\nformat: WARC File Format 1.1\r\n";
static const char REQ_GET[] = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
static const char RESP_OK[] = "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
                              "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
static const char RESP_301[] = "HTTP/1.1 301 Moved Permanently\r\n"
                               "Date: Mon, 24 Nov 2025 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n";
#define HTTP_RESP                                                                                  \
    "WARC-Target-URI: http://example.com/\r\n"                                                     \
    "Content-Type: application/http; msgtype=response\r\n"
#define HTTP_REQ                                                                                   \
    "WARC-Target-URI: http://example.com/\r\n"                                                     \
    "Content-Type: application/http; msgtype=request\r\n"

/* ---- running the reader ---- */

typedef struct wfind {
    char id[8];
    uint64_t record_offset, offset;
    size_t response;
    char url[256];
    char record_id[128];
    char message[512];
} wfind;

typedef struct wres {
    wfind f[128];
    size_t n;
    size_t responses;
    char method[16][24];
    int status[16];
    resplint_capture_stats stats;
    int rc;
    char err[512];
} wres;

static void on_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    wres *w = user;
    if (w->n >= sizeof w->f / sizeof w->f[0])
        return;
    wfind *t = &w->f[w->n++];
    snprintf(t->id, sizeof t->id, "%s", f->rule->id);
    t->record_offset = o->record_offset;
    t->offset = o->offset;
    t->response = o->response_index;
    snprintf(t->url, sizeof t->url, "%s", o->url ? o->url : "");
    snprintf(t->record_id, sizeof t->record_id, "%s", o->record_id ? o->record_id : "");
    snprintf(t->message, sizeof t->message, "%s", f->message);
    assert_int_equal(o->kind, RESPLINT_INPUT_WARC);
}

static void on_response(const resplint_response *r, const resplint_origin *o, void *user)
{
    wres *w = user;
    if (w->responses < 16) {
        snprintf(w->method[w->responses], sizeof w->method[0], "%.*s", (int)r->method_len,
                 r->method ? r->method : "");
        w->status[w->responses] = r->status;
    }
    assert_int_equal(o->response_index, w->responses);
    w->responses++;
}

static void lint_opts(wres *w, const void *data, size_t len, const resplint_capture_options *op,
                      resplint_config *cfg)
{
    memset(w, 0, sizeof *w);
    resplint_config *own = NULL;
    if (!cfg) {
        cfg = own = resplint_config_new();
        assert_non_null(cfg);
        /* every rule on, so that what is suppressed is suppressed by the reader (but RL5009,
         * advice every 200 without a lifetime deserves: see tests/unit/test_fixtures.c) */
        for (size_t i = 0; i < resplint_rule_count(); i++)
            resplint_config_enable(cfg, resplint_rule_at(i)->id);
        resplint_config_set_rule(cfg, "RL5009", RESPLINT_OFF);
    }
    FILE *fp = fmemopen((void *)data, len, "rb");
    assert_non_null(fp);
    resplint_capture_handler h = {sizeof h, on_finding, on_response, NULL, w, NULL};
    w->rc = resplint_capture_file(cfg, "test.warc", fp, op, &h, &w->stats, w->err, sizeof w->err);
    fclose(fp);
    resplint_config_free(own);
}

static void lint(wres *w, const wbuf *b)
{
    lint_opts(w, b->p, b->len, NULL, NULL);
}

static size_t count(const wres *w, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->f[i].id, id) == 0)
            n++;
    return n;
}

static const wfind *find(const wres *w, const char *id)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->f[i].id, id) == 0)
            return &w->f[i];
    return NULL;
}

static void dump(const wres *w)
{
    for (size_t i = 0; i < w->n; i++)
        print_message("  %s record %llu +%llu [%zu]: %s\n", w->f[i].id,
                      (unsigned long long)w->f[i].record_offset, (unsigned long long)w->f[i].offset,
                      w->f[i].response, w->f[i].message);
}

/* The exact multiset of rule ids. */
static void expect(const wres *w, ...)
{
    va_list ap;
    size_t want = 0;
    va_start(ap, w);
    for (const char *id; (id = va_arg(ap, const char *)) != NULL;) {
        want++;
        if (count(w, id) == 0) {
            dump(w);
            fail_msg("expected %s", id);
        }
    }
    va_end(ap);
    if (want != w->n) {
        dump(w);
        fail_msg("expected %zu findings, got %zu", want, w->n);
    }
}

/* ---- tests ---- */

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(resplint_detect_input("WARC/1.0\r\n", 10), RESPLINT_INPUT_WARC);
    assert_int_equal(resplint_detect_input("WARC/1.1\r\n", 10), RESPLINT_INPUT_WARC);
    assert_int_equal(resplint_detect_input("\x1f\x8b\x08\x00", 4), RESPLINT_INPUT_WARC);
    assert_int_equal(resplint_detect_input("HTTP/1.1 200 OK\r\n", 17), RESPLINT_INPUT_RAW);
}

static void test_plain(void **state)
{
    (void)state;
    wbuf b = {0};
    record(&b, "warcinfo", "info-1", "Content-Type: application/warc-fields\r\n", WARCINFO);
    size_t at = b.len;
    record(&b, "response", "resp-1", HTTP_RESP, RESP_301);
    record(&b, "request", "req-1", HTTP_REQ "WARC-Concurrent-To: <urn:uuid:resp-1>\r\n", REQ_GET);
    record(&b, "metadata", "meta-1", "Content-Type: application/warc-fields\r\n", "a: b\r\n");
    wres w;
    lint(&w, &b);
    assert_int_equal(w.rc, 0);
    expect(&w, "RL2001", NULL);
    const wfind *f = find(&w, "RL2001");
    assert_int_equal(f->record_offset, at);
    assert_int_equal(f->offset, 0); /* the status line, first byte of the block */
    assert_string_equal(f->url, "http://example.com/");
    assert_string_equal(f->record_id, "<urn:uuid:resp-1>");
    assert_int_equal(w.responses, 1);
    assert_int_equal(w.stats.responses, 1);
    assert_int_equal(w.stats.skipped, 2); /* warcinfo, metadata */
    assert_int_equal(w.stats.kind, RESPLINT_INPUT_WARC);
    assert_string_equal(w.method[0], "GET");
    free(b.p);
}

/* Evidence inside the block is located by its offset in the block. */
static void test_evidence_offset(void **state)
{
    (void)state;
    wbuf b = {0};
    static const char resp[] = "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
                               "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "2\r\nhi\r\n0\r\n\r\n";
    record(&b, "response", "r", HTTP_RESP, resp);
    wres w;
    lint(&w, &b);
    /* a real chunked body with both framings: the server's fault, reported */
    assert_int_equal(count(&w, "RL3001"), 1);
    assert_int_equal(count(&w, "RL9008"), 0);
    assert_int_equal(find(&w, "RL3001")->offset, strstr(resp, "Transfer-Encoding") - resp);
    free(b.p);
}

static size_t build_gzip(wbuf *gz, size_t offsets[4])
{
    wbuf recs[4] = {{0}, {0}, {0}, {0}};
    record(&recs[0], "warcinfo", "info-1", "Content-Type: application/warc-fields\r\n", WARCINFO);
    record(&recs[1], "request", "req-1", HTTP_REQ, REQ_GET);
    record(&recs[2], "response", "resp-1", HTTP_RESP "WARC-Concurrent-To: <urn:uuid:req-1>\r\n",
           RESP_301);
    record(&recs[3], "response", "resp-2", HTTP_RESP, RESP_OK);
    for (int i = 0; i < 4; i++) {
        offsets[i] = gz->len;
        gzip_member(gz, recs[i].p, recs[i].len);
        free(recs[i].p);
    }
    return 4;
}

static void test_gzip_offsets(void **state)
{
    (void)state;
    wbuf gz = {0};
    size_t off[4];
    build_gzip(&gz, off);
    wres w;
    lint(&w, &gz);
    assert_int_equal(w.rc, 0);
    expect(&w, "RL2001", NULL);
    assert_int_equal(find(&w, "RL2001")->record_offset, off[2]); /* compressed offset, as CDX */
    assert_int_equal(w.responses, 2);
    assert_int_equal(w.stats.bytes, gz.len);
    free(gz.p);
}

/* One gzip stream for the whole file: records have no compressed offset of their own, so the
 * offset in the decompressed stream is given. */
static void test_gzip_whole_file(void **state)
{
    (void)state;
    wbuf b = {0}, gz = {0};
    record(&b, "warcinfo", "info-1", "Content-Type: application/warc-fields\r\n", WARCINFO);
    size_t at = b.len;
    record(&b, "response", "resp-1", HTTP_RESP, RESP_301);
    gzip_member(&gz, b.p, b.len);
    wres w;
    lint(&w, &gz);
    expect(&w, "RL2001", NULL);
    assert_int_equal(find(&w, "RL2001")->record_offset, at);
    free(b.p);
    free(gz.p);
}

static void test_gzip_not_warc(void **state)
{
    (void)state;
    /* gzip holding neither a WARC nor a pcap (a gzip'd pcap goes to the pcap reader) */
    static const unsigned char text[] = "just some compressed text, not an archive\n";
    wbuf gz = {0};
    gzip_member(&gz, text, sizeof text - 1);
    wres w;
    lint(&w, &gz);
    assert_int_equal(w.rc, RESPLINT_EFORMAT);
    assert_non_null(strstr(w.err, "not a WARC"));
    free(gz.p);
}

static void test_gzip_truncated(void **state)
{
    (void)state;
    wbuf gz = {0};
    size_t off[4];
    build_gzip(&gz, off);
    wres w;
    lint_opts(&w, gz.p, off[3] + 30, NULL, NULL); /* cut inside the last member */
    assert_int_equal(w.rc, 0);
    assert_int_equal(count(&w, "RL2001"), 1);
    assert_true(count(&w, "RL9007") >= 1);
    assert_int_equal(count(&w, "RL3007"), 0);
    free(gz.p);
}

/* HEAD answers carry Content-Length and no body: only the request says so. */
static const char HEAD_REQ[] = "HEAD / HTTP/1.1\r\nHost: example.com\r\n\r\n";
static const char HEAD_RESP[] = "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
                                "Content-Length: 100\r\n\r\n";

static void test_request_after_response(void **state)
{
    (void)state;
    wbuf b = {0};
    record(&b, "response", "resp-1", HTTP_RESP, HEAD_RESP);
    record(&b, "request", "req-1", HTTP_REQ "WARC-Concurrent-To: <urn:uuid:resp-1>\r\n", HEAD_REQ);
    record(&b, "response", "resp-2", HTTP_RESP, RESP_OK);
    wres w;
    lint(&w, &b);
    expect(&w, NULL);
    assert_int_equal(w.responses, 2);
    assert_string_equal(w.method[0], "HEAD");
    assert_string_equal(w.method[1], ""); /* the HEAD request was used once */
    free(b.p);
}

static void test_request_before_response(void **state)
{
    (void)state;
    wbuf b = {0};
    record(&b, "request", "req-1", HTTP_REQ, HEAD_REQ);
    record(&b, "response", "resp-1", HTTP_RESP "WARC-Concurrent-To: <urn:uuid:req-1>\r\n",
           HEAD_RESP);
    /* and matched by target URI alone */
    record(&b, "request", "req-2", HTTP_REQ, HEAD_REQ);
    record(&b, "response", "resp-2", HTTP_RESP, HEAD_RESP);
    wres w;
    lint(&w, &b);
    expect(&w, NULL);
    assert_string_equal(w.method[0], "HEAD");
    assert_string_equal(w.method[1], "HEAD");
    free(b.p);
}

static void test_no_request(void **state)
{
    (void)state;
    wbuf b = {0};
    record(&b, "response", "resp-1", HTTP_RESP, HEAD_RESP);
    /* a request for another response does not pair with this one */
    record(&b, "request", "req-9", HTTP_REQ "WARC-Concurrent-To: <urn:uuid:other>\r\n", HEAD_REQ);
    wres w;
    lint(&w, &b);
    expect(&w, "RL3007", NULL); /* nothing says HEAD: the body is missing */
    assert_string_equal(w.method[0], "");
    free(b.p);
}

static void test_revisit(void **state)
{
    (void)state;
    wbuf b = {0};
    record(&b, "revisit", "rv-1",
           HTTP_RESP
           "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n",
           "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\nContent-Length: 606\r\n\r\n");
    record(&b, "revisit", "rv-2", HTTP_RESP,
           "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
           "Transfer-Encoding: chunked\r\n\r\n");
    record(&b, "revisit", "rv-3", HTTP_RESP,
           "HTTP/1.1 301 Moved Permanently\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n\r\n");
    record(&b, "revisit", "rv-4", "WARC-Target-URI: http://example.com/\r\n", ""); /* no head */
    wres w;
    lint(&w, &b);
    /* what the head shows is linted; the missing body is not a fault */
    expect(&w, "RL2001", NULL);
    assert_int_equal(w.responses, 3);
    assert_int_equal(w.stats.skipped, 1);
    free(b.p);
}

static void test_rewrite_dechunked(void **state)
{
    (void)state;
    wbuf b = {0};
    static const char body[] = "<!doctype html><title>x</title>\n";
    char resp[512];
    snprintf(resp, sizeof resp,
             "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
             "Transfer-Encoding: chunked\r\n\r\n%s",
             body);
    record(&b, "response", "r1", HTTP_RESP, resp);
    /* the archiver also added a Content-Length for the de-chunked body */
    snprintf(resp, sizeof resp,
             "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
             "Transfer-Encoding: chunked\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(body), body);
    record(&b, "response", "r2", HTTP_RESP, resp);
    wres w;
    lint(&w, &b);
    expect(&w, "RL9008", "RL9008", NULL); /* no RL3001, RL3007, RL3008 */
    assert_int_equal(w.responses, 2);
    free(b.p);
}

static void test_rewrite_content_length_minus_one(void **state)
{
    (void)state;
    wbuf b = {0};
    static const char resp[] = "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
                               "Transfer-Encoding: chunked\r\nContent-Length: -1\r\n\r\n";
    record(&b, "revisit", "r1", HTTP_RESP, resp);
    static const char resp2[] = "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
                                "Content-Length: -1\r\n\r\nhello";
    record(&b, "response", "r2", HTTP_RESP, resp2);
    wres w;
    lint(&w, &b);
    expect(&w, "RL9008", "RL9008", NULL); /* no RL3001, RL3004, RL9001 */
    assert_int_equal(w.f[0].offset, strstr(resp, "Content-Length") - resp);
    free(b.p);
}

static void test_rewrite_renamed(void **state)
{
    (void)state;
    wbuf b = {0};
    /* Common Crawl: framing renamed, body stored decoded, no length: not close-delimited */
    record(&b, "response", "r1", HTTP_RESP,
           "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\nContent-Type: text/plain\r\n"
           "X-Crawler-Transfer-Encoding: chunked\r\nX-Crawler-Content-Encoding: gzip\r\n\r\n"
           "hello");
    /* Wayback: the Location was there, under another name */
    record(&b, "response", "r2", HTTP_RESP,
           "HTTP/1.1 301 Moved Permanently\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
           "X-Archive-Orig-Location: http://example.com/new\r\nContent-Length: 0\r\n\r\n");
    wres w;
    lint(&w, &b);
    expect(&w, "RL9008", "RL9008", NULL); /* no RL3009, no RL2001 */
    assert_non_null(strstr(w.f[0].message, "X-Crawler-Transfer-Encoding"));
    free(b.p);
}

static void test_archiver_truncated(void **state)
{
    (void)state;
    wbuf b = {0};
    record(&b, "response", "r1", HTTP_RESP "WARC-Truncated: length\r\n",
           "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\nContent-Type: text/plain\r\n"
           "Content-Length: 100000\r\n\r\nhello");
    wres w;
    lint(&w, &b);
    expect(&w, "RL9008", NULL);
    free(b.p);
}

static void test_invalid_length(void **state)
{
    (void)state;
    wbuf b = {0};
    size_t first = b.len;
    /* declared 2 bytes short: the body looks truncated, but the record is what is wrong */
    record_len(&b, "response", "r1", HTTP_RESP, RESP_OK, strlen(RESP_OK),
               (long)strlen(RESP_OK) - 2);
    record(&b, "response", "r2", HTTP_RESP, RESP_301);
    wres w;
    lint(&w, &b);
    expect(&w, "RL9007", "RL2001", NULL); /* no RL3007; the next record is still read */
    assert_int_equal(find(&w, "RL9007")->record_offset, first);
    assert_int_equal(w.responses, 2);
    free(b.p);
}

static void test_head_cut(void **state)
{
    (void)state;
    wbuf b = {0};
    record(&b, "response", "r1", HTTP_RESP, "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025");
    wres w;
    lint(&w, &b);
    expect(&w, "RL9007", NULL); /* not RL9001 */
    free(b.p);
}

static void test_missing_length_and_junk(void **state)
{
    (void)state;
    wbuf b = {0};
    puts_(&b, "WARC/1.0\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\n\r\n\r\n\r\n");
    record(&b, "response", "r2", HTTP_RESP, RESP_301);
    puts_(&b, "garbage between records\r\n");
    record(&b, "response", "r3", HTTP_RESP, RESP_301);
    wres w;
    lint(&w, &b);
    expect(&w, "RL9007", "RL9007", "RL2001", "RL2001", NULL);
    assert_int_equal(w.responses, 2);
    free(b.p);
}

static void test_truncated_file(void **state)
{
    (void)state;
    wbuf b = {0};
    record(&b, "response", "r1", HTTP_RESP, RESP_301);
    size_t cut = b.len;
    record(&b, "response", "r2", HTTP_RESP, RESP_OK);
    for (size_t end = cut; end < b.len; end++) {
        wres w;
        lint_opts(&w, b.p, end, NULL, NULL);
        assert_int_equal(w.rc, 0);
        assert_int_equal(count(&w, "RL2001"), 1);
        assert_int_equal(count(&w, "RL3007"), 0);
        assert_int_equal(count(&w, "RL9001"), 0);
    }
    free(b.p);
}

/* A record larger than what the reader holds is streamed: memory stays bounded. */
static void test_large_record(void **state)
{
    (void)state;
    size_t body = 3u << 20;
    char head[256];
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 200 OK\r\nDate: Mon, 24 Nov 2025 10:00:00 GMT\r\nContent-Type: text/plain\r\n"
                      "Content-Length: %zu\r\n\r\n",
                      body);
    unsigned char *block = malloc((size_t)hl + body);
    assert_non_null(block);
    memcpy(block, head, (size_t)hl);
    memset(block + hl, 'x', body);
    wbuf b = {0};
    record_len(&b, "response", "big", HTTP_RESP, block, (size_t)hl + body, -1);
    record(&b, "request", "req", HTTP_REQ "WARC-Concurrent-To: <urn:uuid:big>\r\n", REQ_GET);
    record(&b, "response", "r2", HTTP_RESP, RESP_301);
    wres w;
    lint(&w, &b);
    expect(&w, "RL2001", NULL);
    assert_int_equal(w.responses, 2);
    /* cut inside the streamed part */
    lint_opts(&w, b.p, (size_t)hl + (2u << 20), NULL, NULL);
    expect(&w, "RL9007", NULL);
    free(block);
    free(b.p);
}

/* A real file (a declared length is compared with the file's size, which memory streams lack). */
static void lint_tmpfile(wres *w, const wbuf *b)
{
    memset(w, 0, sizeof *w);
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    for (size_t i = 0; i < resplint_rule_count(); i++)
        resplint_config_enable(cfg, resplint_rule_at(i)->id);
    resplint_config_set_rule(cfg, "RL5009", RESPLINT_OFF); /* as in lint_opts */
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(fwrite(b->p, 1, b->len, fp), b->len);
    rewind(fp);
    resplint_capture_handler h = {sizeof h, on_finding, on_response, NULL, w, NULL};
    w->rc = resplint_capture_file(cfg, "test.warc", fp, NULL, &h, &w->stats, w->err, sizeof w->err);
    fclose(fp);
    resplint_config_free(cfg);
}

/* Issue 21: a record declaring 3 or 5 GB in a small file made the records after it its block
 * (linted as stray bytes: false RL3010) or skipped them with it. The next record's start ends
 * the block, and RL9007 says the declared length is wrong. */
static void test_declared_length_past_end(void **state)
{
    (void)state;
    static const long sizes[] = {3000000000L, 5000000000L};
    for (size_t k = 0; k < 2; k++) {
        wbuf b = {0};
        record_len(&b, "response", "big", HTTP_RESP, RESP_OK, strlen(RESP_OK), sizes[k]);
        record(&b, "response", "r2", HTTP_RESP, RESP_301);
        record(&b, "response", "r3", HTTP_RESP, RESP_301);
        wres w;
        lint_tmpfile(&w, &b);
        assert_int_equal(w.rc, 0);
        expect(&w, "RL9007", "RL2001", "RL2001", NULL);
        assert_non_null(strstr(find(&w, "RL9007")->message, "its block is taken to end there"));
        assert_int_equal(find(&w, "RL9007")->record_offset, 0);
        assert_int_equal(w.responses, 3);
        free(b.p);
    }
    /* the last record declaring too much, with its trailer at the end of the file: its block
     * ends before the trailer (the trailer was linted as stray bytes: a false RL3010) */
    {
        wbuf t = {0};
        record(&t, "response", "r1", HTTP_RESP, RESP_301);
        record_len(&t, "response", "big", HTTP_RESP, RESP_OK, strlen(RESP_OK), 3000000000L);
        wres v;
        lint_tmpfile(&v, &t);
        expect(&v, "RL2001", "RL9007", NULL);
        assert_non_null(strstr(find(&v, "RL9007")->message, "its block is taken to end there"));
        assert_int_equal(v.responses, 2);
        free(t.p);
    }
    /* the last record, cut by the end of the file: read as far as it goes, as before */
    wbuf b = {0};
    record(&b, "response", "r1", HTTP_RESP, RESP_301);
    record_len(&b, "response", "big", HTTP_RESP, RESP_OK, strlen(RESP_OK), 3000000000L);
    b.len -= 4; /* no record trailer: the file is cut */
    wres w;
    lint_tmpfile(&w, &b);
    expect(&w, "RL2001", "RL9007", NULL);
    assert_non_null(strstr(find(&w, "RL9007")->message, "the file ends after"));
    assert_int_equal(w.responses, 2);
    free(b.p);
}

/* Issue 21: header lines ending in CR CR LF (seen in real archives) were "the file ends inside
 * a WARC record header". */
static void test_cr_cr_lf_header(void **state)
{
    (void)state;
    wbuf b = {0};
    char head[512];
    snprintf(head, sizeof head,
             "WARC/1.0\r\r\nWARC-Type: response\r\r\nWARC-Record-ID: <urn:uuid:x>\r\r\n"
             "WARC-Target-URI: http://example.com/\r\r\n"
             "Content-Type: application/http; msgtype=response\r\r\n"
             "Content-Length: %zu\r\r\n\r\r\n",
             strlen(RESP_301));
    puts_(&b, head);
    puts_(&b, RESP_301);
    puts_(&b, "\r\n\r\n");
    record(&b, "response", "r2", HTTP_RESP, RESP_301);
    wres w;
    lint(&w, &b);
    expect(&w, "RL2001", "RL2001", NULL);
    assert_int_equal(w.responses, 2);
    free(b.p);
}

/* Issue 21: corrupt gzip data was a finding at "record at 18446744073709551615" and the run
 * counted as successful; it is an input error naming the member's offset. A file cut inside a
 * member stays a finding, at the member's offset. */
static void test_gzip_corrupt(void **state)
{
    (void)state;
    wbuf gz = {0};
    size_t off[4];
    build_gzip(&gz, off);
    for (size_t i = off[3] + 12; i < off[3] + 40; i++)
        gz.p[i] ^= 0x5a;
    wres w;
    lint(&w, &gz);
    assert_int_equal(w.rc, RESPLINT_EFORMAT);
    assert_non_null(strstr(w.err, "gzip data that cannot be read in the member at file offset"));
    char at[32];
    snprintf(at, sizeof at, "offset %zu ", off[3]);
    assert_non_null(strstr(w.err, at));
    free(gz.p);

    gz = (wbuf){0};
    build_gzip(&gz, off);
    lint_opts(&w, gz.p, off[3] + 30, NULL, NULL);
    const wfind *f = NULL;
    for (size_t i = 0; i < w.n; i++)
        if (strstr(w.f[i].message, "gzip:"))
            f = &w.f[i];
    assert_non_null(f);
    assert_int_equal(f->record_offset, off[3]);
    free(gz.p);
}

static void test_filters(void **state)
{
    (void)state;
    wbuf b = {0};
    record(&b, "response", "r1", HTTP_RESP, RESP_301);
    record(&b, "response", "r2",
           "WARC-Target-URI: https://user@other.org:8443/x?y\r\n"
           "Content-Type: application/http;msgtype=response\r\n",
           RESP_301);
    record(&b, "response", "r3", "WARC-Target-URI: dns:example.com\r\nContent-Type: text/dns\r\n",
           "20251124100000\nexample.com. 300 IN A 192.0.2.1\n");
    resplint_capture_options op;
    memset(&op, 0, sizeof op);
    op.host_glob = "other.org";
    wres w;
    lint_opts(&w, b.p, b.len, &op, NULL);
    expect(&w, "RL2001", NULL);
    assert_string_equal(w.f[0].url, "https://user@other.org:8443/x?y");
    assert_int_equal(w.stats.skipped, 2);
    op.host_glob = NULL;
    op.url_glob = "http://example.com/*";
    lint_opts(&w, b.p, b.len, &op, NULL);
    expect(&w, "RL2001", NULL);
    assert_string_equal(w.f[0].url, "http://example.com/");
    free(b.p);
}

/* fixtures/rules/RL9007/ and RL9008/ hold WARC files (the fixture runner treats files by
 * content): bad* raise the rule, good* raise nothing with every rule on. */
static void test_fixtures(void **state)
{
    (void)state;
    static const char *const rules[] = {"RL9007", "RL9008"};
    for (size_t r = 0; r < 2; r++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/fixtures/rules/%s", RESPLINT_SOURCE_DIR, rules[r]);
        DIR *d = opendir(dir);
        assert_non_null(d);
        size_t bad = 0, good = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            bool is_bad = strncmp(e->d_name, "bad", 3) == 0;
            if (!is_bad && strncmp(e->d_name, "good", 4) != 0)
                continue;
            char path[1280];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            FILE *fp = fopen(path, "rb");
            assert_non_null(fp);
            unsigned char *data = malloc(1 << 16);
            assert_non_null(data);
            size_t n = fread(data, 1, 1 << 16, fp);
            fclose(fp);
            wres *w = malloc(sizeof *w);
            assert_non_null(w);
            lint_opts(w, data, n, NULL, NULL);
            assert_int_equal(w->rc, 0);
            if (is_bad && count(w, rules[r]) == 0) {
                dump(w);
                fail_msg("%s raises no %s", path, rules[r]);
            }
            if (!is_bad && w->n) {
                dump(w);
                fail_msg("%s raises findings", path);
            }
            bad += is_bad;
            good += !is_bad;
            free(w);
            free(data);
        }
        closedir(d);
        assert_true(bad > 0 && good > 0);
    }
}

/* A corpus file, no finding beyond what expected-warc.tsv lists, and each response paired with
 * the request the archive holds for it. */
typedef struct corpus_line {
    char text[1024];
} corpus_line;

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(((const corpus_line *)a)->text, ((const corpus_line *)b)->text);
}

static void test_corpus(void **state)
{
    (void)state;
    const char *dir = RESPLINT_CORPUS_DIR "/warc";
    DIR *d = opendir(dir);
    if (!d) {
        rltest_corpus_missing(dir);
    }
    char names[64][256];
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && nn < 64)
        if (e->d_name[0] != '.')
            snprintf(names[nn++], sizeof names[0], "%s", e->d_name);
    closedir(d);
    qsort(names, nn, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    corpus_line *got = calloc(1024, sizeof *got);
    assert_non_null(got);
    size_t ng = 0;
    resplint_config *cfg = resplint_config_new();
    for (size_t i = 0; i < nn; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        wres *w = calloc(1, sizeof *w);
        assert_non_null(w);
        resplint_capture_handler h = {sizeof h, on_finding, on_response, NULL, w, NULL};
        int rc = resplint_capture_file(cfg, path, fp, NULL, &h, &w->stats, w->err, sizeof w->err);
        fclose(fp);
        assert_int_equal(rc, 0);
        assert_true(w->responses > 0);
        /* every response of the corpus has its request record: the method must be found */
        for (size_t k = 0; k < w->responses && k < 16; k++)
            if (strcmp(names[i], "jwarc__cc.warc.gz") != 0 && w->method[k][0] == '\0')
                fail_msg("%s: response %zu has no request context", names[i], k);
        snprintf(got[ng++].text, sizeof got[0].text, "%s\t%zu\t-\t-\t-\t-", names[i], w->responses);
        for (size_t k = 0; k < w->n && ng < 1024; k++) {
            char off[32];
            if (w->f[k].offset == RESPLINT_NO_OFFSET)
                snprintf(off, sizeof off, "-");
            else
                snprintf(off, sizeof off, "%llu", (unsigned long long)w->f[k].offset);
            snprintf(got[ng++].text, sizeof got[0].text, "%s\t%zu\t%s\t%llu\t%s\t%s", names[i],
                     w->responses, w->f[k].id, (unsigned long long)w->f[k].record_offset, off,
                     w->f[k].url[0] ? w->f[k].url : "-");
        }
        free(w);
    }
    resplint_config_free(cfg);
    qsort(got, ng, sizeof *got, cmp_lines);

    const char *tsv = RESPLINT_SOURCE_DIR "/tests/corpus/expected-warc.tsv";
    const char *update = getenv("RESPLINT_UPDATE_EXPECTED");
    if (update && *update) {
        /* the review notes (comment lines) are kept; the findings are rewritten */
        char *notes = calloc(1, 65536);
        assert_non_null(notes);
        FILE *old = fopen(tsv, "r");
        char l[1024];
        while (old && fgets(l, sizeof l, old))
            if (l[0] == '#' && strlen(notes) + strlen(l) < 65536)
                strcat(notes, l);
        if (old)
            fclose(old);
        FILE *out = fopen(tsv, "w");
        assert_non_null(out);
        fputs(notes[0] ? notes
                       : "# file\tresponses\trule\trecord_offset\tblock_offset\ttarget_uri\n",
              out);
        free(notes);
        for (size_t i = 0; i < ng; i++)
            fprintf(out, "%s\n", got[i].text);
        fclose(out);
    }
    FILE *in = fopen(tsv, "r");
    assert_non_null(in);
    corpus_line *want = calloc(1024, sizeof *want);
    assert_non_null(want);
    size_t nw = 0;
    char line[1024];
    while (nw < 1024 && fgets(line, sizeof line, in)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        snprintf(want[nw++].text, sizeof want[0].text, "%s", line);
    }
    fclose(in);
    qsort(want, nw, sizeof *want, cmp_lines);
    size_t i = 0, j = 0;
    bool same = true;
    while (i < ng || j < nw) {
        int c = i == ng ? 1 : j == nw ? -1 : strcmp(got[i].text, want[j].text);
        if (c < 0)
            print_message("unexpected: %s\n", got[i++].text);
        else if (c > 0)
            print_message("missing:    %s\n", want[j++].text);
        else {
            i++;
            j++;
            continue;
        }
        same = false;
    }
    free(got);
    free(want);
    if (!same)
        fail_msg("corpus findings differ from %s (review, then RESPLINT_UPDATE_EXPECTED=1)", tsv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_evidence_offset),
        cmocka_unit_test(test_gzip_offsets),
        cmocka_unit_test(test_gzip_whole_file),
        cmocka_unit_test(test_gzip_not_warc),
        cmocka_unit_test(test_gzip_truncated),
        cmocka_unit_test(test_request_after_response),
        cmocka_unit_test(test_request_before_response),
        cmocka_unit_test(test_no_request),
        cmocka_unit_test(test_revisit),
        cmocka_unit_test(test_rewrite_dechunked),
        cmocka_unit_test(test_rewrite_content_length_minus_one),
        cmocka_unit_test(test_rewrite_renamed),
        cmocka_unit_test(test_archiver_truncated),
        cmocka_unit_test(test_invalid_length),
        cmocka_unit_test(test_head_cut),
        cmocka_unit_test(test_declared_length_past_end),
        cmocka_unit_test(test_cr_cr_lf_header),
        cmocka_unit_test(test_gzip_corrupt),
        cmocka_unit_test(test_missing_length_and_junk),
        cmocka_unit_test(test_truncated_file),
        cmocka_unit_test(test_large_record),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
