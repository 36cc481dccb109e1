/* Golden-output tests of every report format: one fixed sequence of events (raw, HAR, pcap and
 * WARC origins, text that needs escaping, an input error) goes through each reporter and the
 * bytes are compared with tests/golden/report.<format>. RESPLINT_UPDATE_GOLDEN=1 rewrites the
 * golden files on purpose. SARIF's rule list and rule indexes follow the catalogue, which grows
 * with every rule, so they are checked against the catalogue and masked before comparing. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include "reporter.h"
#include "resplint/report.h"

#include <stdbool.h>

static const char page[] = "# RL2001 redirect-missing-location\n\nA *permanent* redirect needs "
                           "a `Location`.\n";

static const char *doc(const char *id, void *user)
{
    (void)user;
    return strcmp(id, "RL2001") == 0 ? page : NULL;
}

static resplint_origin origin(resplint_input_kind kind, const char *path, size_t index)
{
    resplint_origin o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.path = path;
    o.response_index = index;
    o.offset = RESPLINT_NO_OFFSET;
    o.har_entry = -1;
    o.tcp_stream = -1;
    o.record_offset = RESPLINT_NO_OFFSET;
    o.file_offset = RESPLINT_NO_OFFSET;
    o.h2_stream = -1;
    return o;
}

static resplint_finding finding(const char *rule, resplint_severity sev, const char *msg,
                                size_t index, uint64_t offset, uint64_t length)
{
    resplint_finding f;
    memset(&f, 0, sizeof f);
    f.rule = resplint_rule_find(rule);
    f.severity = sev;
    f.message = msg;
    f.offset = offset;
    f.length = length;
    f.field_index = -1;
    f.response_index = index;
    f.response_offset = offset;
    return f;
}

static resplint_response response(int status, uint64_t offset)
{
    resplint_response r;
    memset(&r, 0, sizeof r);
    r.status = status;
    r.version_major = 1;
    r.version_minor = 1;
    r.body_length = 0;
    r.offset = offset;
    return r;
}

/* The same events for every format. */
static void play(resplint_reporter *rep)
{
    resplint_capture_stats st;

    /* a raw text file: lines and columns */
    memset(&st, 0, sizeof st);
    resplint_reporter_begin_input(rep, "captures/site.http", RESPLINT_INPUT_UNKNOWN);
    resplint_origin o = origin(RESPLINT_INPUT_RAW, "captures/site.http", 0);
    o.offset = 0, o.length = 30, o.line = 1, o.column = 1;
    resplint_finding f = finding("RL2001", RESPLINT_ERROR,
                                 "301 Moved Permanently without a Location field", 0, 0, 30);
    resplint_reporter_finding(rep, &f, &o);
    resplint_response resp = response(301, 0);
    resplint_reporter_response(rep, &resp, &o);
    o = origin(RESPLINT_INPUT_RAW, "captures/site.http", 1);
    o.offset = 53, o.line = 4, o.column = 1;
    resp = response(200, 53);
    resplint_reporter_response(rep, &resp, &o);
    o = origin(RESPLINT_INPUT_RAW, "captures/site.http", 2);
    o.offset = 120, o.length = 20, o.line = 9, o.column = 3;
    f = finding("RL3003", RESPLINT_WARNING,
                "quote \" backslash \\ <tag> & 100% a:b,c\r\nnext line \xc3\xa9 bad \xff end", 2,
                120, 20);
    f.field_index = 2;
    f.response_offset = 100;
    /* evidence (read by html only): the head from offset 100, the finding's line at 120 */
    static const char head[] = "HTTP/1.1 200 OK\r\nX-A: \"q\" 'a'\r\n"
                               "X-B: <script>alert(1)</script>\x01\xff\r\n\r\n";
    o.head = head;
    o.head_len = sizeof head - 1;
    resplint_reporter_finding(rep, &f, &o);
    o.head = NULL;
    o.head_len = 0;
    resp = response(200, 100);
    resplint_reporter_response(rep, &resp, &o);
    st.kind = RESPLINT_INPUT_RAW, st.bytes = 160, st.responses = 3, st.findings = 2;
    resplint_reporter_end_input(rep, &st);

    /* HAR: an entry, a JSON pointer, a URL; a finding below fail_on */
    memset(&st, 0, sizeof st);
    resplint_reporter_begin_input(rep, "captures/browse session.har", RESPLINT_INPUT_UNKNOWN);
    o = origin(RESPLINT_INPUT_HAR, "captures/browse session.har", 17);
    o.har_entry = 17, o.json_pointer = "/log/entries/17/response/headers/3";
    o.url = "http://example.test/a?b=c", o.line = 412, o.column = 9;
    resp = response(204, RESPLINT_NO_OFFSET);
    resplint_reporter_response(rep, &resp, &o);
    f = finding("RL2012", RESPLINT_INFO, "204 No Content with Content-Length: 0", 17,
                RESPLINT_NO_OFFSET, 0);
    f.field_index = 3;
    resplint_reporter_finding(rep, &f, &o);
    st.kind = RESPLINT_INPUT_HAR, st.responses = 1, st.findings = 1;
    resplint_reporter_end_input(rep, &st);

    /* pcap: a binary capture, byte offsets and frame / tcp.stream */
    memset(&st, 0, sizeof st);
    resplint_reporter_begin_input(rep, "/srv/captures/c.pcap", RESPLINT_INPUT_UNKNOWN);
    o = origin(RESPLINT_INPUT_PCAP, "/srv/captures/c.pcap", 0);
    o.offset = 1234, o.length = 56, o.frame = 12, o.tcp_stream = 7;
    o.client = "192.0.2.1:51234", o.server = "198.51.100.2:80";
    f = finding("RL3002", RESPLINT_ERROR, "Content-Length 3 conflicts with the earlier 2", 0, 1234,
                56);
    resplint_reporter_finding(rep, &f, &o);
    resp = response(200, RESPLINT_NO_OFFSET);
    resplint_reporter_response(rep, &resp, &o);
    st.kind = RESPLINT_INPUT_PCAP, st.responses = 1, st.findings = 1;
    resplint_reporter_end_input(rep, &st);

    /* WARC, read in part, then an error */
    memset(&st, 0, sizeof st);
    resplint_reporter_begin_input(rep, "captures/crawl.warc.gz", RESPLINT_INPUT_UNKNOWN);
    o = origin(RESPLINT_INPUT_WARC, "captures/crawl.warc.gz", 0);
    o.record_offset = 4096, o.record_id = "<urn:uuid:00000000-0000-4000-8000-000000000001>";
    o.url = "https://example.test/";
    f = finding("RL2001", RESPLINT_ERROR, "308 Permanent Redirect without a Location field", 0,
                RESPLINT_NO_OFFSET, 0);
    resplint_reporter_finding(rep, &f, &o);
    resplint_reporter_input_error(rep, "captures/crawl.warc.gz", RESPLINT_EIO,
                                  "captures/crawl.warc.gz: truncated gzip member at 8192");
    st.kind = RESPLINT_INPUT_WARC, st.responses = 0, st.findings = 1;
    resplint_reporter_end_input(rep, &st);

    /* an input that cannot be opened */
    memset(&st, 0, sizeof st);
    resplint_reporter_begin_input(rep, "captures/missing.http", RESPLINT_INPUT_UNKNOWN);
    resplint_reporter_input_error(rep, "captures/missing.http", RESPLINT_EIO,
                                  "captures/missing.http: cannot open: No such file or directory");
    resplint_reporter_end_input(rep, &st);
}

