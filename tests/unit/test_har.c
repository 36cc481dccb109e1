/* The HAR reader: version normalisation, JSON pointers, line and column, BOM, truncation,
 * status 0, the HAR body traps, h2 field names, filters, JSON that is not a HAR, huge strings;
 * the .har rule fixtures; and the corpus of third-party HARs against expected-har.tsv. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"
#include "skip.h"

#include "har.h"
#include "resplint/capture.h"

#include <dirent.h>

#define MAXHITS 64

typedef struct hit {
    char id[8];
    long entry;
    long field;
    char pointer[160];
    uint32_t line, col;
    uint64_t offset;
    char url[256];
    char message[512];
} hit;

typedef struct run {
    hit h[MAXHITS];
    size_t n;
    size_t by_rule[512]; /* findings per rule index, all of them */
    resplint_capture_stats st;
    int rc;
    char err[512];
} run;

static void on_hit(const resplint_finding *f, const resplint_origin *o, void *user)
{
    run *r = user;
    if (f->rule->index < 512)
        r->by_rule[f->rule->index]++;
    if (r->n >= MAXHITS)
        return;
    hit *h = &r->h[r->n++];
    snprintf(h->id, sizeof h->id, "%s", f->rule->id);
    h->entry = o->har_entry;
    h->field = f->field_index;
    snprintf(h->pointer, sizeof h->pointer, "%s", o->json_pointer ? o->json_pointer : "");
    h->line = o->line;
    h->col = o->column;
    h->offset = o->offset;
    snprintf(h->url, sizeof h->url, "%s", o->url ? o->url : "");
    snprintf(h->message, sizeof h->message, "%s", f->message);
}

static void lint_cfg(run *r, const resplint_config *cfg, const char *text, size_t len,
                     const resplint_capture_options *opts)
{
    memset(r, 0, sizeof *r);
    FILE *fp = fmemopen((void *)text, len, "rb");
    assert_non_null(fp);
    resplint_capture_handler h = {sizeof h, on_hit, NULL, NULL, r, NULL};
    r->rc = resplint_capture_file(cfg, "test.har", fp, opts, &h, &r->st, r->err, sizeof r->err);
    fclose(fp);
}

static void lint(run *r, const char *text, const resplint_capture_options *opts)
{
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    /* test entries carry no Content-Type: RL7001 would fire on every one with content */
    resplint_config_set_rule(cfg, "RL7001", RESPLINT_OFF);
    lint_cfg(r, cfg, text, strlen(text), opts);
    resplint_config_free(cfg);
}

static void dump(const run *r)
{
    for (size_t i = 0; i < r->n; i++)
        print_message("  %s entry %ld %s %u:%u: %s\n", r->h[i].id, r->h[i].entry,
                      r->h[i].pointer, r->h[i].line, r->h[i].col, r->h[i].message);
    if (r->err[0])
        print_message("  error: %s\n", r->err);
}

static size_t count(const run *r, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += strcmp(r->h[i].id, id) == 0;
    return n;
}

static const hit *find(const run *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->h[i].id, id) == 0)
            return &r->h[i];
    return NULL;
}

static void expect_clean(const run *r)
{
    if (r->n || r->rc) {
        dump(r);
        fail_msg("expected no finding and rc 0, got %zu findings, rc %d", r->n, r->rc);
    }
}

/* A HAR with the given entries (JSON text, comma-separated). */
static char *har_of(const char *entries)
{
    size_t n = strlen(entries) + 256;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"t\",\"version\":\"1\"},"
                   "\"entries\":[%s]}}",
             entries);
    return s;
}

#define DATE "{\"name\":\"Date\",\"value\":\"Mon, 24 Nov 2025 10:00:00 GMT\"}"
#define ENTRY(method, url, status, version, headers, body, size)                                  \
    "{\"request\":{\"method\":\"" method "\",\"url\":\"" url "\",\"httpVersion\":\"" version       \
    "\",\"headers\":[]},\"response\":{\"status\":" #status ",\"statusText\":\"\","               \
    "\"httpVersion\":\"" version "\",\"headers\":[" headers "],\"content\":{\"size\":" #size     \
    ",\"mimeType\":\"text/html\"},\"bodySize\":" #body "}}"

static void lint_entries(run *r, const char *entries, const resplint_capture_options *opts)
{
    char *s = har_of(entries);
    lint(r, s, opts);
    free(s);
}

/* ---- normalisation ---- */

static void test_versions(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool known;
        unsigned major, minor;
    } cases[] = {
        {"HTTP/1.0", true, 1, 0}, {"HTTP/1.1", true, 1, 1}, {"http/1.1", true, 1, 1},
        {"h2", true, 2, 0},       {"http/2.0", true, 2, 0}, {"HTTP/2", true, 2, 0},
        {"HTTP/2.0", true, 2, 0}, {"h3", true, 3, 0},       {"HTTP/3", true, 3, 0},
        {"h3-29", true, 3, 0},    {"1.1", true, 1, 1},      {"spdy/3.1", false, 0, 0},
        {"unknown", false, 0, 0}, {"", false, 0, 0},        {"2 2", false, 0, 0},
        {"K", false, 0, 0},       {"ori", false, 0, 0},     {"HTTP/1.7", false, 0, 0},
        {"http/2+quic/43", false, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned ma = 9, mi = 9;
        bool known = rlcap_har_version(cases[i].s, strlen(cases[i].s), &ma, &mi);
        if (known != cases[i].known || ma != cases[i].major || mi != cases[i].minor)
            fail_msg("'%s': got %d %u.%u", cases[i].s, known, ma, mi);
    }
}

