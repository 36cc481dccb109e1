/* The catalogue as data: rules.def (ids, names, severities, triggers, profiles, pages, fixtures)
 * and status.def (reasons, marks, coverage of the seed table). A rule without its page, its
 * fixtures or a declared trigger fails here; one without its check function does not link. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include "internal.h"

#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>

static bool kebab_case(const char *s)
{
    if (!*s || *s == '-')
        return false;
    for (const char *p = s; *p; p++) {
        if (*p == '-') {
            if (p[1] == '-' || p[1] == '\0')
                return false;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            return false;
        }
    }
    return true;
}

static bool id_shape(const char *id)
{
    if (strlen(id) != 6 || id[0] != 'R' || id[1] != 'L')
        return false;
    for (int i = 2; i < 6; i++)
        if (!isdigit((unsigned char)id[i]))
            return false;
    return true;
}

static void test_ids_and_names(void **state)
{
    (void)state;
    size_t n = resplint_rule_count();
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const resplint_rule *r = resplint_rule_at(i);
        assert_non_null(r);
        assert_int_equal(r->index, i);
        if (!id_shape(r->id))
            fail_msg("rule %zu: id '%s' is not RLnnnn", i, r->id);
        if (!kebab_case(r->name))
            fail_msg("%s: name '%s' is not kebab-case", r->id, r->name);
        if (i > 0 && strcmp(resplint_rule_at(i - 1)->id, r->id) >= 0)
            fail_msg("%s after %s: rules.def is not in id order (or an id repeats)", r->id,
                     resplint_rule_at(i - 1)->id);
        for (size_t k = 0; k < i; k++)
            if (strcmp(resplint_rule_at(k)->name, r->name) == 0)
                fail_msg("%s and %s share the name '%s'", resplint_rule_at(k)->id, r->id, r->name);
        if (r->severity < RESPLINT_INFO || r->severity > RESPLINT_ERROR)
            fail_msg("%s: default severity %d is not info, warning or error", r->id,
                     (int)r->severity);
        if (!r->summary || !r->summary[0] || !r->spec || !r->spec[0])
            fail_msg("%s: empty summary or spec", r->id);
        assert_null(resplint_rule_at(n));
    }
}

static void test_find(void **state)
{
    (void)state;
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        const resplint_rule *r = resplint_rule_at(i);
        assert_ptr_equal(resplint_rule_find(r->id), r);
        assert_ptr_equal(resplint_rule_find(r->name), r);
        char lower[16];
        snprintf(lower, sizeof lower, "%s", r->id);
        lower[0] = 'r';
        lower[1] = 'l';
        assert_ptr_equal(resplint_rule_find(lower), r);
    }
    assert_null(resplint_rule_find("RL0000"));
    assert_null(resplint_rule_find("no-such-rule"));
    assert_null(resplint_rule_find(""));
    assert_null(resplint_rule_find(NULL));
    assert_string_equal(resplint_rule_find("redirect-missing-location")->id, "RL2001");
    assert_string_equal(resplint_rule_find("RL3001")->name,
                        "content-length-with-transfer-encoding");
}

/* The core rules as RULES.md defines them: ids are permanent, so a rename or a changed
 * default severity must be deliberate. */
