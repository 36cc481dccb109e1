/* Facts of a response, computed once before any check runs: framing, whether it can have a
 * body, what the container did to it (provenance), its URL's key for the exchange memory, and
 * the fact bits that triggers name (facts.def). Checks read them from rlint_ctx; none
 * recomputes them. Inlined into the engine's per-response path (lib/core/facts.c has the
 * rest). */
#ifndef RLINT_FACTS_H
#define RLINT_FACTS_H

#include "internal.h"

#include "resplint/body.h"

/* One Content-Length line of 1 to 18 digits: nothing for the Content-Length rules to find. */
static inline bool content_length_plain(const rlint_ctx *c)
{
    if (c->count[RLINT_F_CONTENT_LENGTH] != 1 || c->resp->field_count > INT16_MAX)
        return false;
    const resplint_field *f = &c->resp->fields[c->first[RLINT_F_CONTENT_LENGTH]];
    if (f->value_len == 0 || f->value_len > 18)
        return false;
    for (size_t i = 0; i < f->value_len; i++)
        if (f->value[i] < '0' || f->value[i] > '9')
            return false;
    return true;
}

#define FACT_BIT(x) (1ull << RLINT_FACT_##x)

/* Fills the facts of c (cfg, resp, raw, status, present, first, count and xchg set). */
static inline void rlint_facts(rlint_ctx *c)
{
    const resplint_response *r = c->resp;
    const rlint_raw *raw = c->raw;
    c->cl_plain = content_length_plain(c);
    c->prov = r->provenance;
    c->renamed = 0;
    c->body_unknown = false;
    if (c->prov) {
        if (c->prov & RESPLINT_PROV_ARCHIVED)
            c->renamed = rlint_renamed_fields(c);
        /* the stored framing or body is not what the server sent */
        c->body_unknown = (c->prov & (RESPLINT_PROV_DECHUNKED | RESPLINT_PROV_LENGTH_PLACEHOLDER |
                                      RESPLINT_PROV_BODY_DROPPED)) ||
                          (c->renamed & (1ull << RLINT_F_TRANSFER_ENCODING |
                                         1ull << RLINT_F_CONTENT_LENGTH |
                                         1ull << RLINT_F_CONTENT_ENCODING));
    }
    c->url_key = c->xchg && r->url && r->url_len ? rlint_url_key(r->url, r->url_len) : 0;

    uint64_t t = FACT_BIT(ALWAYS);
    if (!c->status || r->status < 100 || r->status > 599)
        t |= FACT_BIT(ODD_STATUS);
    if (r->status >= 100 && r->status <= 199)
        t |= FACT_BIT(INFORMATIONAL);
    if (r->method) {
        t |= FACT_BIT(METHOD);
        if (rlint_method_is(r->method, r->method_len, "HEAD"))
            t |= FACT_BIT(HEAD);
    }
    if ((c->present & (1ull << RLINT_F_CONTENT_LENGTH)) && !c->cl_plain)
        t |= FACT_BIT(CL_ODD);
    if (r->reason && r->reason_len &&
        !(c->status && r->reason_len == c->status->reason_len &&
          rlint_bytes_equal(r->reason, c->status->reason, r->reason_len)))
        t |= FACT_BIT(REASON_ODD);
    if (!raw) {
        t |= FACT_BIT(BIG_HEAD); /* the size is computed from the fields: the check does it */
        if (r->version_major == 2 || r->version_major == 3)
            t |= FACT_BIT(H2);
        c->fact_bits = t;
        return;
    }
    if (raw->status_text && raw->status_text_len != 3)
        t |= FACT_BIT(ODD_STATUS);
    const char *sl = raw->status_line;
    size_t sn = (size_t)raw->status_line_len;
    if (sl && sn &&
        !(sn >= 8 && rlint_http1_prefix(sl) && (sl[7] == '0' || sl[7] == '1') &&
          (sn == 8 || sl[8] == ' ' || sl[8] == '\t')))
        t |= FACT_BIT(ODD_VERSION);
    if (raw->nsyntax)
        t |= FACT_BIT(SYNTAX);
    if (raw->truncated || raw->body_error || raw->body_kind == RLINT_BODY_CLOSE ||
        raw->unexpected_len || raw->head_limit || raw->fields_limit || raw->responses_limit ||
        raw->syntax_limit || raw->codings_limit || raw->parse_error || raw->no_status_line ||
        (raw->body && (raw->body->decode == RESPLINT_BODY_LIMIT ||
                       raw->body->json == RESPLINT_BODY_LIMIT)))
        t |= FACT_BIT(RAW_EVENT);
    if (raw->body)
        t |= FACT_BIT(BODY);
    if (raw->head_len > c->cfg->limits[RESPLINT_LIMIT_FIELD_SECTION])
        t |= FACT_BIT(BIG_HEAD);
    c->fact_bits = t;
}

#endif
