/* The rule engine: indexes a response's fields once, then runs every enabled check and
 * turns what they report into findings. No allocation. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

typedef void (*check_fn)(rlint_ctx *c);

static const check_fn checks[RLINT_RULE_COUNT] = {
#define RULE(id, ident, name, sev, flags, spec, summary) [RLINT_##id] = rlint_check_##ident,
#define INPUT_RULE(id, ident, name, sev, flags, spec, summary) [RLINT_##id] = NULL,
#include "rules.def"
#undef RULE
#undef INPUT_RULE
};

_Static_assert(RLINT_RULE_COUNT <= 64, "a plan's positions are the bits of a 64-bit word");
_Static_assert(RLINT_F_COUNT <= 32, "the set of present fields is a 32-bit mask");

/* Triggers. What a response has that a check can depend on is one 64-bit word: the known
 * fields present (bits 0-31), the marks of its status in rules/status.def (bits 32-54) and a
 * few facts (bits 55-63). Each check names the bits without which it cannot report anything,
 * so that a response lacking all of them does not call it: most checks concern a field or a
 * status that most responses do not have. A trigger says less than its check decides (the
 * check still tests everything); it must never say more. tests/unit/test_triggers.c runs
 * every fixture and corpus file with and without triggers and requires the same findings. */
#define T_FIELD(f) (1ull << RLINT_F_##f)
#define T_MARK(m) ((uint64_t)RLINT_##m << 32)
#define T_1XX (1ull << 56)        /* status 100-199 */
#define T_ODD_STATUS (1ull << 57) /* not in the table, outside 100-599, or not 3 digits */
#define T_METHOD (1ull << 58)     /* the request method is known */
#define T_SYNTAX (1ull << 59)     /* the head scan recorded a syntax fault */
#define T_RAW_EVENT (1ull << 60)  /* truncated, body error, close-delimited, stray bytes, limit */
#define T_BIG_HEAD (1ull << 61)   /* the head may exceed the field-section limit */
#define T_H2 (1ull << 62)         /* structured input said HTTP/2 or HTTP/3 */
#define T_CL_ODD (1ull << 55)     /* Content-Length other than one line of digits */
#define T_ALWAYS (1ull << 63)     /* every response */

_Static_assert(RLINT_TEMPORARY < (1u << 23), "status marks fit in bits 32-54");

static const uint64_t triggers[RLINT_RULE_COUNT] = {
    [RLINT_RL1001] = T_MARK(DEPRECATED),
    [RLINT_RL1002] = T_MARK(UNUSED),
    [RLINT_RL1003] = T_ODD_STATUS,
    [RLINT_RL1004] = T_ODD_STATUS,
    [RLINT_RL1005] = T_MARK(RESERVED),
    [RLINT_RL1006] = T_MARK(OBSOLETE),
    [RLINT_RL1007] = T_MARK(EXPERIMENTAL),
    [RLINT_RL1008] = T_ALWAYS,
    [RLINT_RL1009] = T_ALWAYS,
    [RLINT_RL1010] = T_ALWAYS,
    [RLINT_RL1011] = T_1XX,
    [RLINT_RL2001] = T_MARK(NEEDS_LOCATION),
    [RLINT_RL2002] = T_MARK(WANTS_LOCATION),
    [RLINT_RL2003] = T_FIELD(LOCATION),
    [RLINT_RL2010] = T_MARK(NO_CONTENT),
    [RLINT_RL2011] = T_1XX | T_MARK(NO_LENGTH),
    [RLINT_RL2012] = T_1XX | T_MARK(NO_LENGTH),
    [RLINT_RL2013] = T_MARK(NOT_MODIFIED),
    [RLINT_RL2014] = T_MARK(NOT_MODIFIED),
    [RLINT_RL2015] = T_METHOD,
    [RLINT_RL2020] = T_MARK(NEEDS_WWW_AUTH),
    [RLINT_RL2021] = T_MARK(NEEDS_PROXY_AUTH),
    [RLINT_RL2022] = T_MARK(NEEDS_ALLOW),
    [RLINT_RL2023] = T_MARK(NEEDS_UPGRADE),
    [RLINT_RL2024] = T_MARK(NEEDS_CONTENT_RANGE),
    [RLINT_RL2025] = T_MARK(WANTS_CONTENT_RANGE),
    [RLINT_RL2026] = T_MARK(NEEDS_ETAG),
    [RLINT_RL2027] = T_MARK(SUGGESTS_LOCATION),
    [RLINT_RL3001] = T_FIELD(TRANSFER_ENCODING), /* and Content-Length */
    [RLINT_RL3002] = T_CL_ODD,
    [RLINT_RL3003] = T_CL_ODD,
    [RLINT_RL3004] = T_CL_ODD,
    [RLINT_RL3005] = T_FIELD(TRANSFER_ENCODING),
    [RLINT_RL3006] = T_FIELD(TRANSFER_ENCODING),
    [RLINT_RL3007] = T_RAW_EVENT,
    [RLINT_RL3008] = T_RAW_EVENT,
    [RLINT_RL3009] = T_RAW_EVENT,
    [RLINT_RL3010] = T_RAW_EVENT,
    [RLINT_RL4001] = T_SYNTAX,
    [RLINT_RL4002] = T_SYNTAX,
    [RLINT_RL4003] = T_SYNTAX,
    [RLINT_RL4004] = T_SYNTAX,
    [RLINT_RL4005] = T_SYNTAX,
    [RLINT_RL4006] = T_SYNTAX,
    [RLINT_RL4007] = T_FIELD(AGE) | T_FIELD(CONTENT_LOCATION) | T_FIELD(CONTENT_RANGE) |
                     T_FIELD(CONTENT_TYPE) | T_FIELD(DATE) | T_FIELD(ETAG) | T_FIELD(EXPIRES) |
                     T_FIELD(LAST_MODIFIED) | T_FIELD(LOCATION) | T_FIELD(RETRY_AFTER),
    [RLINT_RL4008] = T_ALWAYS,
    [RLINT_RL4009] = T_FIELD(DATE) | T_FIELD(LAST_MODIFIED) | T_FIELD(EXPIRES),
    [RLINT_RL4010] = T_FIELD(ETAG),
    [RLINT_RL4011] = T_FIELD(RETRY_AFTER),
    [RLINT_RL4012] = T_FIELD(CONTENT_RANGE),
    [RLINT_RL4013] = T_BIG_HEAD,
    [RLINT_RL4014] = T_H2,
    [RLINT_RL9001] = T_RAW_EVENT,
    [RLINT_RL9004] = T_RAW_EVENT,
};