static void test_url_helpers(void **state)
{
    (void)state;
    char host[64], port[16];
    assert_true(rlcap_har_url_host("https://user:pw@Example.com:8443/x?y", host, sizeof host,
                                   port, sizeof port));
    assert_string_equal(host, "Example.com");
    assert_string_equal(port, "8443");
    assert_true(rlcap_har_url_host("http://[2001:db8::1]:80/", host, sizeof host, port,
                                   sizeof port));
    assert_string_equal(host, "[2001:db8::1]");
    assert_string_equal(port, "80");
    assert_true(rlcap_har_url_host("http://a.b", host, sizeof host, port, sizeof port));
    assert_string_equal(host, "a.b");
    assert_string_equal(port, "");
    assert_false(rlcap_har_url_host("data:text/plain,hi", host, sizeof host, port, sizeof port));
    assert_true(rlcap_har_url_checked("HTTPS://x/"));
    assert_true(rlcap_har_url_checked("wss://x/"));
    assert_false(rlcap_har_url_checked("data:image/png;base64,AAAA"));
    assert_false(rlcap_har_url_checked("blob:https://x/1"));
    assert_false(rlcap_har_url_checked("chrome-extension://abc/x.js"));
}

/* ---- locations ---- */

static const char located[] =
    "{\n"
    "  \"log\": {\n"
    "    \"entries\": [\n"
    "      {\n"
    "        \"request\": {\"method\": \"GET\", \"url\": \"https://a.test/\"},\n"
    "        \"response\": {\n"
    "          \"status\": 200, \"statusText\": \"OK\", \"httpVersion\": \"h2\",\n"
    "          \"headers\": [\n"
    "            {\"name\": \"date\", \"value\": \"Mon, 24 Nov 2025 10:00:00 GMT\"},\n"
    "            {\"name\": \"content-length\", \"value\": \"0\"},\n"
    "            {\"name\": \"connection\", \"value\": \"keep-alive\"}\n"
    "          ],\n"
    "          \"content\": {\"size\": 0}, \"bodySize\": 0\n"
    "        }\n"
    "      },\n"
    "      {\"request\": {\"method\": \"GET\", \"url\": \"https://b.test/x\"}, \"response\": "
    "{\"status\": 301, \"statusText\": \"\", \"httpVersion\": \"HTTP/1.1\", \"headers\": []}}\n"
    "    ]\n"
    "  }\n"
    "}\n";

static void check_located(const run *r, uint64_t shift)
{
    if (r->rc || r->n != 2) {
        dump(r);
        fail_msg("expected 2 findings");
    }
    const hit *h = find(r, "RL4014");
    assert_non_null(h);
    assert_int_equal(h->entry, 0);
    assert_string_equal(h->pointer, "/log/entries/0/response/headers/2");
    assert_int_equal(h->line, 11);
    assert_int_equal(h->col, 13);
    uint64_t at = (uint64_t)(strstr(located, "{\"name\": \"connection\"") - located);
    assert_int_equal(h->offset, at + shift);
    assert_string_equal(h->url, "https://a.test/");
    assert_int_equal(h->field, 2);
    h = find(r, "RL2001");
    assert_non_null(h);
    assert_int_equal(h->entry, 1);
    assert_string_equal(h->pointer, "/log/entries/1/response");
    assert_int_equal(h->line, 16);
    assert_int_equal(h->col, 77);
    assert_string_equal(h->url, "https://b.test/x");
    assert_int_equal(r->st.responses, 2);
}

static void test_pointer_line_column(void **state)
{
    (void)state;
    run r;
    lint(&r, located, NULL);
    check_located(&r, 0);
}

static void test_bom(void **state)
{
    (void)state;
    char *s = malloc(sizeof located + 3);
    assert_non_null(s);
    memcpy(s, "\xEF\xBB\xBF", 3);
    memcpy(s + 3, located, sizeof located);
    run r;
    lint(&r, s, NULL);
    check_located(&r, 3);
    free(s);
}

static void test_truncated(void **state)
{
    (void)state;
    size_t cut = (size_t)(strstr(located, "\"status\": 301") - located);
    char *s = malloc(cut + 1);
    assert_non_null(s);
    memcpy(s, located, cut);
    s[cut] = '\0';
    run r;
    lint(&r, s, NULL);
    free(s);
    assert_int_equal(r.rc, RESPLINT_EFORMAT);
    assert_int_equal(count(&r, "RL4014"), 1); /* the first entry's finding is kept */
    assert_int_equal(r.n, 1);
    assert_non_null(strstr(r.err, "test.har:16:"));
    assert_non_null(strstr(r.err, "truncated"));
    assert_non_null(strstr(r.err, "/log/entries/1"));
}

static void test_invalid_json(void **state)
{
    (void)state;
    run r;
    lint_entries(&r, ENTRY("GET", "https://a/", 200, "HTTP/1.1", DATE, 0, 0) ",}", NULL);
    assert_int_equal(r.rc, RESPLINT_EFORMAT);
    assert_non_null(strstr(r.err, "invalid JSON"));
    assert_non_null(strstr(r.err, "test.har:1:"));
}

/* ---- the JSON reader: YAJL, and the scanner that cuts long strings before it ---- */

/* Columns count characters, also after long strings of multi-byte characters on the same line
 * (a minified HAR is one line), across the cap and the 64 KiB chunks; escapes are decoded. */