static void test_core_rules_match_rules_md(void **state)
{
    (void)state;
    static const struct {
        const char *id, *name;
        resplint_severity sev;
    } core[] = {
        {"RL1001", "status-deprecated", RESPLINT_WARNING},
        {"RL1002", "status-unused", RESPLINT_ERROR},
        {"RL1003", "status-unregistered", RESPLINT_WARNING},
        {"RL1004", "status-invalid", RESPLINT_ERROR},
        {"RL1005", "status-reserved", RESPLINT_WARNING},
        {"RL2001", "redirect-missing-location", RESPLINT_ERROR},
        {"RL2002", "temporary-redirect-missing-location", RESPLINT_WARNING},
        {"RL2010", "no-content-has-body", RESPLINT_ERROR},
        {"RL2011", "no-content-framing", RESPLINT_ERROR},
        {"RL2012", "no-content-zero-length", RESPLINT_WARNING},
        {"RL2013", "not-modified-has-body", RESPLINT_ERROR},
        {"RL2014", "not-modified-representation-fields", RESPLINT_WARNING},
        {"RL3001", "content-length-with-transfer-encoding", RESPLINT_ERROR},
        {"RL3002", "content-length-conflict", RESPLINT_ERROR},
        {"RL3003", "content-length-repeated", RESPLINT_WARNING},
        {"RL3007", "body-truncated", RESPLINT_ERROR},
        {"RL3008", "chunked-syntax", RESPLINT_ERROR},
        {"RL3009", "close-delimited-body", RESPLINT_INFO},
        {"RL3010", "unexpected-bytes", RESPLINT_ERROR},
        {"RL9001", "unparseable-response", RESPLINT_ERROR},
        {"RL9004", "limit-exceeded", RESPLINT_WARNING},
    };
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
        const resplint_rule *r = resplint_rule_find(core[i].id);
        if (!r)
            fail_msg("%s is missing from rules.def", core[i].id);
        assert_string_equal(r->name, core[i].name);
        if (r->severity != core[i].sev)
            fail_msg("%s: default severity %s, RULES.md says %s", r->id,
                     resplint_severity_name(r->severity), resplint_severity_name(core[i].sev));
    }
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_pages(void **state)
{
    (void)state;
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        const resplint_rule *r = resplint_rule_at(i);
        char path[1024];
        snprintf(path, sizeof path, "%s/rules/docs/%s.md", RESPLINT_SOURCE_DIR, r->id);
        FILE *f = fopen(path, "rb");
        if (!f)
            fail_msg("%s has no page %s", r->id, path);
        char first[256] = "";
        if (!fgets(first, sizeof first, f))
            first[0] = '\0';
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fclose(f);
        char want[128];
        snprintf(want, sizeof want, "# %s %s", r->id, r->name);
        if (!starts_with(first, want))
            fail_msg("%s: the page must start with '%s', not '%s'", path, want, first);
        if (size < 200)
            fail_msg("%s: %ld bytes is not a page", path, size);
    }
    /* and no page for a rule that does not exist */
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/rules/docs", RESPLINT_SOURCE_DIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!starts_with(e->d_name, "RL"))
            continue;
        char id[16];
        snprintf(id, sizeof id, "%.6s", e->d_name);
        if (!resplint_rule_find(id) || strcmp(e->d_name + 6, ".md") != 0)
            fail_msg("rules/docs/%s is not the page of a rule in rules.def", e->d_name);
    }
    closedir(d);
}

static void test_fixture_dirs(void **state)
{
    (void)state;
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        const resplint_rule *r = resplint_rule_at(i);
        char path[1024];
        snprintf(path, sizeof path, "%s/fixtures/rules/%s", RESPLINT_SOURCE_DIR, r->id);
        DIR *d = opendir(path);
        if (!d)
            fail_msg("%s has no fixture folder %s", r->id, path);
        int bad = 0, good = 0;
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            bad += starts_with(e->d_name, "bad");
            good += starts_with(e->d_name, "good");
        }
        closedir(d);
        if (!bad || !good)
            fail_msg("%s: %d bad and %d good fixtures; it needs both", path, bad, good);
    }
}

/* ---- the trigger and profile columns ---- */

static const bool has_check[] = {
#define RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary) true,
#define INPUT_RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary) false,
#include "rules.def"
#undef RULE
#undef INPUT_RULE
};

/* Every rule with a check declares a trigger (an empty one would run it on every response
 * without anyone having said so: ALWAYS says that); a rule without a check declares none. The
 * atoms themselves are checked by the compiler: FIELD(X), MARK(X) and FACT(X) of a name that
 * fields.def, marks.def or facts.def does not declare do not compile. */
