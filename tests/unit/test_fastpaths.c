/* The fast paths of the hot loop against their plain counterparts: the hashed, word-at-a-time
 * known-field lookup against the linear rlint_field_classify, and the per-configuration plan
 * of checks against the severities it is computed from. */
#include "helpers.h"

#include "internal.h"

static const char *const known[] = {
#define FIELD(ident, lname) lname,
#include "fields.def"
#undef FIELD
};

static const bool has_check[] = {
#define RULE(id, ident, name, sev, flags, spec, summary) true,
#define INPUT_RULE(id, ident, name, sev, flags, spec, summary) false,
#include "rules.def"
#undef RULE
#undef INPUT_RULE
};

static void same(const resplint_config *cfg, const char *name, size_t len)
{
    rlint_field_id a = rlint_field_lookup(cfg->fields, name, len);
    rlint_field_id b = rlint_field_classify(name, len);
    if (a != b)
        fail_msg("'%.*s': lookup %d, classify %d", (int)len, name, (int)a, (int)b);
}

static void test_lookup_matches_classify(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    /* bytes that are close to the ones of known names: case, '-' and its 0x20 partner CR,
     * '_', digits, NUL, high bytes */
    static const unsigned char near[] = {'-', '\r', '\n', '_', ' ', ':', '\0', '0', '5',
                                         0x80, 0xc1, 0xe1, '@', '`', '[', '{', 'a', 'Z'};
    unsigned seed = 12345;
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        char buf[64];
        size_t len = strlen(known[k]);
        memcpy(buf, known[k], len);
        same(cfg, buf, len);
        for (size_t i = 0; i < len; i++) { /* upper case, one letter at a time and all */
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] = (char)(buf[i] - 32);
            same(cfg, buf, len);
        }
        for (size_t n = 0; n <= len + 1 && n < sizeof buf; n++) /* prefixes, one longer */
            same(cfg, buf, n);
        for (int t = 0; t < 4000; t++) {
            memcpy(buf, known[k], len);
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 12) & 1)
                buf[at] = (char)near[(seed >> 16) % sizeof near];
            else
                buf[at] = (char)(unsigned char)(seed >> 16);
            same(cfg, buf, len);
        }
    }
    resplint_config_free(cfg);
}

static void test_plan_follows_severities(void **state)
{
    (void)state;
    resplint_config *cfg = resplint_config_new();
    assert_non_null(cfg);
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < resplint_rule_count(); i++) {
            const resplint_rule *r = resplint_rule_at(i);
            if (round == 1)
                assert_int_equal(resplint_config_enable(cfg, r->id), 0);
            if (round == 2 && i % 3 == 0)
                assert_int_equal(resplint_config_set_rule(cfg, r->id, RESPLINT_OFF), 0);
        }
        size_t raw = 0, structured = 0;
        for (size_t r = 0; r < RLINT_RULE_COUNT; r++) {
            bool on = cfg->severity[r] != RESPLINT_OFF;
            bool in_raw = false, in_structured = false;
            for (size_t k = 0; k < cfg->nplan_raw; k++)
                in_raw |= cfg->plan_raw[k] == r;
            for (size_t k = 0; k < cfg->nplan_structured; k++)
                in_structured |= cfg->plan_structured[k] == r;
            /* every enabled rule with a check, and only those; input rules have none */
            assert_int_equal(in_raw, on && has_check[r]);
            assert_int_equal(in_structured,
                             in_raw && !(rlint_rules[r].flags & RESPLINT_RULE_NEEDS_RAW));
            raw += in_raw;
            structured += in_structured;
        }
        assert_int_equal(raw, cfg->nplan_raw);
        assert_int_equal(structured, cfg->nplan_structured);
        for (size_t k = 1; k < cfg->nplan_raw; k++) /* rule order: findings keep their order */
            assert_true(cfg->plan_raw[k - 1] < cfg->plan_raw[k]);
        resplint_config *copy = resplint_config_clone(cfg);
        assert_non_null(copy);
        assert_int_equal(copy->nplan_raw, cfg->nplan_raw);
        resplint_config_free(copy);
    }
    resplint_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_matches_classify),
        cmocka_unit_test(test_plan_follows_severities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