static void test_json_columns(void **state)
{
    (void)state;
    size_t pads[] = {3, 40000, 70000, 200000};
    for (size_t k = 0; k < sizeof pads / sizeof pads[0]; k++) {
        size_t cap = 4 * pads[k] + 4096, len = 0;
        char *s = malloc(cap);
        assert_non_null(s);
        len += (size_t)snprintf(s, cap, "{\"log\":{\"entries\":[{\"_pad\":\"");
        for (size_t i = 0; i < pads[k]; i++) {
            /* 2- and 3-byte characters, escapes of both */
            static const char *const parts[] = {"\xC3\xA9", "\xE2\x82\xAC", "\\u00e9", "\\\"", "a"};
            const char *q = parts[i % 5];
            memcpy(s + len, q, strlen(q));
            len += strlen(q);
        }
        len += (size_t)snprintf(s + len, cap - len,
                                "\",\"request\":{\"url\":\"https://a/\"},\"response\":"
                                "{\"status\":\"200\",\"headers\":[]}}]}}");
        size_t at = (size_t)(strstr(s + len - 60, "\"200\"") - s), chars = 0;
        for (size_t i = 0; i < at; i++)
            chars += ((unsigned char)s[i] & 0xC0) != 0x80;
        run r;
        resplint_config *cfg = resplint_config_new();
        lint_cfg(&r, cfg, s, len, NULL);
        resplint_config_free(cfg);
        if (r.rc || count(&r, "RL9005") != 1) {
            dump(&r);
            fail_msg("pad %zu: expected RL9005", pads[k]);
        }
        const hit *h = find(&r, "RL9005");
        assert_string_equal(h->pointer, "/log/entries/0/response/status");
        assert_int_equal(h->offset, at);
        assert_int_equal(h->line, 1);
        assert_int_equal(h->col, chars + 1);
        free(s);
    }
    /* a member name written with escapes is the member; a header value's escapes decoded */
    run r;
    lint_entries(&r,
                 ENTRY("GET", "https://a/", 200, "HTTP/1.1",
                       DATE ",{\"n\\u0061me\":\"Cont\\u0065nt-Length\",\"value\":\"5\\u002c 6\"}",
                       5, 5),
                 NULL);
    if (r.rc || count(&r, "RL3002") != 1) {
        dump(&r);
        fail_msg("escaped Content-Length \"5, 6\": expected RL3002");
    }
}

/* Vertical tab and form feed between tokens are whitespace to YAJL, and stay so through the
 * scanner in front of it (which compacts line breaks and indentation). */
static void test_json_whitespace(void **state)
{
    (void)state;
    run r;
    lint(&r, "{\v\"log\"\f:\t{\"entries\"\r\n:[\v]\f}\v}\f", NULL);
    expect_clean(&r);
}

/* What is not JSON is an error naming line and column, wherever it is (also in members the
 * reader ignores). The wording is YAJL's (or the scanner's, for a string's bytes): the place is
 * what is checked, the offending byte or the token YAJL refused. */
static void test_json_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *at;
    } cases[] = {
        {"{\"log\":{\"entries\":[{\"_x\":\"a\x01z\"}]}}", "\x01"},
        {"{\"log\":{\"entries\":[{\"_x\":\"a\\qz\"}]}}", "qz"},
        {"{\"log\":{\"entries\":[{\"_x\":\"\\u12G4\"}]}}", "G4"},
        {"{\"log\":{\"entries\":[{\"_x\":01}]}}", "1}"},
        {"{\"log\":{\"entries\":[{\"_x\":1.}]}}", "}]"},
        {"{\"log\":{\"entries\":[{\"_x\":-}]}}", "}]"},
        {"{\"log\":{\"entries\":[{\"_x\":1e+}]}}", "}]"},
        {"{\"log\":{\"entries\":[{\"_x\":trux}]}}", "x}"},
        {"{\"log\":{\"entries\":[{\"_x\" 1}]}}", "1}"},
        {"{\"log\":{\"entries\":[{\"_x\":1,}]}}", "}]"},
        {"{\"log\":{\"entries\":[{\"_x\":[1 2]}]}}", "2]"},
        {"{\"log\":{\"entries\":[{\"_x\":[1}]}]}}", "}]}]"},
        {"{\"log\":{\"entries\":[]}} x", "x"},
        {"{\"log\":{\"entries\":[{'_x':1}]}}", "'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run r;
        lint(&r, cases[i].text, NULL);
        char want[64];
        snprintf(want, sizeof want, "test.har:1:%zu: invalid JSON",
                 (size_t)(strstr(cases[i].text, cases[i].at) - cases[i].text) + 1);
        if (r.rc != RESPLINT_EFORMAT || !strstr(r.err, want))
            fail_msg("case %zu: rc %d, '%s', want '%s'", i, r.rc, r.err, want);
    }
}

/* The bytes YAJL does not get (a long string value of a member the reader never reads, the part
 * of a header value past the 64 KiB cap) are checked all the same: a bad escape or control
 * character there is an error at its line and column, in this chunk or a later one. */
