/* Data-driven rule tests: every fixtures/rules/RLnnnn/bad* must raise RLnnnn and every good*
 * must raise nothing at all, with every rule of the catalogue enabled. Files are read the way
 * the CLI reads them (resplint_capture_file), with NAME.request as the client's stream. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include "resplint/capture.h"

#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>

#define FIXTURE_ROOT RESPLINT_SOURCE_DIR "/fixtures/rules"
#define MAX_DIRS 512

typedef struct fixture_dir {
    char id[16];
    char path[1024];
} fixture_dir;

typedef struct lint_result {
    rltest_result r;
    size_t findings; /* all of them, even past RLTEST_MAX */
} lint_result;

static void on_capture_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    (void)o;
    lint_result *l = user;
    l->findings++;
    rltest_on_finding(f, &l->r);
}

static resplint_config *all_rules_config(void)
{
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    for (size_t i = 0; i < resplint_rule_count(); i++)
        assert_int_equal(resplint_config_enable(cfg, resplint_rule_at(i)->id), 0);
    return cfg;
}

/* Advice that a clean response may well deserve (RL5009: a 200 without any lifetime is
 * heuristically cacheable, which is legal and the norm). It is judged only in its own folder;
 * every other good fixture would otherwise have to carry a Cache-Control it does not test. */
static const char *const everyday_advice[] = {"RL5009"};

/* Every rule on, except the everyday advice of other rules' folders. */
static resplint_config *fixture_config(const char *id)
{
    resplint_config *cfg = all_rules_config();
    for (size_t i = 0; i < sizeof everyday_advice / sizeof everyday_advice[0]; i++)
        if (strcmp(everyday_advice[i], id) != 0)
            assert_int_equal(resplint_config_set_rule(cfg, everyday_advice[i], RESPLINT_OFF), 0);
    return cfg;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A fixture is bad* or good*; NAME.request beside it is its sidecar, not a fixture. */
static bool is_fixture(const char *name)
{
    return (starts_with(name, "bad") || starts_with(name, "good")) &&
           !ends_with(name, ".request") && !ends_with(name, ".md");
}

/* Lints one file; returns the capture's return code. */
static int lint_file(const resplint_config *cfg, const char *path, lint_result *out, char *err,
                     size_t errlen)
{
    memset(out, 0, sizeof *out);
    /* NAME.request beside NAME.http (NAME.http.request is accepted too) */
    char request[1200];
    const char *dot = strrchr(path, '.');
    size_t stem = dot && dot > strrchr(path, '/') ? (size_t)(dot - path) : strlen(path);
    struct stat st;
    resplint_capture_options opts;
    memset(&opts, 0, sizeof opts);
    snprintf(request, sizeof request, "%.*s.request", (int)stem, path);
    if (stat(request, &st) != 0)
        snprintf(request, sizeof request, "%s.request", path);
    if (stat(request, &st) == 0)
        opts.request_path = request;
    resplint_capture_handler h = {sizeof h, on_capture_finding, NULL, NULL, out, NULL};
    resplint_capture_stats stats;
    int rc = resplint_capture_file(cfg, path, NULL, &opts, &h, &stats, err, errlen);
    out->r.responses = stats.responses;
    return rc;
}

static void dump(const char *path, const lint_result *l)
{
    print_error("  %s: %zu response(s), %zu finding(s)\n", path, l->r.responses, l->findings);
    for (size_t i = 0; i < l->r.n; i++)
        print_error("    %s @%llu [response %zu]: %s\n", l->r.f[i].id,
                    (unsigned long long)l->r.f[i].offset, l->r.f[i].response, l->r.f[i].message);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One cmocka test per fixture directory: state is its fixture_dir. */
static void test_fixture_dir(void **state)
{
    const fixture_dir *d = *state;
    const resplint_rule *rule = resplint_rule_find(d->id);
    if (!rule)
        fail_msg("%s: fixture folder for a rule that is not in rules/rules.def", d->path);
    assert_string_equal(rule->id, d->id);

    DIR *dir = opendir(d->path);
    assert_non_null(dir);
    char *names[256];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;)
        if (e->d_name[0] != '.' && is_fixture(e->d_name) && n < sizeof names / sizeof names[0])
            names[n++] = strdup(e->d_name);
    closedir(dir);
    qsort(names, n, sizeof *names, compare_names);

    resplint_config *cfg = fixture_config(d->id);
    size_t bad = 0, good = 0, failures = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", d->path, names[i]);
        bool is_bad = starts_with(names[i], "bad");
        bad += is_bad;
        good += !is_bad;
        lint_result *l = malloc(sizeof *l);
        assert_non_null(l);
        char err[512];
        int rc = lint_file(cfg, path, l, err, sizeof err);
        if (rc != 0) {
            print_error("%s: the reader failed: %s (%s)\n", path, resplint_strerror(rc), err);
            failures++;
        } else if (is_bad && rltest_count(&l->r, d->id) == 0) {
            print_error("%s: expected %s %s, which was not raised\n", path, d->id, rule->name);
            dump(path, l);
            failures++;
        } else if (!is_bad && l->findings != 0) {
            print_error("%s: a good fixture must raise nothing (every rule on)\n", path);
            dump(path, l);
            failures++;
        }
        free(l);
        free(names[i]);
    }
    resplint_config_free(cfg);
    if (bad == 0)
        print_error("%s: no bad* fixture\n", d->path);
    if (good == 0)
        print_error("%s: no good* fixture\n", d->path);
    if (failures || bad == 0 || good == 0)
        fail_msg("%s: %zu of %zu fixtures failed (%zu bad, %zu good)", d->id, failures, n, bad,
                 good);
}

