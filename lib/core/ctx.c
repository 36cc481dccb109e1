/* What a check sees of the engine: the known fields by id (rlint_next) and the way to report
 * (rlint_emit*). Apart from engine.c so that the checks, the facts and the exchange memory
 * call this file and the engine calls them, never the reverse: no circle between the files. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

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

bool rlint_finding_of(const rlint_ctx *c, rlint_rule_id rule, resplint_severity at_most,
                      uint64_t off, uint64_t len, long field, resplint_finding *f)
{
    resplint_severity sev = (resplint_severity)c->cfg->severity[rule];
    if (sev == RESPLINT_OFF)
        return false;
    f->rule = &rlint_rules[rule];
    f->severity = sev > at_most ? at_most : sev;
    f->message = NULL;
    f->offset = off;
    f->length = off == RESPLINT_NO_OFFSET ? 0 : len;
    f->field_index = field;
    f->response_index = c->index;
    f->response_offset = c->resp->offset;
    return true;
}

RLINT_PRINTF(7, 0)
static void vemit(rlint_ctx *c, rlint_rule_id rule, resplint_severity at_most, uint64_t off,
                  uint64_t len, long field, const char *fmt, va_list ap)
{
    resplint_finding f;
    if (!rlint_finding_of(c, rule, at_most, off, len, field, &f))
        return;
    uint64_t cap = c->cfg->limits[RESPLINT_LIMIT_FINDINGS];
    if ((uint64_t)c->findings >= cap) {
        /* The cap itself is reported once, as RL9004 limit-exceeded. */
        if (c->limit_reported)
            return;
        c->limit_reported = true;
        if (!rlint_finding_of(c, RLINT_RL9004, RESPLINT_ERROR, c->resp->offset, 0, -1, &f))
            return;
        snprintf(c->msg, sizeof c->msg,
                 "more than %llu findings on this response; the rest are not reported",
                 (unsigned long long)cap);
    } else {
        vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    }
    f.message = c->msg;
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