static void test_skipped_strings_checked(void **state)
{
    (void)state;
    static const char *const bad[] = {"\\x", "\\u12Z4", "\x01", "\t"};
    static const char *const member[] = {"\"content\":{\"text\":\"", "\"headers\":[{\"name\":\"X\",\"value\":\""};
    size_t at_len[] = {300, 70000, 150000};
    for (size_t m = 0; m < 2; m++)
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++)
            for (size_t k = 0; k < sizeof at_len / sizeof at_len[0]; k++) {
                size_t cap = at_len[k] + 4096, len = 0;
                char *s = malloc(cap);
                assert_non_null(s);
                len += (size_t)snprintf(s, cap,
                                        "{\"log\":{\"entries\":[\n{\"request\":{\"url\":\"https://a/\"},"
                                        "\"response\":{\"status\":200,%s",
                                        member[m]);
                size_t line_start = (size_t)(strchr(s, '\n') - s) + 1;
                for (size_t i = 0; i < at_len[k]; i++)
                    s[len++] = i % 7 == 3 ? ' ' : 'a';
                size_t at = len + (bad[b][0] == '\\' ? (bad[b][1] == 'u' ? 4 : 1) : 0);
                len += (size_t)snprintf(s + len, cap - len, "%sbbb\"%s}}]}}", bad[b],
                                        m == 0 ? "}" : "}]");
                run r;
                resplint_config *cfg = resplint_config_new();
                lint_cfg(&r, cfg, s, len, NULL);
                resplint_config_free(cfg);
                char want[64];
                snprintf(want, sizeof want, "test.har:2:%zu: invalid JSON", at - line_start + 1);
                if (r.rc != RESPLINT_EFORMAT || !strstr(r.err, want))
                    fail_msg("member %zu, fault %zu, after %zu bytes: rc %d, '%s', want '%s'", m, b,
                             at_len[k], r.rc, r.err, want);
                free(s);
            }
}

/* Tokens other than strings: a number of thousands of digits (here across a 64 KiB chunk
 * boundary) reaches YAJL cut to 4,096 and the entry is checked; 10,000 spaces are whitespace;
 * a run of 5,000 letters is invalid JSON at its second byte (YAJL refuses it before the
 * scanner's cap on a token's length is reached). */
static void test_long_tokens(void **state)
{
    (void)state;
    for (int kind = 0; kind < 3; kind++) {
        size_t cap = 200000, len = 0;
        char *s = malloc(cap);
        assert_non_null(s);
        len += (size_t)snprintf(s, cap, "{\"log\":{\"entries\":[{\"_pad\":\"");
        memset(s + len, 'p', 60000);
        len += 60000;
        len += (size_t)snprintf(s + len, cap - len, "\",\"_n\":");
        size_t tok = len, n = kind == 0 ? 10000 : kind == 1 ? 10000 : 5000;
        for (size_t i = 0; i < n; i++)
            s[len++] = kind == 0 ? (char)('1' + i % 9) : kind == 1 ? ' ' : 't';
        len += (size_t)snprintf(s + len, cap - len,
                                "%s,\"request\":{\"url\":\"https://a/\"},\"response\":{\"status\":"
                                "200,\"headers\":[]}}]}}",
                                kind == 1 ? "1" : "");
        run r;
        resplint_config *cfg = resplint_config_new();
        lint_cfg(&r, cfg, s, len, NULL);
        resplint_config_free(cfg);
        if (kind < 2) {
            if (r.rc || r.st.responses != 1)
                fail_msg("kind %d: rc %d, %zu responses, '%s'", kind, r.rc,
                         (size_t)r.st.responses, r.err);
        } else {
            char want[96];
            snprintf(want, sizeof want, "test.har:1:%zu: invalid JSON", tok + 2);
            if (r.rc != RESPLINT_EFORMAT || !strstr(r.err, want))
                fail_msg("rc %d, '%s', want '%s'", r.rc, r.err, want);
        }
        free(s);
    }
}

/* A number longer than HAR_LITERAL_CAP reaches YAJL cut, and YAJL completes it in a later piece
 * than the one it starts in, while the scanner may already have cut the next long number: an
 * unread 5,000-digit member, then a 5,000-digit status. RL9005 names the status at its first
 * digit (it once pointed at its end) and says why it is not an integer. */
static void test_cut_number_place(void **state)
{
    (void)state;
    size_t cap = 32768, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    len += (size_t)snprintf(s, cap, "{\"log\":{\"entries\":[{\"_x\":");
    for (size_t i = 0; i < 5000; i++)
        s[len++] = '1';
    len += (size_t)snprintf(s + len, cap - len,
                            ",\"request\":{\"url\":\"https://a/\"},\"response\":{\"status\":");
    size_t tok = len;
    s[len++] = '2';
    for (size_t i = 0; i < 5000; i++)
        s[len++] = '0';
    len += (size_t)snprintf(s + len, cap - len, ",\"headers\":[]}}]}}");
    run r;
    resplint_config *cfg = resplint_config_new();
    lint_cfg(&r, cfg, s, len, NULL);
    resplint_config_free(cfg);
    free(s);
    if (r.rc || count(&r, "RL9005") != 1)
        fail_msg("rc %d, %zu findings, expected one RL9005", r.rc, r.n);
    const hit *h = find(&r, "RL9005");
    assert_int_equal(h->line, 1);
    assert_int_equal(h->col, tok + 1);
    assert_non_null(strstr(h->message, "more than 4,096 characters"));
}

/* ---- not a HAR ---- */

static void test_not_a_har(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{\"foo\": 1}", "{\"log\": {}}", "{\"log\": 5}", "{\"log\": {\"entries\": {}}}",
        "{\"log\": {\"entries\": \"x\"}}", "{\"log\": []}", "{}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        run r;
        lint(&r, texts[i], NULL);
        if (r.rc != RESPLINT_EFORMAT || !strstr(r.err, "not a HAR"))
            fail_msg("'%s': rc %d, '%s'", texts[i], r.rc, r.err);
    }
    run r;
    lint(&r, "{\"log\": {\"entries\": []}}", NULL);
    expect_clean(&r);
}

/* ---- HAR traps ---- */