uint64_t rlint_trigger(size_t rule) { return rule < RLINT_RULE_COUNT ? triggers[rule] : 0; }

/* The trigger bits one response has. */
static uint64_t response_bits(const rlint_ctx *c)
{
    const resplint_response *r = c->resp;
    const rlint_raw *raw = c->raw;
    uint64_t t = T_ALWAYS | c->present;
    if (c->status)
        t |= (uint64_t)c->status->marks << 32;
    if (!c->status || r->status < 100 || r->status > 599)
        t |= T_ODD_STATUS;
    if (r->status >= 100 && r->status <= 199)
        t |= T_1XX;
    if (r->method)
        t |= T_METHOD;
    if ((c->present & T_FIELD(CONTENT_LENGTH)) && !rlint_content_length_plain(c))
        t |= T_CL_ODD;
    if (!raw) {
        t |= T_BIG_HEAD; /* the size is computed from the fields: the check does it */
        if (r->version_major == 2 || r->version_major == 3)
            t |= T_H2;
        return t;
    }
    if (raw->status_text && raw->status_text_len != 3)
        t |= T_ODD_STATUS;
    if (raw->nsyntax)
        t |= T_SYNTAX;
    if (raw->truncated || raw->body_error || raw->body_kind == RLINT_BODY_CLOSE ||
        raw->unexpected_len || raw->head_limit || raw->fields_limit || raw->responses_limit ||
        raw->syntax_limit || raw->parse_error || raw->no_status_line)
        t |= T_RAW_EVENT;
    if (raw->head_len > c->cfg->limits[RESPLINT_LIMIT_FIELD_SECTION])
        t |= T_BIG_HEAD;
    return t;
}

void rlint_config_plan(resplint_config *cfg)
{
    cfg->nplan_raw = 0;
    cfg->nplan_structured = 0;
    memset(cfg->by_bit_raw, 0, sizeof cfg->by_bit_raw);
    memset(cfg->by_bit_structured, 0, sizeof cfg->by_bit_structured);
    for (size_t r = 0; r < RLINT_RULE_COUNT; r++) {
        if (!checks[r] || cfg->severity[r] == RESPLINT_OFF)
            continue;
        uint64_t t = triggers[r] ? triggers[r] : T_ALWAYS; /* none: every response */
        for (int b = 0; b < 64; b++)
            if (t & (1ull << b))
                cfg->by_bit_raw[b] |= 1ull << cfg->nplan_raw;
        cfg->plan_raw[cfg->nplan_raw++] = (uint8_t)r;
        if (!(rlint_rules[r].flags & RESPLINT_RULE_NEEDS_RAW)) {
            for (int b = 0; b < 64; b++)
                if (t & (1ull << b))
                    cfg->by_bit_structured[b] |= 1ull << cfg->nplan_structured;
            cfg->plan_structured[cfg->nplan_structured++] = (uint8_t)r;
        }
    }
}

