/* RL4001-RL4006: the raw syntax of field lines (RFC 9112 §2.2, §5; RFC 9110 §5.1, §5.5).
 * The faults were found by the tolerant head scan (lib/core/head.c) with their byte offsets;
 * these checks name them, and tell the engine when one accounts for llhttp's rejection. */
#include "internal.h"

#include <stdio.h>

#define EMIT(c, rule, f, ...)                                                                      \
    rlint_emit((c), (rule), (f)->offset, (f)->length, field_of((c), (f)), __VA_ARGS__)

/* Does fault f explain why llhttp rejected the head? It does when llhttp stopped on the
 * fault's own line: from the start of that line to just past the fault. */
static bool explains(const rlint_ctx *c, const rlint_syntax_fault *f, bool to_end)
{
    const rlint_raw *r = c->raw;
    if (!r->parse_error || r->body_error)
        return false;
    uint64_t lo = f->offset;
    if (f->field >= 0 && (size_t)f->field < c->resp->field_count &&
        c->resp->fields[f->field].offset < lo)
        lo = c->resp->fields[f->field].offset;
    uint64_t hi = to_end ? UINT64_MAX : f->offset + f->length + 2;
    return r->parse_offset >= lo && r->parse_offset <= hi;
}

static long field_of(const rlint_ctx *c, const rlint_syntax_fault *f)
{
    return f->field >= 0 && (size_t)f->field < c->resp->field_count ? (long)f->field : -1;
}

/* The field's name, quoted for a message, or "the status line". */
static const char *name_of(const rlint_ctx *c, const rlint_syntax_fault *f, char *buf, size_t n)
{
    long i = field_of(c, f);
    if (i < 0)
        return f->field < 0 ? "the status line" : "a field";
    char q[80];
    rlint_quote(q, sizeof q, c->resp->fields[i].name, c->resp->fields[i].name_len, 40);
    snprintf(buf, n, "field %s", q);
    return buf;
}

void rlint_check_obs_fold(rlint_ctx *c)
{
    long last = -2;
    for (size_t k = 0; k < c->raw->nsyntax; k++) {
        const rlint_syntax_fault *f = &c->raw->syntax[k];
        if (f->kind != RLINT_SYN_OBS_FOLD)
            continue;
        if (explains(c, f, false))
            rlint_explained(c);
        if (f->field >= 0 && f->field == last)
            continue; /* one finding per folded field, however many lines it spans */
        last = f->field;
        char buf[128];
        if (f->field < 0)
            EMIT(c, RLINT_RL4001, f,
                 "whitespace at the start of the first field line; RFC 9112 §2.2: a sender MUST "
                 "NOT send whitespace between the start-line and the first header field, and a "
                 "recipient either rejects the message or ignores the line");
        else
            EMIT(c, RLINT_RL4001, f,
                 "%s continues on the next line (obs-fold); RFC 9112 §5.2: a sender MUST NOT "
                 "generate line folding, and recipients either reject the message or replace "
                 "the fold with spaces",
                 name_of(c, f, buf, sizeof buf));
    }
}

void rlint_check_whitespace_before_colon(rlint_ctx *c)
{
    for (size_t k = 0; k < c->raw->nsyntax; k++) {
        const rlint_syntax_fault *f = &c->raw->syntax[k];
        if (f->kind != RLINT_SYN_WS_BEFORE_COLON)
            continue;
        if (explains(c, f, false))
            rlint_explained(c);
        char buf[128];
        EMIT(c, RLINT_RL4002, f,
             "whitespace between the name of %s and its colon; RFC 9112 §5.1: \"No "
             "whitespace is allowed between the field name and colon\" (recipients that "
             "keep it see another field name: a request-routing and response-handling "
             "hazard)",
             name_of(c, f, buf, sizeof buf));
    }
}

