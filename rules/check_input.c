/* Faults of the byte stream itself: stray bytes after a response (RL3010) and bytes that
 * cannot be read as a response at all (RL9001). These run last in catalogue order, so every
 * more specific rule has had its chance to explain what llhttp rejected. */
#include "internal.h"

#include "resplint/body.h"

#include <stdio.h>
#include <string.h>

void rlint_check_unexpected_bytes(rlint_ctx *c)
{
    if (c->raw->no_status_line || c->raw->unexpected_len == 0 ||
        (c->prov & RESPLINT_PROV_BOUNDARY_UNSURE)) /* they may be the container's */
        return;
    /* Without the request's method, an answer to HEAD reads as a response whose body is the
     * next response: the stray bytes are then that response's remainder. Say so. */
    bool head_hint = c->raw->body_like_response && !c->resp->method;
    rlint_emit(c, RLINT_RL3010, c->raw->unexpected_offset, c->raw->unexpected_len, -1,
               "%llu bytes after the end of this %d response do not start a response; RFC "
               "9112 §6.3: a recipient reads them as the next response and fails%s",
               (unsigned long long)c->raw->unexpected_len, c->resp->status,
               head_hint ? " (its body starts with \"HTTP/\": if this response answered HEAD, "
                           "pass --method HEAD or the requests with --request)"
                         : "");
}

static bool looks_like_request(const char *p, size_t n)
{
    static const char *const methods[] = {"GET ", "POST ", "PUT ", "HEAD ", "DELETE ",
                                          "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "};
    for (size_t i = 0; i < RLINT_ARRAY_LEN(methods); i++) {
        size_t m = strlen(methods[i]);
        if (n >= m && memcmp(p, methods[i], m) == 0)
            return true;
    }
    return false;
}

/* The parser stopped where the container, not the server, explains it: a stored copy that ends
 * early, or a Content-Length placeholder line (RESPLINT_PROV_LENGTH_PLACEHOLDER). */
static bool container_explains(const rlint_ctx *c)
{
    if (c->prov & RESPLINT_PROV_CUT)
        return true;
    if (!(c->prov & RESPLINT_PROV_LENGTH_PLACEHOLDER))
        return false;
    uint64_t at = c->raw->parse_offset;
    for (long i = rlint_next(c, RLINT_F_CONTENT_LENGTH, -1); i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_LENGTH, i)) {
        const resplint_field *f = &c->resp->fields[i];
        if (rlint_length_placeholder(c, f) && f->offset != RESPLINT_NO_OFFSET &&
            at >= f->offset && at <= f->offset + f->length)
            return true;
    }
    return false;
}

void rlint_check_unparseable_response(rlint_ctx *c)
{
    const rlint_raw *r = c->raw;
    if (c->prov && container_explains(c))
        return;
    if (r->no_status_line) {
        char q[160];
        rlint_quote(q, sizeof q, r->status_text, r->status_text_len, 32);
        rlint_emit(c, RLINT_RL9001, r->parse_offset, r->unexpected_len, -1,
                   "%s (%llu bytes starting '%s')%s", r->parse_reason,
                   (unsigned long long)r->unexpected_len, q,
                   looks_like_request(r->status_text, r->status_text_len)
                       ? "; this looks like a request: give resplint the server's side of the "
                         "connection"
                       : "");
        return;
    }
    if (!r->parse_error || c->explained)
        return;
    rlint_emit(c, RLINT_RL9001, r->parse_offset, 0, -1, "llhttp: %s%s", r->parse_reason,
               r->ended_in_head ? "" : " (the rest of the response is skipped up to the next "
                                       "status line)");
}

void rlint_check_limit_exceeded(rlint_ctx *c)
{
    const rlint_raw *r = c->raw;
    if (r->head_limit)
        rlint_emit_status(c, RLINT_RL9004,
                          "the response head is longer than the limit of %llu bytes; the rest "
                          "of the response is skipped up to the next status line",
                          (unsigned long long)c->cfg->limits[RESPLINT_LIMIT_HEAD_BYTES]);
    if (r->fields_limit)
        rlint_emit_status(c, RLINT_RL9004,
                          "more than %llu field lines; only the first ones were checked",
                          (unsigned long long)c->cfg->limits[RESPLINT_LIMIT_FIELDS]);
    if (r->syntax_limit)
        rlint_emit_status(c, RLINT_RL9004,
                          "more than %llu syntax faults in the head; the ones after were not "
                          "recorded, so the rules of raw syntax (RL4001-RL4006) saw only the first",
                          (unsigned long long)c->cfg->limits[RESPLINT_LIMIT_SYNTAX_FAULTS]);
    if (r->body && r->body->decode == RESPLINT_BODY_LIMIT)
        rlint_emit(c, RLINT_RL9004, c->resp->offset + r->head_len, r->body_wire_bytes, -1,
                   "the decoded body passed the limit of %llu bytes (decoded-body); decoding "
                   "stopped there, so the content checks did not see the rest (a decompression "
                   "bomb costs no more)",
                   (unsigned long long)c->cfg->limits[RESPLINT_LIMIT_DECODED_BODY]);
    if (r->codings_limit)
        rlint_emit_status(c, RLINT_RL9004,
                          "Content-Encoding lists more than %d codings to undo; resplint undoes "
                          "at most %d, so the body was not decoded and the checks of the decoded "
                          "body (RL7006-RL7009) did not read it",
                          RESPLINT_BODY_MAX_CODINGS, RESPLINT_BODY_MAX_CODINGS);
    if (r->body && r->body->json == RESPLINT_BODY_LIMIT)
        rlint_emit(c, RLINT_RL9004, c->resp->offset + r->head_len, r->body_wire_bytes, -1,
                   "the JSON body nests deeper than 4096 levels; the JSON check stopped there");
    if (r->responses_limit)
        rlint_emit_status(c, RLINT_RL9004,
                          "more than %llu responses on this stream; the rest is not checked",
                          (unsigned long long)c->cfg->limits[RESPLINT_LIMIT_RESPONSES]);
}