static void test_status_zero(void **state)
{
    (void)state;
    run r;
    lint_entries(&r,
                 "{\"request\":{\"method\":\"GET\",\"url\":\"https://a/\"},\"response\":"
                 "{\"status\":0,\"statusText\":\"\",\"httpVersion\":\"\",\"headers\":[],"
                 "\"content\":{},\"bodySize\":-1,\"_error\":\"net::ERR_BLOCKED_BY_CLIENT\"}}",
                 NULL);
    if (r.n != 1 || count(&r, "RL9006") != 1) {
        dump(&r);
        fail_msg("expected RL9006 only");
    }
    assert_string_equal(r.h[0].pointer, "/log/entries/0/response/status");
    assert_int_equal(r.h[0].line, 1);
    /* the column of the 0, in the HAR built by har_of() */
    char *text = har_of("{\"request\":{\"method\":\"GET\",\"url\":\"https://a/\"},"
                        "\"response\":{\"status\":0");
    assert_int_equal(r.h[0].col, strlen(text) - strlen("]}}"));
    free(text);
    assert_int_equal(r.st.responses, 0);
}

static void test_body_traps(void **state)
{
    (void)state;
    run r;
    /* 304 with the cached body's size in bodySize and content.size */
    lint_entries(&r, ENTRY("GET", "https://a/", 304, "HTTP/1.1", DATE, 23866, 23866), NULL);
    expect_clean(&r);
    /* 101 with the tunnel's bytes */
    lint_entries(&r,
                 ENTRY("GET", "https://a/ws", 101, "HTTP/1.1",
                       "{\"name\":\"Upgrade\",\"value\":\"websocket\"},"
                       "{\"name\":\"Connection\",\"value\":\"Upgrade\"}",
                       448, 448),
                 NULL);
    expect_clean(&r);
    /* a 204 whose bodySize is socket accounting, and an answer to HEAD */
    lint_entries(&r, ENTRY("GET", "https://a/", 204, "HTTP/1.1", DATE, 73, 73), NULL);
    expect_clean(&r);
    lint_entries(&r,
                 ENTRY("HEAD", "https://a/", 200, "HTTP/1.1",
                       DATE ",{\"name\":\"Content-Length\",\"value\":\"100\"}", 100, 100),
                 NULL);
    expect_clean(&r);
}

static void test_h2_names(void **state)
{
    (void)state;
    run r;
    /* lower-case names are the same fields */
    lint_entries(&r,
                 ENTRY("GET", "https://a/", 301, "h2",
                       "{\"name\":\"date\",\"value\":\"Mon, 24 Nov 2025 10:00:00 GMT\"},"
                       "{\"name\":\"location\",\"value\":\"/b\"},"
                       "{\"name\":\"content-length\",\"value\":\"0\"}",
                       0, 0),
                 NULL);
    expect_clean(&r);
    /* connection-specific fields: an error in h2 and h3, nothing in HTTP/1.1 */
    static const char *const versions[] = {"h2", "http/2.0", "HTTP/2", "h3", "HTTP/3"};
    for (size_t i = 0; i < 5; i++) {
        char e[1024];
        snprintf(e, sizeof e,
                 "{\"request\":{\"method\":\"GET\",\"url\":\"https://a/\"},\"response\":"
                 "{\"status\":200,\"httpVersion\":\"%s\",\"headers\":[" DATE ","
                 "{\"name\":\"transfer-encoding\",\"value\":\"chunked\"},"
                 "{\"name\":\"keep-alive\",\"value\":\"timeout=5\"}],\"bodySize\":0}}",
                 versions[i]);
        lint_entries(&r, e, NULL);
        if (r.n != 2 || count(&r, "RL4014") != 2) {
            dump(&r);
            fail_msg("%s: expected RL4014 twice", versions[i]);
        }
        assert_string_equal(r.h[0].pointer, "/log/entries/0/response/headers/1");
        assert_string_equal(r.h[1].pointer, "/log/entries/0/response/headers/2");
    }
    lint_entries(&r,
                 ENTRY("GET", "https://a/", 200, "HTTP/1.1",
                       DATE ",{\"name\":\"Keep-Alive\",\"value\":\"timeout=5\"},"
                            "{\"name\":\"Content-Length\",\"value\":\"0\"}",
                       0, 0),
                 NULL);
    expect_clean(&r);
    /* pseudo-header fields recorded by a browser are not fields of the head */
    lint_entries(&r,
                 ENTRY("GET", "https://a/", 200, "h2",
                       "{\"name\":\":status\",\"value\":\"200\"}," DATE
                       ",{\"name\":\"content-length\",\"value\":\"0\"}",
                       0, 0),
                 NULL);
    expect_clean(&r);
}

static void test_joined_values(void **state)
{
    (void)state;
    run r;
    /* Chrome joins repeated lines with a line feed: two Content-Length lines */
    lint_entries(&r,
                 ENTRY("GET", "https://a/", 200, "HTTP/1.1",
                       DATE ",{\"name\":\"Content-Length\",\"value\":\"5\\n5\"}", 5, 5),
                 NULL);
    if (r.n != 1 || count(&r, "RL3003") != 1) {
        dump(&r);
        fail_msg("expected RL3003");
    }
    assert_string_equal(r.h[0].pointer, "/log/entries/0/response/headers/1");
}

