/* RL2xxx: what a status code requires (Location on redirects) or forbids (content on 1xx,
 * 204, 205 and 304). The codes each rule concerns are marks in rules/status.def. */
#include "internal.h"

static bool informational(const rlint_ctx *c) { return c->resp->status / 100 == 1; }

static bool marked(const rlint_ctx *c, unsigned mark)
{
    return c->status && (c->status->marks & mark);
}

/* A Location field with a non-empty value: the index of the first, or -1. */
static long location_state(const rlint_ctx *c, bool *present)
{
    *present = rlint_has(c, RLINT_F_LOCATION);
    for (long i = rlint_next(c, RLINT_F_LOCATION, -1); i >= 0;
         i = rlint_next(c, RLINT_F_LOCATION, i))
        if (c->resp->fields[i].value_len)
            return i;
    return -1;
}

static void missing_location(rlint_ctx *c, rlint_rule_id rule, const char *ref)
{
    bool present;
    if (location_state(c, &present) >= 0)
        return;
    if (present)
        rlint_emit_field(c, rule, (size_t)c->first[RLINT_F_LOCATION],
                         "%d %s with an empty Location: the client has nowhere to go (%s)",
                         c->resp->status, c->status->reason, ref);
    else
        rlint_emit_status(c, rule, "%d %s without a Location field (%s)", c->resp->status,
                          c->status->reason, ref);
}

void rlint_check_redirect_missing_location(rlint_ctx *c)
{
    if (marked(c, RLINT_NEEDS_LOCATION))
        missing_location(c, RLINT_RL2001,
                         "RFC 9110 §15.4: the server SHOULD generate a Location field; a "
                         "permanent redirect without one cannot be followed");
}

void rlint_check_temporary_redirect_missing_location(rlint_ctx *c)
{
    if (marked(c, RLINT_WANTS_LOCATION))
        missing_location(c, RLINT_RL2002, "RFC 9110 §15.4: the server SHOULD generate a Location field");
}

/* Body bytes seen on the wire, or -1 when unknown. */
static int64_t body_bytes(const rlint_ctx *c) { return c->resp->body_length; }

void rlint_check_no_content_has_body(rlint_ctx *c)
{
    if (!marked(c, RLINT_NO_CONTENT) || body_bytes(c) <= 0)
        return;
    uint64_t off = RESPLINT_NO_OFFSET;
    if (c->raw && c->resp->offset != RESPLINT_NO_OFFSET)
        off = c->resp->offset + c->raw->head_len;
    rlint_emit(c, RLINT_RL2010, off, (uint64_t)body_bytes(c), -1,
               "%d %s followed by %lld body bytes; RFC 9110 §15.3.%d: a %d response cannot "
               "contain content%s",
               c->resp->status, c->status->reason, (long long)body_bytes(c),
               c->resp->status == 204 ? 5 : 6, c->resp->status,
               c->resp->status == 204 ? " (a client reads these bytes as the start of the "
                                        "next response)"
                                      : "");
}

void rlint_check_no_content_framing(rlint_ctx *c)
{
    if (!informational(c) && !marked(c, RLINT_NO_LENGTH))
        return;
    /* RFC 9110 §8.6: a server MUST NOT send Content-Length in a 1xx or 204 response;
     * RFC 9112 §6.1: nor Transfer-Encoding. Content-Length: 0 is RL2012. */
    for (long i = rlint_next(c, RLINT_F_TRANSFER_ENCODING, -1); i >= 0;
         i = rlint_next(c, RLINT_F_TRANSFER_ENCODING, i)) {
        rlint_emit_field(c, RLINT_RL2011, (size_t)i,
                         "%d response with Transfer-Encoding; RFC 9112 §6.1: a server MUST NOT "
                         "send Transfer-Encoding in any 1xx or 204 response",
                         c->resp->status);
        break;
    }
    for (long i = rlint_next(c, RLINT_F_CONTENT_LENGTH, -1); i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_LENGTH, i)) {
        const resplint_field *f = &c->resp->fields[i];
        uint64_t v;
        if (rlint_parse_u64(f->value, f->value_len, &v) && v == 0)
            continue;
        char q[64];
        rlint_quote(q, sizeof q, f->value, f->value_len, 24);
        rlint_emit_field(c, RLINT_RL2011, (size_t)i,
                         "%d response with Content-Length: %s; RFC 9110 §8.6: a server MUST NOT "
                         "send Content-Length in any 1xx or 204 response",
                         c->resp->status, q);
        break;
    }
}

void rlint_check_no_content_zero_length(rlint_ctx *c)
{
    if (!informational(c) && !marked(c, RLINT_NO_LENGTH))
        return;
    for (long i = rlint_next(c, RLINT_F_CONTENT_LENGTH, -1); i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_LENGTH, i)) {
        const resplint_field *f = &c->resp->fields[i];
        uint64_t v;
        if (rlint_parse_u64(f->value, f->value_len, &v) && v == 0) {
            rlint_emit_field(c, RLINT_RL2012, (size_t)i,
                             "%d response with Content-Length: 0; harmless, but RFC 9110 §8.6 "
                             "says a server MUST NOT send Content-Length in a 1xx or 204 "
                             "response",
                             c->resp->status);
            return;
        }
    }
}

void rlint_check_not_modified_has_body(rlint_ctx *c)
{
    if (!marked(c, RLINT_NOT_MODIFIED) || body_bytes(c) <= 0)
        return;
    uint64_t off = RESPLINT_NO_OFFSET;
    if (c->raw && c->resp->offset != RESPLINT_NO_OFFSET)
        off = c->resp->offset + c->raw->head_len;
    rlint_emit(c, RLINT_RL2013, off, (uint64_t)body_bytes(c), -1,
               "304 Not Modified followed by %lld body bytes; RFC 9110 §15.4.5: a 304 response "
               "is terminated by the end of the header section and cannot contain content",
               (long long)body_bytes(c));
}

void rlint_check_not_modified_representation_fields(rlint_ctx *c)
{
    if (!marked(c, RLINT_NOT_MODIFIED))
        return;
    static const rlint_field_id fields[] = {RLINT_F_CONTENT_TYPE, RLINT_F_CONTENT_ENCODING,
                                            RLINT_F_CONTENT_LANGUAGE, RLINT_F_CONTENT_RANGE};
    for (size_t k = 0; k < RLINT_ARRAY_LEN(fields); k++) {
        long i = c->first[fields[k]];
        if (i < 0)
            continue;
        const resplint_field *f = &c->resp->fields[i];
        rlint_emit_field(c, RLINT_RL2014, (size_t)i,
                         "304 Not Modified carries %.*s; RFC 9110 §15.4.5: a server SHOULD NOT "
                         "generate representation metadata other than Cache-Control, "
                         "Content-Location, Date, ETag, Expires and Vary",
                         (int)f->name_len, f->name);
    }
}
