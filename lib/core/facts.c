/* Facts of a response: the parts that are not per-response hot code (lib/core/facts.h has
 * rlint_facts, which the engine inlines) and the bodiless predicate as every layer calls it. */
#include "facts.h"

#include <string.h>

int resplint_response_bodiless(int status, const char *method, size_t method_len)
{
    return rlint_bodiless(status, method, method_len);
}

bool rlint_cl_fold(const char *v, size_t n, bool *have, uint64_t *len)
{
    const char *end = v + n, *e;
    size_t elen;
    while (rlint_list_next(&v, end, &e, &elen)) {
        uint64_t x;
        if (!rlint_parse_u64(e, elen, &x) || (*have && x != *len))
            return false;
        *len = x;
        *have = true;
    }
    return true;
}

bool rlint_cl_agreed_of(const rlint_ctx *c, uint64_t *len)
{
    bool have = false;
    *len = 0;
    for (long i = rlint_next(c, RLINT_F_CONTENT_LENGTH, -1); i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_LENGTH, i)) {
        const resplint_field *f = &c->resp->fields[i];
        if (!rlint_cl_fold(f->value, f->value_len, &have, len))
            return false;
    }
    return have;
}

bool rlint_method_get(const char *method, size_t mlen)
{
    return method && mlen == 3 && memcmp(method, "GET", 3) == 0;
}

/* The known fields an archiver renamed (X-Archive-Orig-Date, X-Crawler-Location): on the wire
 * they were there. */
uint64_t rlint_renamed_fields(const rlint_ctx *c)
{
    uint64_t renamed = 0;
    const resplint_response *r = c->resp;
    for (size_t i = 0; i < r->field_count; i++) {
        const resplint_field *f = &r->fields[i];
        size_t skip = 0;
        if (f->name_len > 15 && rlint_istarts(f->name, f->name_len, "x-archive-orig-"))
            skip = 15;
        else if (f->name_len > 10 && rlint_istarts(f->name, f->name_len, "x-crawler-"))
            skip = 10;
        if (!skip)
            continue;
        rlint_field_id id = rlint_field_lookup(c->cfg->fields, f->name + skip, f->name_len - skip);
        if (id != RLINT_F_OTHER)
            renamed |= 1ull << id;
    }
    return renamed;
}
