/* RL4007-RL4013 and RL2003: field values read with their real grammars (lib/core/grammar.c):
 * singletons sent twice, Date presence, HTTP-dates, entity tags, Retry-After, Content-Range,
 * the size of the header section, and Location as a URI-reference. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* On raw input a value holding CR, LF or another control byte is RL4001/RL4004/RL4006's
 * finding (a folded value carries its CRLF); judging its grammar too would report it twice.
 * Structured input has no raw rules, so there the grammar check speaks. Asked only once a
 * grammar has failed, so valid values are read once. */
bool rlint_value_clean(const rlint_ctx *c, const char *s, size_t n)
{
    if (!c->raw)
        return true;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return false;
    }
    return true;
}

static const resplint_field *field_at(const rlint_ctx *c, long i)
{
    return &c->resp->fields[i];
}

/* The next field named id after i; the common case of a single line costs no scan. */
static long next_of(const rlint_ctx *c, rlint_field_id id, long i)
{
    return c->count[id] > 1 ? rlint_next(c, id, i) : -1;
}

/* ---- RL4007 ---- */

void rlint_check_singleton_field_repeated(rlint_ctx *c)
{
    /* RFC 9110 §5.3: a sender MUST NOT generate multiple field lines with the same name
     * unless the field's definition allows a comma-separated list. None of these does;
     * Set-Cookie (the notable exception) and list fields are not in the set. */
    static const rlint_field_id singletons[] = {RLINT_F_AGE,           RLINT_F_CONTENT_LOCATION,
                                                RLINT_F_CONTENT_RANGE, RLINT_F_CONTENT_TYPE,
                                                RLINT_F_DATE,          RLINT_F_ETAG,
                                                RLINT_F_EXPIRES,       RLINT_F_LAST_MODIFIED,
                                                RLINT_F_LOCATION,      RLINT_F_RETRY_AFTER};
    /* Almost always none is repeated: one branch-free pass says so. */
    unsigned repeated = 0;
    for (size_t k = 0; k < RLINT_ARRAY_LEN(singletons); k++)
        repeated |= c->count[singletons[k]] >= 2;
    if (!repeated)
        return;
    for (size_t k = 0; k < RLINT_ARRAY_LEN(singletons); k++) {
        rlint_field_id id = singletons[k];
        if (c->count[id] < 2)
            continue;
        long first = c->first[id], second = rlint_next(c, id, first);
        const resplint_field *a = field_at(c, first);
        bool same = true;
        for (long i = second; i >= 0; i = rlint_next(c, id, i)) {
            const resplint_field *b = field_at(c, i);
            const char *as, *bs;
            size_t an, bn;
            rlint_field_trimmed(a, &as, &an);
            rlint_field_trimmed(b, &bs, &bn);
            if (an != bn || memcmp(as, bs, an) != 0)
                same = false;
        }
        char name[64];
        rlint_quote(name, sizeof name, a->name, a->name_len, 40);
        rlint_emit_field(c, RLINT_RL4007, (size_t)second,
                         "%s appears on %u field lines%s; RFC 9110 §5.3: a sender MUST NOT "
                         "generate multiple field lines with the same name unless the field is "
                         "a list, and %s is a singleton%s",
                         name, (unsigned)c->count[id],
                         same ? " with the same value" : " with different values", name,
                         same ? "" : " (recipients may use either value)");
    }
}

/* ---- RL4008 ---- */

void rlint_check_date_missing(rlint_ctx *c)
{
    int st = c->resp->status;
    if (st < 200 || st > 499 || !rlint_absent(c, RLINT_F_DATE))
        return;
    /* RFC 9110 §6.6.1: an origin server with a clock MUST generate Date in all 2xx, 3xx and
     * 4xx responses; in 1xx and 5xx it MAY. */
    rlint_emit_status(c, RLINT_RL4008,
                      "%d response without a Date field; RFC 9110 §6.6.1: an origin server with "
                      "a clock MUST generate a Date header field in all 2xx, 3xx and 4xx "
                      "responses (caches use it to compute the response's age)",
                      st);
}

/* ---- RL4009 ---- */

