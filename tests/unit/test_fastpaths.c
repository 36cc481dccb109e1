/* The fast paths of the hot loop against their plain counterparts: the hashed, word-at-a-time
 * known-field lookup against the linear rlint_field_classify, the IMF-fixdate fast path against
 * a plain reading of the grammar, and the per-configuration plan of checks against the
 * severities it is computed from. */
#include "helpers.h"

#include "internal.h"

static const char *const known[] = {
#define FIELD(ident, lname) lname,
#include "fields.def"
#undef FIELD
};

static const bool has_check[] = {
#define RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary) true,
#define INPUT_RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary) false,
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
        buf[len] = 's'; /* the name one letter longer ("Content-Lengths"): a defined byte */
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

/* IMF-fixdate read plainly (RFC 9110 §5.6.7), with the calendar and clock ranges resplint
 * applies: the reference for the word-at-a-time path in rlint_http_date. */
static int name_index(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (memcmp(s, names[i], 3) == 0)
            return i;
    return -1;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool imf_reference(const char *s, size_t n)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 29 || name_index(s, days, 7) < 0 || memcmp(s + 3, ", ", 2) != 0)
        return false;
    if (!digits(s + 5, 2) || s[7] != ' ' || s[11] != ' ' || !digits(s + 12, 4) || s[16] != ' ')
        return false;
    int m = name_index(s + 8, months, 12);
    if (m < 0 || !digits(s + 17, 2) || s[19] != ':' || !digits(s + 20, 2) || s[22] != ':' ||
        !digits(s + 23, 2) || memcmp(s + 25, " GMT", 4) != 0)
        return false;
    int d = num(s + 5, 2), y = num(s + 12, 4);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d < 1 || d > mdays[m] || (m == 1 && d == 29 && !leap))
        return false;
    return num(s + 17, 2) <= 23 && num(s + 20, 2) <= 59 && num(s + 23, 2) <= 60;
}

static void test_imf_fast_path(void **state)
{
    (void)state;
    static const char *const seeds[] = {"Sun, 06 Nov 1994 08:49:37 GMT",
                                        "Tue, 29 Feb 2000 23:59:60 GMT",
                                        "Mon, 29 Feb 1900 00:00:00 GMT",
                                        "Wed, 31 Dec 9999 12:00:00 GMT"};
    static const char alphabet[] = "0123456789 :,GMTSunMonTueWedThuFriSatJanFebMarAprMayJun"
                                   "JulAugSepOctNovDecxyz\r\n-/\x80\xff";
    unsigned seed = 777;
    long accepted = 0;
    for (long t = 0; t < 400000; t++) {
        char b[32];
        memcpy(b, seeds[t % 4], 29);
        size_t n = 29;
        for (int k = 0; k < 1 + (int)(t % 3); k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % 29;
            seed = seed * 1103515245u + 12345u;
            b[at] = (seed >> 20) & 1 ? alphabet[(seed >> 8) % (sizeof alphabet)]
                                     : (char)('0' + (seed >> 8) % 10);
        }
        if (t % 97 == 0)
            n = (size_t)t % 31;
        const char *why = NULL;
        size_t at = 0;
        bool fast = rlint_http_date(b, n, &why, &at) == RLINT_DATE_IMF;
        bool ref = imf_reference(b, n);
        accepted += ref;
        if (fast != ref)
            fail_msg("'%.*s': rlint_http_date %d, reference %d", (int)n, b, fast, ref);
    }
    assert_true(accepted > 1000); /* the mutations leave enough valid dates to compare */
    /* every day and month name, and every other three letters in their places */
    static const char letters[] = "ADFJMNOSTWacdeghilnoprtuvy";
    for (int pos = 0; pos < 2; pos++)
        for (size_t i = 0; i < sizeof letters - 1; i++)
            for (size_t j = 0; j < sizeof letters - 1; j++)
                for (size_t k = 0; k < sizeof letters - 1; k++) {
                    char b[30];
                    memcpy(b, "Sun, 06 Nov 1994 08:49:37 GMT", 29);
                    char *q = pos ? b + 8 : b;
                    q[0] = letters[i];
                    q[1] = letters[j];
                    q[2] = letters[k];
                    const char *why = NULL;
                    size_t at = 0;
                    bool fast = rlint_http_date(b, 29, &why, &at) == RLINT_DATE_IMF;
                    if (fast != imf_reference(b, 29))
                        fail_msg("'%.29s': rlint_http_date %d", b, fast);
                }
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
        cmocka_unit_test(test_imf_fast_path),
        cmocka_unit_test(test_plan_follows_severities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