static char *render(resplint_format fmt, size_t *len)
{
    char *buf = NULL;
    FILE *out = open_memstream(&buf, len);
    assert_non_null(out);
    resplint_report_options ro = {.fail_on = RESPLINT_WARNING, .tool_version = "0.0.0-test"};
    ro.stats = 1;
    ro.rule_doc = doc;
    ro.help_uri_base = "https://example.test/rules/";
    resplint_reporter *rep = resplint_reporter_new(fmt, out, &ro);
    assert_non_null(rep);
    play(rep);
    assert_int_equal(resplint_reporter_finish(rep), 0);
    resplint_reporter_free(rep);
    fclose(out);
    return buf;
}

/* SARIF: the rule list must hold the whole catalogue; then it is replaced by a marker and
 * every ruleIndex by 0, so that a new rule does not change the golden file. */
static void mask_catalogue(char **buf, size_t *len)
{
    char *s = *buf;
    char *begin = strstr(s, "\"rules\":[");
    assert_non_null(begin);
    begin += strlen("\"rules\":[");
    char *end = strstr(begin, "]}},\"columnKind\"");
    assert_non_null(end);
    size_t rules = 0;
    for (char *p = begin; p < end && (p = strstr(p, "{\"id\":\"RL")) && p < end; p++)
        rules++;
    assert_int_equal(rules, resplint_rule_count());
    char *out = malloc(*len + 1);
    assert_non_null(out);
    size_t n = (size_t)(begin - s);
    memcpy(out, s, n);
    n += (size_t)sprintf(out + n, "\"CATALOGUE\"");
    for (char *p = end; *p;) {
        if (strncmp(p, "\"ruleIndex\":", 12) == 0) {
            n += (size_t)sprintf(out + n, "\"ruleIndex\":0");
            p += 12;
            while (*p >= '0' && *p <= '9')
                p++;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    free(s);
    *buf = out;
    *len = n;
}

static void golden(resplint_format fmt)
{
    size_t len = 0;
    char *got = render(fmt, &len);
    if (fmt == RESPLINT_FORMAT_SARIF)
        mask_catalogue(&got, &len);
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/report.%s", RESPLINT_SOURCE_DIR,
             resplint_format_name(fmt));
    const char *update = getenv("RESPLINT_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(got, 1, len, f);
        fclose(f);
        print_message("rewrote %s\n", path);
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("%s is missing: run with RESPLINT_UPDATE_GOLDEN=1 to create it", path);
    char *want = malloc(len + 2);
    assert_non_null(want);
    size_t wlen = fread(want, 1, len + 1, f);
    fclose(f);
    size_t i = 0;
    while (i < len && i < wlen && got[i] == want[i])
        i++;
    if (i != len || wlen != len) {
        size_t from = i > 60 ? i - 60 : 0;
        fail_msg("%s differs at byte %zu (got %zu bytes, golden %zu):\n got: %.120s\nwant: %.120s\n"
                 "(RESPLINT_UPDATE_GOLDEN=1 rewrites it if the change is intended)",
                 path, i, len, wlen, got + from, from < wlen ? want + from : "");
    }
    free(want);
    free(got);
}

static void test_text(void **state)
{
    (void)state;
    golden(RESPLINT_FORMAT_TEXT);
}
static void test_json(void **state)
{
    (void)state;
    golden(RESPLINT_FORMAT_JSON);
}
static void test_jsonl(void **state)
{
    (void)state;
    golden(RESPLINT_FORMAT_JSONL);
}
static void test_sarif(void **state)
{
    (void)state;
    golden(RESPLINT_FORMAT_SARIF);
}
static void test_junit(void **state)
{
    (void)state;
    golden(RESPLINT_FORMAT_JUNIT);
}
static void test_github(void **state)
{
    (void)state;
    golden(RESPLINT_FORMAT_GITHUB);
}
static void test_gitlab(void **state)
{
    (void)state;
    golden(RESPLINT_FORMAT_GITLAB);
}

static void test_html(void **state)
{
    (void)state;
    golden(RESPLINT_FORMAT_HTML);
}

/* html: text from the input never becomes markup; evidence bytes outside printable ASCII are
 * shown as \xNN; every finding is a row; the page loads nothing. */
static void test_html_escaping(void **state)
{
    (void)state;
    size_t len = 0;
    char *got = render(RESPLINT_FORMAT_HTML, &len);
    assert_null(strstr(got, "<script>alert"));
    assert_null(strstr(got, "<tag>"));
    assert_non_null(strstr(got, "X-B: &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(got, "X-A: &quot;q&quot; &#39;a&#39;"));
    assert_non_null(strstr(got, "\\x01</span>"));
    assert_non_null(strstr(got, "\\xFF</span>"));
    assert_non_null(strstr(got, "quote &quot; backslash \\ &lt;tag&gt; &amp; 100% a:b,c"));
    /* the finding's line (offset 120 - 100 = 20: the X-A line) is the marked one */
    assert_non_null(strstr(got, "<mark data-n=\"2\">X-A: "));
    size_t rows = 0;
    for (const char *p = got; (p = strstr(p, "<tr data-rule=\"")) != NULL; p++)
        rows++;
    assert_int_equal(rows, 5);
    assert_null(strstr(got, "src="));
    assert_null(strstr(got, "href=\"http"));
    assert_null(strstr(got, "href=\"//"));
    /* two inline script elements: one line in the head, the filters at the end */
    size_t scripts = 0;
    for (const char *p = got; (p = strstr(p, "<script")) != NULL; p++) {
        assert_memory_equal(p, "<script>", 8);
        scripts++;
    }
    assert_int_equal(scripts, 2);
    assert_non_null(strstr(got, "</script>\n</body>\n</html>\n"));
    free(got);
}

/* The Markdown subset of rules/docs/ pages, as html renders it. */
static void test_markdown(void **state)
{
    (void)state;
    static const char md[] =
        "# RL0000 skipped-title\n\n**Severity:** error \xc2\xb7 *spec*\n\n"
        "## Spec\n\n> quoted `code\n> across` lines\n\n"
        "- one <b>\n  continued\n- two [a link](https://example.test/x)\n\n"
        "1. first\n2. second\n\n```http\nHTTP/1.1 200 OK\r\nX: <script>\n```\n"
        "a *b* c ** not bold\n";
    static const char want[] =
        "<p><strong>Severity:</strong> error \xc2\xb7 <em>spec</em></p>\n"
        "<h4>Spec</h4>\n"
        "<blockquote><p>quoted <code>code\nacross</code> lines</p></blockquote>\n"
        "<ul>\n<li>one &lt;b&gt;\ncontinued</li>\n"
        "<li>two a link (https://example.test/x)</li>\n</ul>\n"
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n"
        "<pre><code>HTTP/1.1 200 OK\nX: &lt;script&gt;</code></pre>\n"
        "<p>a <em>b</em> c ** not bold</p>\n";
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    rlrep_markdown_html(out, md, 2, "RL0000");
    fclose(out);
    assert_string_equal(buf, want);
    free(buf);
}

/* A reporter of format fmt with default options writing to a memory stream (*out, into *buf). */
static resplint_reporter *memory_reporter(int fmt, char **buf, size_t *len, FILE **out)
{
    *buf = NULL;
    *len = 0;
    *out = open_memstream(buf, len);
    assert_non_null(*out);
    resplint_reporter *rep = resplint_reporter_new((resplint_format)fmt, *out, NULL);
    assert_non_null(rep);
    return rep;
}

/* Every format closes a valid document when nothing was read at all. */
static void test_empty_run(void **state)
{
    (void)state;
    for (int fmt = 0; fmt < RESPLINT_FORMAT_COUNT_; fmt++) {
        char *buf;
        size_t len;
        FILE *out;
        resplint_reporter *rep = memory_reporter(fmt, &buf, &len, &out);
        assert_int_equal(resplint_reporter_finish(rep), 0);
        resplint_reporter_free(rep);
        fclose(out);
        if (fmt == RESPLINT_FORMAT_SARIF)
            assert_non_null(strstr(buf, "\"results\":[],\"invocations\""));
        if (fmt == RESPLINT_FORMAT_JUNIT)
            assert_non_null(strstr(buf, "<testsuites name=\"resplint\">\n</testsuites>\n"));
        if (fmt == RESPLINT_FORMAT_GITLAB)
            assert_string_equal(buf, "[]\n");
        free(buf);
    }
}

/* A library caller may report a finding whose origin has no path, and an input error with
 * neither path nor message: every format writes them, the path as "-" (the text reporter's
 * gathered line, SARIF's artifact and GitLab's location took strlen of the NULL path). */
static void test_origin_without_path(void **state)
{
    (void)state;
    for (int fmt = 0; fmt < RESPLINT_FORMAT_COUNT_; fmt++) {
        char *buf;
        size_t len;
        FILE *out;
        resplint_reporter *rep = memory_reporter(fmt, &buf, &len, &out);
        resplint_reporter_begin_input(rep, NULL, RESPLINT_INPUT_RAW);
        resplint_origin o = origin(RESPLINT_INPUT_RAW, NULL, 0);
        resplint_finding f = finding("RL1001", RESPLINT_WARNING, "102 Processing is deprecated",
                                     0, RESPLINT_NO_OFFSET, 0);
        resplint_reporter_finding(rep, &f, &o);
        resplint_reporter_input_error(rep, NULL, RESPLINT_EIO, NULL);
        resplint_capture_stats st;
        memset(&st, 0, sizeof st);
        st.kind = RESPLINT_INPUT_RAW, st.responses = 1, st.findings = 1;
        resplint_reporter_end_input(rep, &st);
        assert_true(resplint_reporter_finish(rep) >= 0);
        resplint_reporter_free(rep);
        fclose(out);
        assert_non_null(strstr(buf, "RL1001"));
        if (fmt == RESPLINT_FORMAT_TEXT)
            assert_non_null(strstr(buf, "-:response 0: warning RL1001 status-deprecated: 102"));
        free(buf);
    }
}

static void test_format_names(void **state)
{
    (void)state;
    static const char *const names[] = {"text",  "json",   "jsonl", "sarif",
                                        "junit", "github", "gitlab"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        resplint_format fmt;
        assert_int_equal(resplint_format_parse(names[i], &fmt), 0);
        assert_string_equal(resplint_format_name(fmt), names[i]);
    }
    resplint_format fmt;
    assert_int_equal(resplint_format_parse("xml", &fmt), RESPLINT_EINVAL);
}

/* The fingerprint ignores byte offsets (they move when an earlier response changes) and the
 * message (its wording may change between versions), and changes with the rule, the path,
 * the response and the field. */
static void test_fingerprint(void **state)
{
    (void)state;
    resplint_origin o = origin(RESPLINT_INPUT_RAW, "a.http", 3);
    resplint_finding f = finding("RL2001", RESPLINT_ERROR, "m", 3, 100, 10);
    char a[RESPLINT_FINGERPRINT_LEN], b[RESPLINT_FINGERPRINT_LEN];
    resplint_finding_fingerprint(&f, &o, a);
    assert_int_equal(strlen(a), 16);
    f.offset = 5000;
    o.offset = 5000;
    o.line = 77;
    f.message = "reworded";
    assert_string_equal(resplint_finding_fingerprint(&f, &o, b), a);
    f.field_index = 2;
    assert_string_not_equal(resplint_finding_fingerprint(&f, &o, b), a);
    f.field_index = -1;
    f.response_index = 4;
    assert_string_not_equal(resplint_finding_fingerprint(&f, &o, b), a);
    f.response_index = 3;
    o.path = "b.http";
    assert_string_not_equal(resplint_finding_fingerprint(&f, &o, b), a);
    o.path = "a.http";
    f.rule = resplint_rule_find("RL3002");
    assert_string_not_equal(resplint_finding_fingerprint(&f, &o, b), a);
}

static char *capture(void (*fn)(FILE *, const char *), const char *in)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    fn(out, in);
    fclose(out);
    return buf;
}

/* Hostile bytes in messages (they quote the response) must not break the documents: invalid
 * UTF-8, overlong forms, surrogates, XML's non-characters become U+FFFD. */
static void test_escaping(void **state)
{
    (void)state;
    static const struct {
        const char *in, *json, *xml;
    } cases[] = {
        {"a\xf0\x9f\x98\x80"
         "b",
         "\"a\xf0\x9f\x98\x80"
         "b\"",
         "a\xf0\x9f\x98\x80"
         "b"},
        {"\xc0\xaf", "\"\\ufffd\\ufffd\"", "\xef\xbf\xbd\xef\xbf\xbd"},
        {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
        {"\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
         "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
        {"\xef\xbf\xbe", "\"\xef\xbf\xbe\"", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
        {"\x01<&>\"'", "\"\\u0001<&>\\\"'\"", "\xef\xbf\xbd&lt;&amp;&gt;&quot;&apos;"},
        {"\xe2\x82", "\"\\ufffd\\ufffd\"", "\xef\xbf\xbd\xef\xbf\xbd"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *j = capture(rlrep_json_cstr, cases[i].in);
        char *x = capture(rlrep_xml_text, cases[i].in);
        assert_string_equal(j, cases[i].json);
        assert_string_equal(x, cases[i].xml);
        free(j);
        free(x);
    }
}

/* SARIF URIs: "." and ".." segments resolved on the text (the SARIF Multitool rejects ".."
 * in file URIs), leading ".." of a relative path kept, bytes percent-encoded. */
static void test_sarif_uris(void **state)
{
    (void)state;
    static const struct {
        const char *path, *uri;
    } cases[] = {
        {"/work/wt/../shared/x.http", "\"uri\":\"file:///work/shared/x.http\"}"},
        {"../a/./b/../c", "\"uri\":\"../a/c\",\"uriBaseId\":\"%SRCROOT%\"}"},
        {"a/../..", "\"uri\":\"..\",\"uriBaseId\":\"%SRCROOT%\"}"},
        {"./x//y/", "\"uri\":\"x/y\",\"uriBaseId\":\"%SRCROOT%\"}"},
        {"/..", "\"uri\":\"file:///\"}"},
        {"a/..", "\"uri\":\".\",\"uriBaseId\":\"%SRCROOT%\"}"},
        {"../../x/../y", "\"uri\":\"../../y\",\"uriBaseId\":\"%SRCROOT%\"}"},
        {"d/e f#%.http", "\"uri\":\"d/e%20f%23%25.http\",\"uriBaseId\":\"%SRCROOT%\"}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        assert_non_null(out);
        resplint_reporter *rep = resplint_reporter_new(RESPLINT_FORMAT_SARIF, out, NULL);
        assert_non_null(rep);
        resplint_reporter_begin_input(rep, cases[i].path, RESPLINT_INPUT_UNKNOWN);
        resplint_origin o = origin(RESPLINT_INPUT_RAW, cases[i].path, 0);
        resplint_finding f = finding("RL2001", RESPLINT_ERROR, "m", 0, 0, 1);
        resplint_reporter_finding(rep, &f, &o);
        resplint_reporter_end_input(rep, NULL);
        resplint_reporter_finish(rep);
        resplint_reporter_free(rep);
        fclose(out);
        if (!strstr(buf, cases[i].uri))
            fail_msg("%s: want %s in %s", cases[i].path, cases[i].uri, strstr(buf, "\"results\""));
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),         cmocka_unit_test(test_json),
        cmocka_unit_test(test_jsonl),        cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_junit),        cmocka_unit_test(test_github),
        cmocka_unit_test(test_gitlab),       cmocka_unit_test(test_html),
        cmocka_unit_test(test_html_escaping), cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_empty_run),
        cmocka_unit_test(test_origin_without_path),
        cmocka_unit_test(test_format_names), cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_escaping),     cmocka_unit_test(test_sarif_uris),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