static RLINT_COLD void report_date(rlint_ctx *c, long i, const char *s, size_t n,
                                   rlint_date_form form, const char *why, size_t at, bool expires)
{
    const resplint_field *f = field_at(c, i);
    char name[64], q[96];
    rlint_quote(name, sizeof name, f->name, f->name_len, 40);
    rlint_quote(q, sizeof q, s, n, 64);
    if (form != RLINT_DATE_INVALID) {
        rlint_emit_field(c, RLINT_RL4009, (size_t)i,
                         "%s: %s uses the obsolete %s date format; recipients must accept "
                         "it, but RFC 9110 §5.6.7: a sender MUST generate timestamps in the "
                         "IMF-fixdate format (Sun, 06 Nov 1994 08:49:37 GMT)",
                         name, q, form == RLINT_DATE_RFC850 ? "RFC 850" : "asctime");
    } else if (expires) {
        /* RFC 9111 §5.3: a cache MUST interpret an invalid date, especially "0", as a time
         * in the past. That is what senders of "Expires: 0" mean, so it is only info. */
        rlint_emit_field_sev(c, RLINT_RL4009, (size_t)i, RESPLINT_INFO,
                             "%s: %s is not an HTTP-date; RFC 9111 §5.3: caches MUST treat "
                             "an invalid Expires, especially \"0\", as already expired, "
                             "which is presumably the intent; a past IMF-fixdate says it "
                             "validly",
                             name, q);
    } else {
        rlint_emit_field(c, RLINT_RL4009, (size_t)i,
                         "%s: %s is not an HTTP-date (%s at character %zu); RFC 9110 "
                         "§5.6.7: a sender MUST generate timestamps in the IMF-fixdate "
                         "format (Sun, 06 Nov 1994 08:49:37 GMT)",
                         name, q, why ? why : "invalid", at + 1);
    }
}

static void check_dates(rlint_ctx *c, rlint_field_id id, bool expires)
{
    for (long i = c->first[id]; i >= 0; i = next_of(c, id, i)) {
        const char *s, *why = NULL;
        size_t n, at = 0;
        rlint_field_trimmed(field_at(c, i), &s, &n);
        /* the first line's date is read once for every rule (the caching rules compare it) */
        rlint_date_form form =
            i == c->first[id] ? rlint_field_date_form(c, id) : rlint_http_date(s, n, &why, &at);
        if (form == RLINT_DATE_IMF || !rlint_value_clean(c, s, n))
            continue;
        rlint_http_date(s, n, &why, &at); /* why and where, for the message */
        report_date(c, i, s, n, form, why, at, expires);
    }
}

void rlint_check_date_invalid(rlint_ctx *c)
{
    /* (absent fields tested here: a call costs more than the test) */
    if (rlint_has(c, RLINT_F_DATE))
        check_dates(c, RLINT_F_DATE, false);
    if (rlint_has(c, RLINT_F_LAST_MODIFIED))
        check_dates(c, RLINT_F_LAST_MODIFIED, false);
    if (rlint_has(c, RLINT_F_EXPIRES))
        check_dates(c, RLINT_F_EXPIRES, true);
}

/* ---- RL4010 ---- */

static RLINT_COLD void report_etag(rlint_ctx *c, long i, const char *s, size_t n,
                                   const char *why, size_t at)
{
    char q[96];
    rlint_quote(q, sizeof q, s, n, 64);
    rlint_emit_field(c, RLINT_RL4010, (size_t)i,
                     "ETag %s is not an entity-tag: %s (character %zu); RFC 9110 §8.8.3: "
                     "entity-tag = [ W/ ] DQUOTE *etagc DQUOTE, e.g. \"xyzzy\" or W/\"xyzzy\"; "
                     "clients may not send it back in If-None-Match as is",
                     q, why, at + 1);
}

void rlint_check_etag_invalid(rlint_ctx *c)
{
    for (long i = c->first[RLINT_F_ETAG]; i >= 0; i = next_of(c, RLINT_F_ETAG, i)) {
        const char *s, *why = NULL;
        size_t n, at = 0;
        rlint_field_trimmed(field_at(c, i), &s, &n);
        if (rlint_entity_tag(s, n, &why, &at) || !rlint_value_clean(c, s, n))
            continue;
        report_etag(c, i, s, n, why, at);
    }
}

/* ---- RL4011 ---- */