static void test_triggers_declared(void **state)
{
    (void)state;
    for (size_t r = 0; r < RLINT_RULE_COUNT; r++) {
        rlint_trigger_set t = rlint_trigger(r);
        bool any = false;
        for (size_t w = 0; w < RLINT_TRIGGER_WORDS; w++)
            any |= t.w[w] != 0;
        if (has_check[r] && !any)
            fail_msg("%s: RULE with trigger 0; name what it needs (FIELD, MARK, FACT, ALWAYS)",
                     rlint_rules[r].id);
        if (!has_check[r] && any)
            fail_msg("%s: INPUT_RULE with a trigger (it has no check to trigger: write 0)",
                     rlint_rules[r].id);
        if (t.w[RLINT_TW_MARKS] >> RLINT_MARK_COUNT || t.w[RLINT_TW_FACTS] >> RLINT_FACT_COUNT ||
            (RLINT_F_COUNT < 64 && t.w[RLINT_TW_FIELDS] >> RLINT_F_COUNT))
            fail_msg("%s: trigger bits outside the declared atoms", rlint_rules[r].id);
    }
}

static void test_profiles(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    size_t advice = 0;
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        const resplint_rule *r = resplint_rule_at(i);
        unsigned p = r->profiles;
        bool rec = p & RESPLINT_PROFILE_RECOMMENDED, adv = p & RESPLINT_PROFILE_ADVICE;
        if (rec == adv)
            fail_msg("%s: profiles must hold exactly one of RECOMMENDED and ADVICE", r->id);
        if (p & ~RESPLINT_PROFILE_ALL)
            fail_msg("%s: unknown profile bits 0x%x", r->id, p);
        if (adv != !!(r->flags & RESPLINT_RULE_OFF_BY_DEFAULT))
            fail_msg("%s: off by default exactly when ADVICE", r->id);
        /* the default configuration is the recommended profile */
        if (resplint_config_severity(cfg, r) != (rec ? r->severity : RESPLINT_OFF))
            fail_msg("%s: default severity not that of the recommended profile", r->id);
        advice += adv;
    }
    assert_true(advice > 0);
    /* a union of profiles: caching and security rules, nothing else */
    assert_int_equal(resplint_config_set_profiles(
                         cfg, RESPLINT_PROFILE_CACHING | RESPLINT_PROFILE_SECURITY),
                     0);
    for (size_t i = 0; i < resplint_rule_count(); i++) {
        const resplint_rule *r = resplint_rule_at(i);
        bool in = r->profiles & (RESPLINT_PROFILE_CACHING | RESPLINT_PROFILE_SECURITY);
        assert_int_equal(resplint_config_severity(cfg, r), in ? r->severity : RESPLINT_OFF);
    }
    assert_int_equal(resplint_config_set_profiles(cfg, RESPLINT_PROFILE_ALL), 0);
    for (size_t i = 0; i < resplint_rule_count(); i++)
        assert_int_equal(resplint_config_severity(cfg, resplint_rule_at(i)),
                         resplint_rule_at(i)->severity);
    assert_int_equal(resplint_config_set_profiles(cfg, 0), RESPLINT_EINVAL);
    assert_int_equal(resplint_config_set_profiles(cfg, 0x100), RESPLINT_EINVAL);
    assert_int_equal(resplint_config_set_profiles(NULL, RESPLINT_PROFILE_ALL), RESPLINT_EINVAL);
    resplint_config_free(cfg);

    static const char *const names[] = {"recommended", "caching", "security", "advice", "all"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        unsigned bits = 0;
        assert_int_equal(resplint_profile_parse(names[i], &bits), 0);
        assert_string_equal(resplint_profile_name(bits), names[i]);
    }
    unsigned bits = 0;
    assert_int_equal(resplint_profile_parse("CACHING", &bits), 0);
    assert_int_equal(bits, RESPLINT_PROFILE_CACHING);
    assert_int_equal(resplint_profile_parse("default", &bits), RESPLINT_EINVAL);
    assert_int_equal(resplint_profile_parse(NULL, &bits), RESPLINT_EINVAL);
    assert_null(resplint_profile_name(0));
    assert_null(resplint_profile_name(RESPLINT_PROFILE_CACHING | RESPLINT_PROFILE_ADVICE));
}