void rlint_check_bare_lf(rlint_ctx *c)
{
    for (size_t k = 0; k < c->raw->nsyntax; k++) {
        const rlint_syntax_fault *f = &c->raw->syntax[k];
        if (f->kind != RLINT_SYN_BARE_LF)
            continue;
        /* Only the first bare LF is recorded; llhttp may have stopped at a later one. */
        if (explains(c, f, true))
            rlint_explained(c);
        char buf[160], more[64] = "";
        if (c->raw->nbare_lf > 1)
            snprintf(more, sizeof more, " (%zu lines of this head end that way)", c->raw->nbare_lf);
        const char *where = "a line of the head";
        if (f->field < 0) {
            where = "the status line";
        } else if (field_of(c, f) >= 0) {
            char q[80];
            const resplint_field *fl = &c->resp->fields[f->field];
            rlint_quote(q, sizeof q, fl->name, fl->name_len, 40);
            snprintf(buf, sizeof buf, "the line of field %s", q);
            where = buf;
        }
        EMIT(c, RLINT_RL4003, f,
             "%s ends in LF without CR%s; RFC 9112 §2.2: the line terminator "
             "is CRLF; a recipient MAY accept a single LF, but strict parsers (llhttp "
             "among them) reject the message",
             where, more);
        return;
    }
}

void rlint_check_bare_cr(rlint_ctx *c)
{
    for (size_t k = 0; k < c->raw->nsyntax; k++) {
        const rlint_syntax_fault *f = &c->raw->syntax[k];
        if (f->kind != RLINT_SYN_BARE_CR)
            continue;
        if (explains(c, f, false))
            rlint_explained(c);
        char buf[128];
        EMIT(c, RLINT_RL4004, f,
             "a CR not followed by LF in %s; RFC 9112 §2.2: a sender MUST NOT generate a "
             "bare CR, and a recipient MUST consider the element invalid or replace the CR "
             "with SP",
             name_of(c, f, buf, sizeof buf));
    }
}

void rlint_check_field_name_invalid(rlint_ctx *c)
{
    for (size_t k = 0; k < c->raw->nsyntax; k++) {
        const rlint_syntax_fault *f = &c->raw->syntax[k];
        if (f->kind != RLINT_SYN_NAME_INVALID && f->kind != RLINT_SYN_NO_COLON)
            continue;
        if (explains(c, f, false))
            rlint_explained(c);
        char what[256], buf[128];
        if (f->kind == RLINT_SYN_NO_COLON) {
            rlint_emit(c, RLINT_RL4005, f->offset, f->length, -1,
                       "a field line without a colon: it is not a field; RFC 9112 §5: "
                       "field-line = field-name \":\" OWS field-value OWS, and recipients "
                       "reject the message or drop the line");
            continue;
        }
        if (f->byte == ':')
            snprintf(what, sizeof what, "an empty field name (the line starts with the colon)");
        else if (f->byte >= 0x80)
            snprintf(what, sizeof what, "the 8-bit byte 0x%02X in the name of %s", f->byte,
                     name_of(c, f, buf, sizeof buf));
        else if (f->byte < 0x20 || f->byte == 0x7f)
            snprintf(what, sizeof what, "the control character 0x%02X in the name of %s", f->byte,
                     name_of(c, f, buf, sizeof buf));
        else
            snprintf(what, sizeof what, "'%c' in the name of %s", f->byte,
                     name_of(c, f, buf, sizeof buf));
        rlint_emit(c, RLINT_RL4005, f->offset, f->length, field_of(c, f),
                   "%s; RFC 9110 §5.1: field-name = token (letters, digits and "
                   "!#$%%&'*+-.^_`|~ only)",
                   what);
    }
}

void rlint_check_field_value_invalid(rlint_ctx *c)
{
    for (size_t k = 0; k < c->raw->nsyntax; k++) {
        const rlint_syntax_fault *f = &c->raw->syntax[k];
        if (f->kind != RLINT_SYN_VALUE_INVALID)
            continue;
        if (explains(c, f, false))
            rlint_explained(c);
        char buf[128];
        if (f->byte == 0)
            rlint_emit(c, RLINT_RL4006, f->offset, f->length, field_of(c, f),
                       "a NUL byte in the value of %s; RFC 9110 §5.5: \"Field values containing "
                       "CR, LF, or NUL characters are invalid and dangerous\"; a recipient MUST "
                       "reject the message or replace the NUL with SP",
                       name_of(c, f, buf, sizeof buf));
        else
            rlint_emit(c, RLINT_RL4006, f->offset, f->length, field_of(c, f),
                       "the control character 0x%02X in the value of %s; RFC 9110 §5.5: field "
                       "values containing CTL characters other than HTAB are invalid",
                       f->byte, name_of(c, f, buf, sizeof buf));
    }
}