/* RL9004 with small configured limits: a fixture for each limit would be large. */
static void test_limits(void **state)
{
    (void)state;
    static const char two_fields[] = "HTTP/1.1 200 OK\r\n"
                                     "Date: Tue, 24 Nov 2026 10:00:00 GMT\r\n"
                                     "Content-Type: text/plain\r\n"
                                     "Content-Length: 2\r\n\r\nok";
    resplint_config *cfg = fixture_config("");
    rltest_result r;

    rltest_stream_cfg(&r, cfg, RLTEST_S(two_fields), 0, NULL);
    rltest_expect(&r, NULL);

    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_FIELDS, 2), 0);
    rltest_stream_cfg(&r, cfg, RLTEST_S(two_fields), 0, NULL);
    if (rltest_count(&r, "RL9004") != 1) {
        rltest_dump(&r);
        fail_msg("a field limit of 2 on 3 fields must raise RL9004 once");
    }

    resplint_config_free(cfg);
    cfg = fixture_config("");
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_HEAD_BYTES, 32), 0);
    rltest_stream_cfg(&r, cfg, RLTEST_S(two_fields), 7, NULL);
    if (rltest_count(&r, "RL9004") != 1) {
        rltest_dump(&r);
        fail_msg("a head limit of 32 bytes must raise RL9004 once");
    }
    resplint_config_free(cfg);
}

/* Issue 21: syntax faults past RESPLINT_LIMIT_SYNTAX_FAULTS were dropped without a word, so
 * bare CRs in harmless fields pushed a "Content-Length : 5" (RL4002) and an obs-fold (RL4001)
 * out of the report. The cap is said (RL9004), configurable, and one line's many bare CRs are
 * one fault. */
static void test_syntax_fault_limit(void **state)
{
    (void)state;
    char *buf = malloc(64 * 1024);
    assert_non_null(buf);
    size_t n = (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\nX-Many: ");
    for (int i = 0; i < 40; i++)
        n += (size_t)sprintf(buf + n, "a\rb");
    n += (size_t)sprintf(buf + n, "\r\n");
    size_t one_line = n;
    for (int i = 0; i < 120; i++)
        n += (size_t)sprintf(buf + n, "X-%d: a\rb\r\n", i);
    n += (size_t)sprintf(buf + n, "Content-Length : 5\r\nX-Fold: a\r\n b\r\n\r\nhello");
    static const char tail[] = "Content-Length : 5\r\nX-Fold: a\r\n b\r\n\r\nhello";

    /* 40 bare CRs on one line: one fault, the faults after it are all seen */
    char *one = malloc(one_line + sizeof tail);
    assert_non_null(one);
    memcpy(one, buf, one_line);
    memcpy(one + one_line, tail, sizeof tail);
    resplint_config *cfg = all_rules_config();
    rltest_result r;
    rltest_stream_cfg(&r, cfg, one, one_line + sizeof tail - 1, 0, NULL);
    if (rltest_count(&r, "RL4004") != 1 || rltest_count(&r, "RL4002") != 1 ||
        rltest_count(&r, "RL4001") != 1 || rltest_count(&r, "RL9004") != 0) {
        rltest_dump(&r);
        fail_msg("40 bare CRs on one line are one RL4004; RL4002 and RL4001 must be kept");
    }

    /* 121 lines with a fault each: past the default cap of 100, RL9004 says so, also with
     * RL4004 off */
    assert_int_equal(resplint_config_set_rule(cfg, "RL4004", RESPLINT_OFF), 0);
    rltest_stream_cfg(&r, cfg, buf, n, 0, NULL);
    const rltest_finding *f = rltest_find(&r, "RL9004");
    if (!f || !strstr(f->message, "100 syntax faults") || rltest_count(&r, "RL4002") != 0) {
        rltest_dump(&r);
        fail_msg("past the syntax-fault cap RL9004 must name it");
    }

    /* a larger cap: every fault is seen */
    assert_int_equal(resplint_config_set_limit(cfg, RESPLINT_LIMIT_SYNTAX_FAULTS, 200), 0);
    rltest_stream_cfg(&r, cfg, buf, n, 7, NULL);
    if (rltest_count(&r, "RL4002") != 1 || rltest_count(&r, "RL4001") != 1 ||
        rltest_count(&r, "RL9004") != 0) {
        rltest_dump(&r);
        fail_msg("with syntax-faults = 200 RL4002 and RL4001 must be found");
    }
    resplint_config_free(cfg);
    free(one);
    free(buf);
}

/* The sentence "A sender MUST NOT send a Content-Length header field in any message that
 * contains a Transfer-Encoding header field" is RFC 9112 §6.2, not §6.1. */
static void test_rl3001_cites_section_6_2(void **state)
{
    (void)state;
    static const char both[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    rltest_result r;
    rltest_stream(&r, RLTEST_S(both), 0, NULL);
    const rltest_finding *f = rltest_find(&r, "RL3001");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "RFC 9112 §6.2"));
    assert_null(strstr(f->message, "§6.1"));
}