static void test_ie_quirks(void **state)
{
    (void)state;
    const char *e = "[" ENTRY("GET", "https://a/", 200, "HTTP/1.1",
                              DATE ",{\"name\":\"Content-Length\",\"value\":\"6,219\"}", 6219,
                              6219) "," ENTRY("GET", "https://a/", 304, "HTTP/1.1",
                                              DATE ",{\"name\":\"Content-Type\",\"value\":"
                                                   "\"text/css\"}",
                                              0, 893) "]";
    char text[2048];
    snprintf(text, sizeof text,
             "{\"log\":{\"creator\":{\"name\":\"Internet Explorer Network Inspector\"},"
             "\"entries\":%s}}",
             e);
    run r;
    lint(&r, text, NULL);
    expect_clean(&r);
    snprintf(text, sizeof text, "{\"log\":{\"creator\":{\"name\":\"other\"},\"entries\":%s}}", e);
    lint(&r, text, NULL);
    assert_int_equal(count(&r, "RL3002"), 1);
    assert_int_equal(count(&r, "RL2014"), 1);
}

/* ---- robustness ---- */

static void test_invalid_entries(void **state)
{
    (void)state;
    run r;
    lint_entries(&r,
                 "5,"
                 "{\"request\":{\"method\":\"GET\",\"url\":\"https://a/\"},\"response\":"
                 "{\"status\":\"200\",\"headers\":[]}},"
                 "{\"request\":{\"method\":\"GET\",\"url\":\"https://a/\"},\"response\":"
                 "{\"status\":200,\"headers\":[" DATE ",{\"name\":\"X\",\"value\":null}]}},"
                 "{\"request\":{\"method\":\"GET\",\"url\":\"https://a/\"}},"
                 "{\"request\":{\"method\":\"GET\",\"url\":\"https://a/\"},\"response\":"
                 "{\"status\":200,\"headers\":{}}},"
                 "{\"request\":{\"method\":\"GET\",\"url\":\"https://a/\"},\"response\":"
                 "{\"status\":200,\"headers\":[{\"value\":\"x\"}]}},"
                 "{\"request\":{\"method\":\"GET\",\"url\":\"https://a/\"},\"response\":"
                 "{\"status\":301,\"statusText\":7,\"headers\":[]}}",
                 NULL);
    static const char *const pointers[] = {
        "/log/entries/0",
        "/log/entries/1/response/status",
        "/log/entries/2/response/headers/1/value",
        "/log/entries/3",
        "/log/entries/4/response/headers",
        "/log/entries/5/response/headers/0",
        "/log/entries/6/response/statusText",
    };
    if (r.rc != 0 || count(&r, "RL9005") != 7 || r.n != 8 || count(&r, "RL2001") != 1) {
        dump(&r);
        fail_msg("expected 7 x RL9005 and the 301 checked");
    }
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(r.h[i].pointer, pointers[i]);
    assert_int_equal(r.h[1].line, 1);
    assert_int_equal(r.st.responses, 1);
}

static void test_extensions_and_pages(void **state)
{
    (void)state;
    run r;
    lint(&r, "{\"_x\":{\"log\":1},\"log\":{\"_meta\":[{\"entries\":1}],\"entries\":[{\"_id\":1,"
         "\"request\":{\"method\":\"GET\",\"url\":\"https://a/\",\"_u\":5},\"response\":{"
         "\"_transferSize\":9,\"status\":301,\"headers\":[{\"name\":\"Location\",\"value\":"
         "\"/\",\"_z\":null}],\"content\":{\"_t\":[1,2]}}}],\"pages\":[{\"id\":\"p\"}]}}",
         NULL);
    expect_clean(&r);
    assert_int_equal(r.st.responses, 1);
}

static void test_filters_and_schemes(void **state)
{
    (void)state;
    const char *entries =
        ENTRY("GET", "https://api.example.com/v1", 301, "HTTP/1.1", DATE, 0, 0)
        "," ENTRY("GET", "https://cdn.other.net:8443/a", 301, "HTTP/1.1", DATE, 0, 0)
        "," ENTRY("GET", "data:image/png;base64,AAAA", 301, "", "", 0, 0)
        "," ENTRY("GET", "blob:https://a/1", 200, "", "", 0, 0)
        "," ENTRY("GET", "chrome-extension://abc/x.js", 200, "", "", 0, 0);
    run r;
    lint_entries(&r, entries, NULL);
    assert_int_equal(count(&r, "RL2001"), 2);
    assert_int_equal(r.st.skipped, 3);
    resplint_capture_options o = {0};
    o.host_glob = "*.EXAMPLE.com";
    lint_entries(&r, entries, &o);
    assert_int_equal(count(&r, "RL2001"), 1);
    assert_string_equal(r.h[0].url, "https://api.example.com/v1");
    assert_int_equal(r.st.skipped, 4);
    o.host_glob = "cdn.other.net:84*";
    lint_entries(&r, entries, &o);
    assert_int_equal(count(&r, "RL2001"), 1);
    assert_int_equal(r.h[0].entry, 1);
    o.host_glob = NULL;
    o.url_glob = "https://*/v[0-9]";
    lint_entries(&r, entries, &o);
    assert_int_equal(count(&r, "RL2001"), 1);
    assert_int_equal(r.h[0].entry, 0);
}

/* A large HAR: entries on their own lines crossing many 64 KiB chunks, huge base64 texts,
 * escapes around the cut, and the location of every finding still exact. */