/* ---- status.def ---- */

static void test_status_reasons(void **state)
{
    (void)state;
    int registered = 0;
    for (int code = -1000; code < 2000; code++) {
        const rlint_status *s = rlint_status_lookup(code);
        if (!s)
            continue;
        registered++;
        if (code < 100 || code > 599)
            fail_msg("%d is registered outside 100-599", code);
        if (!s->reason || !s->reason[0])
            fail_msg("%d has no reason phrase", code);
        if (!s->source || !s->source[0])
            fail_msg("%d has no source", code);
        assert_string_equal(resplint_status_reason(code), s->reason);
        assert_int_equal(rlint_status_by_reason(s->reason, strlen(s->reason)), code);
    }
    assert_true(registered >= 60);
    assert_null(resplint_status_reason(0));
    assert_null(resplint_status_reason(600));
    assert_null(resplint_status_reason(499));
}

/* The codes carrying a mark, exactly. */
static void expect_mark(uint64_t mark, const char *name, const int *codes, size_t n)
{
    for (int code = 100; code <= 599; code++) {
        const rlint_status *s = rlint_status_lookup(code);
        bool has = s && (s->marks & mark);
        bool want = false;
        for (size_t i = 0; i < n; i++)
            want |= codes[i] == code;
        if (has != want)
            fail_msg("%d: %s %s expected", code, name, want ? "is" : "is not");
    }
}

#define EXPECT_MARK(mark, ...)                                                                     \
    do {                                                                                           \
        static const int codes_[] = {__VA_ARGS__};                                                 \
        expect_mark(mark, #mark, codes_, sizeof codes_ / sizeof codes_[0]);                        \
    } while (0)

static void test_status_marks(void **state)
{
    (void)state;
    EXPECT_MARK(RLINT_MARK(DEPRECATED), 102, 305);
    EXPECT_MARK(RLINT_MARK(UNUSED), 306);
    EXPECT_MARK(RLINT_MARK(RESERVED), 418);
    EXPECT_MARK(RLINT_MARK(EXPERIMENTAL), 104, 425);
    EXPECT_MARK(RLINT_MARK(OBSOLETE), 510);
    EXPECT_MARK(RLINT_MARK(NEEDS_LOCATION), 301, 308);
    EXPECT_MARK(RLINT_MARK(WANTS_LOCATION), 302, 303, 307);
    EXPECT_MARK(RLINT_MARK(NO_CONTENT), 204, 205);
    EXPECT_MARK(RLINT_MARK(NOT_MODIFIED), 304);
    /* WebDAV codes of the seed table (422 is core HTTP now but keeps its origin mark) */
    static const int webdav[] = {102, 207, 208, 422, 423, 424, 507, 508};
    for (size_t i = 0; i < sizeof webdav / sizeof webdav[0]; i++)
        if (!(rlint_status_lookup(webdav[i])->marks & RLINT_MARK(WEBDAV)))
            fail_msg("%d should be marked WEBDAV", webdav[i]);
}

/* Every code of the seed table (100-510), plus 104 and 511 from the IANA registry. */
static void test_status_seed_coverage(void **state)
{
    (void)state;
    static const int seed[] = {
        100, 101, 102, 103, 104, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300,
        301, 302, 303, 304, 305, 306, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407,
        408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425,
        426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
    };
    for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++)
        if (!resplint_status_reason(seed[i]))
            fail_msg("%d is missing from status.def", seed[i]);
    assert_string_equal(resplint_status_reason(200), "OK");
    assert_string_equal(resplint_status_reason(404), "Not Found");
    assert_string_equal(resplint_status_reason(418), "I'm a teapot");
    assert_string_equal(resplint_status_reason(511), "Network Authentication Required");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_and_names),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_core_rules_match_rules_md),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_fixture_dirs),
        cmocka_unit_test(test_triggers_declared),
        cmocka_unit_test(test_profiles),
        cmocka_unit_test(test_status_reasons),
        cmocka_unit_test(test_status_marks),
        cmocka_unit_test(test_status_seed_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