typedef struct counts {
    size_t fields, findings;
} counts;

static void count_fields(const resplint_response *resp, size_t index, uint64_t offset,
                         uint64_t length, void *user)
{
    (void)index;
    (void)offset;
    (void)length;
    ((counts *)user)->fields = resp->field_count;
}

static void count_finding(const resplint_finding *f, void *user)
{
    (void)f;
    ((counts *)user)->findings++;
}

/* Trailer fields are not head fields: llhttp reports them through the header callbacks, from
 * the body's bytes, and they once landed in the head's field list with offsets into nowhere. */
static void test_trailers_are_not_head_fields(void **state)
{
    (void)state;
    static const char chunked[] = "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\n"
                                  "Content-Type: text/plain\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"
                                  "Expires: Tue, 24 Nov 2026 11:00:00 GMT\r\nX-Trailer: 1\r\n\r\n";
    const size_t len = sizeof chunked - 1;
    resplint_config *cfg = fixture_config("");
    for (size_t chunk = 1; chunk <= len; chunk++) {
        counts c = {0, 0};
        resplint_stream *s = resplint_stream_new(cfg, count_finding, &c);
        assert_non_null(s);
        resplint_stream_on_response(s, count_fields);
        for (size_t off = 0; off < len; off += chunk)
            assert_int_equal(
                resplint_stream_feed(s, chunked + off, len - off < chunk ? len - off : chunk), 0);
        assert_int_equal(resplint_stream_finish(s), 0);
        assert_int_equal(resplint_stream_responses(s), 1);
        assert_int_equal(c.fields, 3); /* Date, Content-Type and Transfer-Encoding */
        assert_int_equal(c.findings, 0);
        resplint_stream_free(s);
    }
    resplint_config_free(cfg);
}

static size_t find_dirs(fixture_dir *dirs, size_t max)
{
    DIR *root = opendir(FIXTURE_ROOT);
    if (!root)
        return 0;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(root)) != NULL && n < max;) {
        if (e->d_name[0] == '.')
            continue;
        fixture_dir *d = &dirs[n];
        snprintf(d->path, sizeof d->path, "%s/%s", FIXTURE_ROOT, e->d_name);
        struct stat st;
        if (stat(d->path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        snprintf(d->id, sizeof d->id, "%s", e->d_name);
        n++;
    }
    closedir(root);
    return n;
}

static int compare_dirs(const void *a, const void *b)
{
    return strcmp(((const fixture_dir *)a)->id, ((const fixture_dir *)b)->id);
}

int main(void)
{
    static fixture_dir dirs[MAX_DIRS];
    size_t n = find_dirs(dirs, MAX_DIRS);
    if (n == 0) {
        fprintf(stderr, "no fixture folders under %s\n", FIXTURE_ROOT);
        return 1;
    }
    qsort(dirs, n, sizeof *dirs, compare_dirs);
    struct CMUnitTest *tests = calloc(n + 4, sizeof *tests);
    if (!tests)
        return 1;
    for (size_t i = 0; i < n; i++) {
        tests[i].name = dirs[i].id;
        tests[i].test_func = test_fixture_dir;
        tests[i].initial_state = &dirs[i];
    }
    tests[n].name = "limits";
    tests[n].test_func = test_limits;
    tests[n + 1].name = "rl3001_cites_section_6_2";
    tests[n + 1].test_func = test_rl3001_cites_section_6_2;
    tests[n + 2].name = "trailers_are_not_head_fields";
    tests[n + 2].test_func = test_trailers_are_not_head_fields;
    tests[n + 3].name = "syntax_fault_limit";
    tests[n + 3].test_func = test_syntax_fault_limit;
    int rc = _cmocka_run_group_tests("fixtures", tests, n + 4, NULL, NULL);
    free(tests);
    return rc;
}