void rlint_check_retry_after_invalid(rlint_ctx *c)
{
    for (long i = c->first[RLINT_F_RETRY_AFTER]; i >= 0; i = next_of(c, RLINT_F_RETRY_AFTER, i)) {
        const char *s, *why = NULL;
        size_t n, at = 0;
        rlint_field_trimmed(field_at(c, i), &s, &n);
        if (rlint_delay_seconds(s, n))
            continue;
        rlint_date_form form = rlint_http_date(s, n, &why, &at);
        if (form == RLINT_DATE_IMF || !rlint_value_clean(c, s, n))
            continue;
        char q[96];
        rlint_quote(q, sizeof q, s, n, 64);
        if (form != RLINT_DATE_INVALID)
            rlint_emit_field(c, RLINT_RL4011, (size_t)i,
                             "Retry-After %s is an HTTP-date in the obsolete %s format; RFC 9110 "
                             "§5.6.7: a sender MUST generate IMF-fixdate",
                             q, form == RLINT_DATE_RFC850 ? "RFC 850" : "asctime");
        else
            rlint_emit_field(c, RLINT_RL4011, (size_t)i,
                             "Retry-After %s is neither a number of seconds nor an HTTP-date; "
                             "RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds, where "
                             "delay-seconds is a non-negative decimal integer (no sign, no "
                             "fraction)",
                             q);
    }
}

/* ---- RL4012 ---- */

void rlint_check_content_range_invalid(rlint_ctx *c)
{
    for (long i = c->first[RLINT_F_CONTENT_RANGE]; i >= 0;
         i = next_of(c, RLINT_F_CONTENT_RANGE, i)) {
        const char *s, *why = NULL;
        size_t n, at = 0;
        rlint_field_trimmed(field_at(c, i), &s, &n);
        if (rlint_content_range(s, n, &why, &at) != RLINT_RANGE_INVALID || !rlint_value_clean(c, s, n))
            continue;
        char q[96];
        rlint_quote(q, sizeof q, s, n, 64);
        rlint_emit_field(c, RLINT_RL4012, (size_t)i,
                         "Content-Range %s is invalid: %s (character %zu); RFC 9110 §14.4: "
                         "\"bytes first-last/complete\" or \"bytes */complete\", with first <= "
                         "last < complete; a recipient MUST NOT recombine content with an "
                         "invalid Content-Range",
                         q, why, at + 1);
    }
}

/* ---- RL4013 ---- */

void rlint_check_field_section_too_large(rlint_ctx *c)
{
    uint64_t limit = c->cfg->limits[RESPLINT_LIMIT_FIELD_SECTION];
    uint64_t size = 0;
    if (c->raw) {
        size = c->raw->head_len;
    } else {
        /* name ": " value CRLF, the way HTTP/1.1 would carry it */
        for (size_t i = 0; i < c->resp->field_count; i++)
            size += c->resp->fields[i].name_len + c->resp->fields[i].value_len + 4;
    }
    if (size <= limit)
        return;
    /* RFC 9110 §5.4 sets no limit, but recipients do: a client MAY discard or truncate field
     * lines larger than it wishes to process. The limit is the user's. */
    rlint_emit(c, RLINT_RL4013, c->resp->offset, c->raw ? size : 0, -1,
               "the response head is %llu bytes, above the limit of %llu; RFC 9110 §5.4: HTTP "
               "sets no limit, but recipients do, and may discard or truncate what they will "
               "not process (common limits: 8-64 KiB)",
               (unsigned long long)size, (unsigned long long)limit);
}

/* ---- RL2003 ---- */

void rlint_check_location_invalid(rlint_ctx *c)
{
    for (long i = c->first[RLINT_F_LOCATION]; i >= 0; i = next_of(c, RLINT_F_LOCATION, i)) {
        const char *s, *why = NULL;
        size_t n, at = 0;
        rlint_field_trimmed(field_at(c, i), &s, &n);
        /* An empty Location is RL2001/RL2002's business. */
        if (n == 0 || rlint_uri_reference(s, n, &why, &at) || !rlint_value_clean(c, s, n))
            continue;
        char q[120];
        rlint_quote(q, sizeof q, s, n, 80);
        rlint_emit_field(c, RLINT_RL2003, (size_t)i,
                         "Location %s is not a URI-reference: %s at character %zu; RFC 9110 "
                         "§10.2.2: the field value consists of a single URI-reference (RFC "
                         "3986), and clients differ in how they repair an invalid one",
                         q, why, at + 1);
    }
}
