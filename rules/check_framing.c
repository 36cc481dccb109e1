/* RL3xxx: message framing, Content-Length and Transfer-Encoding (RFC 9112 §6). */
#include "internal.h"

#include <stdio.h>

void rlint_check_content_length_with_transfer_encoding(rlint_ctx *c)
{
    long cl = c->first[RLINT_F_CONTENT_LENGTH], te = c->first[RLINT_F_TRANSFER_ENCODING];
    if (cl < 0 || te < 0)
        return;
    rlint_explained(c);
    long later = cl > te ? cl : te;
    rlint_emit_field(c, RLINT_RL3001, (size_t)later,
                     "both Content-Length and Transfer-Encoding: RFC 9112 §6.2 says a sender "
                     "MUST NOT send Content-Length with Transfer-Encoding; recipients that "
                     "disagree on which one frames the body open the door to response "
                     "splitting (RFC 9112 §6.3)");
}

/* Walks every Content-Length value (all lines, all list members). */
typedef struct cl_walk {
    long field;
    const char *p, *end;
} cl_walk;

static bool cl_next(const rlint_ctx *c, cl_walk *w, const char **v, size_t *vlen)
{
    for (;;) {
        if (w->field >= 0 && rlint_list_next(&w->p, w->end, v, vlen))
            return true;
        w->field = rlint_next(c, RLINT_F_CONTENT_LENGTH, w->field);
        if (w->field < 0)
            return false;
        const resplint_field *f = &c->resp->fields[w->field];
        w->p = f->value;
        w->end = f->value + f->value_len;
    }
}

void rlint_check_content_length_conflict(rlint_ctx *c)
{
    if (c->count[RLINT_F_CONTENT_LENGTH] == 0)
        return;
    cl_walk w = {-1, NULL, NULL};
    const char *v, *first = NULL;
    size_t vlen, first_len = 0;
    uint64_t x, first_val = 0;
    while (cl_next(c, &w, &v, &vlen)) {
        if (!rlint_parse_u64(v, vlen, &x))
            continue; /* not a number: content-length-invalid */
        if (!first) {
            first = v;
            first_len = vlen;
            first_val = x;
        } else if (x != first_val) {
            char a[32], b[32];
            rlint_quote(a, sizeof a, first, first_len, 20);
            rlint_quote(b, sizeof b, v, vlen, 20);
            rlint_explained(c);
            rlint_emit_field(c, RLINT_RL3002, (size_t)w.field,
                             "Content-Length %s conflicts with the earlier %s; RFC 9112 §6.3: "
                             "the message framing is invalid and the recipient MUST treat it as "
                             "an unrecoverable error",
                             b, a);
            return;
        }
    }
}

void rlint_check_content_length_repeated(rlint_ctx *c)
{
    if (c->count[RLINT_F_CONTENT_LENGTH] == 0)
        return;
    cl_walk w = {-1, NULL, NULL};
    const char *v;
    size_t vlen, n = 0;
    uint64_t x, first_val = 0;
    while (cl_next(c, &w, &v, &vlen)) {
        if (!rlint_parse_u64(v, vlen, &x))
            return;
        if (n++ == 0)
            first_val = x;
        else if (x != first_val)
            return; /* a conflict, not a repetition: RL3002 */
    }
    if (n < 2)
        return;
    rlint_explained(c);
    long last = -1;
    for (long i = rlint_next(c, RLINT_F_CONTENT_LENGTH, -1); i >= 0;
         i = rlint_next(c, RLINT_F_CONTENT_LENGTH, i))
        last = i;
    rlint_emit_field(c, RLINT_RL3003, (size_t)last,
                     "Content-Length %llu is given %zu times; RFC 9110 §8.6 lets a recipient "
                     "accept identical values, but many reject the message (llhttp does)",
                     (unsigned long long)first_val, n);
}

void rlint_check_body_truncated(rlint_ctx *c)
{
    if (!c->raw->truncated)
        return;
    const char *how = c->raw->body_kind == RLINT_BODY_CHUNKED ? "before the last chunk"
                                                               : "before Content-Length bytes";
    long cl = c->first[RLINT_F_CONTENT_LENGTH];
    if (c->raw->body_kind != RLINT_BODY_CHUNKED && cl >= 0)
        rlint_emit(c, RLINT_RL3007, c->raw->parse_offset, 0, cl,
                   "the stream ends after %llu body bytes, %s (Content-Length: %.*s); RFC 9112 "
                   "§8: the message is incomplete",
                   (unsigned long long)c->raw->body_wire_bytes, how,
                   (int)c->resp->fields[cl].value_len, c->resp->fields[cl].value);
    else
        rlint_emit(c, RLINT_RL3007, c->raw->parse_offset, 0, -1,
                   "the stream ends after %llu body bytes, %s; RFC 9112 §8: the message is "
                   "incomplete",
                   (unsigned long long)c->raw->body_wire_bytes, how);
}

void rlint_check_chunked_syntax(rlint_ctx *c)
{
    if (!c->raw->body_error)
        return;
    rlint_explained(c);
    rlint_emit(c, RLINT_RL3008, c->raw->parse_offset, 1, -1,
               "malformed chunked body after %llu bytes of content: %s (RFC 9112 §7.1)",
               (unsigned long long)c->raw->body_wire_bytes,
               c->raw->parse_reason ? c->raw->parse_reason : "invalid chunk");
}

void rlint_check_close_delimited_body(rlint_ctx *c)
{
    if (c->raw->body_kind != RLINT_BODY_CLOSE)
        return;
    rlint_emit_status(c, RLINT_RL3009,
                      "no Content-Length and no chunked coding: the %llu-byte body ends when the "
                      "connection closes (legal, RFC 9112 §6.3, but the connection cannot be "
                      "reused and truncation cannot be detected)",
                      (unsigned long long)c->raw->body_wire_bytes);
}
