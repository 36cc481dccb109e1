/* The engine's triggers (lib/core/engine.c) skip checks that cannot report on a response. A
 * trigger that says too much would lose findings silently, so every fixture and every corpus
 * file is linted twice, with triggers and with every enabled check called (the internal
 * `exhaustive` switch), and the findings must be the same, in the same order. Each response
 * the readers produce also goes through the structured entry both ways. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"
#include "skip.h"

#include "internal.h"
#include "resplint/capture.h"

#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void text_add(text *t, const char *fmt, ...) RLINT_PRINTF(2, 3);
static void text_add(text *t, const char *fmt, ...)
{
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    size_t k = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (t->len + k + 1 > t->cap) {
        t->cap = (t->len + k + 1) * 2;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->len, line, k);
    t->len += k;
    t->p[t->len] = '\0';
}

static void add_finding(text *t, const resplint_finding *f)
{
    text_add(t, "%s %d @%llu+%llu field %ld response %zu: %s\n", f->rule->id, (int)f->severity,
             (unsigned long long)f->offset, (unsigned long long)f->length, f->field_index,
             f->response_index, f->message);
}

typedef struct run {
    text findings;
    const resplint_config *exhaustive, *triggered; /* for the structured comparison */
    size_t structured_mismatches;
    char first_mismatch[2048];
} run;

static void on_finding(const resplint_finding *f, const resplint_origin *o, void *user)
{
    (void)o;
    add_finding(&((run *)user)->findings, f);
}

static void collect(const resplint_finding *f, void *user) { add_finding(user, f); }

/* Each response the reader built, through the structured entry with and without triggers. */
static void on_response(const resplint_response *r, const resplint_origin *o, void *user)
{
    (void)o;
    run *u = user;
    text a = {0}, b = {0};
    text_add(&a, "-");
    text_add(&b, "-");
    assert_true(resplint_check_response(u->exhaustive, r, 0, collect, &a) >= 0);
    assert_true(resplint_check_response(u->triggered, r, 0, collect, &b) >= 0);
    if (strcmp(a.p, b.p) != 0 && u->structured_mismatches++ == 0)
        snprintf(u->first_mismatch, sizeof u->first_mismatch,
                 "status %d:\nevery check:\n%s\nwith triggers:\n%s", r->status, a.p, b.p);
    free(a.p);
    free(b.p);
}

static resplint_config *all_rules(bool exhaustive)
{
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    for (size_t i = 0; i < resplint_rule_count(); i++)
        assert_int_equal(resplint_config_enable(cfg, resplint_rule_at(i)->id), 0);
    cfg->exhaustive = exhaustive;
    return cfg;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

typedef struct totals {
    size_t files, findings_lines, mismatches;
} totals;

static void lint(const resplint_config *cfg, const resplint_config *exh,
                 const resplint_config *trig, const char *path, run *u)
{
    memset(u, 0, sizeof *u);
    u->exhaustive = exh;
    u->triggered = trig;
    text_add(&u->findings, "%s\n", path);
    resplint_capture_options opts;
    memset(&opts, 0, sizeof opts);
    char request[1200];
    struct stat st;
    snprintf(request, sizeof request, "%s.request", path);
    const char *dot = strrchr(path, '.');
    if (stat(request, &st) != 0 && dot)
        snprintf(request, sizeof request, "%.*s.request", (int)(dot - path), path);
    if (stat(request, &st) == 0)
        opts.request_path = request;
    resplint_capture_handler h = {sizeof h, on_finding, on_response, NULL, u, NULL};
    resplint_capture_stats stats;
    char err[512];
    int rc = resplint_capture_file(cfg, path, NULL, &opts, &h, &stats, err, sizeof err);
    text_add(&u->findings, "rc %d\n", rc);
}

static void compare_file(const resplint_config *exh, const resplint_config *trig,
                         const char *path, totals *t)
{
    run a, b;
    lint(exh, exh, trig, path, &a);
    lint(trig, exh, trig, path, &b);
    t->files++;
    for (const char *p = a.findings.p; *p; p++)
        t->findings_lines += *p == '\n';
    if (strcmp(a.findings.p, b.findings.p) != 0) {
        print_error("%s: findings differ\nevery check:\n%s\nwith triggers:\n%s\n", path,
                    a.findings.p, b.findings.p);
        t->mismatches++;
    }
    if (a.structured_mismatches) {
        print_error("%s: structured entry differs on %zu response(s); first: %s\n", path,
                    a.structured_mismatches, a.first_mismatch);
        t->mismatches++;
    }
    free(a.findings.p);
    free(b.findings.p);
}

static void walk(const resplint_config *exh, const resplint_config *trig, const char *dir,
                 totals *t)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || ends_with(e->d_name, ".request") || ends_with(e->d_name, ".md"))
            continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(exh, trig, path, t);
        else if (S_ISREG(st.st_mode))
            compare_file(exh, trig, path, t);
    }
    closedir(d);
}

static void test_fixtures_same_findings(void **state)
{
    (void)state;
    resplint_config *exh = all_rules(true), *trig = all_rules(false);
    totals t = {0};
    walk(exh, trig, RESPLINT_SOURCE_DIR "/fixtures", &t);
    print_message("fixtures: %zu files, %zu lines of findings compared\n", t.files,
                  t.findings_lines);
    assert_true(t.files > 200);
    assert_int_equal(t.mismatches, 0);
    resplint_config_free(exh);
    resplint_config_free(trig);
}

static void test_corpus_same_findings(void **state)
{
    (void)state;
    struct stat st;
    if (stat(RESPLINT_CORPUS_DIR, &st) != 0)
        rltest_corpus_missing(RESPLINT_CORPUS_DIR);
    resplint_config *exh = all_rules(true), *trig = all_rules(false);
    totals t = {0};
    walk(exh, trig, RESPLINT_CORPUS_DIR, &t);
    print_message("corpus: %zu files, %zu lines of findings compared\n", t.files, t.findings_lines);
    assert_true(t.files > 0);
    assert_int_equal(t.mismatches, 0);
    resplint_config_free(exh);
    resplint_config_free(trig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_same_findings),
        cmocka_unit_test(test_corpus_same_findings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
