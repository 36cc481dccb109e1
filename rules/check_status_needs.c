/* RL2xxx: what a status code requires (Location on redirects) or forbids (content on 1xx,
 * 204, 205 and 304). The codes each rule concerns are marks in rules/status.def. */
#include "internal.h"

static bool informational(const rlint_ctx *c) { return c->resp->status / 100 == 1; }

static bool marked(const rlint_ctx *c, uint64_t mark)
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
    if (location_state(c, &present) >= 0 || (!present && !rlint_absent(c, RLINT_F_LOCATION)))
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
    if (marked(c, RLINT_MARK(NEEDS_LOCATION)))
        missing_location(c, RLINT_RL2001,
                         "RFC 9110 §15.4: the server SHOULD generate a Location field; a "
                         "permanent redirect without one cannot be followed");
}

void rlint_check_temporary_redirect_missing_location(rlint_ctx *c)
{
    if (marked(c, RLINT_MARK(WANTS_LOCATION)))
        missing_location(c, RLINT_RL2002, "RFC 9110 §15.4: the server SHOULD generate a Location field");
}

/* Body bytes seen on the wire, or -1 when unknown. */
static int64_t body_bytes(const rlint_ctx *c) { return c->resp->body_length; }

void rlint_check_no_content_has_body(rlint_ctx *c)
{
    if (!marked(c, RLINT_MARK(NO_CONTENT)) || body_bytes(c) <= 0)
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
    if (!informational(c) && !marked(c, RLINT_MARK(NO_LENGTH)))
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
    if (!informational(c) && !marked(c, RLINT_MARK(NO_LENGTH)))
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
    if (!marked(c, RLINT_MARK(NOT_MODIFIED)) || body_bytes(c) <= 0)
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
    if (!marked(c, RLINT_MARK(NOT_MODIFIED)))
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

void rlint_check_head_response_has_body(rlint_ctx *c)
{
    int st = c->resp->status;
    /* An interim response is not the response to HEAD; 204, 205 and 304 with body bytes are
     * reported by their own rules. */
    if (st < 200 || !rlint_method_is(c->resp->method, c->resp->method_len, "HEAD") ||
        marked(c, RLINT_MARK(NO_CONTENT) | RLINT_MARK(NOT_MODIFIED)) || body_bytes(c) <= 0)
        return;
    uint64_t off = RESPLINT_NO_OFFSET;
    if (c->raw && c->resp->offset != RESPLINT_NO_OFFSET)
        off = c->resp->offset + c->raw->head_len;
    rlint_emit(c, RLINT_RL2015, off, (uint64_t)body_bytes(c), -1,
               "%d response to HEAD followed by %lld body bytes; RFC 9110 §9.3.2: \"the server "
               "MUST NOT send content in the response\" (a client reads these bytes as the "
               "start of the next response)",
               st, (long long)body_bytes(c));
}

/* A field with at least one non-empty line: its index, or -1 (and *present says whether the
 * field occurs at all). */
static long nonempty_field(const rlint_ctx *c, rlint_field_id f, bool *present)
{
    *present = rlint_has(c, f);
    for (long i = rlint_next(c, f, -1); i >= 0; i = rlint_next(c, f, i))
        if (c->resp->fields[i].value_len)
            return i;
    return -1;
}

/* A challenge field (WWW-Authenticate, Proxy-Authenticate) that the status requires. */
static void missing_challenge(rlint_ctx *c, rlint_rule_id rule, rlint_field_id f,
                              const char *name, const char *ref)
{
    bool present;
    if (nonempty_field(c, f, &present) >= 0 || (!present && !rlint_absent(c, f)))
        return;
    if (present)
        rlint_emit_field(c, rule, (size_t)c->first[f],
                         "%d %s with an empty %s: no challenge, so the client cannot "
                         "authenticate (%s)",
                         c->resp->status, c->status->reason, name, ref);
    else
        rlint_emit_status(c, rule, "%d %s without a %s field (%s)", c->resp->status,
                          c->status->reason, name, ref);
}

void rlint_check_unauthorized_missing_challenge(rlint_ctx *c)
{
    if (marked(c, RLINT_MARK(NEEDS_WWW_AUTH)))
        missing_challenge(c, RLINT_RL2020, RLINT_F_WWW_AUTHENTICATE, "WWW-Authenticate",
                          "RFC 9110 §15.5.2: the server \"MUST send a WWW-Authenticate header "
                          "field ... containing at least one challenge\"");
}

void rlint_check_proxy_auth_missing_challenge(rlint_ctx *c)
{
    if (marked(c, RLINT_MARK(NEEDS_PROXY_AUTH)))
        missing_challenge(c, RLINT_RL2021, RLINT_F_PROXY_AUTHENTICATE, "Proxy-Authenticate",
                          "RFC 9110 §15.5.8: the proxy \"MUST send a Proxy-Authenticate header "
                          "field ... containing a challenge\"");
}

void rlint_check_method_not_allowed_missing_allow(rlint_ctx *c)
{
    /* RFC 9110 §10.2.1: an empty Allow is legal ("the resource allows no methods"), so only
     * its absence is a finding. */
    if (!marked(c, RLINT_MARK(NEEDS_ALLOW)) || !rlint_absent(c, RLINT_F_ALLOW))
        return;
    rlint_emit_status(c, RLINT_RL2022,
                      "405 Method Not Allowed without an Allow field; RFC 9110 §15.5.6: the "
                      "origin server MUST generate an Allow header field listing the methods "
                      "the resource supports");
}

void rlint_check_upgrade_missing_upgrade(rlint_ctx *c)
{
    /* HTTP/2 and HTTP/3 have no Upgrade (RFC 9113 §8.2.2): only HTTP/1 responses owe it. */
    if (!marked(c, RLINT_MARK(NEEDS_UPGRADE)) || c->resp->version_major >= 2)
        return;
    bool present;
    if (nonempty_field(c, RLINT_F_UPGRADE, &present) >= 0 ||
        (!present && !rlint_absent(c, RLINT_F_UPGRADE)))
        return;
    const char *ref = informational(c) ? "RFC 9110 §15.2.2: the server MUST generate an "
                                         "Upgrade header field that indicates which "
                                         "protocol(s) will be in effect after this response"
                                       : "RFC 9110 §15.5.22: the server MUST send an Upgrade "
                                         "header field to indicate the required protocol(s)";
    if (present)
        rlint_emit_field(c, RLINT_RL2023, (size_t)c->first[RLINT_F_UPGRADE],
                         "%d %s with an empty Upgrade field (%s)", c->resp->status,
                         c->status->reason, ref);
    else
        rlint_emit_status(c, RLINT_RL2023, "%d %s without an Upgrade field (%s)",
                          c->resp->status, c->status->reason, ref);
}

/* Content-Type names multipart/byteranges (parameters and case ignored). */
static bool multipart_byteranges(const rlint_ctx *c)
{
    const resplint_field *f = rlint_first(c, RLINT_F_CONTENT_TYPE);
    if (!f)
        return false;
    size_t n = 0;
    while (n < f->value_len && f->value[n] != ';' && f->value[n] != ' ' && f->value[n] != '\t')
        n++;
    return rlint_ieq(f->value, n, "multipart/byteranges");
}

void rlint_check_partial_content_missing_range(rlint_ctx *c)
{
    if (!marked(c, RLINT_MARK(NEEDS_CONTENT_RANGE)) || !rlint_absent(c, RLINT_F_CONTENT_RANGE) ||
        multipart_byteranges(c))
        return;
    rlint_emit_status(c, RLINT_RL2024,
                      "206 Partial Content without Content-Range and not multipart/byteranges; "
                      "RFC 9110 §15.3.7.1: for a single part the server MUST generate a "
                      "Content-Range header field, or the client cannot place the bytes");
}

void rlint_check_range_not_satisfiable_missing_range(rlint_ctx *c)
{
    if (!marked(c, RLINT_MARK(WANTS_CONTENT_RANGE)) || !rlint_absent(c, RLINT_F_CONTENT_RANGE))
        return;
    rlint_emit_status(c, RLINT_RL2025,
                      "416 Range Not Satisfiable without Content-Range; RFC 9110 §15.5.17: the "
                      "server SHOULD generate a Content-Range header field specifying the "
                      "current length (e.g. bytes */1234)");
}

void rlint_check_im_used_missing_etag(rlint_ctx *c)
{
    if (!marked(c, RLINT_MARK(NEEDS_ETAG)) || !rlint_absent(c, RLINT_F_ETAG))
        return;
    rlint_emit_status(c, RLINT_RL2026,
                      "226 IM Used without an ETag; RFC 3229 §10.4.1: \"The response MUST "
                      "include an Etag header field giving the entity tag of the current "
                      "instance\"");
}

void rlint_check_created_missing_location(rlint_ctx *c)
{
    if (!marked(c, RLINT_MARK(SUGGESTS_LOCATION)))
        return;
    bool present;
    if (nonempty_field(c, RLINT_F_LOCATION, &present) >= 0 ||
        (!present && !rlint_absent(c, RLINT_F_LOCATION)))
        return;
    /* Legal either way: RFC 9110 §15.3.2 falls back to the target URI. */
    if (present)
        rlint_emit_field(c, RLINT_RL2027, (size_t)c->first[RLINT_F_LOCATION],
                         "201 Created with an empty Location; RFC 9110 §15.3.2: the new "
                         "resource is then the target URI, which is rarely what a POST meant");
    else
        rlint_emit_status(c, RLINT_RL2027,
                          "201 Created without Location; RFC 9110 §15.3.2: the new resource is "
                          "then identified by the target URI, which is rarely what a POST meant");
}