long rlint_next(const rlint_ctx *c, rlint_field_id f, long after)
{
    if (c->first[f] < 0)
        return -1;
    if (after < c->first[f])
        return c->first[f];
    /* The common case, a field that occurs once: no need to look at the rest. */
    if (c->count[f] <= 1 && c->resp->field_count <= INT16_MAX)
        return -1;
    for (long i = after + 1; (size_t)i < c->resp->field_count; i++) {
        if (i < RLINT_CTX_FIELDS) {
            if (c->fid[i] == f)
                return i;
            continue;
        }
        const resplint_field *fl = &c->resp->fields[i];
        if (rlint_field_lookup(c->cfg->fields, fl->name, fl->name_len) == f)
            return i;
    }
    return -1;
}

int rlint_check(const resplint_config *cfg, const resplint_response *resp, const rlint_raw *raw,
                size_t index, resplint_finding_cb cb, void *user)
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
        return c.findings;
    }
    const uint8_t *plan = raw ? cfg->plan_raw : cfg->plan_structured;
    const uint64_t *by_bit = raw ? cfg->by_bit_raw : cfg->by_bit_structured;
    size_t n = raw ? cfg->nplan_raw : cfg->nplan_structured;
    /* The plan positions to run: those triggered by any bit the response has; then each in
     * plan (rule) order, lowest position first. */
    uint64_t run = 0;
    if (cfg->exhaustive)
        run = n == 64 ? ~0ull : (1ull << n) - 1;
    else
        for (uint64_t have = response_bits(&c); have; have &= have - 1)
            run |= by_bit[__builtin_ctzll(have)];
    for (; run; run &= run - 1)
        checks[plan[__builtin_ctzll(run)]](&c);
    return c.findings;
}

RLINT_PRINTF(7, 0)
static void vemit(rlint_ctx *c, rlint_rule_id rule, resplint_severity at_most, uint64_t off,
                  uint64_t len, long field, const char *fmt, va_list ap)
{
    resplint_severity sev = (resplint_severity)c->cfg->severity[rule];
    if (sev == RESPLINT_OFF)
        return;
    if (sev > at_most)
        sev = at_most;
    uint64_t cap = c->cfg->limits[RESPLINT_LIMIT_FINDINGS];
    if ((uint64_t)c->findings >= cap) {
        /* The cap itself is reported once, as RL9004 limit-exceeded. */
        if (c->limit_reported)
            return;
        c->limit_reported = true;
        rule = RLINT_RL9004;
        sev = (resplint_severity)c->cfg->severity[rule];
        if (sev == RESPLINT_OFF)
            return;
        snprintf(c->msg, sizeof c->msg,
                 "more than %llu findings on this response; the rest are not reported",
                 (unsigned long long)cap);
        off = c->resp->offset;
        len = 0;
        field = -1;
    } else {
        vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    }
    resplint_finding f;
    f.rule = &rlint_rules[rule];
    f.severity = sev;
    f.message = c->msg;
    f.offset = off;
    f.length = off == RESPLINT_NO_OFFSET ? 0 : len;
    f.field_index = field;
    f.response_index = c->index;
    f.response_offset = c->resp->offset;
    c->findings++;
    c->cb(&f, c->user);
}

void rlint_emit(rlint_ctx *c, rlint_rule_id rule, uint64_t off, uint64_t len, long field,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vemit(c, rule, RESPLINT_ERROR, off, len, field, fmt, ap);
    va_end(ap);
}

void rlint_emit_field(rlint_ctx *c, rlint_rule_id rule, size_t i, const char *fmt, ...)
{
    const resplint_field *fl = &c->resp->fields[i];
    va_list ap;
    va_start(ap, fmt);
    vemit(c, rule, RESPLINT_ERROR, fl->offset, fl->length, (long)i, fmt, ap);
    va_end(ap);
}

void rlint_emit_field_sev(rlint_ctx *c, rlint_rule_id rule, size_t i, resplint_severity at_most,
                          const char *fmt, ...)
{
    const resplint_field *fl = &c->resp->fields[i];
    va_list ap;
    va_start(ap, fmt);
    vemit(c, rule, at_most, fl->offset, fl->length, (long)i, fmt, ap);
    va_end(ap);
}

void rlint_emit_status(rlint_ctx *c, rlint_rule_id rule, const char *fmt, ...)
{
    uint64_t len = c->raw ? c->raw->status_line_len : 0;
    va_list ap;
    va_start(ap, fmt);
    vemit(c, rule, RESPLINT_ERROR, c->resp->offset, len, -1, fmt, ap);
    va_end(ap);
}

int resplint_check_response(const resplint_config *cfg, const resplint_response *response,
                            size_t response_index, resplint_finding_cb cb, void *user)
{
    if (!cfg || !response || !cb || (response->field_count && !response->fields))
        return RESPLINT_EINVAL;
    return rlint_check(cfg, response, NULL, response_index, cb, user);
}