static void test_huge_strings_and_chunks(void **state)
{
    (void)state;
    size_t cap = 8u << 20, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    len += (size_t)snprintf(s + len, cap - len, "{\"log\":{\"entries\":[\n");
    size_t lines = 2, n_entries = 60;
    size_t expect_line[60], expect_col[60];
    for (size_t i = 0; i < n_entries; i++) {
        len += (size_t)snprintf(s + len, cap - len,
                                "%s{\"request\":{\"method\":\"GET\",\"url\":\"https://a/%zu\"},"
                                "\"response\":{\"status\":200,\"httpVersion\":\"h2\","
                                "\"content\":{\"size\":1,\"text\":\"",
                                i ? "," : "", i);
        size_t text = i % 3 == 0 ? 200000 + i * 7 : 1000 + i * 13;
        for (size_t k = 0; k < text; k++) {
            /* escapes land everywhere, the cut included */
            if (k % 997 == 0) {
                memcpy(s + len, "\\u00e9", 6);
                len += 6;
            } else if (k % 1009 == 0) {
                memcpy(s + len, "\\\"", 2);
                len += 2;
            } else {
                s[len++] = (char)('A' + (k % 26));
            }
        }
        len += (size_t)snprintf(s + len, cap - len, "\"},\"headers\":[" DATE ",");
        /* column of the offending header object's brace on this line */
        char *line_start = s + len;
        while (line_start > s && line_start[-1] != '\n')
            line_start--;
        expect_col[i] = (size_t)(s + len - line_start) + 1;
        expect_line[i] = lines;
        len += (size_t)snprintf(s + len, cap - len,
                                "{\"name\":\"conn\\u0065ction\",\"value\":\"close\"}]}}\n");
        lines++;
    }
    len += (size_t)snprintf(s + len, cap - len, "]}}\n");
    assert_true(len < cap);
    resplint_config *cfg = resplint_config_new();
    resplint_config_set_rule(cfg, "RL7001", RESPLINT_OFF); /* entries without Content-Type */
    run *r = malloc(sizeof *r);
    assert_non_null(r);
    lint_cfg(r, cfg, s, len, NULL);
    resplint_config_free(cfg);
    if (r->rc || r->n != n_entries) {
        dump(r);
        fail_msg("expected %zu findings, got %zu (rc %d)", n_entries, r->n, r->rc);
    }
    for (size_t i = 0; i < n_entries; i++) {
        assert_int_equal(r->h[i].entry, (long)i);
        assert_int_equal(r->h[i].line, expect_line[i]);
        if (r->h[i].col != expect_col[i])
            fail_msg("entry %zu: column %u, expected %zu", i, r->h[i].col, expect_col[i]);
    }
    free(r);
    free(s);
}


/* Strings that reach past a chunk or past the cut: the location of a wrong-typed one is its
 * opening quote, and a header value cut for checking is said so (RL9004). */
static void test_long_strings(void **state)
{
    (void)state;
    size_t pads[] = {10, 65000, 65530, 70000, 200000};
    for (size_t k = 0; k < sizeof pads / sizeof pads[0]; k++) {
        size_t cap = 2 * pads[k] + 4096, len = 0;
        char *s = malloc(cap);
        assert_non_null(s);
        len += (size_t)snprintf(s + len, cap - len,
                                "{\"log\":{\"entries\":[{\"request\":{\"url\":\"https://a/\"},"
                                "\"_pad\":\"");
        memset(s + len, 'p', pads[k]);
        len += pads[k];
        len += (size_t)snprintf(s + len, cap - len, "\",\n  \"response\":{\"status\":\"");
        size_t quote = len - 1;
        for (size_t i = 0; i < pads[k]; i++) {
            if (i % 100 == 0) {
                s[len++] = '\\'; /* an escape every 100 bytes, so the cut must avoid them */
                s[len++] = 'n';
            } else {
                s[len++] = 'x';
            }
        }
        len += (size_t)snprintf(s + len, cap - len, "\",\"headers\":[]}}]}}");
        run r;
        resplint_config *cfg = resplint_config_new();
        lint_cfg(&r, cfg, s, len, NULL);
        resplint_config_free(cfg);
        if (r.rc || r.n != 1 || count(&r, "RL9005") != 1) {
            dump(&r);
            fail_msg("pad %zu: expected RL9005", pads[k]);
        }
        assert_string_equal(r.h[0].pointer, "/log/entries/0/response/status");
        assert_int_equal(r.h[0].offset, quote);
        assert_int_equal(r.h[0].line, 2);
        assert_int_equal(r.h[0].col, 24);
        free(s);
    }
    /* a 100 KB header value: checked on its first RLCAP_HAR_STRING_CAP bytes */
    size_t big = 100000, cap = big + 4096, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    len += (size_t)snprintf(s + len, cap - len,
                            "{\"log\":{\"entries\":[{\"request\":{\"url\":\"https://a/\"},"
                            "\"response\":{\"status\":301,\"headers\":[{\"name\":\"Location\","
                            "\"value\":\"/");
    memset(s + len, 'l', big);
    len += big;
    len += (size_t)snprintf(s + len, cap - len, "\"}]}}]}}");
    run r;
    resplint_config *cfg = resplint_config_new();
    lint_cfg(&r, cfg, s, len, NULL);
    resplint_config_free(cfg);
    free(s);
    /* the cut is RL9004; a head that large is also RL4013 field-section-too-large */
    if (r.rc || r.n != 2 || count(&r, "RL9004") != 1 || count(&r, "RL4013") != 1) {
        dump(&r);
        fail_msg("expected RL9004 for the cut Location, and RL4013");
    }
}

/* ---- fixtures: fixtures/rules/RLnnnn/{bad,good}*.har, read by content ---- */

