/* The rule engine: indexes a response's fields once, then runs every enabled check and
 * turns what they report into findings. No allocation. */
#include "abi.h"
#include "facts.h"

#include "resplint/body.h"

#include <stdio.h>
#include <string.h>

typedef void (*check_fn)(rlint_ctx *c);

static const check_fn checks[RLINT_RULE_COUNT] = {
#define RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary)                        \
    [RLINT_##id] = rlint_check_##ident,
#define INPUT_RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary) [RLINT_##id] = NULL,
#include "rules.def"
#undef RULE
#undef INPUT_RULE
};

/* Triggers, from the trigger column of rules/rules.def. Most checks concern a field or a status
 * that most responses do not have: a response lacking every bit of a check's trigger does not
 * call it. A trigger says less than its check decides (the check still tests everything); it
 * must never say more. tests/unit/test_triggers.c runs every fixture and corpus file with and
 * without triggers and requires the same findings.
 * The table is one array per word of a trigger set (internal.h): rules.def is expanded once per
 * word, each atom contributing its bit to its own word and 0 to the others. */
#define FIELD(x) TRIGGER_BIT(RLINT_TW_FIELDS, RLINT_F_##x)
#define MARK(x) TRIGGER_BIT(RLINT_TW_MARKS, RLINT_MARKBIT_##x)
#define FACT(x) TRIGGER_BIT(RLINT_TW_FACTS, RLINT_FACT_##x)
#define ALWAYS FACT(ALWAYS)
#define TRIGGER_BIT(word, bit) ((word) == TRIGGER_WORD ? 1ull << (bit) : 0ull)
#define RULE(id, ident, name, sev, flags, trigger, profiles, spec, summary) [RLINT_##id] = (trigger),
#define INPUT_RULE RULE

#define TRIGGER_WORD RLINT_TW_FIELDS
static const uint64_t trigger_fields[RLINT_RULE_COUNT] = {
#include "rules.def"
};
#undef TRIGGER_WORD
#define TRIGGER_WORD RLINT_TW_MARKS
static const uint64_t trigger_marks[RLINT_RULE_COUNT] = {
#include "rules.def"
};
#undef TRIGGER_WORD
#define TRIGGER_WORD RLINT_TW_FACTS
static const uint64_t trigger_facts[RLINT_RULE_COUNT] = {
#include "rules.def"
};
#undef TRIGGER_WORD

#undef RULE
#undef INPUT_RULE
#undef TRIGGER_BIT
#undef ALWAYS
#undef FACT
#undef MARK
#undef FIELD

_Static_assert(RLINT_TRIGGER_WORDS == 3, "one trigger array per word");

rlint_trigger_set rlint_trigger(size_t rule)
{
    rlint_trigger_set t = {{0, 0, 0}};
    if (rule < RLINT_RULE_COUNT) {
        t.w[RLINT_TW_FIELDS] = trigger_fields[rule];
        t.w[RLINT_TW_MARKS] = trigger_marks[rule];
        t.w[RLINT_TW_FACTS] = trigger_facts[rule];
    }
    return t;
}

/* The facts read from the caching summaries (lib/core/caching.c), computed only for responses
 * with the field and only when a planned check asks for them. */
static uint64_t summary_facts(rlint_ctx *c, uint64_t wanted)
{
    uint64_t t = 0;
    if ((wanted & FACT_BIT(CC_NOTABLE)) && (c->present & (1ull << RLINT_F_CACHE_CONTROL)) &&
        rlint_cc_of(c)->notable)
        t |= FACT_BIT(CC_NOTABLE);
    if ((wanted & FACT_BIT(VARY_NOTABLE)) && (c->present & (1ull << RLINT_F_VARY)) &&
        rlint_vary_of(c)->notable)
        t |= FACT_BIT(VARY_NOTABLE);
    return t;
}

/* Adds plan position pos to the positions of every bit of trigger t. */
static void plan_bits(uint64_t (*by_bit)[RLINT_PLAN_WORDS], rlint_trigger_set t, size_t pos)
{
    for (size_t w = 0; w < RLINT_TRIGGER_WORDS; w++)
        for (uint64_t b = t.w[w]; b; b &= b - 1)
            by_bit[w * 64 + (size_t)__builtin_ctzll(b)][pos / 64] |= 1ull << (pos % 64);
}

/* Adds to run the plan positions triggered by the bits of one word of a response's triggers;
 * by_bit: that word's 64 rows. */
static inline void add_triggered(uint64_t *run, const uint64_t (*by_bit)[RLINT_PLAN_WORDS],
                                 uint64_t have)
{
    for (; have; have &= have - 1) {
        const uint64_t *b = by_bit[__builtin_ctzll(have)];
        for (size_t k = 0; k < RLINT_PLAN_WORDS; k++)
            run[k] |= b[k];
    }
}

void rlint_config_plan(resplint_config *cfg)
{
    cfg->nplan_raw = 0;
    cfg->nplan_structured = 0;
    cfg->facts_wanted_raw = 0;
    cfg->facts_wanted_structured = 0;
    memset(cfg->by_bit_raw, 0, sizeof cfg->by_bit_raw);
    memset(cfg->by_bit_structured, 0, sizeof cfg->by_bit_structured);
    for (size_t r = 0; r < RLINT_RULE_COUNT; r++) {
        if (!checks[r] || cfg->severity[r] == RESPLINT_OFF)
            continue;
        rlint_trigger_set t = rlint_trigger(r);
        if (!t.w[0] && !t.w[1] && !t.w[2])
            t.w[RLINT_TW_FACTS] = 1ull << RLINT_FACT_ALWAYS; /* none: every response */
        plan_bits(cfg->by_bit_raw, t, cfg->nplan_raw);
        cfg->facts_wanted_raw |= t.w[RLINT_TW_FACTS];
        cfg->plan_raw[cfg->nplan_raw++] = (uint16_t)r;
        if (!(rlint_rules[r].flags & RESPLINT_RULE_NEEDS_RAW)) {
            plan_bits(cfg->by_bit_structured, t, cfg->nplan_structured);
            cfg->facts_wanted_structured |= t.w[RLINT_TW_FACTS];
            cfg->plan_structured[cfg->nplan_structured++] = (uint16_t)r;
        }
    }
}

/* The end of a check: the response goes into the input's memory (final responses with a URL). */
static int remember(rlint_ctx *c)
{
    int st = c->resp->status;
    if (c->url_key && !(st >= 100 && st <= 199) && rlint_xchg_record(c) < 0)
        return RESPLINT_ENOMEM;
    return c->findings;
}

int rlint_check(const resplint_config *cfg, const resplint_response *resp, const rlint_raw *raw,
                size_t index, resplint_finding_cb cb, void *user, resplint_exchanges *x)
{
    rlint_ctx c;
    c.cfg = cfg;
    c.resp = resp;
    c.raw = raw;
    c.status = rlint_status_lookup(resp->status);
    c.index = index;
    c.cb = cb;
    c.user = user;
    c.findings = 0;
    c.explained = false;
    c.limit_reported = false;
    c.deferred_check = false;
    c.lazy = 0;
    c.fields_incomplete = raw && (raw->ended_in_head || raw->head_limit || raw->fields_limit);
    memset(c.first, 0xff, sizeof c.first);
    memset(c.count, 0, sizeof c.count);
    /* Fields past the limit (a caller's parse or a huge configured limit) are not checked, and
     * the checks must not think them absent: they see a response cut at the limit. */
    uint64_t field_cap = cfg->limits[RESPLINT_LIMIT_FIELDS];
    if (field_cap > INT16_MAX)
        field_cap = INT16_MAX;
    resplint_response cut;
    bool over = resp->field_count > field_cap;
    if (over) {
        cut = *resp;
        cut.field_count = (size_t)field_cap;
        c.resp = resp = &cut;
        c.fields_incomplete = true;
    }
    size_t nf = resp->field_count;
    c.present = rlint_field_index(cfg->fields, resp->fields, nf, c.fid, c.first, c.count);
    c.xchg = x;
    rlint_facts(&c);
    if (over && !(raw && raw->fields_limit))
        rlint_emit_status(&c, RLINT_RL9004,
                          "more than %llu field lines; only the first ones were checked",
                          (unsigned long long)field_cap);

    /* A stream that never produced a status line has nothing but the parse fault to check. */
    if (raw && raw->no_status_line) {
        rlint_check_unparseable_response(&c);
        return c.findings;
    }
    /* Disabled rules still run when a parse fault needs explaining, so that RL9001 is not
     * raised for a fault the user chose to silence under its own rule. */
    if (raw && raw->parse_error) {
        for (size_t r = 0; r < RLINT_RULE_COUNT; r++)
            if (checks[r])
                checks[r](&c);
        return remember(&c);
    }
    const uint16_t *plan = raw ? cfg->plan_raw : cfg->plan_structured;
    const uint64_t(*by_bit)[RLINT_PLAN_WORDS] = raw ? cfg->by_bit_raw : cfg->by_bit_structured;
    size_t n = raw ? cfg->nplan_raw : cfg->nplan_structured;
    /* The plan positions to run: those triggered by any bit the response has; then each in
     * plan (rule) order, lowest position first. */
    uint64_t run[RLINT_PLAN_WORDS] = {0};
    if (cfg->exhaustive) {
        for (size_t k = 0; k < n; k++)
            run[k / 64] |= 1ull << (k % 64);
    } else {
        add_triggered(run, by_bit, c.present);
        if (c.status)
            add_triggered(run, by_bit + 64 * RLINT_TW_MARKS, c.status->marks);
        add_triggered(run, by_bit + 64 * RLINT_TW_FACTS,
                      c.fact_bits | summary_facts(&c, raw ? cfg->facts_wanted_raw
                                                          : cfg->facts_wanted_structured));
    }
    for (size_t k = 0; k < RLINT_PLAN_WORDS; k++)
        for (uint64_t bits = run[k]; bits; bits &= bits - 1)
            checks[plan[k * 64 + (size_t)__builtin_ctzll(bits)]](&c);
    return remember(&c);
}

/* resplint_response's first layout (lib/core/abi.h): url, url_len, scheme and provenance were
 * appended after size came; a caller whose size stops before them has them read as zero,
 * "unknown". */
#define RLINT_BASE_RESPONSE offsetof(resplint_response, url)

int resplint_check_response(const resplint_config *cfg, const resplint_response *response,
                            size_t response_index, resplint_finding_cb cb, void *user)
{
    resplint_response r;
    if (!cfg || !response || !cb ||
        !rlint_abi_copy(&r, sizeof r, response, RLINT_BASE_RESPONSE) ||
        (r.field_count && !r.fields))
        return RESPLINT_EINVAL;
    return rlint_check(cfg, &r, NULL, response_index, cb, user, NULL);
}

int resplint_config_body_matters(const resplint_config *cfg, int status, const char *method,
                                 size_t method_len)
{
    if (!cfg)
        return 0;
    const rlint_status *st = rlint_status_lookup(status);
    uint64_t marks = st ? st->marks : 0;
    /* the facts status and method decide; every other fact may hold */
    uint64_t decided = 1ull << RLINT_FACT_ALWAYS | 1ull << RLINT_FACT_ODD_STATUS |
                       1ull << RLINT_FACT_INFORMATIONAL | 1ull << RLINT_FACT_METHOD |
                       1ull << RLINT_FACT_HEAD;
    uint64_t facts = ~decided | 1ull << RLINT_FACT_ALWAYS;
    if (!st || status < 100 || status > 599)
        facts |= 1ull << RLINT_FACT_ODD_STATUS;
    if (status >= 100 && status <= 199)
        facts |= 1ull << RLINT_FACT_INFORMATIONAL;
    if (method) {
        facts |= 1ull << RLINT_FACT_METHOD;
        if (rlint_method_is(method, method_len, "HEAD"))
            facts |= 1ull << RLINT_FACT_HEAD;
    }
    for (size_t r = 0; r < RLINT_RULE_COUNT; r++) {
        if (!(rlint_rules[r].flags & RESPLINT_RULE_NEEDS_BODY) || cfg->severity[r] == RESPLINT_OFF)
            continue;
        rlint_trigger_set t = rlint_trigger(r);
        if (t.w[RLINT_TW_FIELDS] || (t.w[RLINT_TW_MARKS] & marks) ||
            (t.w[RLINT_TW_FACTS] & facts))
            return 1;
    }
    return 0;
}

int resplint_check_exchange(const resplint_config *cfg, resplint_exchanges *x,
                            const resplint_response *response, size_t response_index,
                            resplint_finding_cb cb, void *user)
{
    resplint_response r;
    if (!cfg || !response || !cb ||
        !rlint_abi_copy(&r, sizeof r, response, RLINT_BASE_RESPONSE) ||
        (r.field_count && !r.fields))
        return RESPLINT_EINVAL;
    return rlint_check(cfg, &r, NULL, response_index, cb, user, x);
}
