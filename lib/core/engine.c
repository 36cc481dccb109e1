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

_Static_assert(RLINT_RULE_COUNT <= 256, "plans hold rule indices in bytes");
_Static_assert(RLINT_F_COUNT <= 32, "the set of present fields is a 32-bit mask");

void rlint_config_plan(resplint_config *cfg)
{
    cfg->nplan_raw = 0;
    cfg->nplan_structured = 0;
    for (size_t r = 0; r < RLINT_RULE_COUNT; r++) {
        if (!checks[r] || cfg->severity[r] == RESPLINT_OFF)
            continue;
        cfg->plan_raw[cfg->nplan_raw++] = (uint8_t)r;
        if (!(rlint_rules[r].flags & RESPLINT_RULE_NEEDS_RAW))
            cfg->plan_structured[cfg->nplan_structured++] = (uint8_t)r;
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
    size_t nf = resp->field_count;
    if (nf > INT16_MAX)
        nf = INT16_MAX;
    c.present = rlint_field_index(cfg->fields, resp->fields, nf, c.fid, c.first, c.count);

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
    size_t n = raw ? cfg->nplan_raw : cfg->nplan_structured;
    for (size_t k = 0; k < n; k++)
        checks[plan[k]](&c);
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