/* Every rule but RL5009 (advice every 200 without a lifetime deserves: see test_fixtures.c). */
static resplint_config *all_rules(void)
{
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    for (size_t i = 0; i < resplint_rule_count(); i++)
        assert_int_equal(resplint_config_enable(cfg, resplint_rule_at(i)->id), 0);
    assert_int_equal(resplint_config_set_rule(cfg, "RL5009", RESPLINT_OFF), 0);
    return cfg;
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of a folder's entries ending in suffix; returns the count. */
static size_t list_dir(const char *dir, const char *suffix, char **names, size_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        if (e->d_name[0] == '.' || l < sl || strcmp(e->d_name + l - sl, suffix) != 0)
            continue;
        names[n] = malloc(l + 1);
        assert_non_null(names[n]);
        memcpy(names[n++], e->d_name, l + 1);
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_str);
    return n;
}

static void lint_path(run *r, const resplint_config *cfg, const char *path)
{
    memset(r, 0, sizeof *r);
    resplint_capture_handler h = {sizeof h, on_hit, NULL, NULL, r, NULL};
    r->rc = resplint_capture_file(cfg, path, NULL, NULL, &h, &r->st, r->err, sizeof r->err);
}

static void test_har_fixtures(void **state)
{
    (void)state;
    resplint_config *cfg = all_rules();
    char *rules[256];
    size_t nrules = list_dir(RESPLINT_SOURCE_DIR "/fixtures/rules", "", rules, 256);
    size_t checked = 0;
    for (size_t i = 0; i < nrules; i++) {
        char dir[512];
        snprintf(dir, sizeof dir, RESPLINT_SOURCE_DIR "/fixtures/rules/%s", rules[i]);
        char *files[64];
        size_t nf = list_dir(dir, ".har", files, 64);
        for (size_t k = 0; k < nf; k++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, files[k]);
            run r;
            lint_path(&r, cfg, path);
            if (strncmp(files[k], "bad", 3) == 0) {
                if (r.rc != 0 || count(&r, rules[i]) == 0) {
                    dump(&r);
                    fail_msg("%s: expected %s", path, rules[i]);
                }
            } else if (strncmp(files[k], "good", 4) == 0) {
                if (r.rc != 0 || r.n) {
                    dump(&r);
                    fail_msg("%s: expected no finding", path);
                }
            }
            checked++;
            free(files[k]);
        }
        free(rules[i]);
    }
    resplint_config_free(cfg);
    assert_true(checked >= 6);
}

/* ---- the corpus: CORPUS/har/*.har against tests/corpus/expected-har.tsv ----
 * Each line: file, result (ok or the error name), responses, skipped, and the findings as
 * "RLnnnn:count" sorted by id ("-" for none), with the default configuration. Run with
 * RESPLINT_UPDATE_EXPECTED=1 to rewrite the file after reviewing the differences. */

static void corpus_line(const char *name, const run *r, char *out, size_t len)
{
    size_t o = (size_t)snprintf(out, len, "%s\t%s\t%zu\t%zu\t", name,
                                r->rc ? resplint_err_name(r->rc) : "ok", r->st.responses,
                                r->st.skipped);
    bool any = false;
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        const char *id = resplint_rule_at(i)->id;
        size_t c = i < 512 ? r->by_rule[i] : 0;
        if (c && o < len)
            o += (size_t)snprintf(out + o, len - o, "%s%s:%zu", any ? " " : "", id, c);
        any = any || c;
    }
    if (!any && o < len)
        snprintf(out + o, len - o, "-");
}

static void test_corpus(void **state)
{
    (void)state;
    char *names[256];
    size_t n = list_dir(RESPLINT_CORPUS_DIR "/har", ".har", names, 256);
    if (n == 0)
        rltest_corpus_missing(RESPLINT_CORPUS_DIR "/har");
    resplint_config *cfg = resplint_config_new();
    size_t cap = 1 << 16, len = 0;
    char *got = malloc(cap);
    run *r = malloc(sizeof *r);
    assert_non_null(got);
    assert_non_null(r);
    got[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char path[1024], line[2048];
        snprintf(path, sizeof path, RESPLINT_CORPUS_DIR "/har/%s", names[i]);
        lint_path(r, cfg, path);
        corpus_line(names[i], r, line, sizeof line);
        len += (size_t)snprintf(got + len, cap - len, "%s\n", line);
        free(names[i]);
    }
    resplint_config_free(cfg);
    free(r);
    const char *path = RESPLINT_SOURCE_DIR "/tests/corpus/expected-har.tsv";
    const char *update = getenv("RESPLINT_UPDATE_EXPECTED");
    if (update && *update == '1') {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
    }
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *want = calloc(1, cap);
    assert_non_null(want);
    size_t wl = fread(want, 1, cap - 1, f);
    fclose(f);
    want[wl] = '\0';
    if (strcmp(want, got) != 0) {
        print_message("got:\n%s", got);
        fail_msg("HAR corpus findings differ from tests/corpus/expected-har.tsv");
    }
    free(want);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_url_helpers),
        cmocka_unit_test(test_pointer_line_column),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_invalid_json),
        cmocka_unit_test(test_json_columns),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_skipped_strings_checked),
        cmocka_unit_test(test_long_tokens),
        cmocka_unit_test(test_cut_number_place),
        cmocka_unit_test(test_json_whitespace),
        cmocka_unit_test(test_not_a_har),
        cmocka_unit_test(test_status_zero),
        cmocka_unit_test(test_body_traps),
        cmocka_unit_test(test_h2_names),
        cmocka_unit_test(test_joined_values),
        cmocka_unit_test(test_ie_quirks),
        cmocka_unit_test(test_invalid_entries),
        cmocka_unit_test(test_extensions_and_pages),
        cmocka_unit_test(test_filters_and_schemes),
        cmocka_unit_test(test_huge_strings_and_chunks),
        cmocka_unit_test(test_long_strings),
        cmocka_unit_test(test_har_fixtures),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
